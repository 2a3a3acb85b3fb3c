"""Carers count (issue 13; practice-and-experience: carers' own needs and involvement in the
plan, Care Act s10; holders-experience: "my carer can no longer help").

A carer whom the person consents to share their record with reads the person's plan (with
its contingency) and reviews and asks for a review, recorded as asked by the carer; a carer
opens their own carer's budget and plan; a carer who says they cannot carry on caring is
told what happens next, and their worker is given urgent work; information for carers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from selfdirect.access.models import WorkItem
from selfdirect.access.roles import Role
from selfdirect.assessment.models import Assessment, Questionnaire
from selfdirect.assessment.services import (
    CARER_BREAKDOWN_TASK_KIND,
    answer_record,
    assessment_start,
    assessment_submit,
    unanswered_sections,
)
from selfdirect.audit.models import Action, Event
from selfdirect.people.models import Relationship
from selfdirect.planning.models import Review, SupportPlan
from selfdirect.working_days import add_working_days
from tests.access.records import _allocation, records_build

pytestmark = pytest.mark.django_db


def _carer(council: Any) -> Any:
    return council.users[Role.CARER]


def _approved_plan(council: Any) -> SupportPlan:
    plan: SupportPlan = records_build(council)["own"].approved
    SupportPlan.objects.filter(pk=plan.pk).update(
        contingency="If Carl is ill, Acme Care sends a worker for the evening visit."
    )
    return plan


def test_consented_carer_reads_the_plan_with_its_contingency(client: Any, council: Any) -> None:
    """Issue 13 "Carers count": the carer sees the plan and its contingency (REQ carers)."""
    plan = _approved_plan(council)
    client.force_login(_carer(council))
    page = client.get(reverse("planning:detail", args=[plan.pk])).content.decode()
    assert "If Carl is ill, Acme Care sends a worker for the evening visit." in page
    assert "Ask for a review" in page
    assert Event.objects.filter(
        actor=_carer(council), action=Action.VIEW, person_id=council.holder_person.pk
    ).exists()


def test_carer_asks_for_a_review_recorded_as_asked_by_the_carer(client: Any, council: Any) -> None:
    """Review requests show who asked (holder, representative, carer), not staff categories."""
    plan = _approved_plan(council)
    client.force_login(_carer(council))
    response = client.post(
        reverse("planning:review_request", args=[plan.pk]),
        {
            "asked_reason": "carer_cannot_help",
            "reason": "I have been unwell and cannot help in the evenings",
        },
    )
    assert response.status_code == 302
    review = Review.objects.get(plan=plan, kind="change")
    assert review.asked_by == _carer(council) and review.asked_as == Review.AskedAs.CARER
    event = Event.objects.get(object_type="review", object_id=str(review.pk))
    assert event.actor == _carer(council)
    assert event.changes["Asked by"] == [None, "their carer"]
    page = client.get(reverse("planning:detail", args=[plan.pk])).content.decode()
    assert "(asked for by their carer: “I can no longer help as I did”)" in page


def test_holder_asking_is_recorded_as_the_person(client: Any, council: Any) -> None:
    plan = _approved_plan(council)
    client.force_login(council.users[Role.HOLDER])
    client.post(
        reverse("planning:review_request", args=[plan.pk]),
        {"asked_reason": "not_working", "reason": "The visits are too early"},
    )
    assert Review.objects.get(plan=plan, kind="requested").asked_as == Review.AskedAs.PERSON


def test_carer_without_consent_cannot_see_the_plan(client: Any, council: Any) -> None:
    plan = _approved_plan(council)
    Relationship.objects.filter(person=council.holder_person).update(can_see_record=False)
    client.force_login(_carer(council))
    assert client.get(reverse("planning:detail", args=[plan.pk])).status_code == 404
    response = client.post(
        reverse("planning:review_request", args=[plan.pk]),
        {"asked_reason": "needs_changed", "reason": "Anything"},
    )
    assert response.status_code == 404
    assert not Review.objects.filter(plan=plan, kind="change").exists()
    assert Event.objects.filter(actor=_carer(council), action=Action.DENIED).exists()


def _carers_assessment(council: Any) -> Assessment:
    return assessment_start(
        actor=_carer(council),
        person=_carer(council).profile.person,
        questionnaire=Questionnaire.objects.get(code="carers-assessment"),
        mode="self",
        cared_for=council.holder_person,
    )


def test_carer_opens_their_own_budget_and_plan_but_not_the_persons_budget(
    client: Any, council: Any
) -> None:
    """Issue 13: "the carer's own budget cannot be opened"."""
    own_budget = _allocation(council, _carers_assessment(council))
    r = records_build(council)["own"]
    own_plan = SupportPlan.objects.create(
        person=own_budget.person,
        allocation=own_budget,
        led_by="person",
        starts_on=dt.date(2026, 1, 1),
        created_by=council.users[Role.PRACTITIONER],
    )
    client.force_login(_carer(council))
    assert client.get(reverse("allocation:detail", args=[own_budget.pk])).status_code == 200
    assert client.get(reverse("planning:detail", args=[own_plan.pk])).status_code == 200
    # Ada's budget stays hers: not found, and the attempt recorded.
    assert client.get(reverse("allocation:detail", args=[r.allocation.pk])).status_code == 404
    home = client.get(reverse("home")).content.decode()
    assert reverse("allocation:detail", args=[own_budget.pk]) in home


def _answer_all(council: Any, assessment: Assessment, carry_on: str) -> None:
    for section_id in unanswered_sections(assessment, "person"):
        section = assessment.version.parsed.section(section_id)
        option = carry_on if section_id == "willing" else section.options[0].id
        answer_record(
            actor=_carer(council),
            assessment=assessment,
            section_id=section_id,
            option_id=option,
            view="person",
        )


def test_cannot_carry_on_caring_says_what_happens_next(client: Any, council: Any) -> None:
    """Issue 13: "A carer who answers 'cannot carry on caring' sees what happens next"."""
    assessment = _carers_assessment(council)
    _answer_all(council, assessment, carry_on="no")
    assessment_submit(actor=_carer(council), assessment=assessment)
    assessment.refresh_from_db()
    contact_by = add_working_days(assessment.submitted_at.date(), 2)
    work = WorkItem.objects.get(kind=CARER_BREAKDOWN_TASK_KIND)
    assert work.person == council.holder_person and work.team == council.team_a
    assert work.due_date == contact_by and "cannot carry on caring" in work.title
    client.force_login(_carer(council))
    for name in ("assessment:submitted", "assessment:detail"):
        page = client.get(reverse(name, args=[assessment.pk])).content.decode()
        assert "What happens next because you cannot carry on caring" in page
        assert f"contact you by {contact_by:%-d %B %Y}" in page
    # The team sees it on the answers too.
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get(reverse("assessment:detail", args=[assessment.pk])).content.decode()
    assert "says they cannot carry on caring as they do now" in page


def test_a_carer_who_can_carry_on_gets_the_usual_next_steps(client: Any, council: Any) -> None:
    assessment = _carers_assessment(council)
    _answer_all(council, assessment, carry_on="yes")
    assessment_submit(actor=_carer(council), assessment=assessment)
    assert not WorkItem.objects.filter(kind=CARER_BREAKDOWN_TASK_KIND).exists()
    client.force_login(_carer(council))
    page = client.get(reverse("assessment:submitted", args=[assessment.pk])).content.decode()
    assert "cannot carry on caring" not in page and "What happens next" in page


def test_information_for_carers_is_open_to_all_and_linked_from_the_carers_home(
    client: Any, council: Any
) -> None:
    page = client.get(reverse("carers_information")).content.decode()
    for heading in (
        "A carer's assessment",
        "A carer's budget and plan",
        "Breaks from caring",
        "If you cannot carry on caring",
        "Who to call",
    ):
        assert heading in page
    client.force_login(_carer(council))
    assert reverse("carers_information") in client.get(reverse("home")).content.decode()
    client.force_login(council.users[Role.HOLDER])
    assert reverse("carers_information") not in client.get(reverse("home")).content.decode()


def test_information_for_carers_gives_the_councils_own_line(client: Any, settings: Any) -> None:
    """Issue 13: someone to talk to — the page names the council's line, not 'the team'."""
    settings.SELFDIRECT_COUNCIL_PHONE = "01632 960555"
    page = client.get(reverse("carers_information")).content.decode()
    assert "01632 960555" in page
