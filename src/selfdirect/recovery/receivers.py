"""Recovery's part in the person page (decision 0011): the person's recovery cases for
those who may see them, and, for finance, the way to start one."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.people.models import Person
from selfdirect.people.signals import person_page_shown
from selfdirect.recovery.models import RecoveryCase


@receiver(person_page_shown, dispatch_uid="recovery.person_page")
def _person_page(sender: Any, *, person: Person, user: AnyUser, **kwargs: Any) -> dict[str, Any]:
    if not user_can(user, "recovery.view"):
        return {}
    return {
        "recovery": {
            "cases": list(RecoveryCase.objects.filter(person=person).order_by("-opened_on", "-id")),
            "can_start": user_can(user, "recovery.manage"),
        }
    }
