"""Writing to the audit log. Services call ``event_record`` inside their transaction, so a
change and its audit event are committed together or not at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from selfdirect.audit.context import current_origin
from selfdirect.audit.models import Action, Event

Snapshot = dict[str, Any]


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
    origin = current_origin()
    user = actor if isinstance(actor, User) else None
    return Event.objects.create(
        actor=user,
        actor_username=user.get_username() if user is not None else "",
        actor_roles=_roles_of(user) if user is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        person_id=person_id,
        summary=summary[:300],
        changes=dict(changes or {}),
        channel=origin.channel,
        ip_address=origin.ip_address,
    )


def events_record_bulk(events: list[Event]) -> None:
    """Write many audit events at once (imports, the demo generator)."""
    origin = current_origin()
    for event in events:
        event.channel = origin.channel
        event.ip_address = origin.ip_address
    Event.objects.bulk_create(events, batch_size=2000)
