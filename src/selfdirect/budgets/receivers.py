"""Budgets' part in what happens to plans: planning sends the signals and budgets,
which builds on planning, answers them (decision 0011)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.dispatch import receiver

from selfdirect.access.selectors import AnyUser
from selfdirect.allocation.models import Allocation, AmountDecision
from selfdirect.allocation.signals import allocation_page_shown, budget_amount_changed
from selfdirect.budgets import notices as change_notices
from selfdirect.budgets import pooling
from selfdirect.planning.models import SupportPlan
from selfdirect.planning.signals import (
    plan_change_checked,
    plan_costs_asked,
    plan_page_shown,
    plan_superseded,
)


@receiver(plan_superseded, dispatch_uid="budgets.pool_shares_follow")
def _pool_shares_follow(sender: Any, *, plan: SupportPlan, **kwargs: Any) -> None:
    pooling.pool_shares_follow(plan)


@receiver(plan_page_shown, dispatch_uid="budgets.plan_page")
def _plan_page(sender: Any, *, plan: SupportPlan, user: AnyUser, **kwargs: Any) -> dict[str, Any]:
    return {
        "pool_shares": pooling.pool_shares_by_line(plan),
        "notices": list(change_notices.notices_visible_to(user).filter(plan=plan)),
    }


@receiver(plan_change_checked, dispatch_uid="budgets.notice_ties_version")
def _notice_ties_version(sender: Any, *, plan: SupportPlan, **kwargs: Any) -> str | None:
    return change_notices.version_change_refusal(plan)


@receiver(budget_amount_changed, dispatch_uid="budgets.notice_conflicts")
def _notice_conflicts(
    sender: Any, *, amount_decision: AmountDecision, actor: Any, **kwargs: Any
) -> None:
    change_notices.change_notice_conflict_flag(actor=actor, decision=amount_decision)


@receiver(allocation_page_shown, dispatch_uid="budgets.budget_page_notices")
def _budget_page_notices(
    sender: Any, *, allocation: Allocation, user: AnyUser, **kwargs: Any
) -> dict[str, Any]:
    conflicts = []
    for notice in change_notices.notices_visible_to(user).filter(
        person_id=allocation.person_id, status="given"
    ):
        decision = change_notices.notice_conflict(notice)
        if decision is not None:
            conflicts.append((notice, change_notices.conflict_text(decision)))
    return {"notice_conflicts": conflicts}


@receiver(plan_costs_asked, dispatch_uid="budgets.holding_fees")
def _holding_fees(
    sender: Any, *, plan: SupportPlan, on: dt.date | None = None, **kwargs: Any
) -> list[Any]:
    from selfdirect.budgets.services import holding_fees

    return holding_fees(plan, on)
