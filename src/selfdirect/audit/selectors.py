"""Reading the audit log: a person's history, who has looked at a record, and the trails a
data protection officer exports (one person's, one member of staff's)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from selfdirect.audit.models import Action, Event

# What a person is shown of who has looked at their record: views, and exports of it.
LOOK_ACTIONS = (Action.VIEW, Action.EXPORT)


def person_history(*, person_id: int) -> QuerySet[Event]:
    """Every change to and view of a person's record, newest first."""
    return Event.objects.filter(person_id=person_id).order_by("-at", "-id")


def person_looks(*, person_id: int) -> QuerySet[Event]:
    """Every look at a person's record (pages, PDFs, lists they appeared in, API calls and
    exports), newest first, on the (person, at) index."""
    return (
        Event.objects.filter(person_id=person_id, action__in=LOOK_ACTIONS)
        .select_related("actor")
        .order_by("-at", "-id")
    )


def person_trail(*, person_id: int) -> QuerySet[Event]:
    """Subject access: every event about the person, oldest first."""
    return Event.objects.filter(person_id=person_id).select_related("person").order_by("at", "id")


def actor_trail(*, user_id: int) -> QuerySet[Event]:
    """Every event by one user (what they changed, looked at and were refused), oldest first."""
    return Event.objects.filter(actor_id=user_id).select_related("person").order_by("at", "id")


def staff_find(*, username: str) -> User | None:
    """The user with this username (any user: staff, or a portal user)."""
    return User.objects.filter(username=username.strip()).first()
