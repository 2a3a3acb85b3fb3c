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
from tests.factories import second_user

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


def _draft_plan(council: Any) -> SupportPlan:
    """A plan being written by the practitioner on an approved £74.00-a-week budget."""
    return services.plan_create(
        actor=council.users[Role.PRACTITIONER],
        allocation=_approved_budget(council),
        led_by="person",
        kind="standard",
        starts_on=TODAY,
    )


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
    plan = _draft_plan(council)
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
    # 3.5 hours × £14.50 = £50.75; taxi £12.00; grab rails 2 × £85.00 once, from the
    # Disabled Facilities Grant: aligned, so funded alongside the budget, not out of it.
    assert (totals.weekly_pence, totals.one_off_pence, totals.budget_weekly_pence) == (
        6275,
        0,
        7400,
    )
    assert totals.alongside_one_off_pence == 17000
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
    with pytest.raises(services.PlanError, match=services.VARIANCE_REASON_NEEDED):
        services.plan_submit(actor=practitioner, plan=plan)
    assert plan.status == "draft"
    services.plan_submit(
        actor=practitioner, plan=plan, variance_reason="Day centre on top of her PA hours"
    )
    with pytest.raises(services.PlanError, match=services.PLAN_CLOSED):
        services.outcome_add(actor=practitioner, plan=plan, fields={"in_their_words": "Too late"})
    with pytest.raises(services.PlanError, match=services.OVER_BUDGET_NEEDS_MANAGER):
        services.plan_approve(actor=practitioner, plan=plan)
    services.plan_approve(actor=manager, plan=plan)
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (SupportPlan.Status.APPROVED, manager)
    assert PlanLine.objects.filter(plan=plan).count() == 4


@pytest.mark.parametrize(
    ("stream", "category", "deployment", "refused"),
    [
        ("ilf", "personal_assistant", "direct_payment", None),
        (
            "ilf",
            "personal_assistant",
            "isf",
            "Independent Living Fund money cannot be held as individual service fund held by a "
            "provider: paid straight into the person's bank account, so hold it as direct payment",
        ),
        ("dfg", "adaptations", "council_commissioned", None),
        ("dfg", "adaptations", "direct_payment", "Disabled Facilities Grant money cannot be held"),
        ("adult_social_care", "personal_assistant", "third_party", None),
    ],
)
def test_each_stream_is_held_only_by_its_payment_route(
    council: Any, stream: str, category: str, deployment: str, refused: str | None
) -> None:
    practitioner = council.users[Role.PRACTITIONER]
    plan = _draft_plan(council)
    fields = {
        "description": "Support",
        "category": category,
        "unit": "hour",
        "unit_cost_pence": 1500,
        "quantity_hundredths": 100,
        "funding_stream": stream,
        "deployment": deployment,
        "provider": None,
        "provided_by": "",
        "outcome": None,
        "provisional": False,
    }
    if refused is None:
        services.line_add(actor=practitioner, plan=plan, fields=fields)
        assert plan.lines.count() == 1
    else:
        with pytest.raises(services.PlanError, match=refused) as error:
            services.line_add(actor=practitioner, plan=plan, fields=fields)
        assert error.value.field == "deployment" and not plan.lines.exists()


