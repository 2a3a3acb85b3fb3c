"""Support plans: outcomes in the person's words, costed lines funded by streams whose rules
refuse what they may not pay for, totals against the budget, sign-off over budget."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from selfdirect.access.models import WorkItem
from selfdirect.access.roles import Role
from selfdirect.allocation import services as budgets
from selfdirect.planning import services, streams
from selfdirect.planning.models import PlanLine, SupportPlan
from tests.allocation.test_allocations import _agree

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _approved_budget(council: Any) -> Any:
    allocation = budgets.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )
    budgets.allocation_sign_off(
        actor=council.users[Role.MANAGER], allocation=allocation, decision="approve"
    )
    allocation.refresh_from_db()
    return allocation  # £74.00 a week


def test_stream_rules_refuse_with_the_reason() -> None:
    dfg = streams.rule_on("dfg", TODAY)
    assert streams.refusal(dfg, "adaptations") is None
    assert (
        streams.refusal(dfg, "personal_assistant")
        == "Disabled Facilities Grant cannot pay for personal assistant: it pays only for home adaptations"
    )
    with pytest.raises(LookupError):
        streams.rule_on("dfg", dt.date(2010, 1, 1))


def test_plan_lines_totals_and_sign_off(council: Any) -> None:
    practitioner, manager = council.users[Role.PRACTITIONER], council.users[Role.MANAGER]
    plan = services.plan_create(
        actor=practitioner,
        allocation=_approved_budget(council),
        led_by="person",
        kind="standard",
        starts_on=TODAY,
    )
    outcome = services.outcome_add(
        actor=practitioner,
        plan=plan,
        fields={"in_their_words": "I want to get to my lunch club on Tuesdays"},
    )
    base = {"outcome": outcome, "provider": None, "provided_by": "", "provisional": False}
    services.line_add(
        actor=practitioner,
        plan=plan,
        fields={
            **base,
            "description": "Personal assistant",
            "category": "personal_assistant",
            "unit": "hour",
            "unit_cost_pence": 1450,
            "quantity_hundredths": 350,
            "funding_stream": "adult_social_care",
        },
    )
    services.line_add(
        actor=practitioner,
        plan=plan,
        fields={
            **base,
            "description": "Taxi to lunch club",
            "category": "transport",
            "unit": "week",
            "unit_cost_pence": 1200,
            "quantity_hundredths": 100,
            "funding_stream": "adult_social_care",
        },
    )
    services.line_add(
        actor=practitioner,
        plan=plan,
        fields={
            **base,
            "description": "Grab rails",
            "category": "adaptations",
            "unit": "item",
            "unit_cost_pence": 8500,
            "quantity_hundredths": 200,
            "funding_stream": "dfg",
            "provisional": True,
        },
    )
    with pytest.raises(
        services.PlanError, match="Disabled Facilities Grant cannot pay for transport"
    ):
        services.line_add(
            actor=practitioner,
            plan=plan,
            fields={
                **base,
                "description": "Taxi",
                "category": "transport",
                "unit": "week",
                "unit_cost_pence": 100,
                "quantity_hundredths": 100,
                "funding_stream": "dfg",
            },
        )
    totals = services.plan_totals(plan)
    # 3.5 hours × £14.50 = £50.75; taxi £12.00; grab rails 2 × £85.00 once.
    assert (totals.weekly_pence, totals.one_off_pence, totals.budget_weekly_pence) == (
        6275,
        17000,
        7400,
    )
    assert totals.by_stream == {"adult_social_care": 6275, "dfg": 0}
    assert not totals.over_budget and totals.variance_pence == -1125
    services.line_add(
        actor=practitioner,
        plan=plan,
        fields={
            **base,
            "description": "Day centre",
            "category": "day_activity",
            "unit": "day",
            "unit_cost_pence": 4500,
            "quantity_hundredths": 100,
            "funding_stream": "adult_social_care",
        },
    )
    assert services.plan_totals(plan).over_budget
    services.plan_submit(actor=practitioner, plan=plan)
    with pytest.raises(services.PlanError, match=services.PLAN_CLOSED):
        services.outcome_add(actor=practitioner, plan=plan, fields={"in_their_words": "Too late"})
    with pytest.raises(services.PlanError, match=services.OVER_BUDGET_NEEDS_MANAGER):
        services.plan_approve(actor=practitioner, plan=plan)
    services.plan_approve(actor=manager, plan=plan)
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (SupportPlan.Status.APPROVED, manager)
    assert PlanLine.objects.filter(plan=plan).count() == 4


def test_fast_track_plan_needs_an_end_date_and_gets_a_task_before_it_lapses(council: Any) -> None:
    allocation = _approved_budget(council)
    practitioner = council.users[Role.PRACTITIONER]
    with pytest.raises(services.PlanError, match=services.END_DATE_NEEDED):
        services.plan_create(
            actor=practitioner,
            allocation=allocation,
            led_by="practitioner",
            kind="fast_track",
            starts_on=TODAY,
        )
    ends = TODAY + dt.timedelta(days=42)
    plan = services.plan_create(
        actor=practitioner,
        allocation=allocation,
        led_by="practitioner",
        kind="fast_track",
        starts_on=TODAY,
        ends_on=ends,
    )
    task = WorkItem.objects.get(kind="plan_lapse", person=plan.person)
    assert task.due_date == ends - dt.timedelta(days=14)
    second = services.plan_create(
        actor=practitioner, allocation=allocation, led_by="person", kind="standard", starts_on=ends
    )
    assert (plan.version, second.version) == (1, 2)


def test_plan_pages_journey(client: Any, council: Any) -> None:
    allocation = _approved_budget(council)
    client.force_login(council.users[Role.PRACTITIONER])
    assert "Start a support plan" in client.get(f"/budgets/{allocation.pk}/").content.decode()
    page = client.post(
        f"/plans/for-budget/{allocation.pk}/",
        {
            "kind": "temporary",
            "led_by": "person",
            "starts_on_day": "1",
            "starts_on_month": "1",
            "starts_on_year": "2026",
        },
    ).content.decode()
    assert services.END_DATE_NEEDED in page
    response = client.post(
        f"/plans/for-budget/{allocation.pk}/",
        {
            "kind": "standard",
            "led_by": "person",
            "starts_on_day": "1",
            "starts_on_month": "1",
            "starts_on_year": "2026",
            "contingency": "My neighbour can help if my PA is ill",
            "risks_to_person": "I may fall when I go out alone; I accept that",
        },
    )
    plan = SupportPlan.objects.get(allocation=allocation)
    assert response["Location"] == f"/plans/{plan.pk}/"
    client.post(
        f"/plans/{plan.pk}/outcomes/new/",
        {"in_their_words": "I want to see my grandchildren every week"},
    )
    refused = client.post(
        f"/plans/{plan.pk}/lines/new/",
        {
            "description": "PA",
            "category": "personal_assistant",
            "unit": "hour",
            "unit_cost": "14.50",
            "quantity": "3.5",
            "funding_stream": "dfg",
            "deployment": "direct_payment",
        },
    ).content.decode()
    assert "Disabled Facilities Grant cannot pay for personal assistant" in refused
    bad = client.post(
        f"/plans/{plan.pk}/lines/new/",
        {
            "description": "PA",
            "category": "personal_assistant",
            "unit": "hour",
            "unit_cost": "14.50",
            "quantity": "lots",
            "funding_stream": "adult_social_care",
            "deployment": "direct_payment",
        },
    ).content.decode()
    assert "Enter how many units as a number, like 7.5" in bad
    client.post(
        f"/plans/{plan.pk}/lines/new/",
        {
            "description": "PA",
            "category": "personal_assistant",
            "unit": "hour",
            "unit_cost": "14.50",
            "quantity": "3.5",
            "funding_stream": "adult_social_care",
            "deployment": "direct_payment",
        },
    )
    detail = client.get(f"/plans/{plan.pk}/").content.decode()
    assert (
        "“I want to see my grandchildren every week”" in detail
        and "£50.75 a week" in detail
        and "£23.25 a week under budget" in detail
    )
    assert (
        "My neighbour can help if my PA is ill" in detail
        and "I may fall when I go out alone" in detail
    )
    assert '<span class="govuk-body-s" data-held="direct_payment">Direct payment</span>' in detail
    client.post(f"/plans/{plan.pk}/submit/")
    client.post(f"/plans/{plan.pk}/approve/")
    plan.refresh_from_db()
    assert plan.status == "approved"  # within budget: the practitioner may approve
    client.force_login(council.users[Role.HOLDER])
    assert (
        "I want to see my grandchildren every week"
        in client.get(f"/plans/{plan.pk}/").content.decode()
    )
    client.force_login(council.users[Role.PROVIDER])
    assert client.get(f"/plans/{plan.pk}/").status_code == 403


def test_pro_rata_shares_the_week_by_days() -> None:
    monday = dt.date(2026, 11, 23)
    assert services.pro_rata(7000, monday) == (0, 7000)
    assert services.pro_rata(7000, monday + dt.timedelta(days=3)) == (3000, 4000)
    assert services.pro_rata(1000, monday + dt.timedelta(days=1)) == (143, 857)  # 142.86 rounds up


def test_switch_provider_mid_week_then_undo_within_notice(client: Any, council: Any) -> None:
    from tests.factories import ProviderFactory

    practitioner = council.users[Role.PRACTITIONER]
    plan = services.plan_create(
        actor=practitioner,
        allocation=_approved_budget(council),
        led_by="person",
        kind="standard",
        starts_on=TODAY,
    )
    line = services.line_add(
        actor=practitioner,
        plan=plan,
        fields={
            "description": "Home care",
            "category": "home_care_agency",
            "unit": "hour",
            "unit_cost_pence": 2000,
            "quantity_hundredths": 350,
            "funding_stream": "adult_social_care",
            "deployment": "council_commissioned",
            "provider": council.users[Role.PROVIDER].profile.provider,
            "provided_by": "",
            "outcome": None,
            "provisional": False,
        },
    )
    new_provider = ProviderFactory(name="Kindred Care")
    with pytest.raises(services.PlanError, match=services.SWITCH_NEEDS_APPROVED_PLAN):
        services.line_switch(
            actor=practitioner,
            line=line,
            effective_date=TODAY,
            deployment="isf",
            provider=new_provider,
            provided_by="",
            reasons=["NO_CONTINUITY"],
        )
    services.plan_submit(actor=practitioner, plan=plan)
    services.plan_approve(actor=practitioner, plan=plan)
    thursday = TODAY + dt.timedelta(days=(3 - TODAY.weekday()) % 7 or 7)
    with pytest.raises(services.PlanError, match=services.SWITCH_REASON_NEEDED):
        services.line_switch(
            actor=practitioner,
            line=line,
            effective_date=thursday,
            deployment="isf",
            provider=new_provider,
            provided_by="",
            reasons=[],
        )
    switch = services.line_switch(
        actor=practitioner,
        line=line,
        effective_date=thursday,
        deployment="isf",
        provider=new_provider,
        provided_by="",
        reasons=["NO_CONTINUITY", "RUSHED_VISITS"],
    )
    assert (switch.old_part_pence, switch.new_part_pence) == (
        3000,
        4000,
    )  # £70 a week: Mon-Wed old, Thu-Sun new
    assert (
        services.arrangement_on(line, thursday - dt.timedelta(days=1))[0] == "council_commissioned"
    )
    assert services.arrangement_on(line, thursday)[:2] == ("isf", new_provider)
    assert services.holding_mix(plan, thursday) == {"isf": 7000}
    client.force_login(practitioner)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Switching from" in page and "Kindred Care" in page
    client.post(f"/plans/{plan.pk}/switches/{switch.pk}/undo/")
    switch.refresh_from_db()
    assert switch.undone_at is not None
    assert services.arrangement_on(line, thursday)[0] == "council_commissioned"
    with pytest.raises(services.PlanError, match=services.UNDO_TOO_LATE):
        services.line_switch_undo(actor=practitioner, switch=switch)


def _approved_plan(council: Any, deployment: str = "direct_payment") -> SupportPlan:
    practitioner = council.users[Role.PRACTITIONER]
    plan = services.plan_create(
        actor=practitioner,
        allocation=_approved_budget(council),
        led_by="person",
        kind="standard",
        starts_on=TODAY,
    )
    services.outcome_add(
        actor=practitioner, plan=plan, fields={"in_their_words": "Get out to the shops"}
    )
    services.line_add(
        actor=practitioner,
        plan=plan,
        fields={
            "description": "Personal assistant",
            "category": "personal_assistant",
            "unit": "hour",
            "unit_cost_pence": 1500,
            "quantity_hundredths": 300,
            "funding_stream": "adult_social_care",
            "deployment": deployment,
            "provider": None,
            "provided_by": "Sam",
            "outcome": None,
            "provisional": False,
        },
    )
    services.plan_submit(actor=practitioner, plan=plan)
    services.plan_approve(actor=practitioner, plan=plan)
    return plan


def test_reviews_are_scheduled_on_statutory_timescales(council: Any) -> None:
    plan = _approved_plan(council, "direct_payment")
    due = {r.kind: r.due_date for r in plan.reviews.all()}
    assert due == {
        "light_touch": TODAY + dt.timedelta(days=56),
        "direct_payment": TODAY + dt.timedelta(days=182),
        "annual": TODAY + dt.timedelta(days=365),
    }


def test_no_direct_payment_no_direct_payment_review(council: Any) -> None:
    plan = _approved_plan(council, "council_commissioned")
    assert sorted(r.kind for r in plan.reviews.all()) == ["annual", "light_touch"]


def test_requested_review_safeguarding_and_recording(client: Any, council: Any) -> None:
    plan = _approved_plan(council)
    client.force_login(council.users[Role.HOLDER])
    empty = client.post(f"/plans/{plan.pk}/reviews/new/", {}).content.decode()
    assert "Select why a review is needed" in empty
    client.post(
        f"/plans/{plan.pk}/reviews/new/", {"kind": "safeguarding", "reason": "My PA shouted at me"}
    )
    review = plan.reviews.get(kind="safeguarding")
    assert review.due_date == TODAY + dt.timedelta(days=14)
    assert WorkItem.objects.filter(
        kind="safeguarding", person=plan.person, for_role=Role.MANAGER
    ).exists()
    client.force_login(council.users[Role.PRACTITIONER])
    queue = client.get("/plans/reviews/").content.decode()
    assert "Due this month" in queue or "Later" in queue
    assert "Safeguarding concern" in queue
    outcome = plan.outcomes.get()
    missing = client.post(
        f"/plans/reviews/{review.pk}/",
        {
            "completed_on_day": TODAY.day,
            "completed_on_month": TODAY.month,
            "completed_on_year": TODAY.year,
        },
    ).content.decode()
    assert "Say whether this outcome was met" in missing
    client.post(
        f"/plans/reviews/{review.pk}/",
        {
            f"outcome_{outcome.pk}": "partly",
            "changes": "New PA",
            "reassessment_needed": "on",
            "completed_on_day": TODAY.day,
            "completed_on_month": TODAY.month,
            "completed_on_year": TODAY.year,
        },
    )
    review.refresh_from_db()
    assert (review.status, review.outcomes_met, review.reassessment_needed) == (
        "done",
        {str(outcome.pk): "partly"},
        True,
    )
    assert WorkItem.objects.filter(kind="reassessment", person=plan.person).exists()
    home = client.get("/home/").content.decode()
    assert "reviews to do" in home or "review to do" in home


def test_overdue_reviews_are_visible_to_managers(client: Any, council: Any) -> None:
    from selfdirect.planning.models import Review

    plan = _approved_plan(council)
    Review.objects.filter(plan=plan, kind="light_touch").update(
        due_date=TODAY - dt.timedelta(days=3)
    )
    client.force_login(council.users[Role.MANAGER])
    assert "1 overdue" in client.get("/home/").content.decode()
    queue = client.get("/plans/reviews/").content.decode()
    assert "Overdue (1)" in queue
