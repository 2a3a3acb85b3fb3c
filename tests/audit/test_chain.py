"""The audit log is a hash chain: every way of writing an event chains it, and an event
changed or removed behind the database's back (its triggers lifted) is found by
``manage.py audit_verify``, naming the event."""

from __future__ import annotations

import itertools
import json
import time
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from selfdirect.audit.chain import GENESIS, link_hash, verify
from selfdirect.audit.context import origin
from selfdirect.audit.models import Action, Event
from selfdirect.audit.services import event_record, events_record_bulk, look_refused, looks_record
from selfdirect.people.models import Person
from tests.concurrency import race

pytestmark = pytest.mark.django_db


def _record(council: Any, summary: str = "s", **extra: Any) -> Event:
    return event_record(
        actor=council.users["admin"],
        action=Action.UPDATE,
        object_type="person",
        object_id=council.holder_person.pk,
        person_id=council.holder_person.pk,
        summary=summary,
        **extra,
    )


def _tamper(sql: str, params: list[Any]) -> None:
    """Run ``sql`` on audit_event with the append-only triggers lifted, as someone with
    direct access to the database could, then put the triggers back."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("INSERT INTO audit_maintenance (reason) VALUES ('tamper')")
            cursor.execute(sql, params)
            cursor.execute("DELETE FROM audit_maintenance")
            cursor.execute(
                "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
                "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
            )
        else:
            _no_pending_checks(cursor)
            cursor.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change")


def _no_pending_checks(cursor: Any) -> None:
    """PostgreSQL will not alter a table with deferred foreign-key checks pending from
    this (test) transaction's inserts: run them now."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _verify_json() -> tuple[dict[str, Any], CommandError | None]:
    out = StringIO()
    try:
        call_command("audit_verify", "--json", stdout=out)
    except CommandError as failed:
        return json.loads(out.getvalue()), failed
    return json.loads(out.getvalue()), None


def test_every_write_path_chains_each_event_onto_the_one_before(council: Any) -> None:
    first = _record(council, "one")
    with origin("api", "2001:DB8:0:0:0:0:0:1"):  # stored normalised; the hash must agree
        second = _record(council, "two", changes={"b": [1, 2], "a": [None, "x"]})
    looks_record(
        actor=council.users["practitioner"],
        people=[council.holder_person, council.other_person],
        summary="Appeared in a list",
    )
    events_record_bulk(
        [Event(action=Action.IMPORT, object_type="person", summary=f"Imported {i}") for i in (1, 2)]
    )
    with pytest.raises(Exception):  # noqa: B017 - the 404 to raise; the event is what matters
        raise look_refused(actor=council.users["practitioner"], model=Person, object_id=999999)
    events = list(Event.objects.filter(id__gte=first.pk).order_by("id"))
    assert len(events) == 6  # the list of two people is one event (decision 0056)
    assert second.prev_hash == first.hash
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    for event in events:
        assert event.hash is not None and len(event.hash) == 64
    assert verify().verified


def test_the_hash_covers_the_content_and_the_link() -> None:
    import datetime as dt

    values = {
        "at": dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC),
        "actor_id": 1,
        "actor_username": "a",
        "actor_roles": "admin",
        "actor_teams": "",
        "action": "update",
        "object_type": "person",
        "object_id": "5",
        "person_id": 5,
        "summary": "s",
        "changes": {"b": 1, "a": 2},
        "channel": "web",
        "ip_address": None,
    }
    base = link_hash(GENESIS, values)
    assert link_hash(GENESIS, {**values, "changes": {"a": 2, "b": 1}}) == base  # key order
    assert link_hash(GENESIS, {**values, "summary": "t"}) != base
    assert link_hash("0" * 64, values) != base
    import hashlib

    assert (
        base
        == hashlib.sha256(
            json.dumps(
                {**values, "at": "2026-12-06T12:00:00.000+00:00"},
                sort_keys=True,
                separators=(",", ":"),
            ).encode()
        ).hexdigest()
    )


def test_verify_passes_on_an_untouched_log(council: Any) -> None:
    for i in range(5):
        _record(council, f"event {i}")
    report, failed = _verify_json()
    assert failed is None
    assert report["verified"] is True
    assert report["first_bad_id"] is None
    assert report["events"] == Event.objects.count()
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "the chain is whole" in out.getvalue()


def test_a_row_edited_directly_is_caught_naming_it(council: Any) -> None:
    events = [_record(council, f"event {i}") for i in range(4)]
    target = events[1]
    _tamper("UPDATE audit_event SET summary = %s WHERE id = %s", ["nothing to see", target.pk])
    report, failed = _verify_json()
    assert report == {**report, "verified": False, "first_bad_id": target.pk}
    assert "content changed" in report["problem"]
    assert failed is not None and failed.returncode == 1
    assert f"event {target.pk}" in str(failed)


