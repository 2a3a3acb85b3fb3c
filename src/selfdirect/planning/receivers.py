"""Planning's part in the budget page and letter: allocation sends the signal and planning,
which builds on allocation, answers with the four budget figures (decision 0011)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.access.services import work_item_add
from selfdirect.allocation.models import Allocation, AmountDecision
from selfdirect.allocation.signals import allocation_page_shown, budget_amount_changed
from selfdirect.money import pounds
from selfdirect.planning.figures import budget_figures
from selfdirect.planning.models import SupportPlan
from selfdirect.planning.services import PlanError, plan_revise_for_budget


@receiver(allocation_page_shown, dispatch_uid="planning.budget_page")
def _budget_page(
    sender: Any, *, allocation: Allocation, user: AnyUser, **kwargs: Any
) -> dict[str, Any]:
    return {
        "figures": budget_figures(person=allocation.person, on=timezone.localdate()),
        "can_record_contribution": user_can(user, "contribution.record"),
    }


# A request to look again that changed the personal budget: the plan in force must be
# rewritten against the new amount, as a review that changes the budget does.
LOOK_AGAIN_REASON = "The personal budget changed after a request to look again: {reason}"
REVISE_FOR_NEW_BUDGET = "Revise the plan for the new personal budget of {amount} a week"


@receiver(budget_amount_changed, dispatch_uid="planning.budget_amount_changed")
def _budget_amount_changed(
    sender: Any, *, allocation: Allocation, amount_decision: AmountDecision, actor: User, **_: Any
) -> None:
    """Start the new draft plan version the change implies, or, when one cannot be started
    (a newer version is already being written), give the named worker the task."""
    plan = (
        SupportPlan.objects.filter(
            person_id=allocation.person_id, status=SupportPlan.Status.APPROVED
        )
        .order_by("-version")
        .first()
    )
    if plan is None:
        return  # no plan yet: the first plan is written against the new amount
    try:
        with transaction.atomic():
            plan_revise_for_budget(
                actor=actor,
                plan=plan,
                budget_weekly_pence=amount_decision.new_weekly_pence,
                reason=LOOK_AGAIN_REASON.format(reason=amount_decision.reason),
            )
    except PlanError:
        with transaction.atomic():
            work_item_add(
                person=allocation.person,
                title=REVISE_FOR_NEW_BUDGET.format(amount=pounds(amount_decision.new_weekly_pence)),
                kind="plan_revise",
                for_role=Role.PRACTITIONER,
                due_date=timezone.localdate() + dt.timedelta(days=14),
            )
