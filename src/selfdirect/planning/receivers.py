"""Planning's part in the budget page and letter: allocation sends the signal and planning,
which builds on allocation, answers with the four budget figures (decision 0011)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.allocation.models import Allocation
from selfdirect.allocation.signals import allocation_page_shown
from selfdirect.planning.figures import budget_figures


@receiver(allocation_page_shown, dispatch_uid="planning.budget_page")
def _budget_page(
    sender: Any, *, allocation: Allocation, user: AnyUser, **kwargs: Any
) -> dict[str, Any]:
    return {
        "figures": budget_figures(person=allocation.person, on=timezone.localdate()),
        "can_record_contribution": user_can(user, "contribution.record"),
    }