def test_aligned_money_is_funded_alongside_the_budget(council: Any) -> None:
    """The Independent Living Fund is aligned, never in the RAS (IBSEN §2.1): it does not make
    the plan over budget, and its lines switch only within its payment route."""
    practitioner = council.users[Role.PRACTITIONER]
    plan = _draft_plan(council)  # £74.00 a week
    line = services.line_add(
        actor=practitioner,
        plan=plan,
        fields={
            "description": "Personal assistant (ILF)",
            "category": "personal_assistant",
            "unit": "hour",
            "unit_cost_pence": 1500,
            "quantity_hundredths": 1000,
            "funding_stream": "ilf",
            "deployment": "direct_payment",
            "provider": None,
            "provided_by": "Sam",
            "outcome": None,
            "provisional": False,
        },
    )
    totals = services.plan_totals(plan)
    assert (totals.weekly_pence, totals.alongside_weekly_pence, totals.over_budget) == (
        0,
        15000,
        False,
    )
    services.plan_submit(actor=practitioner, plan=plan)
    services.plan_approve(actor=second_user(council, Role.PRACTITIONER), plan=plan)
    with pytest.raises(services.PlanError, match="cannot be held as council-commissioned"):
        services.line_switch(
            actor=practitioner,
            line=line,
            effective_date=TODAY + dt.timedelta(days=7),
            deployment="council_commissioned",
            provider=None,
            provided_by="Agency",
            reasons=["EMPLOYER_BURDEN"],
        )
    assert not line.switches.exists()


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
            "holding_options_offered": list(streams.DEPLOYMENTS),
        },
    ).content.decode()
    assert services.END_DATE_NEEDED in page
    standard = {
        "kind": "standard",
        "led_by": "person",
        "starts_on_day": "1",
        "starts_on_month": "1",
        "starts_on_year": "2026",
        "contingency": "My neighbour can help if my PA is ill",
        "risks_to_person": "I may fall when I go out alone; I accept that",
    }
    # Every way of holding must be offered before the plan starts (holders-experience REQ-13).
    not_offered = client.post(
        f"/plans/for-budget/{allocation.pk}/",
        {**standard, "holding_options_offered": ["direct_payment", "council_commissioned"]},
    ).content.decode()
    assert (
        "not yet offered: managed account held by the council, individual service fund held by a"
        " provider, third-party managed account" in not_offered
    )
    assert not SupportPlan.objects.filter(allocation=allocation).exists()
    response = client.post(
        f"/plans/for-budget/{allocation.pk}/",
        {**standard, "holding_options_offered": list(streams.DEPLOYMENTS)},
    )
    plan = SupportPlan.objects.get(allocation=allocation)
    assert response["Location"] == f"/plans/{plan.pk}/"
    assert plan.holding_options_offered == sorted(streams.DEPLOYMENTS)
    client.post(
        f"/plans/{plan.pk}/outcomes/new/",
        {"in_their_words": "I want to see my grandchildren every week", "eligibility_outcome": "G"},
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
        and "Within the personal budget (£23.25 a week under it)" in detail
    )
    assert (
        "Eligible need it meets: developing and maintaining family or other personal relationships"
        in detail
    )
    assert (
        "My neighbour can help if my PA is ill" in detail
        and "I may fall when I go out alone" in detail
    )
    assert '<span class="govuk-body-s" data-held="direct_payment">Direct payment</span>' in detail
    client.post(f"/plans/{plan.pk}/submit/")
    # The practitioner wrote it: the page explains instead of offering the button, and a
    # post anyway is refused with the reason and changes nothing (decision 0007).
    own = client.get(f"/plans/{plan.pk}/").content.decode()
    assert f"{services.OWN_PLAN}." in own and "Approve the plan" not in own
    refused = client.post(f"/plans/{plan.pk}/approve/", follow=True).content.decode()
    assert "There is a problem" in refused and services.OWN_PLAN in refused
    plan.refresh_from_db()
    assert plan.status == "awaiting_sign_off"
    client.force_login(second_user(council, Role.PRACTITIONER))
    assert "Approve the plan" in client.get(f"/plans/{plan.pk}/").content.decode()
    client.post(f"/plans/{plan.pk}/approve/")
    plan.refresh_from_db()
    assert plan.status == "approved"  # within budget: another practitioner may approve
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
    plan = _draft_plan(council)
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
    services.plan_approve(actor=second_user(council, Role.PRACTITIONER), plan=plan)
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
    plan = _draft_plan(council)
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
    services.plan_approve(actor=second_user(council, Role.PRACTITIONER), plan=plan)
    return plan


def test_reviews_are_scheduled_on_statutory_timescales(council: Any) -> None:
    """The light-touch review at 8 weeks is also the direct payment's first review (within
    its first 6 months); the annual review covers both: plan and direct payment aligned."""
    plan = _approved_plan(council, "direct_payment")
    due = {r.kind: (r.due_date, r.covers_direct_payment) for r in plan.reviews.all()}
    assert due == {
        "light_touch": (TODAY + dt.timedelta(days=56), True),
        "annual": (TODAY + dt.timedelta(days=365), True),
    }


@pytest.mark.parametrize(
    ("case", "review_days", "dp_from_offset", "expected"),
    [
        ("no direct payment", {}, None, [("light_touch", 56, False), ("annual", 365, False)]),
        (
            "direct payment from the start: aligned with the light-touch review",
            {},
            0,
            [("light_touch", 56, True), ("annual", 365, True)],
        ),
        (
            "council reviews at 6 weeks",
            {"light_touch": 42},
            0,
            [("light_touch", 42, True), ("annual", 365, True)],
        ),
        (
            "a shorter local first review of a direct payment gets its own review",
            {"direct_payment": 30},
            0,
            [("direct_payment", 30, True), ("light_touch", 56, False), ("annual", 365, True)],
        ),
    ],
)
def test_review_dates_by_case(
    settings: Any, case: str, review_days: dict[str, int], dp_from_offset: Any, expected: Any
) -> None:
    settings.SELFDIRECT_REVIEW_DAYS = review_days
    dp_from = None if dp_from_offset is None else TODAY + dt.timedelta(days=dp_from_offset)
    got = services.review_dates(TODAY, dp_from)
    assert [(k, (d - TODAY).days, c) for k, d, c in got] == expected, case


