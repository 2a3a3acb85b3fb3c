"""A list look is one chained event plus one slim ``Listed`` row per person shown
(decision 0056): every reader of a person's log still finds it, shows that person only
that they appeared in the list, and ``audit_verify`` catches a slim row added, removed or
changed behind the database's back."""

from __future__ import annotations

import csv
import io
import itertools
from typing import Any

import pytest
from django.db import connection

from selfdirect.audit.chain import verify
from selfdirect.audit.exports import audit_trail_export_person, audit_trail_export_user
from selfdirect.audit.models import Action, Event, Listed
from selfdirect.audit.selectors import person_history, person_looks, person_trail
from selfdirect.audit.services import look_record, looks_record
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

SQLITE_NO_UPDATE = (
    "CREATE TRIGGER audit_listed_no_update BEFORE UPDATE ON audit_listed "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
)


def _tamper(sql: str, params: list[Any]) -> None:
    """Run ``sql`` with the append-only triggers (and on PostgreSQL the foreign keys) lifted,
    as someone with direct access to the database could, then put them back."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_listed_no_update")
            cursor.execute("INSERT INTO audit_maintenance (reason) VALUES ('tamper')")
            cursor.execute(sql, params)
            cursor.execute("DELETE FROM audit_maintenance")
            cursor.execute(SQLITE_NO_UPDATE)
        else:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def _list(council: Any, people: list[Any], summary: str = "Review queue") -> Event:
    event = looks_record(actor=council.users["practitioner"], people=people, summary=summary)
    assert event is not None
    return event


def _three(council: Any) -> list[Any]:
    return [council.holder_person, council.other_person, PersonFactory(team=council.team_a)]


def test_an_untouched_log_with_list_looks_verifies_across_chunks(council: Any) -> None:
    people = _three(council)
    for size in (1, 2, 3):
        _list(council, people[:size], f"list of {size}")
    look_record(actor=council.users["practitioner"], record=people[0], summary="Record")
    for chunk_size in (1, 2, 5000):
        verdict = verify(chunk_size=chunk_size)
        assert verdict.verified, verdict.problem
        assert verdict.listed == 6 == Listed.objects.count()


def test_a_slim_row_added_is_caught_naming_the_list_event(council: Any) -> None:
    people = _three(council)
    event = _list(council, people[:2])
    _list(council, people[:1], "later")
    # No trigger is needed to add a row: INSERT is allowed, so the check must catch it.
    Listed.objects.create(event=event, person=people[2])
    verdict = verify(chunk_size=1)
    assert (verdict.verified, verdict.first_bad_id) == (False, event.pk)
    assert "listed rows changed" in verdict.problem
    assert f"rows added for [{people[2].pk}]" in verdict.problem


def test_a_slim_row_removed_is_caught(council: Any) -> None:
    people = _three(council)
    event = _list(council, people)
    _tamper(
        "DELETE FROM audit_listed WHERE event_id = %s AND person_id = %s", [event.pk, people[1].pk]
    )
    verdict = verify()
    assert (verdict.verified, verdict.first_bad_id) == (False, event.pk)
    assert f"rows missing for [{people[1].pk}]" in verdict.problem


def test_a_slim_row_changed_to_another_person_is_caught(council: Any) -> None:
    people = _three(council)
    event = _list(council, people[:2])
    _tamper(
        "UPDATE audit_listed SET person_id = %s WHERE event_id = %s AND person_id = %s",
        [people[2].pk, event.pk, people[1].pk],
    )
    verdict = verify()
    assert (verdict.verified, verdict.first_bad_id) == (False, event.pk)
    assert "listed rows changed" in verdict.problem
    assert str(people[2].pk) in verdict.problem and str(people[1].pk) in verdict.problem


def test_a_slim_row_on_an_event_that_is_not_a_list_is_caught(council: Any) -> None:
    seen = look_record(
        actor=council.users["practitioner"], record=council.holder_person, summary="Record"
    )
    Listed.objects.create(event=seen, person=council.other_person)
    verdict = verify()
    assert (verdict.verified, verdict.first_bad_id) == (False, seen.pk)
    assert f"rows added for [{council.other_person.pk}]" in verdict.problem


def test_rows_left_behind_by_a_purge_of_their_event_are_caught(council: Any) -> None:
    """A retention purge must remove a list event's rows with it: rows left naming an
    event that is no longer in the log are caught."""
    first = _list(council, [council.holder_person])
    later = look_record(
        actor=council.users["practitioner"], record=council.holder_person, summary="Record"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO audit_maintenance (reason) VALUES ('purge')")
            cursor.execute("DELETE FROM audit_event WHERE id <= %s", [first.pk])
            cursor.execute("DELETE FROM audit_maintenance")
        else:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("DELETE FROM audit_event WHERE id <= %s", [first.pk])
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    verdict = verify()
    assert (verdict.verified, verdict.first_bad_id) == (False, first.pk)
    assert "which is not in the log" in verdict.problem
    assert later.pk > first.pk
    # The rest of the purge, so the foreign keys checked at the test's end hold.
    _tamper("DELETE FROM audit_listed WHERE event_id = %s", [first.pk])


def test_list_looks_of_the_old_shape_still_verify_and_are_read(council: Any) -> None:
    """Before decision 0056 a list look was one event per person (person set, no ids in
    ``changes``): those need no rows, and each person's log still shows them."""
    from selfdirect.audit.services import events_record_bulk

    old = Event(
        actor=council.users["practitioner"],
        actor_username="practitioner",
        action=Action.VIEW,
        object_type="list",
        person=council.holder_person,
        summary="Appeared in search results",
    )
    events_record_bulk([old])
    assert verify().verified
    assert list(person_looks(person_id=council.holder_person.pk)) == [old]


