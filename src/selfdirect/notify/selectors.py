"""Reading messages: a reader's own, and, for the person's staff, everything sent about them."""

from __future__ import annotations

from django.db.models import QuerySet

from selfdirect.access.selectors import AnyUser
from selfdirect.audit.services import look_refused
from selfdirect.notify.models import Message
from selfdirect.people.models import Person
from selfdirect.people.selectors import person_for


def messages_for(user: AnyUser) -> QuerySet[Message]:
    """The messages written to ``user``, newest first."""
    return (
        Message.objects.filter(recipient_id=user.pk)
        .select_related("person")
        .prefetch_related("deliveries")
    )


def unread_count(user: AnyUser) -> int:
    return Message.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def message_for(user: AnyUser, message_id: int) -> Message:
    """One of the user's own messages; anyone else's is 404, recorded as refused."""
    message = messages_for(user).filter(pk=message_id).first()
    if message is None:
        raise look_refused(actor=user, model=Message, object_id=message_id)
    return message


def messages_about(user: AnyUser, person_id: int) -> tuple[Person, list[Message]]:
    """Everything sent about a person the user may see (their staff), with its deliveries."""
    person = person_for(user, person_id)
    messages = list(
        Message.objects.filter(person=person)
        .select_related("recipient")
        .prefetch_related("deliveries")
    )
    return person, messages
