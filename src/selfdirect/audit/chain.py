"""The audit log as a hash chain: each event carries the hash of the one before it, so an
event changed, removed or slipped in after the fact breaks the chain (``audit_verify``).

``hash = sha256(prev_hash + canonical JSON of the event's content)``; the first event's
``prev_hash`` is ``""``. Appends are serialised so two transactions never chain onto the
same event: on PostgreSQL by a transaction-level advisory lock held to commit; on SQLite
by the database's single writer (``transaction_mode`` IMMEDIATE in settings, so every
transaction holds the write lock from its BEGIN, before the last hash is read). See
docs/decisions/0012-audit-hash-chain.md."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from selfdirect.audit.models import Event

GENESIS = ""
# pg_advisory_xact_lock key for audit appends ("5e1fd1ec", selfdirect): held to commit.
LOCK_KEY = 0x5E1FD1EC
# The content the hash covers, in this order (column names). Changing this list or the
# canonical form below breaks every existing chain: don't, without a versioned format.
CONTENT = (
    "at",
    "actor_id",
    "actor_username",
    "actor_roles",
    "actor_teams",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "summary",
    "changes",
    "channel",
    "ip_address",
)


def canonical(values: Mapping[str, Any]) -> str:
    """The canonical JSON of an event's content, from its values as the database returns
    them: ``at`` as ISO 8601 in UTC to the millisecond, and sorted keys throughout
    (``changes`` included)."""
    at = values["at"]
    content = dict(values)
    # To the millisecond: Django's JSON serialiser (dumpdata) keeps no more, so a log
    # dumped and loaded back still verifies.
    content["at"] = at.astimezone(dt.UTC).isoformat(timespec="milliseconds") if at else None
    content["ip_address"] = values["ip_address"] or None
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def link_hash(prev_hash: str, values: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(values)).encode()).hexdigest()


def _stored_values(event: Event) -> dict[str, Any]:
    """The event's content as it will be stored (each value through its field's
    preparation: an IPv6 address normalised, a number in a text field made text)."""
    fields = {field.attname: field for field in Event._meta.concrete_fields}
    return {name: fields[name].get_prep_value(getattr(event, name)) for name in CONTENT}


def _last_hash() -> str:
    """The hash of the newest event (one indexed query), after taking the append lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    last = Event.objects.order_by("-id").values_list("hash", flat=True).first()
    return last or GENESIS


def chain(events: Iterable[Event]) -> None:
    """Stamp ``at`` and chain ``events`` (unsaved, in the order they will be inserted) onto
    the newest event. Call inside ``transaction.atomic()`` and insert them before it ends,
    so the lock is held until they are committed."""
    if connection.get_autocommit():
        raise transaction.TransactionManagementError("chain() needs a transaction")
    prev = _last_hash()
    now = timezone.now()
    for event in events:
        event.at = now
        event.prev_hash = prev
        event.hash = prev = link_hash(prev, _stored_values(event))


@dataclass
class Verdict:
    events: int = 0
    verified: bool = True
    first_bad_id: int | None = None
    problem: str = ""
    # The chain's first prev_hash: not "" when the oldest events were purged.
    starts_after: str = GENESIS
    last_id: int | None = None
    last_hash: str = GENESIS

    def as_dict(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "verified": self.verified,
            "first_bad_id": self.first_bad_id,
            "problem": self.problem,
            "starts_after": self.starts_after,
            "last_id": self.last_id,
            "last_hash": self.last_hash,
        }


def _rows(chunk_size: int) -> Iterator[tuple[Any, ...]]:
    return (
        Event.objects.order_by("id")
        .values_list("id", "prev_hash", "hash", *CONTENT)
        .iterator(chunk_size=chunk_size)
    )


def verify(*, chunk_size: int = 5000) -> Verdict:
    """Walk the whole log in id order (``chunk_size`` rows in memory at a time) and report
    the first event whose content no longer matches its hash, or whose link does not
    match the hash of the event before it."""
    verdict = Verdict()
    expected: str | None = None  # the previous event's hash; None before the first
    previous_id: int | None = None
    for row in _rows(chunk_size):
        event_id, prev_hash, stored, values = (
            row[0],
            row[1],
            row[2],
            dict(zip(CONTENT, row[3:], strict=True)),
        )
        verdict.events += 1
        if expected is None:
            verdict.starts_after = prev_hash or GENESIS
            expected = verdict.starts_after
        problem = ""
        if stored is None or prev_hash is None:
            problem = f"event {event_id} is not chained (no hash)"
        elif prev_hash != expected:
            problem = (
                f"link broken: event {event_id} does not follow event {previous_id} "
                "(an event between them was removed or inserted, or that event's hash "
                "was rewritten)"
            )
        elif link_hash(prev_hash, values) != stored:
            problem = f"content changed: event {event_id} no longer matches its hash"
        if problem:
            verdict.verified, verdict.first_bad_id, verdict.problem = False, event_id, problem
            verdict.events = Event.objects.count()
            return verdict
        expected, previous_id = stored, event_id
        verdict.last_id, verdict.last_hash = event_id, stored
    return verdict