def test_every_reader_of_a_persons_log_finds_the_list_they_appeared_in(council: Any) -> None:
    holder, other = council.holder_person, council.other_person
    seen = look_record(actor=council.users["practitioner"], record=holder, summary="Record")
    listed = _list(council, [holder, other], "Appeared in the review queue")
    elsewhere = _list(council, [other], "Not the holder's list")
    since = {"pk__gte": seen.pk}
    for read in (person_history, person_looks):
        assert list(read(person_id=holder.pk).filter(**since)) == [listed, seen]  # newest first
    assert list(person_trail(person_id=holder.pk).filter(**since)) == [seen, listed]
    assert elsewhere not in person_history(person_id=holder.pk)
    assert list(person_looks(person_id=other.pk).filter(**since)) == [elsewhere, listed]
    # Paging (count, then a slice) works on the union, as the pages use it.
    looks = person_looks(person_id=holder.pk)
    assert looks.count() == looks.filter(pk__lt=seen.pk).count() + 2
    assert list(looks[:2]) == [listed, seen]


def test_a_person_is_not_shown_the_others_in_the_list(council: Any) -> None:
    holder, other = council.holder_person, council.other_person
    _list(council, [holder, other], "Appeared in the review queue")
    for read in (person_history, person_looks, person_trail):
        shown = [e for e in read(person_id=holder.pk) if e.summary.startswith("Appeared")]
        assert [e.changes for e in shown] == [{}], read
        shown = list(read(person_id=holder.pk).iterator())
        assert all(e.changes == {} for e in shown if e.object_type == "list")
    # The log itself still holds the ids (the hash covers them).
    assert Event.objects.get(summary="Appeared in the review queue").changes == {
        "people": sorted([holder.pk, other.pk])
    }


def test_the_history_page_shows_the_list_but_not_the_other_people(
    client: Any, council: Any
) -> None:
    holder, other = council.holder_person, council.other_person
    _list(council, [holder, other], "Appeared in the review queue")
    client.force_login(council.users["practitioner"])
    page = client.get(f"/people/{holder.pk}/history/").content.decode()
    assert "Viewed: Appeared in the review queue" in page
    assert "<strong>people</strong>" not in page and f"→ {other.pk}" not in page


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_subject_access_export_names_only_the_subject(council: Any) -> None:
    holder, other = council.holder_person, council.other_person
    _list(council, [holder, other], "Appeared in the review queue")
    out = io.StringIO()
    audit_trail_export_person(actor=council.users["dpo"], person=holder, out=out)
    rows = [r for r in _csv(out.getvalue()) if r["What"] == "Appeared in the review queue"]
    assert len(rows) == 1
    assert rows[0]["Person reference"] == holder.la_person_id
    assert rows[0]["Changes"] == ""
    assert other.la_person_id not in out.getvalue()


def test_a_staff_trail_export_has_a_row_for_each_person_the_list_showed(council: Any) -> None:
    holder, other = council.holder_person, council.other_person
    _list(council, [holder, other], "Appeared in the review queue")
    out = io.StringIO()
    audit_trail_export_user(actor=council.users["dpo"], user=council.users["practitioner"], out=out)
    rows = [r for r in _csv(out.getvalue()) if r["What"] == "Appeared in the review queue"]
    assert sorted(r["Person reference"] for r in rows) == sorted(
        [holder.la_person_id, other.la_person_id]
    )
    assert {(r["Record type"], r["Changes"], r["By (username)"]) for r in rows} == {
        ("list", "", "practitioner")
    }


def test_the_persons_log_is_read_by_index(council: Any) -> None:
    """Both halves of the union are index searches and the events are read by primary
    key: no full scan of the log or of the slim rows (decision 0056). PostgreSQL scans a
    tiny table whole whatever its indexes, so there the test prices scans out and checks
    that an index serves each half (its plan at 100,000 people is in decision 0056)."""
    _list(council, [council.holder_person])
    for read in (person_history, person_looks, person_trail):
        sql, params = read(person_id=council.holder_person.pk)[:25].query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                plan = [row[-1] for row in cursor.fetchall()]
                scans = [step for step in plan if step.startswith("SCAN") and "audit" in step]
            else:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute(f"EXPLAIN {sql}", params)
                plan = [row[0] for row in cursor.fetchall()]
                cursor.execute("SET LOCAL enable_seqscan = on")
                scans = [step for step in plan if "Seq Scan on audit" in step]
        assert not scans, plan
        assert any("audit_listed_person_event" in step for step in plan), plan


def test_pairs_of_list_events_stay_chained(council: Any) -> None:
    people = _three(council)
    events = [_list(council, people[: n + 1], f"list {n}") for n in range(3)]
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
