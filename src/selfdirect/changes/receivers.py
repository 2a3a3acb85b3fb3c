"""Requests to change support on the person page (decision 0011): the person's requests,
and the way to ask for them, for those who may."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.changes.models import ChangeRequest
from selfdirect.people.models import Person
from selfdirect.people.signals import person_page_shown


@receiver(person_page_shown, dispatch_uid="changes.person_page")
def _person_page(sender: Any, *, person: Person, user: AnyUser, **kwargs: Any) -> dict[str, Any]:
    if not user_can(user, "change.decide"):
        return {}
    return {
        "change_requests": {
            "waiting": ChangeRequest.objects.filter(
                person=person, status=ChangeRequest.Status.WAITING
            ).count(),
        }
    }
