"""Reading the audit log: a person's history, who has looked at a record, and the trails a
data protection officer exports (one person's, one member of staff's).

A person's events are those naming them (``person_id``, on the (person, at) index) and
the list looks they appeared in (``Listed``, on its (person, event) index): the two id
reads are UNIONed and the events then read by primary key, so each stays an index lookup
at any size; an OR across a join would not be (decision 0056). Read through
``person_view``, a list look shows its summary ("Appeared in search results") but not
the other people it named."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.db.models.query import ModelIterable

from selfdirect.audit.models import LIST, LISTED_KEY, Action, Event, Listed

# What a person is shown of who has looked at their record: views, and exports of it.
LOOK_ACTIONS = (Action.VIEW, Action.EXPORT)


class _SeenByPerson(ModelIterable[Event]):
    """Events as one person may read them: a list look's ``changes`` (the ids of everyone
    else shown) are left out; its summary says which list it was."""

    def __iter__(self) -> Iterator[Event]:
        for event in super().__iter__():
            if is_list_look(event):
                event.changes = {}
            yield event


def is_list_look(event: Event) -> bool:
    """A list look of the one-event shape (decision 0056): no person, the people listed."""
    return event.object_type == LIST and event.person_id is None and LISTED_KEY in event.changes


def person_view(events: QuerySet[Event]) -> QuerySet[Event]:
    """``events`` as a person's page or export may show them (see ``_SeenByPerson``)."""
    clone = events.all()
    clone._iterable_class = _SeenByPerson
    return clone


def _events_of(person_id: int, *, actions: tuple[str, ...] | None = None) -> QuerySet[Event]:
    """Every event naming the person or listing them: ids from both indexes, then by pk."""
    named = Event.objects.filter(person_id=person_id)
    if actions is not None:
        named = named.filter(action__in=actions)
    listed = Listed.objects.filter(person_id=person_id).order_by().values("event_id")
    events = Event.objects.filter(pk__in=named.order_by().values("id").union(listed, all=True))
    if actions is not None:
        events = events.filter(action__in=actions)
    return person_view(events)


def person_history(*, person_id: int) -> QuerySet[Event]:
    """Every change to and view of a person's record, newest first."""
    return _events_of(person_id).order_by("-at", "-id")


def person_looks(*, person_id: int) -> QuerySet[Event]:
    """Every look at a person's record (pages, PDFs, lists they appeared in, API calls and
    exports), newest first."""
    return (
        _events_of(person_id, actions=LOOK_ACTIONS).select_related("actor").order_by("-at", "-id")
    )


def person_trail(*, person_id: int) -> QuerySet[Event]:
    """Subject access: every event about the person, oldest first."""
    return _events_of(person_id).select_related("person").order_by("at", "id")


def actor_trail(*, user_id: int) -> QuerySet[Event]:
    """Every event by one user (what they changed, looked at and were refused), oldest first."""
    return Event.objects.filter(actor_id=user_id).select_related("person").order_by("at", "id")


def listed_references(*, event_ids: list[int]) -> dict[int, list[str]]:
    """The council references of the people each list look named, by event id (one query)."""
    found: dict[int, list[str]] = {}
    rows = (
        Listed.objects.filter(event_id__in=event_ids)
        .order_by("event_id", "person__la_person_id")
        .values_list("event_id", "person__la_person_id")
    )
    for event_id, reference in rows:
        found.setdefault(event_id, []).append(reference)
    return found


def staff_find(*, username: str) -> User | None:
    """The user with this username (any user: staff, or a portal user)."""
    return User.objects.filter(username=username.strip()).first()
