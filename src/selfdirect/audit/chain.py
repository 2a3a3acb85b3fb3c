"""The audit log as a hash chain: each event carries the hash of the one before it, so an
event changed, removed or slipped in after the fact breaks the chain (``audit_verify``).

``hash = sha256(prev_hash + canonical JSON of the event's content)``; the first event's
``prev_hash`` is ``""``. A list look is one event naming everyone shown in its hashed
``changes``; its slim ``Listed`` rows are checked against those ids (decision 0056). Appends are serialised so two transactions never chain onto the
same event: on PostgreSQL by a transaction-level advisory lock held to commit; on SQLite
by the database's single writer (``transaction_mode`` IMMEDIATE in settings, so every
transaction holds the write lock from its BEGIN, before the last hash is read). See
docs/decisions/0012-audit-hash-chain.md."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from selfdirect.audit.models import LIST, LISTED_KEY, Event, Listed

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
    # Slim rows of list looks checked against their events' hashed ids (decision 0056).
    listed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "verified": self.verified,
            "first_bad_id": self.first_bad_id,
            "problem": self.problem,
            "starts_after": self.starts_after,
            "last_id": self.last_id,
            "last_hash": self.last_hash,
            "listed": self.listed,
        }


def listed_ids(values: Mapping[str, Any]) -> list[int]:
    """The people a list look's hashed content names (none for any other event, and for
    the list looks written before decision 0056, one event per person)."""
    if values["object_type"] != LIST or values["person_id"] is not None:
        return []
    changes = values["changes"]
    return sorted(changes.get(LISTED_KEY, [])) if isinstance(changes, dict) else []


def _listed_problem(event_id: int, found: list[int], named: list[int]) -> str:
    """What is wrong when a list look's slim ``Listed`` rows (``found``) are not the people
    its hashed content names (``named``); "" when they agree."""
    found = sorted(found)
    if found == named:
        return ""
    extra = sorted(set(found) - set(named)) or "none"
    missing = sorted(set(named) - set(found)) or "none"
    return (
        f"listed rows changed: the people listed for event {event_id} no longer match its "
        f"hash (rows added for {extra}, rows missing for {missing})"
    )


def verify(*, chunk_size: int = 5000) -> Verdict:
    """Walk the whole log in id order (``chunk_size`` events in memory at a time) and report
    the first event whose content no longer matches its hash, or whose link does not
    match the hash of the event before it, or, for a list look, whose slim ``Listed`` rows
    are not exactly the people its hashed content names. Events appended while it runs
    (after the newest at its start) are left for the next run."""
    verdict = Verdict()
    newest = Event.objects.order_by("-id").values_list("id", flat=True).first()
    if newest is None:
        return verdict
    expected: str | None = None  # the previous event's hash; None before the first
    previous_id: int | None = None
    after = 0  # the last event id checked, and with it every Listed row up to it
    while True:
        rows = list(
            Event.objects.filter(id__gt=after, id__lte=newest)
            .order_by("id")
            .values_list("id", "prev_hash", "hash", *CONTENT)[:chunk_size]
        )
        if not rows:
            return verdict
        listed: dict[int, list[int]] = {}
        for event_id, person_id in Listed.objects.filter(
            event_id__gt=after, event_id__lte=rows[-1][0]
        ).values_list("event_id", "person_id"):
            listed.setdefault(event_id, []).append(person_id)
        for row in rows:
            event_id, prev_hash, stored = row[0], row[1], row[2]
            values = dict(zip(CONTENT, row[3:], strict=True))
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
            else:
                named = listed_ids(values)
                problem = _listed_problem(event_id, listed.pop(event_id, []), named)
                verdict.listed += len(named)
            if problem:
                verdict.verified, verdict.first_bad_id, verdict.problem = False, event_id, problem
                verdict.events = Event.objects.count()
                return verdict
            expected, previous_id = stored, event_id
            verdict.last_id, verdict.last_hash = event_id, stored
        if listed:  # rows naming an event that is not in the log (it was removed)
            orphan = min(listed)
            verdict.verified, verdict.first_bad_id = False, orphan
            verdict.problem = (
                f"listed rows changed: rows list people for event {orphan}, which is not in the log"
            )
            verdict.events = Event.objects.count()
            return verdict
        after = rows[-1][0]
