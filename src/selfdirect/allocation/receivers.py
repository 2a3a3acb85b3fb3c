"""Allocation's part in the assessment page: assessment sends the signal and allocation,
which builds on assessment, answers it (decision 0011)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.allocation.selectors import allocations_visible_to
from selfdirect.assessment.models import Assessment
from selfdirect.assessment.signals import assessment_page_shown


@receiver(assessment_page_shown, dispatch_uid="allocation.assessment_page")
def _assessment_page(
    sender: Any, *, assessment: Assessment, user: AnyUser, **kwargs: Any
) -> dict[str, Any]:
    return {
        "allocations": list(allocations_visible_to(user).filter(assessment=assessment))
        if user_can(user, "allocation.view")
        else [],
    }