def test_review_timescales_outside_the_law_are_refused(settings: Any) -> None:
    settings.SELFDIRECT_REVIEW_DAYS = {"direct_payment": 200}
    with pytest.raises(ValueError, match="between 1 and 182 days"):
        services.review_dates(TODAY, TODAY)
    settings.SELFDIRECT_REVIEW_DAYS = {"light_touch": 90}
    with pytest.raises(ValueError, match="between 42 and 56 days"):
        services.review_dates(TODAY, None)
    # The service will not start with timescales outside the law.
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    with pytest.raises(SystemCheckError, match="between 42 and 56 days"):
        call_command("check")
    settings.SELFDIRECT_REVIEW_DAYS = {"lighttouch": 42}
    with pytest.raises(SystemCheckError, match="unknown kinds"):
        call_command("check")
    settings.SELFDIRECT_REVIEW_DAYS = {"light_touch": 42}
    call_command("check")


def test_switching_to_a_direct_payment_aligns_its_first_review(council: Any) -> None:
    plan = _approved_plan(council, "council_commissioned")
    line = plan.lines.get()
    light = plan.reviews.get(kind="light_touch")
    assert not light.covers_direct_payment
    # From next week: the light-touch review (8 weeks) is within its first 6 months.
    services.line_switch(
        actor=council.users[Role.PRACTITIONER],
        line=line,
        effective_date=TODAY + dt.timedelta(days=7),
        deployment="direct_payment",
        provider=None,
        provided_by="Sam",
        reasons=["WANT_PERSONAL_CHOICE"],
    )
    light.refresh_from_db()
    assert light.covers_direct_payment
    assert not plan.reviews.filter(kind="direct_payment").exists()
    # A switch after the light-touch review: the annual review is too late, so its own review.
    other = plan.lines.create(
        description="Gardening help",
        category="personal_assistant",
        unit="hour",
        unit_cost_pence=1200,
        quantity_hundredths=100,
        funding_stream="adult_social_care",
    )
    later = TODAY + dt.timedelta(days=100)
    assert not plan.reviews.filter(kind="direct_payment").exists()
    services.line_switch(
        actor=council.users[Role.PRACTITIONER],
        line=other,
        effective_date=later,
        deployment="direct_payment",
        provider=None,
        provided_by="Jo",
        reasons=["WANT_PERSONAL_CHOICE"],
    )
    own = plan.reviews.get(kind="direct_payment")
    assert own.due_date == later + dt.timedelta(days=182) and own.covers_direct_payment


def test_no_direct_payment_no_direct_payment_review(council: Any) -> None:
    plan = _approved_plan(council, "council_commissioned")
    assert sorted(r.kind for r in plan.reviews.all()) == ["annual", "light_touch"]


