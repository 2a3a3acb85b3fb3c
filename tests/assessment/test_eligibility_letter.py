"""The eligibility decision letter: eligible or not, each condition met or not in the
Regulations' words (never a code or an outcome's letter), the reasons, what happens next,
the named worker; easy read first and large print where the person needs them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.assessment import eligibility
from selfdirect.assessment.models import EligibilityDecision
from selfdirect.audit.models import Event
from tests.allocation.test_allocations import _agree

pytestmark = pytest.mark.django_db

# A criteria code, or an outcome's letter in brackets such as "(A)" or "(CB)".
CODES = re.compile(r"care-act-2015|\((?:[A-J]|C[A-H])\)")


def _letter_html(client: Any, monkeypatch: Any, assessment_id: int) -> str:
    from selfdirect.assessment import views

    made: list[str] = []
    real = views.pdf_from_html

    def capture(html: str, base_url: str | None = None) -> bytes:
        made.append(html)
        return real(html, base_url=base_url)

    monkeypatch.setattr(views, "pdf_from_html", capture)
    response = client.get(f"/assessments/{assessment_id}/eligibility/letter.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    return made[0]


def test_an_eligible_letter_names_each_condition_and_outcome_in_words(
    client: Any, council: Any, monkeypatch: Any
) -> None:
    assessment = _agree(council)
    client.force_login(council.users[Role.HOLDER])
    html = _letter_html(client, monkeypatch, assessment.pk)
    assert "<strong>Your needs are eligible.</strong>" in html
    assert (
        "the Care and Support (Eligibility Criteria) Regulations 2015, regulation 2 (adults)"
        in html
    )
    assert html.count("<strong>Met.</strong>") == 3 and "Not met" not in html
    assert "Managing and maintaining nutrition: cannot achieve it without help" in html
    assert "Maintaining personal hygiene: cannot achieve it without help" in html
    assert "work out your indicative personal budget" in html
    assert "www.lgo.org.uk" in html
    assert not CODES.search(html), CODES.search(html)
    assert Event.objects.filter(
        action="view", object_type="assessment", object_id=assessment.pk, summary__contains="letter"
    ).exists()


def test_a_not_eligible_letter_gives_advice_the_right_to_ask_again_and_to_complain(
    client: Any, council: Any, monkeypatch: Any
) -> None:
    assessment = _agree(council, eligible=False)
    client.force_login(council.users[Role.PRACTITIONER])
    html = _letter_html(client, monkeypatch, assessment.pk)
    assert "<strong>Your needs are not eligible</strong>" in html
    assert html.count("<strong>Not met.</strong>") == 1
    assert "information and advice" in html
    assert "you can ask us to assess you again at any time" in html
    assert "complaints procedure" in html and "Local Government and Social Care Ombudsman" in html
    assert "Unable to achieve 0 of the specified outcomes; at least 2 are needed." in html
    assert not CODES.search(html)


def test_reasons_stored_with_an_outcomes_letter_are_shown_without_it(
    client: Any, council: Any, monkeypatch: Any
) -> None:
    assessment = _agree(council)
    EligibilityDecision.objects.filter(assessment=assessment).update(
        reasons=["Unable to achieve managing and maintaining nutrition (A): cannot achieve it."]
    )
    client.force_login(council.users[Role.PRACTITIONER])
    html = _letter_html(client, monkeypatch, assessment.pk)
    assert "Unable to achieve managing and maintaining nutrition: cannot achieve it." in html
    assert not CODES.search(html)


def test_easy_read_first_large_print_and_the_named_worker(
    client: Any, council: Any, monkeypatch: Any
) -> None:
    assessment = _agree(council)
    person = council.holder_person
    person.needs_easy_read = person.needs_large_print = True
    person.named_worker = council.users[Role.PRACTITIONER]
    person.save()
    client.force_login(council.users[Role.HOLDER])
    html = _letter_html(client, monkeypatch, assessment.pk)
    assert "font-size: 16pt" in html
    text = re.sub(r"<[^>]+>", "", html)
    assert (
        text.index("In short")
        < text.index("You can get care and support from the council.")
        < text.index("The full letter")
        < text.index("How we decided")
    )
    worker = council.users[Role.PRACTITIONER]
    assert f"Your named worker is {worker.get_full_name() or worker.username}" in html


def test_carers_conditions_are_the_carers_own() -> None:
    findings = {
        "needs_from_condition": True,
        "unable": {"CB": ["without_assistance"]},
        "significant_impact_on_wellbeing": False,
        "carer_health_deteriorating": False,
    }
    conditions = eligibility.conditions_in_words("care-act-2015-carer", findings)
    assert [c.met for c in conditions] == [True, True, False]
    assert conditions[0].words == "The needs arise from providing necessary care to an adult"
    assert conditions[1].detail == (
        "Providing care to other people they care for: cannot achieve it without help",
    )


def test_no_decision_no_letter_and_links_where_there_is_one(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.HOLDER])
    assessment = council.holder_assessment
    url = f"/assessments/{assessment.pk}/eligibility/letter.pdf"
    assert client.get(url).status_code == 404
    _agree(council)
    assert url in client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert url in client.get("/home/").content.decode()
