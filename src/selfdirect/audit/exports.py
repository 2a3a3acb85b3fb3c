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
from selfdirect.audit.selectors import actor_trail, person_trail
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


def _rows(events: QuerySet[Event]) -> Iterator[Sequence[Any]]:
    labels = dict(Action.choices)
    for e in events.iterator(chunk_size=2000):
        yield (
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            labels.get(e.action, e.action),
            e.object_type,
            e.object_id,
            e.person.la_person_id if e.person is not None else "",
            e.summary,
            json.dumps(e.changes, ensure_ascii=False) if e.changes else "",
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
    count = csv_write(out, COLUMNS, _rows(person_trail(person_id=person.pk)))
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
    """Every event by ``user`` to ``out``; the export is recorded. Returns how many."""
    count = csv_write(out, COLUMNS, _rows(actor_trail(user_id=user.pk)))
    event_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="audit_trail",
        object_id=user.pk,
        summary=f"Exported the audit trail of user {user.get_username()} ({count} events)",
    )
    return count
