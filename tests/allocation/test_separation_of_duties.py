"""Nobody decides on their own work (decision 0007): the one who worked out a budget does not
sign it off nor decide a request to look again at it; the one who wrote a plan does not
approve it (unless the council allows it within budget). Refusals change nothing, and the
pages explain instead of offering the button."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from selfdirect.access.roles import Role
from selfdirect.allocation import services
from selfdirect.allocation.models import Allocation, Challenge, SignOff
from selfdirect.planning import services as planning
from selfdirect.planning.models import Review, SupportPlan
from tests.allocation.test_allocations import _agree
from tests.factories import second_user

pytestmark = pytest.mark.django_db


def _worked_out_by_manager(council: Any) -> Allocation:
    return services.allocation_calculate(
        actor=council.users[Role.MANAGER], assessment=_agree(council), flags={}
    )


def test_the_manager_who_worked_out_a_budget_cannot_sign_it_off(client: Any, council: Any) -> None:
    manager = council.users[Role.MANAGER]
    allocation = _worked_out_by_manager(council)
    with pytest.raises(services.AllocationError, match=services.OWN_BUDGET):
        services.allocation_sign_off(actor=manager, allocation=allocation, decision="approve")
    allocation.refresh_from_db()
    assert allocation.status == "awaiting_sign_off" and not SignOff.objects.exists()

    client.force_login(manager)
    detail = client.get(f"/budgets/{allocation.pk}/").content.decode()
    assert f"{services.OWN_BUDGET}." in detail and ">Sign off</a>" not in detail
    form = client.get(f"/budgets/{allocation.pk}/sign-off/").content.decode()
    assert f"{services.OWN_BUDGET}." in form and "Record decision" not in form
    posted = client.post(
        f"/budgets/{allocation.pk}/sign-off/", {"decision": "approve"}
    ).content.decode()
    assert "There is a problem" in posted and services.OWN_BUDGET in posted
    allocation.refresh_from_db()
    assert allocation.status == "awaiting_sign_off" and not SignOff.objects.exists()

    other = second_user(council, Role.MANAGER)
    client.force_login(other)
    assert ">Sign off</a>" in client.get(f"/budgets/{allocation.pk}/").content.decode()
    services.allocation_sign_off(actor=other, allocation=allocation, decision="approve")
    allocation.refresh_from_db()
    assert (allocation.status, allocation.sign_offs.get().decided_by) == ("approved", other)


def test_a_request_to_look_again_is_decided_by_a_manager_who_did_not_work_it_out(
    client: Any, council: Any
) -> None:
    manager, other = council.users[Role.MANAGER], second_user(council, Role.MANAGER)
    allocation = _worked_out_by_manager(council)
    services.allocation_sign_off(actor=other, allocation=allocation, decision="approve")
    challenge = services.challenge_raise(
        actor=council.users[Role.HOLDER], allocation=allocation, reasons="I need more help"
    )
    with pytest.raises(services.AllocationError, match=services.OWN_BUDGET_CHALLENGE):
        services.challenge_decide(
            actor=manager,
            challenge=challenge,
            outcome="not_upheld",
            reason="The amount meets the needs",
            reassessment_needed=False,
        )
    challenge.refresh_from_db()
    assert (challenge.status, challenge.decided_by) == ("open", None)

    client.force_login(manager)
    detail = client.get(f"/budgets/{allocation.pk}/").content.decode()
    assert f"{services.OWN_BUDGET_CHALLENGE}." in detail
    assert "Decide this request" not in detail
    url = f"/budgets/challenges/{challenge.pk}/decide/"
    assert "Record the decision" not in client.get(url).content.decode()
    posted = client.post(
        url, {"outcome": "not_upheld", "reason": "The amount meets the needs"}
    ).content.decode()
    assert "There is a problem" in posted and services.OWN_BUDGET_CHALLENGE in posted
    assert Challenge.objects.get(pk=challenge.pk).status == "open"

    client.force_login(other)
    assert "Decide this request" in client.get(f"/budgets/{allocation.pk}/").content.decode()
    services.challenge_decide(
        actor=other,
        challenge=challenge,
        outcome="not_upheld",
        reason="The amount meets the needs",
        reassessment_needed=False,
    )
    challenge.refresh_from_db()
    assert (challenge.status, challenge.decided_by) == ("decided", other)


def _submitted_plan(council: Any, *, weekly_pence: int, line_by: Any = None) -> SupportPlan:
    """A plan the practitioner created and sent for sign-off, with one line of the given cost
    a week added by ``line_by`` (the practitioner if not given), on a £74.00 budget."""
    practitioner, other_manager = (
        council.users[Role.PRACTITIONER],
        second_user(council, Role.MANAGER),
    )
    allocation = services.allocation_calculate(
        actor=practitioner, assessment=_agree(council), flags={}
    )
    services.allocation_sign_off(actor=other_manager, allocation=allocation, decision="approve")
    allocation.refresh_from_db()
    plan = planning.plan_create(
        actor=practitioner,
        allocation=allocation,
        led_by="person",
        kind="standard",
        starts_on=allocation.created_at.date(),
    )
    planning.line_add(
        actor=line_by or practitioner,
        plan=plan,
        fields={
            "outcome": None,
            "provider": None,
            "provided_by": "",
            "provisional": False,
            "description": "Support",
            "category": "personal_assistant",
            "unit": "week",
            "unit_cost_pence": weekly_pence,
            "quantity_hundredths": 100,
            "funding_stream": "adult_social_care",
        },
    )
    planning.plan_submit(actor=practitioner, plan=plan, variance_reason="Needs two workers")
    return plan


def test_who_wrote_a_plan_creator_contributors_and_sender(council: Any) -> None:
    practitioner = council.users[Role.PRACTITIONER]
    manager = council.users[Role.MANAGER]
    plan = _submitted_plan(council, weekly_pence=9000, line_by=manager)
    assert planning.plan_writers(plan) == {practitioner.pk, manager.pk}
    # Over budget: the manager who added a line is one of its writers.
    with pytest.raises(planning.PlanError, match=planning.OWN_PLAN):
        planning.plan_approve(actor=manager, plan=plan)
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == ("awaiting_sign_off", None)
    assert not Review.objects.filter(plan=plan).exists()
    planning.plan_approve(actor=second_user(council, Role.MANAGER), plan=plan)
    plan.refresh_from_db()
    assert plan.status == "approved"
    # A new version: whoever makes it writes it; what is carried over does not make the
    # writers of the approved version writers of this one.
    colleague = second_user(council, Role.PRACTITIONER)
    revised = planning.plan_revise(actor=colleague, plan=plan)
    assert planning.plan_writers(revised) == {colleague.pk}


def test_own_plan_within_budget_only_when_the_council_allows_it(council: Any) -> None:
    practitioner = council.users[Role.PRACTITIONER]
    plan = _submitted_plan(council, weekly_pence=5000)
    with pytest.raises(planning.PlanError, match=planning.OWN_PLAN):
        planning.plan_approve(actor=practitioner, plan=plan)
    assert SupportPlan.objects.get(pk=plan.pk).status == "awaiting_sign_off"
    with override_settings(SELFDIRECT_ALLOW_OWN_PLAN_APPROVAL_WITHIN_BUDGET=True):
        planning.plan_approve(actor=practitioner, plan=plan)
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == ("approved", practitioner)


@override_settings(SELFDIRECT_ALLOW_OWN_PLAN_APPROVAL_WITHIN_BUDGET=True)
def test_the_setting_never_lets_anyone_approve_their_own_plan_over_budget(council: Any) -> None:
    manager = council.users[Role.MANAGER]
    plan = _submitted_plan(council, weekly_pence=9000, line_by=manager)
    with pytest.raises(planning.PlanError, match=planning.OWN_PLAN):
        planning.plan_approve(actor=manager, plan=plan)
    assert SupportPlan.objects.get(pk=plan.pk).status == "awaiting_sign_off"
