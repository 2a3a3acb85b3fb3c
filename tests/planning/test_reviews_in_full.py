"""Statutory reviews worth the name (issue 11): how it was held, who took part, the person's
and the carer's views in their words, each outcome met / partly / not with a comment, the
changes and the next review; read back in full to staff and to the person. A review that
changes the personal budget starts the new plan version it implies, and the notice of the
reduction carries that version's figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client, RequestFactory

from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.budgets import notices
from selfdirect.budgets.notice_views import letter_html
from selfdirect.planning import figures, services
from selfdirect.planning.models import Review, SupportPlan
from tests.planning.test_budget_figures import _text
from tests.planning.test_plans import _approved_plan

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _review(plan: SupportPlan) -> Review:
    return plan.reviews.get(kind="light_touch")


def _full(plan: SupportPlan, **overrides: Any) -> dict[str, Any]:
    outcome = plan.outcomes.get()
    values: dict[str, Any] = {
        "outcomes_met": {str(outcome.pk): "partly"},
        "outcome_comments": {str(outcome.pk): "I go to the shops once a week, not twice"},
        "changes": "A second PA for Saturdays",
        "reassessment_needed": False,
        "completed_on": TODAY,
        "method": "in_person",
        "attendees": [
            services.Attendee("Ada Holder", "the person"),
            services.Attendee("Carl Carer", "her husband and carer"),
        ],
        "person_views": "I like Sam but I want to go out more.",
        "carer_views": "I can't do the Saturday shopping any more.",
        "next_review_on": TODAY + dt.timedelta(days=365),
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    ("case", "overrides", "field", "message"),
    [
        ("no method", {"method": ""}, "method", services.METHOD_NEEDED),
        ("nobody took part", {"attendees": []}, "attendees", services.ATTENDEES_NEEDED),
        (
            "a name without a role",
            {"attendees": [services.Attendee("Ada Holder", "")]},
            "attendees",
            services.ATTENDEE_INCOMPLETE,
        ),
        ("no views", {"person_views": " "}, "person_views", services.PERSON_VIEWS_NEEDED),
        ("an outcome unanswered", {"outcomes_met": {}}, "outcomes", services.OUTCOMES_NEEDED),
        ("no next review", {"next_review_on": None}, "next_review_on", services.NEXT_REVIEW_NEEDED),
        (
            "next review in the past",
            {"next_review_on": TODAY},
            "next_review_on",
            services.NEXT_REVIEW_AFTER,
        ),
        (
            "a new budget without a reason",
            {"new_budget_weekly_pence": 3000},
            "budget_change_reason",
            services.BUDGET_REASON_NEEDED,
        ),
    ],
)
def test_a_review_missing_what_it_needs_is_refused_by_name(
    council: Any, case: str, overrides: dict[str, Any], field: str, message: str
) -> None:
    plan = _approved_plan(council)
    review = _review(plan)
    with pytest.raises(services.PlanError) as refused:
        services.review_complete(
            actor=council.users[Role.PRACTITIONER], review=review, **_full(plan, **overrides)
        )
    assert (str(refused.value), refused.value.field) == (message, field)
    review.refresh_from_db()
    assert review.status == "due" and not SupportPlan.objects.filter(previous=plan).exists()


def test_a_review_is_recorded_in_full_and_read_back_to_staff_and_the_person(
    council: Any,
) -> None:
    plan = _approved_plan(council)
    review = _review(plan)
    services.review_complete(actor=council.users[Role.PRACTITIONER], review=review, **_full(plan))
    review.refresh_from_db()
    assert review.attendees == [
        {"name": "Ada Holder", "role": "the person"},
        {"name": "Carl Carer", "role": "her husband and carer"},
    ]
    event = Event.objects.filter(object_type="review").latest("id")
    assert event.changes["Held"] == [None, "In person"]
    assert event.changes["Who took part"] == [
        None,
        "Ada Holder (the person); Carl Carer (her husband and carer)",
    ]
    for role in (Role.PRACTITIONER, Role.HOLDER, Role.REPRESENTATIVE):
        client = Client()
        client.force_login(council.users[role])
        page = _text(client.get(f"/plans/reviews/{review.pk}/recorded/").content.decode())
        for text in (
            "How it was held In person",
            "Ada Holder (the person)",
            "Carl Carer (her husband and carer)",
            "I like Sam but I want to go out more.",
            "The carer's views I can't do the Saturday shopping any more.",
            "“Get out to the shops” Partly met I go to the shops once a week, not twice",
            "Changes needed A second PA for Saturdays",
            f"Next review {TODAY + dt.timedelta(days=365):%-d %B %Y}",
        ):
            assert text in page, (role, text)
    # The API says the same.
    from selfdirect.access.tokens import api_token_create

    token = api_token_create(actor=None, user=council.users[Role.HOLDER], name="tests")
    api = Client().get(f"/api/v1/plans/{plan.pk}/reviews", HTTP_AUTHORIZATION=f"Bearer {token}")
    recorded = next(r for r in api.json() if r["id"] == review.pk)
    assert (recorded["method"], recorded["person_views"], recorded["attendees"][1]["role"]) == (
        "in_person",
        "I like Sam but I want to go out more.",
        "her husband and carer",
    )
    # The person finds it from their plan.
    client = Client()
    client.force_login(council.users[Role.HOLDER])
    assert (
        f"/plans/reviews/{review.pk}/recorded/" in client.get(f"/plans/{plan.pk}/").content.decode()
    )


def test_the_review_form_records_everything_and_defaults_the_next_review(council: Any) -> None:
    plan = _approved_plan(council)
    review = _review(plan)
    outcome = plan.outcomes.get()
    client = Client()
    client.force_login(council.users[Role.PRACTITIONER])
    form = client.get(f"/plans/reviews/{review.pk}/").content.decode()
    default = services.next_review_default(TODAY)
    assert f'name="next_review_on_year" type="text" value="{default.year}"' in form or (
        f'value="{default.year}"' in form
    )
    empty = client.post(f"/plans/reviews/{review.pk}/", {}).content.decode()
    assert "Select how the review was held" in empty
    assert "Enter the person&#x27;s views, in their own words" in empty
    response = client.post(
        f"/plans/reviews/{review.pk}/",
        {
            "method": "video",
            "attendees": "Ada Holder, the person\nRita Rep, her daughter and representative",
            "person_views": "Going well.",
            f"outcome_{outcome.pk}": "met",
            f"outcome_comment_{outcome.pk}": "Every week",
            "completed_on_day": TODAY.day,
            "completed_on_month": TODAY.month,
            "completed_on_year": TODAY.year,
            "next_review_on_day": default.day,
            "next_review_on_month": default.month,
            "next_review_on_year": default.year,
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.method, review.next_review_on, review.outcome_comments) == (
        "video",
        default,
        {str(outcome.pk): "Every week"},
    )
    assert review.attendees[1] == {"name": "Rita Rep", "role": "her daughter and representative"}


def test_a_review_that_reduces_the_budget_starts_the_version_and_the_letter_is_its_figures(
    council: Any,
) -> None:
    plan = _approved_plan(council)  # £45.00 a week against a £74.00 personal budget
    practitioner = council.users[Role.PRACTITIONER]
    review = _review(plan)
    services.review_complete(
        actor=practitioner,
        review=review,
        **_full(
            plan,
            new_budget_weekly_pence=3000,
            budget_change_reason="Ada now goes to the day centre, paid by the NHS.",
        ),
    )
    revised = SupportPlan.objects.get(previous=plan)
    assert (revised.status, revised.budget_weekly_pence, revised.from_review) == (
        "draft",
        3000,
        review,
    )
    assert revised.lines.count() == plan.lines.count()  # everything carried over
    # The version cannot be sent for sign-off until its cost fits the new budget.
    with pytest.raises(services.PlanError) as refused:
        services.plan_submit(actor=practitioner, plan=revised, variance_reason="Because")
    assert str(refused.value) == services.MUST_FIT_NEW_BUDGET.format(budget="£30.00")
    line = revised.lines.get()
    services.line_edit(
        actor=practitioner,
        line=line,
        fields={"quantity_hundredths": 200},
        seen=services.edit_fingerprint(line),
    )
    version_figures = figures.budget_figures(person=plan.person, on=TODAY, plan=revised)
    assert (
        version_figures.personal_budget_weekly_pence,
        version_figures.plan_cost_weekly_pence,
    ) == (
        3000,
        3000,
    )
    # The notice of the reduction is tied to the version, at the version's plan cost.
    with pytest.raises(notices.NoticeError) as wrong:
        notices.change_notice_give(
            actor=practitioner,
            plan=plan,
            review=review,
            change="reduce",
            applies_to="budget",
            new_weekly_pence=2500,
            reasons="The review found less is needed.",
            takes_effect_on=TODAY + dt.timedelta(days=notices.notice_days() + 1),
        )
    assert str(wrong.value) == notices.NEW_AMOUNT_IS_VERSIONS.format(
        version=revised.version, cost="£30.00"
    )
    notice = notices.change_notice_give(
        actor=practitioner,
        plan=plan,
        review=review,
        change="reduce",
        applies_to="budget",
        new_weekly_pence=None,
        reasons="The review found less is needed.",
        takes_effect_on=TODAY + dt.timedelta(days=notices.notice_days() + 1),
    )
    assert (notice.new_plan, notice.new_weekly_pence) == (revised, 3000)
    request = RequestFactory().get("/")
    request.user = council.users[Role.HOLDER]
    letter = _text(letter_html(request, notice))
    # Each of the four figures: the version in force until the change, and the new version.
    assert "Personal budget £74.00 a week £30.00 a week" in letter
    assert "Plan cost £45.00 a week £30.00 a week" in letter
    assert f"those of version {revised.version} of your support plan" in letter
    # While the notice stands, the version's figures cannot drift from the letter's.
    line = revised.lines.get()
    with pytest.raises(services.PlanError, match=notices.VERSION_TIED_TO_NOTICE):
        services.line_edit(
            actor=practitioner,
            line=line,
            fields={"quantity_hundredths": 100},
            seen=services.edit_fingerprint(line),
        )
    notices.change_notice_withdraw(actor=practitioner, notice=notice)
    services.line_edit(
        actor=practitioner,
        line=line,
        fields={"quantity_hundredths": 100},
        seen=services.edit_fingerprint(line),
    )


def test_a_version_approved_during_its_notice_starts_when_the_notice_takes_effect(
    council: Any,
) -> None:
    """Approving the new version the day the notice was given brought the reduction in at
    once: the budget page read the new figures while the letter promised the old ones
    until the notice took effect (found by the casework journey, issue 11)."""
    plan = _approved_plan(council)  # £45.00 a week against a £74.00 personal budget
    practitioner = council.users[Role.PRACTITIONER]
    review = _review(plan)
    services.review_complete(
        actor=practitioner,
        review=review,
        **_full(plan, new_budget_weekly_pence=3000, budget_change_reason="Less is needed."),
    )
    revised = SupportPlan.objects.get(previous=plan)
    line = revised.lines.get()
    services.line_edit(
        actor=practitioner,
        line=line,
        fields={"quantity_hundredths": 200},
        seen=services.edit_fingerprint(line),
    )
    takes_effect = TODAY + dt.timedelta(days=notices.notice_days() + 1)
    notices.change_notice_give(
        actor=practitioner,
        plan=plan,
        review=review,
        change="reduce",
        applies_to="budget",
        new_weekly_pence=None,
        reasons="The review found less is needed.",
        takes_effect_on=takes_effect,
    )
    revised.refresh_from_db()
    assert revised.starts_on == takes_effect
    assert Event.objects.filter(
        object_type="support_plan", object_id=revised.pk, summary__contains="starts on"
    ).exists()
    services.plan_submit(actor=practitioner, plan=revised)
    services.plan_approve(actor=council.users[Role.MANAGER], plan=revised)

    def four(on: dt.date) -> tuple[int | None, int | None]:
        got = figures.budget_figures(person=plan.person, on=on)
        return got.personal_budget_weekly_pence, got.plan_cost_weekly_pence

    assert four(TODAY) == (7400, 4500)  # the letter's "until" column
    assert four(takes_effect - dt.timedelta(days=1)) == (7400, 4500)
    assert four(takes_effect) == (3000, 3000)  # its "from" column
    client = Client()
    client.force_login(practitioner)
    budget_page = _text(client.get(f"/budgets/{plan.allocation_id}/").content.decode())
    assert "Personal budget £74.00 a week Plan cost £45.00 a week" in budget_page
    # A version already approved keeps its start date.
    with pytest.raises(services.PlanError, match=services.START_FIXED):
        services.plan_start_defer(
            actor=practitioner, plan=revised, starts_on=takes_effect, why="a test"
        )


def test_a_notice_given_from_the_plan_page_is_tied_to_the_reviews_version(
    council: Any,
) -> None:
    """ "Give notice" on the plan's own page (no review in the link) made a notice with a
    typed amount, not tied to the version the review started: the letter lacked the
    version's figures and the version could still change (the casework journey)."""
    plan = _approved_plan(council)
    practitioner = council.users[Role.PRACTITIONER]
    review = _review(plan)
    services.review_complete(
        actor=practitioner,
        review=review,
        **_full(plan, new_budget_weekly_pence=3000, budget_change_reason="Less is needed."),
    )
    revised = SupportPlan.objects.get(previous=plan)
    line = revised.lines.get()
    services.line_edit(
        actor=practitioner,
        line=line,
        fields={"quantity_hundredths": 200},
        seen=services.edit_fingerprint(line),
    )
    client = Client()
    client.force_login(practitioner)
    form = _text(client.get(f"/holding/plans/{plan.pk}/notices/new/").content.decode())
    assert f"The review started version {revised.version} of the plan" in form
    notice = notices.change_notice_give(
        actor=practitioner,
        plan=plan,
        change="reduce",
        applies_to="budget",
        new_weekly_pence=None,
        reasons="The review found less is needed.",
        takes_effect_on=TODAY + dt.timedelta(days=notices.notice_days() + 1),
    )
    assert (notice.new_plan, notice.review, notice.new_weekly_pence) == (revised, review, 3000)
    with pytest.raises(services.PlanError, match=notices.VERSION_TIED_TO_NOTICE):
        services.line_edit(
            actor=practitioner,
            line=line,
            fields={"quantity_hundredths": 100},
            seen=services.edit_fingerprint(line),
        )