def test_requested_review_safeguarding_and_recording(client: Any, council: Any) -> None:
    plan = _approved_plan(council)
    client.force_login(council.users[Role.HOLDER])
    empty = client.post(f"/plans/{plan.pk}/reviews/new/", {}).content.decode()
    assert "Select why you are asking for a review" in empty
    # The person's words for a safeguarding concern (issue 13: their reasons, not staff's).
    client.post(
        f"/plans/{plan.pk}/reviews/new/",
        {"asked_reason": "unsafe", "reason": "My PA shouted at me"},
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
            "method": "phone",
            "attendees": "Ada Holder, the person",
            "person_views": "My PA shouted at me; I want a new one.",
            "completed_on_day": TODAY.day,
            "completed_on_month": TODAY.month,
            "completed_on_year": TODAY.year,
            "next_review_on_day": TODAY.day,
            "next_review_on_month": TODAY.month,
            "next_review_on_year": TODAY.year + 1,
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


def test_a_new_version_carries_everything_over_and_replaces_the_old_on_approval(
    client: Any, council: Any
) -> None:
    practitioner = council.users[Role.PRACTITIONER]
    plan = _approved_plan(council, "council_commissioned")
    line = plan.lines.get()
    services.line_switch(
        actor=practitioner,
        line=line,
        effective_date=TODAY,
        deployment="isf",
        provider=None,
        provided_by="Kindred Care",
        reasons=["NO_CONTINUITY"],
    )
    client.force_login(practitioner)
    response = client.post(f"/plans/{plan.pk}/new-version/")
    revised = SupportPlan.objects.get(person=plan.person, version=plan.version + 1)
    assert response["Location"] == f"/plans/{revised.pk}/"
    assert (revised.status, revised.previous_id) == ("draft", plan.pk)
    assert [o.in_their_words for o in revised.outcomes.all()] == ["Get out to the shops"]
    copy = revised.lines.get()
    # The line as it is held today, after the switch: nothing re-entered.
    assert (copy.deployment, copy.provided_by, copy.weekly_cost_pence) == (
        "isf",
        "Kindred Care",
        line.weekly_cost_pence,
    )
    again = client.post(f"/plans/{plan.pk}/new-version/", follow=True).content.decode()
    assert services.NEWER_VERSION_EXISTS in again
    # A refusal is shown as a problem, not as a success.
    problem = again.index("There is a problem</h2>")
    assert again.index(services.NEWER_VERSION_EXISTS) > problem
    assert again.rfind("govuk-notification-banner--success", 0, problem) < again.rfind(
        '<div class="govuk-notification-banner"', 0, problem
    )
    services.plan_submit(actor=practitioner, plan=revised)
    services.plan_approve(actor=second_user(council, Role.PRACTITIONER), plan=revised)
    plan.refresh_from_db()
    assert plan.status == "superseded"
    # The person's home page shows the plan in force, and how its budget is held today.
    client.force_login(council.users[Role.HOLDER])
    home = client.get("/home/").content.decode()
    assert f"Your support plan, version {revised.version}</a> (approved)" in home
    assert f"version {plan.version}</a>" not in home
    assert "Held as individual service fund held by a provider: £45.00 a week" in home
    client.force_login(practitioner)
    assert set(plan.reviews.values_list("status", flat=True)) == {"replaced"}
    assert revised.reviews.filter(status="due").count() == 2
    old_page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "This version has been replaced by a later one" in old_page
    assert "Make a new version" not in old_page
    with pytest.raises(services.PlanError, match=services.REVISE_NEEDS_APPROVED):
        services.plan_revise(actor=practitioner, plan=plan)


def test_safeguarding_flag_goes_to_the_manager_who_clears_it(client: Any, council: Any) -> None:
    plan = _approved_plan(council)
    client.force_login(council.users[Role.PLANNER])
    empty = client.post(f"/plans/{plan.pk}/safeguarding/", {"note": " "}).content.decode()
    assert services.SAFEGUARDING_NOTE_NEEDED in empty
    client.post(f"/plans/{plan.pk}/safeguarding/", {"note": "Bruises on her arm"})
    plan.refresh_from_db()
    assert plan.safeguarding_concern and plan.safeguarding_note == "Bruises on her arm"
    item = WorkItem.objects.get(kind="safeguarding", person=plan.person)
    assert item.for_role == Role.MANAGER
    assert (
        "Safeguarding concern: Bruises on her arm"
        in client.get(f"/plans/{plan.pk}/").content.decode()
    )
    # The person and their representative do not see the concern on the plan.
    client.force_login(council.users[Role.HOLDER])
    assert "Bruises" not in client.get(f"/plans/{plan.pk}/").content.decode()
    assert client.get(f"/plans/{plan.pk}/safeguarding/").status_code == 403
    with pytest.raises(services.PlanError, match="Only a team manager"):
        services.plan_safeguarding_clear(
            actor=council.users[Role.PRACTITIONER], plan=plan, note="Spoke to her"
        )
    client.force_login(council.users[Role.MANAGER])
    assert (
        "Clear the safeguarding concern"
        in client.get(f"/plans/{plan.pk}/safeguarding/").content.decode()
    )
    client.post(f"/plans/{plan.pk}/safeguarding/", {"note": "Section 42 enquiry opened"})
    plan.refresh_from_db()
    assert not plan.safeguarding_concern
    assert "Cleared: Section 42 enquiry opened" in plan.safeguarding_note


def test_the_person_writes_outcomes_in_their_own_words(client: Any, council: Any) -> None:
    """What the person wants to achieve, in their words, goes to their worker as a
    suggestion (co-producing the plan, decision 0039; SCIE-16); tests/planning/
    test_coproduction.py follows it into the plan."""
    from selfdirect.planning.proposals import PROPOSAL_CLOSED

    practitioner = council.users[Role.PRACTITIONER]
    plan = _draft_plan(council)
    client.force_login(council.users[Role.HOLDER])
    assert (
        "Your support plan, version 1</a> (being written)" in client.get("/home/").content.decode()
    )
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Suggest what you want to achieve, in your own words" in page
    assert "Add costed support" not in page
    empty = client.post(f"/plans/{plan.pk}/my-outcomes/new/", {}).content.decode()
    assert "Enter what you want to achieve" in empty
    client.post(
        f"/plans/{plan.pk}/my-outcomes/new/",
        {"in_their_words": "Swim on Fridays again", "informal_support": "My sister drives me"},
    )
    proposal = plan.proposals.get()
    assert (proposal.in_their_words, proposal.proposed_by, proposal.status) == (
        "Swim on Fridays again",
        council.users[Role.HOLDER],
        "open",
    )
    assert not plan.outcomes.exists()  # the worker puts it into the plan
    assert "Suggested by you" in client.get(f"/plans/{plan.pk}/").content.decode()
    # Staff pages only: a holder cannot add costed lines or reach another person's plan.
    assert client.get(f"/plans/{plan.pk}/lines/new/").status_code == 403
    client.force_login(practitioner)
    assert client.get(f"/plans/{plan.pk}/my-outcomes/new/").status_code == 403
    SupportPlan.objects.filter(pk=plan.pk).update(status="awaiting_sign_off")
    client.force_login(council.users[Role.REPRESENTATIVE])
    closed = client.post(
        f"/plans/{plan.pk}/my-outcomes/new/", {"in_their_words": "More"}
    ).content.decode()
    assert PROPOSAL_CLOSED.replace("'", "&#x27;") in closed
    assert plan.proposals.count() == 1


def test_review_queue_by_team_and_worker(client: Any, council: Any) -> None:
    plan = _approved_plan(council)
    client.force_login(council.users[Role.MANAGER])
    everyone = client.get("/plans/reviews/").content.decode()
    assert "Ada Holder" in everyone and "North team" in everyone
    mine = client.get(f"/plans/reviews/?team={council.team_a.pk}").content.decode()
    assert "Ada Holder" in mine
    other_team = client.get(f"/plans/reviews/?team={council.team_b.pk}").content.decode()
    assert "Ada Holder" not in other_team and "No reviews are due" in other_team
    by_worker = client.get(f"/plans/reviews/?worker={plan.created_by_id}").content.decode()
    assert "Ada Holder" in by_worker
    nobody = client.get(f"/plans/reviews/?worker={council.users[Role.MANAGER].pk}").content.decode()
    assert "Ada Holder" not in nobody


def test_a_plan_being_written_cannot_be_reviewed_yet(council: Any) -> None:
    plan = _draft_plan(council)
    with pytest.raises(services.PlanError, match=services.REVIEW_NEEDS_APPROVED_PLAN):
        services.review_request(
            actor=council.users[Role.HOLDER], plan=plan, kind="change", reason="I moved"
        )
    assert not plan.reviews.exists()


def test_pool_shares_follow_the_line_to_the_new_version(council: Any) -> None:
    from selfdirect.budgets import pooling

    practitioner = council.users[Role.PRACTITIONER]
    plan = _approved_plan(council, "direct_payment")
    line = plan.lines.get()
    pool = pooling.pool_create(
        actor=practitioner,
        name="Art group",
        activity="Weekly art class",
        organisation=None,
        starts_on=TODAY,
    )
    share = pooling.pool_share_add(
        actor=practitioner, pool=pool, line=line, weekly_pence=1000, joined_on=TODAY
    )
    revised = services.plan_revise(actor=practitioner, plan=plan)
    share.refresh_from_db()
    assert share.line_id == line.pk  # the old version is still the plan in force
    services.plan_submit(actor=practitioner, plan=revised)
    services.plan_approve(actor=second_user(council, Role.PRACTITIONER), plan=revised)
    share.refresh_from_db()
    assert share.line == revised.lines.get() and share.line.copied_from == line
    assert (share.weekly_pence, share.joined_on) == (1000, TODAY)


def test_funding_streams_page_shows_the_rules_in_force(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.FINANCE])
    page = client.get("/plans/funding-streams/").content.decode()
    assert "Independent Living Fund" in page
    assert "Paid straight into the person&#x27;s bank account" in page
    assert "Receipt-level" in page
    assert "Alongside the budget: awarded and paid separately" in page
    client.force_login(council.users[Role.HOLDER])
    assert client.get("/plans/funding-streams/").status_code == 403
