"""The audit log cannot be changed or deleted, even by code that tries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from selfdirect.audit.context import origin
from selfdirect.audit.models import Action, Event
from selfdirect.audit.services import changes_between, event_record, snapshot

pytestmark = pytest.mark.django_db
REFUSED = IntegrityError


def test_events_cannot_be_updated_or_deleted(council: Any) -> None:
    event = event_record(
        actor=council.users["admin"], action=Action.UPDATE, object_type="x", summary="s"
    )
    with pytest.raises(REFUSED, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(REFUSED, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.summary == "s"


def test_event_records_actor_roles_and_origin(council: Any) -> None:
    with origin("api", "192.0.2.7"):
        event = event_record(
            actor=council.users["practitioner"],
            action=Action.VIEW,
            object_type="person",
            object_id=5,
            summary="Viewed record",
        )
    assert (event.actor_username, event.actor_roles, event.channel, event.ip_address) == (
        "practitioner",
        "practitioner",
        "api",
        "192.0.2.7",
    )
    command = event_record(actor=None, action=Action.IMPORT, object_type="person", summary="x")
    assert command.channel == "command"
    assert command.actor is None


def test_snapshot_and_changes_use_labels_and_display_values(council: Any) -> None:
    person = council.holder_person
    before = snapshot(person, ["family_name", "gender", "needs_bsl", "date_of_birth"])
    person.family_name, person.gender, person.needs_bsl = "New", "2", True
    after = snapshot(person, ["family_name", "gender", "needs_bsl", "date_of_birth"])
    assert changes_between(before, after) == {
        "Family name": ["Holder", "New"],
        "Gender": ["Not known", "Female"],
        "British sign language interpreter": ["No", "Yes"],
    }


def test_events_keep_the_actors_teams_at_the_time(council: Any) -> None:
    practitioner = council.users["practitioner"]
    event = event_record(actor=practitioner, action=Action.VIEW, object_type="x", summary="s")
    practitioner.team_memberships.update(team=council.team_b)
    event.refresh_from_db()
    assert event.actor_teams == "North team"


def test_a_list_is_one_chained_event_and_one_slim_row_per_person(
    council: Any, django_assert_num_queries: Any
) -> None:
    """A list look is ONE chained event naming everyone shown (sorted, so the hash covers
    them) plus one slim Listed row per person, in one statement each (decision 0056)."""
    from django.db import connection

    from selfdirect.audit.models import Listed
    from selfdirect.audit.services import looks_record

    holder, other = council.holder_person, council.other_person
    people = [other, holder, other]
    actor = council.users["finance"]
    actor.team_memberships.all()  # the teams lookup, the last hash (after the chain lock
    chain_lock = 1 if connection.vendor == "postgresql" else 0  # on PostgreSQL), 2 inserts
    with django_assert_num_queries(4 + chain_lock):
        event = looks_record(actor=actor, people=people, summary="Appeared in search results")
    assert event is not None
    stored = Event.objects.get(summary="Appeared in search results")
    assert stored.pk == event.pk
    assert (stored.object_type, stored.person_id, stored.action) == ("list", None, Action.VIEW)
    assert stored.changes == {"people": sorted([holder.pk, other.pk])}
    assert sorted(Listed.objects.filter(event=stored).values_list("person_id", flat=True)) == (
        sorted([holder.pk, other.pk])
    )
    assert looks_record(actor=actor, people=[None], summary="Nobody") is None
    assert not Event.objects.filter(summary="Nobody").exists()


def test_listed_rows_cannot_be_updated_or_deleted(council: Any) -> None:
    from selfdirect.audit.models import Listed
    from selfdirect.audit.services import looks_record

    looks_record(actor=council.users["admin"], people=[council.holder_person], summary="A list")
    row = Listed.objects.get()
    with pytest.raises(REFUSED, match="append-only"), transaction.atomic():
        Listed.objects.filter(pk=row.pk).update(person=council.other_person)
    with pytest.raises(REFUSED, match="append-only"), transaction.atomic():
        Listed.objects.filter(pk=row.pk).delete()
    row.refresh_from_db()
    assert row.person_id == council.holder_person.pk


def test_requests_are_not_one_transaction(settings: Any) -> None:
    """A refusal is written before the 404 is raised; with ATOMIC_REQUESTS the 404 would
    roll it back. Keep it off (or move refusals to their own connection)."""
    assert not any(db.get("ATOMIC_REQUESTS") for db in settings.DATABASES.values())
