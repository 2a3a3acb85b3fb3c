"""Writing to the audit log. Services call ``event_record`` inside their transaction, so a
change and its audit event are committed together or not at all. Pages and API routes call
``look_record`` (one record seen), ``looks_record`` (people named in a list: one event for
the list, decision 0056) and selectors ``look_refused`` (a record asked for that the user
may not see): every look is logged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.http import Http404

from selfdirect.audit.chain import chain
from selfdirect.audit.context import current_origin
from selfdirect.audit.models import LIST, LISTED_KEY, Action, Event, Listed

Snapshot = dict[str, Any]
M = TypeVar("M", bound=models.Model)


def _plain(value: Any) -> Any:
    """A JSON-safe, human-readable form of a field value."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or isinstance(value, int | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> Snapshot:
    """The displayed value of each named field, keyed by the field's label."""
    result: Snapshot = {}
    for name in fields:
        field = instance._meta.get_field(name)
        label = str(getattr(field, "verbose_name", name)).capitalize()
        if getattr(field, "choices", None):
            value = getattr(instance, f"get_{name}_display")()
            raw = getattr(instance, name)
            value = value if raw not in ("", None) else ""
        else:
            value = getattr(instance, name)
        result[label] = _plain(value)
    return result


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{label: [before, after]}`` for every label whose value differs."""
    return {
        label: [before.get(label), after.get(label)]
        for label in after
        if before.get(label) != after.get(label)
    }


def _roles_of(user: Any) -> str:
    profile = getattr(user, "profile", None)
    return ",".join(profile.roles) if profile is not None else ""


def member_teams(user: User) -> list[tuple[int, str]]:
    """The user's teams now, (id, name) by name: one query, kept on the user for the
    request. The actor's team names on every event, and the teams whose caseload a staff
    member sees (``access.selectors.team_ids_of``), come from this one read."""
    cached: list[tuple[int, str]] | None = getattr(user, "_selfdirect_teams", None)
    if cached is None:
        rows = user.team_memberships.order_by("team__name", "team_id").values_list(
            "team_id", "team__name"
        )
        cached = list(dict.fromkeys((int(pk), str(name)) for pk, name in rows))
        setattr(user, "_selfdirect_teams", cached)  # noqa: B010 - a per-request cache
    return cached


def _teams_of(user: User) -> str:
    """The names of the user's teams now, for the event."""
    return ", ".join(name for _pk, name in member_teams(user))[:300]


def _event(
    *,
    actor: User | AnonymousUser | None,
    action: Action,
    object_type: str,
    object_id: object,
    person_id: int | None,
    summary: str,
    changes: Mapping[str, Any] | None = None,
) -> Event:
    """An unsaved event with who, when (on save) and by which channel."""
    origin = current_origin()
    user = actor if isinstance(actor, User) else None
    return Event(
        actor=user,
        actor_username=user.get_username() if user is not None else "",
        actor_roles=_roles_of(user) if user is not None else "",
        actor_teams=_teams_of(user) if user is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        person_id=person_id,
        summary=summary[:300],
        changes=dict(changes or {}),
        channel=origin.channel,
        ip_address=origin.ip_address,
    )


def event_record(
    *,
    actor: User | AnonymousUser | None,
    action: Action,
    object_type: str,
    object_id: object = "",
    person_id: int | None = None,
    summary: str,
    changes: Mapping[str, Any] | None = None,
) -> Event:
    event = _event(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        summary=summary,
        changes=changes,
    )
    _append([event])
    return event


def _append(events: list[Event]) -> None:
    """Chain ``events`` to the log's last one and insert them; the chain lock is held to
    commit, so two writers never chain to the same event (decision 0012)."""
    with transaction.atomic(savepoint=False):
        chain(events)
        Event.objects.bulk_create(events, batch_size=2000)


