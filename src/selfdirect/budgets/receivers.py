"""Budgets' part in what happens to plans: planning sends the signals and budgets,
which builds on planning, answers them (decision 0011)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from selfdirect.access.selectors import AnyUser
from selfdirect.budgets import notices as change_notices
from selfdirect.budgets import pooling
from selfdirect.planning.models import SupportPlan
from selfdirect.planning.signals import plan_change_checked, plan_page_shown, plan_superseded


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
