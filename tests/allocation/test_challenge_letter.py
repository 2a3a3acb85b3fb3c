"""The letter with the decision on a request to look again: the outcome in words, the
reasons, what changes in figures that are the recorded decision's, and the next step
(the council's complaints procedure, then the Ombudsman); easy read and large print."""

from __future__ import annotations

import re
from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.allocation.models import AmountDecision
from selfdirect.audit.models import Event
from selfdirect.money import pounds
from tests.allocation.test_amount_decision import _challenged, _decide

pytestmark = pytest.mark.django_db


def _letter_html(client: Any, monkeypatch: Any, challenge_id: int) -> str:
    """The HTML the view turns into the PDF (the PDF itself is checked to be one)."""
    from selfdirect.allocation import views

    made: list[str] = []
    real = views.pdf_from_html

    def capture(html: str, base_url: str | None = None) -> bytes:
        made.append(html)
        return real(html, base_url=base_url)

    monkeypatch.setattr(views, "pdf_from_html", capture)
    response = client.get(f"/budgets/challenges/{challenge_id}/letter.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    return made[0]


def test_the_upheld_letter_gives_the_recorded_figures_and_the_next_step(
    client: Any, council: Any, monkeypatch: Any
) -> None:
    challenge = _challenged(council)
    _decide(council, challenge, outcome="partly", new_weekly_pence=11050)
    change = AmountDecision.objects.get()
    client.force_login(council.users[Role.HOLDER])
    html = _letter_html(client, monkeypatch, challenge.pk)
    assert "your request is partly upheld" in html
    assert "though not to the £150.00 a week you asked for" in html
    assert "Night-time needs were missed." in html
    for pence in (
        change.previous_weekly_pence,
        change.previous_annual_pence,
        change.new_weekly_pence,
        change.new_annual_pence,
    ):
        assert f"<td>{pounds(pence)}</td>" in html
    assert (pounds(change.new_weekly_pence), pounds(change.new_annual_pence)) == (
        "£110.50",
        "£5,746.00",
    )
    assert f"from {change.effective_from:%-d %B %Y}" in html
    assert "complaints procedure" in html
    assert "Local Government and Social Care Ombudsman" in html
    assert "www.lgo.org.uk" in html and "within 12 months" in html
    assert "In short" not in html and "font-size: 11pt" in html
    # The look is audited, for Ada.
    assert Event.objects.filter(
        action="view",
        object_type="challenge",
        object_id=challenge.pk,
        person_id=challenge.allocation.person_id,
        summary__contains="letter PDF",
    ).exists()


def test_the_not_upheld_letter_says_the_amount_stays(
    client: Any, council: Any, monkeypatch: Any
) -> None:
    challenge = _challenged(council)
    _decide(council, challenge, outcome="not_upheld", reason="The amount meets the needs.")
    client.force_login(council.users[Role.MANAGER])
    html = _letter_html(client, monkeypatch, challenge.pk)
    assert "your request is not upheld" in html
    assert "your personal budget stays at £74.00 a week (£3,848.00 a year)" in html
    assert "<table>" not in html and "www.lgo.org.uk" in html


def test_easy_read_comes_first_and_large_print_is_16pt(
    client: Any, council: Any, monkeypatch: Any
) -> None:
    challenge = _challenged(council)
    _decide(council, challenge, new_weekly_pence=9000)
    person = council.holder_person
    person.needs_easy_read = person.needs_large_print = True
    person.named_worker = council.users[Role.PRACTITIONER]
    person.save()
    client.force_login(council.users[Role.HOLDER])
    html = _letter_html(client, monkeypatch, challenge.pk)
    assert "font-size: 16pt" in html
    text = re.sub(r"<[^>]+>", "", html)
    short, full = text.index("In short"), text.index("The full letter")
    assert short < text.index("Your budget is now £90.00 every week") < full
    assert full < text.index("Our reasons")
    worker = council.users[Role.PRACTITIONER]
    assert f"Your named worker is {worker.get_full_name() or worker.username}" in html


def test_a_request_not_yet_decided_has_no_letter(client: Any, council: Any) -> None:
    challenge = _challenged(council)
    client.force_login(council.users[Role.HOLDER])
    assert client.get(f"/budgets/challenges/{challenge.pk}/letter.pdf").status_code == 404


def test_the_letter_is_linked_from_the_budget_and_the_portal(client: Any, council: Any) -> None:
    challenge = _challenged(council)
    _decide(council, challenge, new_weekly_pence=9000)
    url = f"/budgets/challenges/{challenge.pk}/letter.pdf"
    client.force_login(council.users[Role.HOLDER])
    assert url in client.get(f"/budgets/{challenge.allocation_id}/").content.decode()
    home = client.get("/home/").content.decode()
    assert url in home and "Decisions on your requests to look again" in home
    assert "Your personal budget: £90.00 a week" in home