def _person_of(record: models.Model) -> int | None:
    """Whose record this is: the person's own id, or the record's ``person_id``."""
    if record._meta.label == "people.Person":
        return int(record.pk)
    person_id = getattr(record, "person_id", None)
    return int(person_id) if person_id is not None else None


def look_record(
    *,
    actor: User | AnonymousUser | None,
    record: models.Model,
    summary: str,
    person_id: int | None = None,
) -> Event:
    """Record that ``actor`` saw one record of a person's (``summary`` says what: "budget
    letter PDF", "support plan version 2"): one INSERT. Every page and API route that shows
    a person's record calls it once; whose record it is comes from the record itself."""
    return event_record(
        actor=actor,
        action=Action.VIEW,
        object_type=record._meta.model_name or "",
        object_id=record.pk,
        person_id=person_id if person_id is not None else _person_of(record),
        summary=summary,
    )


def looks_record(
    *,
    actor: User | AnonymousUser | None,
    people: Iterable[models.Model | int | None],
    summary: str,
) -> Event | None:
    """Record that people were named in a list ``actor`` saw (search results, a queue, a
    home page; ``people``: people, records of theirs, or person ids): ONE chained VIEW
    event whose hashed ``changes`` name the sorted ids of everyone shown, and one slim
    ``Listed`` row per person (one more INSERT, same transaction), by which each person's
    log finds it (decision 0056). Returns the event, or None when no one was shown."""
    ids = (p if isinstance(p, int) or p is None else _person_of(p) for p in people)
    seen = sorted({pk for pk in ids if pk is not None})
    if not seen:
        return None
    event = _event(
        actor=actor,
        action=Action.VIEW,
        object_type=LIST,
        object_id="",
        person_id=None,
        summary=summary,
        changes={LISTED_KEY: seen},
    )
    with transaction.atomic(savepoint=False):
        _append([event])
        Listed.objects.bulk_create(
            [Listed(event_id=event.pk, person_id=pk) for pk in seen], batch_size=2000
        )
    return event


def look_refused(
    *,
    actor: User | AnonymousUser | None,
    model: type[models.Model],
    object_id: object,
    person_path: str | None = "person_id",
) -> Http404:
    """Record that ``actor`` asked for a record they may not see (or one that does not
    exist), naming whose it is when it exists, and return the 404 to raise, which says
    nothing about whether it exists. Selectors call it where their scope refuses a record.

    Written at once, outside any transaction of the page (there is no ATOMIC_REQUESTS, and
    views call selectors before any service opens one), so it persists though the answer
    is a 404."""
    object_type = model._meta.model_name or ""
    path = "pk" if model._meta.label == "people.Person" else person_path
    person_id = None  # a record of no one person's (a pool), or no such record
    if path is not None:
        try:
            found = model._default_manager.filter(pk=object_id).values_list(path, flat=True)
            person_id = found.first()
        except (TypeError, ValueError, OverflowError):
            pass  # not an id at all: still recorded, naming no one
    event_record(
        actor=actor,
        action=Action.DENIED,
        object_type=object_type,
        object_id=str(object_id)[:40],
        person_id=person_id,
        summary=f"Refused {model._meta.verbose_name} {object_id}"[:300],
    )
    return Http404(f"No such {model._meta.verbose_name}")


def record_or_refused(
    records: models.QuerySet[M],
    *,
    actor: User | AnonymousUser | None,
    object_id: int,
    person_path: str | None = "person_id",
) -> M:
    """The record with ``object_id`` among ``records`` (those the actor may see); if it is
    not there, the refusal is recorded (``look_refused``) and the answer is a 404."""
    try:
        return records.get(pk=object_id)
    except ObjectDoesNotExist as missing:
        raise look_refused(
            actor=actor, model=records.model, object_id=object_id, person_path=person_path
        ) from missing


def events_record_bulk(events: list[Event]) -> None:
    """Write many audit events at once (imports, the demo generator)."""
    origin = current_origin()
    for event in events:
        event.channel = origin.channel
        event.ip_address = origin.ip_address
    _append(events)