def test_a_row_edited_and_rehashed_breaks_the_next_link(council: Any) -> None:
    events = [_record(council, f"event {i}") for i in range(3)]
    target = events[1]
    target.summary = "rewritten"
    forged = link_hash(target.prev_hash or "", _content(target))
    _tamper(
        "UPDATE audit_event SET summary = %s, hash = %s WHERE id = %s",
        ["rewritten", forged, target.pk],
    )
    verdict = verify()
    assert (verdict.verified, verdict.first_bad_id) == (False, events[2].pk)
    assert "link broken" in verdict.problem


def test_a_deleted_row_is_caught(council: Any) -> None:
    events = [_record(council, f"event {i}") for i in range(4)]
    _tamper("DELETE FROM audit_event WHERE id = %s", [events[2].pk])
    verdict = verify(chunk_size=2)  # the break falls across a chunk boundary too
    assert (verdict.verified, verdict.first_bad_id) == (False, events[3].pk)
    assert f"does not follow event {events[1].pk}" in verdict.problem


def test_purged_oldest_events_leave_a_chain_that_still_verifies(council: Any) -> None:
    events = [_record(council, f"event {i}") for i in range(3)]
    _tamper("DELETE FROM audit_event WHERE id <= %s", [events[0].pk])
    verdict = verify()
    assert verdict.verified
    assert verdict.starts_after == events[0].hash
    assert (verdict.last_id, verdict.last_hash) == (events[2].pk, events[2].hash)


def _content(event: Event) -> dict[str, Any]:
    from selfdirect.audit.chain import _stored_values

    return _stored_values(event)


def test_the_migration_backfills_existing_events_in_order(council: Any) -> None:
    """Events written before the chain (no hash) are chained oldest first by migration
    0004, with the update trigger lifted only for the backfill."""
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("selfdirect.audit.migrations.0004_hash_chain").backfill
    Event.objects.bulk_create(  # as before the chain: no hashes
        [Event(action=Action.VIEW, object_type="x", summary=f"old {i}") for i in range(3)]
    )
    assert Event.objects.filter(hash__isnull=True).count() >= 3
    assert not verify().verified

    class Editor:
        def __init__(self) -> None:
            self.connection = connection

        def execute(self, sql: str) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql)

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            _no_pending_checks(cursor)
    backfill(apps, Editor())
    assert Event.objects.filter(hash__isnull=True).count() == 0
    assert verify().verified
    first = Event.objects.order_by("id").first()
    assert first is not None and first.prev_hash == GENESIS
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=first.pk).update(summary="rewritten")


def test_the_demo_council_verifies(db: Any) -> None:
    from selfdirect.demo.generator import demo_council_build

    demo_council_build(people=120, seed=4)
    verdict = verify()
    assert verdict.verified, verdict.problem
    assert verdict.events == Event.objects.count() > 10


@pytest.mark.postgres
def test_two_transactions_appending_at_once_do_not_fork_the_chain(
    committed_council: Any,
) -> None:
    """Each transaction writes three events and holds on before committing: without the
    lock both would chain onto the same last event."""
    council = committed_council
    before = Event.objects.count()

    def act(index: int, _loaded: Any) -> None:
        with transaction.atomic():
            for n in range(3):
                _record(council, f"racer {index} event {n}")
                time.sleep(0.05)

    outcomes = race(lambda _i: None, act)
    assert outcomes == [None, None]
    assert Event.objects.count() == before + 6
    prevs = list(Event.objects.values_list("prev_hash", flat=True))
    assert len(prevs) == len(set(prevs)), "two events chain onto the same event: a fork"
    verdict = verify()
    assert verdict.verified, verdict.problem


def test_a_log_restored_from_a_dump_verifies_and_an_edited_dump_does_not(council: Any) -> None:
    """After a restore (dumpdata, then loaddata into an empty log) the chain still holds,
    hashes and all; a dump edited before it was restored is caught."""
    from django.core import serializers

    for i in range(3):
        _record(council, f"event {i}", changes={"Family name": ["A", f"B{i}"]})
    dump = serializers.serialize("json", Event.objects.order_by("id"))
    _tamper("DELETE FROM audit_event", [])
    for restored in serializers.deserialize("json", dump):
        restored.save()
    assert verify().verified

    edited = json.loads(dump)
    victim = edited[2]
    victim["fields"]["changes"] = {"Family name": ["A", "forged"]}
    _tamper("DELETE FROM audit_event", [])
    for restored in serializers.deserialize("json", json.dumps(edited)):
        restored.save()
    verdict = verify()
    assert (verdict.verified, verdict.first_bad_id) == (False, victim["pk"])
