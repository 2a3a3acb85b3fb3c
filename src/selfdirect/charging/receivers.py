"""Charging's part in the budget page, its letter and the plan page: allocation and planning
send the signals and charging, built on both, answers with how the person's financial
assessment stands (outstanding, deferred, or its result), so the personal budget statement
shows it as such (decision 0011)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.allocation.models import Allocation
from selfdirect.allocation.signals import allocation_page_shown
from selfdirect.charging.selectors import standing_of
from selfdirect.people.models import Person
from selfdirect.people.signals import person_page_shown
from selfdirect.planning.models import SupportPlan
from selfdirect.planning.signals import plan_page_shown


def _standing(person_id: int, user: AnyUser) -> dict[str, Any]:
    return {
        "charging_standing": standing_of(person_id),
        "can_see_charging": user_can(user, "charging.view"),
        "can_assess_charging": user_can(user, "charging.assess"),
    }


@receiver(allocation_page_shown, dispatch_uid="charging.budget_page")
def _budget_page(
    sender: Any, *, allocation: Allocation, user: AnyUser, **kwargs: Any
) -> dict[str, Any]:
    return _standing(allocation.person_id, user)


@receiver(plan_page_shown, dispatch_uid="charging.plan_page")
def _plan_page(sender: Any, *, plan: SupportPlan, user: AnyUser, **kwargs: Any) -> dict[str, Any]:
    return _standing(plan.person_id, user)


@receiver(person_page_shown, dispatch_uid="charging.person_page")
def _person_page(sender: Any, *, person: Person, user: AnyUser, **kwargs: Any) -> dict[str, Any]:
    if not user_can(user, "charging.assess"):
        return {}
    return {"charging": standing_of(person.pk)}
