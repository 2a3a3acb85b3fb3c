"""The audit trail as CSV for a data protection officer: every event about one person
(a subject access request) or every event by one user. Each export is itself audited.

Cells that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``, tab or
carriage return) are written with a leading apostrophe by ``selfdirect.csv_export``, so a
name or summary typed by anyone cannot become a formula in the officer's spreadsheet."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import QuerySet

from selfdirect.audit.models import Action, Event
from selfdirect.audit.selectors import (
    actor_trail,
    is_list_look,
    listed_references,
    person_trail,
)
from selfdirect.audit.services import event_record
from selfdirect.csv_export import csv_write

if TYPE_CHECKING:
    from selfdirect.people.models import Person

COLUMNS = (
    "When (UTC)",
    "Action",
    "Record type",
    "Record id",
    "Person reference",
    "What",
    "Changes",
    "By (username)",
    "By (roles)",
    "By (teams)",
    "Channel",
    "IP address",
)


def _batches(events: QuerySet[Event], size: int = 2000) -> Iterator[list[Event]]:
    batch: list[Event] = []
    for event in events.iterator(chunk_size=size):
        batch.append(event)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _rows(events: QuerySet[Event], *, subject: Person | None = None) -> Iterator[Sequence[Any]]:
    """One row per event and person. A list look is one event naming everyone shown
    (decision 0056): in one person's trail (``subject``) it is one row naming that person
    only (``person_trail`` leaves out the others); in a user's trail it is one row per
    person shown, by council reference, as each look was written before (one query per
    2,000 events)."""
    labels = dict(Action.choices)
    for batch in _batches(events):
        listed: dict[int, list[str]] = {}
        if subject is None:
            listed = listed_references(event_ids=[e.pk for e in batch if is_list_look(e)])
        for e in batch:
            reference = e.person.la_person_id if e.person is not None else ""
            if subject is not None and not reference:
                reference = subject.la_person_id  # a list they appeared in
            changes = (
                "" if e.pk in listed or not e.changes else json.dumps(e.changes, ensure_ascii=False)
            )
            for each in listed.get(e.pk, [reference]):
                yield (
                    e.at.strftime("%Y-%m-%d %H:%M:%S"),
                    labels.get(e.action, e.action),
                    e.object_type,
                    e.object_id,
                    each,
                    e.summary,
                    changes,
                    e.actor_username,
                    e.actor_roles,
                    e.actor_teams or "",
                    e.channel,
                    e.ip_address or "",
                )


@transaction.atomic
def audit_trail_export_person(
    *, actor: User | AnonymousUser | None, person: Person, out: TextIO
) -> int:
    """Subject access: write every event about ``person`` to ``out``; the export is recorded
    on the person's own trail. Returns how many events were written."""
    count = csv_write(out, COLUMNS, _rows(person_trail(person_id=person.pk), subject=person))
    event_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="audit_trail",
        object_id=person.pk,
        person_id=person.pk,
        summary=f"Exported the audit trail of {person.la_person_id} ({count} events)",
    )
    return count


@transaction.atomic
def audit_trail_export_user(*, actor: User | AnonymousUser | None, user: User, out: TextIO) -> int:
    """Every event by ``user`` to ``out`` (a list look as one row per person shown); the
    export is recorded. Returns how many rows were written."""
    count = csv_write(out, COLUMNS, _rows(actor_trail(user_id=user.pk)))
    event_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="audit_trail",
        object_id=user.pk,
        summary=f"Exported the audit trail of user {user.get_username()} ({count} events)",
    )
    return count
