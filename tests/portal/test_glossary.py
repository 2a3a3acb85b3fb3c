"""No staff jargon or internal code on the pages people read (issue 13, "Words and formats
that fit the person"; holders-experience REQ on plain information): every page a holder,
a representative, a carer or a provider can reach, as the access matrix lists them, and
each of their forms shown again with its errors, is read for the terms of
docs/glossary.md."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from tests.access.test_matrix import MATRIX, _address, expected, relations_of, world
from tests.conftest import Council

pytestmark = pytest.mark.django_db

__all__ = ["world"]  # the access matrix's council and records, built once for this module

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"
PEOPLE = (Role.HOLDER, Role.REPRESENTATIVE, Role.CARER, Role.PROVIDER)


def glossary_terms(text: str) -> list[tuple[str, re.Pattern[str]]]:
    """(term, pattern) for each row of the glossary's table under "## Terms"."""
    terms = []
    table = text.split("## Terms", 1)[1]
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or cells[0] in ("Not on people's pages", "---"):
            continue
        term = cells[0]
        if len(term) > 2 and term.startswith("/") and term.endswith("/"):
            pattern = term[1:-1]
        else:
            pattern = r"(?<!\w)" + re.escape(term) + r"(?!\w)"
        terms.append((term, re.compile(pattern, re.IGNORECASE)))
    return terms


class _Text(HTMLParser):
    """The text a person reads or hears: every text node but scripts' and styles', and the
    names a file format requires, set apart in ``<code>`` (a CSV's column headings)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style", "code"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "code") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def jargon_in(text: str, terms: list[tuple[str, re.Pattern[str]]]) -> list[str]:
    found = []
    for term, pattern in terms:
        match = pattern.search(text)
        if match:
            start = max(0, match.start() - 40)
            found.append(f"{term!r} in “…{text[start : match.end() + 40]}…”")
    return found


def _pages(role: Role) -> list[tuple[str, str]]:
    return [
        (name, relation)
        for name, route in MATRIX.items()
        if route.method in ("page", "form")
        for relation in relations_of(route)
        if expected(route.expect, relation, str(role)) == 200
    ]


def test_the_glossary_is_read() -> None:
    """The table parses: the terms the issue names are in it, and they match."""
    terms = glossary_terms(GLOSSARY.read_text())
    assert len(terms) >= 15
    for text in (
        "A week, by funding stream",
        "Return any surplus to the funder at each statement",
        "Viewed: Record (command)",
        "Version 3 (" + "ab12" * 16 + ")",
        "Held as direct_payment",
        "The RAS worked it out",
    ):
        assert jargon_in(text, terms), text
    for text in ("A week, by where the money comes from", "Phrase", "Version 3", "None of these"):
        assert not jargon_in(text, terms), text


@pytest.mark.parametrize("role", PEOPLE, ids=str)
def test_no_staff_words_on_the_pages_people_read(client: Any, world: Council, role: Role) -> None:
    terms = glossary_terms(GLOSSARY.read_text())
    # The record's history holds a document's content hash, as making a plan's PDF does.
    event_record(
        actor=None,
        action=Action.CREATE,
        object_type="plan_document",
        object_id=1,
        person_id=world.holder_person.pk,
        summary="Made the PDF of support plan version 1",
        changes={"SHA-256": [None, "d44b3c39" * 8]},
    )
    client.force_login(world.users[role])
    found = []
    pages = _pages(role)
    assert len(pages) > 5
    for name, relation in pages:
        url = _address(name, world, relation)
        methods = ["get", "post"] if MATRIX[name].method == "form" else ["get"]
        for method in methods:
            with transaction.atomic():
                response = client.get(url) if method == "get" else client.post(url, {})
                transaction.set_rollback(True)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            text = visible_text(response.content.decode())
            found += [f"{name} ({method.upper()} {url}): {f}" for f in jargon_in(text, terms)]
    assert not found, "Staff words on people's pages (docs/glossary.md):\n" + "\n".join(found)
