"""Every letter a person is sent can be had in large print (16pt, sans-serif, left aligned)
and with its easy-read part first: where the person's communication needs say so, and on
request by anyone who may read it (?print=large, ?version=easy-read), issue 13 "Words and
formats that fit the person"; docs/easy-read.md, decision 0041."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import transaction

from selfdirect.access.roles import Role
from tests.access.test_matrix import MATRIX, _address, expected, relations_of, world
from tests.conftest import Council

pytestmark = pytest.mark.django_db

__all__ = ["world"]

# The letters and documents a person is sent (the remittance goes to a provider, the CSVs
# and the audit exports are data, not letters).
LETTERS = (
    "allocation:letter",
    "allocation:panel_letter",
    "allocation:challenge_letter",
    "assessment:eligibility_letter",
    "planning:pdf",
    "budgets:notice_letter",
    "money:statement_pdf",
    "recovery:letter",
    "charging:letter",
)
READERS = (Role.HOLDER, Role.REPRESENTATIVE, Role.PRACTITIONER, Role.MANAGER, Role.FINANCE)


class _Made:
    """Stands in for WeasyPrint's HTML: keeps the HTML each letter was made from."""

    made: list[str] = []

    def __init__(self, string: str, base_url: str | None = None) -> None:
        self.made.append(string)

    def write_pdf(self) -> bytes:
        return b"%PDF-1.7 made in the test"


@pytest.fixture
def letters_made(monkeypatch: Any) -> list[str]:
    import weasyprint

    _Made.made = []
    monkeypatch.setattr(weasyprint, "HTML", _Made)
    return _Made.made


def _letter(client: Any, world: Council, name: str, query: str, made: list[str]) -> str:
    route = MATRIX[name]
    relation = relations_of(route)[0]
    role = next(r for r in READERS if expected(route.expect, relation, str(r)) == 200)
    client.force_login(world.users[role])
    made.clear()
    with transaction.atomic():
        response = client.get(_address(name, world, relation) + query)
        transaction.set_rollback(True)
    assert response.status_code == 200, f"{name}{query} as {role}: {response.status_code}"
    assert made, f"{name}{query}: no letter was made"
    return made[-1]


def _body_size(html: str) -> str:
    found = re.search(r"body \{[^}]*font-size: (\d+pt)", html)
    assert found, "the letter sets no body font size"
    return found.group(1)


@pytest.mark.parametrize("name", LETTERS)
def test_every_letter_in_large_print_on_request(
    client: Any, world: Council, letters_made: list[str], name: str
) -> None:
    world.holder_person.needs_large_print = world.holder_person.needs_easy_read = False
    world.holder_person.save()
    assert _body_size(_letter(client, world, name, "", letters_made)) == "11pt"
    large = _letter(client, world, name, "?print=large", letters_made)
    assert _body_size(large) == "16pt"
    assert "sans-serif" in large and "text-align: left" in large


@pytest.mark.parametrize("name", LETTERS)
def test_every_letter_with_easy_read_first_on_request(
    client: Any, world: Council, letters_made: list[str], name: str
) -> None:
    world.holder_person.needs_large_print = world.holder_person.needs_easy_read = False
    world.holder_person.save()
    assert "<h2>In short</h2>" not in _letter(client, world, name, "", letters_made)
    easy = _letter(client, world, name, "?version=easy-read", letters_made)
    text = re.sub(r"<[^>]+>", "", easy)
    assert "In short" in text
    # The easy-read part comes before the letter it sums up.
    assert text.index("In short") < max(text.find("The full letter"), text.find("The full plan"))


def test_the_persons_needs_shape_the_letter_without_asking(
    client: Any, world: Council, letters_made: list[str]
) -> None:
    world.holder_person.needs_large_print = world.holder_person.needs_easy_read = True
    world.holder_person.save()
    html = _letter(client, world, "budgets:notice_letter", "", letters_made)
    assert _body_size(html) == "16pt" and "<h2>In short</h2>" in html


def test_the_stored_plan_stays_as_approved_when_another_format_is_asked_for(
    client: Any, world: Council, letters_made: list[str]
) -> None:
    """A large-print copy of the plan is made afresh and not kept: the stored PDF is still
    the one record of the version as approved."""
    from selfdirect.planning.models import PlanDocument

    before = PlanDocument.objects.count()
    _letter(client, world, "planning:pdf", "?print=large", letters_made)
    assert PlanDocument.objects.count() == before


def test_pages_offer_each_letter_in_large_print_and_easy_read(client: Any, world: Council) -> None:
    client.force_login(world.users[Role.HOLDER])
    for name, letter in (
        ("allocation:detail", "allocation:letter"),
        ("budgets:notice", "budgets:notice_letter"),
        ("planning:detail", "planning:pdf"),
    ):
        href = _address(letter, world, "own")
        # The approved plan's page is where its PDF is offered (the matrix's plan is a draft).
        url = (
            href.removesuffix("pdf/") if letter == "planning:pdf" else _address(name, world, "own")
        )
        page = client.get(url).content.decode()
        assert f'href="{href}?print=large"' in page, name
        assert f'href="{href}?version=easy-read"' in page, name
