"""The messages' part in the person page: how many were sent, and a link to them, for the
person's staff (decision 0011: people sends the signal, notify answers)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.notify.models import Message
from selfdirect.people.models import Person
from selfdirect.people.signals import person_page_shown


@receiver(person_page_shown, dispatch_uid="notify.person_page")
def _person_page(sender: Any, *, person: Person, user: AnyUser, **kwargs: Any) -> dict[str, Any]:
    if not user_can(user, "messages.view"):
        return {}
    return {"messages_sent": Message.objects.filter(person=person).count()}
