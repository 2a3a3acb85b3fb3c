"""Changes to people, their relationships and consents: one transaction each, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from selfdirect.audit.models import Action
from selfdirect.audit.services import changes_between, event_record, snapshot
from selfdirect.people.forms import PERSON_FIELDS
from selfdirect.people.models import Consent, NamedWorkerAllocation, Person, Relationship
from selfdirect.refusals import Refused

RELATIONSHIP_FIELDS = [
    "related_person",
    "kind",
    "legal_basis",
    "description",
    "is_main_carer",
    "shares_household",
    "can_see_record",
    "start_date",
    "end_date",
]


class PeopleError(Refused):
    """A change to a person refused by a rule."""


CONSENT_FIELDS = ["purpose", "status", "decided_on", "given_by", "notes"]


def search_name_for(given_name: str, family_name: str) -> str:
    return f"{family_name} {given_name}".strip().lower()


def la_person_id_next() -> str:
    """The next council reference, P followed by six or more digits."""
    last = Person.objects.filter(la_person_id__startswith="P").aggregate(m=Max("la_person_id"))["m"]
    number = int(last[1:]) + 1 if last and last[1:].isdigit() else 1
    return f"P{number:06d}"


@transaction.atomic
def person_create(
    *, actor: User, fields: dict[str, Any], la_person_id: str | None = None
) -> Person:
    person = Person(**{k: v for k, v in fields.items() if k in PERSON_FIELDS})
    person.la_person_id = la_person_id or la_person_id_next()
    person.search_name = search_name_for(person.given_name, person.family_name)
    person.full_clean(validate_unique=False, exclude=["team"])
    person.save()
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        summary=f"Created the record of {person.full_name}",
        changes={
            k: [None, v]
            for k, v in snapshot(person, PERSON_FIELDS).items()
            if v not in ("", None, False)
        },
    )
    return person


@transaction.atomic
def person_update(*, actor: User, person: Person, fields: dict[str, Any]) -> Person:
    before = snapshot(person, PERSON_FIELDS)
    for name, value in fields.items():
        if name in PERSON_FIELDS:
            setattr(person, name, value)
    person.search_name = search_name_for(person.given_name, person.family_name)
    after = snapshot(person, PERSON_FIELDS)
    changes = changes_between(before, after)
    if not changes:
        return person
    old_team_id = Person.objects.filter(pk=person.pk).values_list("team_id", flat=True).first()
    person.save()
    if old_team_id != person.team_id:
        _named_worker_end_on_move(actor=actor, person=person)
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        summary=f"Changed {', '.join(changes).lower()}",
        changes=changes,
    )
    return person


@transaction.atomic
def relationship_add(*, actor: User, person: Person, fields: dict[str, Any]) -> Relationship:
    relationship = Relationship(
        person=person, **{k: v for k, v in fields.items() if k in RELATIONSHIP_FIELDS}
    )
    relationship.full_clean()
    relationship.save()
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="relationship",
        object_id=relationship.pk,
        person_id=person.pk,
        summary=f"Added {relationship.related_person.full_name} as {relationship.get_kind_display().lower()}",
        changes={
            k: [None, v]
            for k, v in snapshot(relationship, RELATIONSHIP_FIELDS).items()
            if v not in ("", None, False)
        },
    )
    return relationship


@transaction.atomic
def relationship_end(*, actor: User, relationship: Relationship, end_date: dt.date) -> Relationship:
    """End the role from ``end_date`` (the first day it no longer applies). One that has not
    started yet ends on its start date, so it never applies."""
    before = snapshot(relationship, RELATIONSHIP_FIELDS)
    relationship.end_date = max(end_date, relationship.start_date)
    relationship.full_clean()
    relationship.save(update_fields=["end_date"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="relationship",
        object_id=relationship.pk,
        person_id=relationship.person_id,
        summary=f"Ended {relationship.related_person.full_name}'s role as {relationship.get_kind_display().lower()}",
        changes=changes_between(before, snapshot(relationship, RELATIONSHIP_FIELDS)),
    )
    return relationship


@transaction.atomic
def consent_record(*, actor: User, person: Person, fields: dict[str, Any]) -> Consent:
    consent = Consent(person=person, **{k: v for k, v in fields.items() if k in CONSENT_FIELDS})
    consent.full_clean()
    consent.save()
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="consent",
        object_id=consent.pk,
        person_id=person.pk,
        summary=f"Recorded consent: {consent.get_purpose_display()} — {consent.get_status_display().lower()}",
        changes={
            k: [None, v]
            for k, v in snapshot(consent, CONSENT_FIELDS).items()
            if v not in ("", None)
        },
    )
    return consent


NAMED_WORKER_NO_TEAM = "Put the person in a team before giving them a named worker"
NAMED_WORKER_NOT_MANAGER = "Only a manager of {team} can allocate the named worker"
NAMED_WORKER_CHOOSE = "Choose a practitioner who works in {team}"
NAMED_WORKER_SAME = "{name} is already the named worker"
NAMED_WORKER_REASON = "Give the reason for the allocation"


def _worker_name(user: User | None) -> str | None:
    return None if user is None else (user.get_full_name() or user.get_username())


@transaction.atomic
def named_worker_allocate(
    *, actor: User, person: Person, worker: User | None, reason: str
) -> NamedWorkerAllocation:
    """Make ``worker`` (a practitioner in the person's team) the person's named worker from
    today, ending the current allocation; open work assigned to the previous worker moves
    to the new one. A manager of the person's team does it, with a reason."""
    from selfdirect.access.models import WorkItem
    from selfdirect.access.roles import Role
    from selfdirect.access.selectors import manages_team, team_members_with

    locked = Person.objects.select_for_update().get(pk=person.pk)
    team = locked.team
    if team is None:
        raise PeopleError(NAMED_WORKER_NO_TEAM)
    if not manages_team(actor, team):
        raise PeopleError(NAMED_WORKER_NOT_MANAGER.format(team=team.name))
    practitioners = {u.pk for u in team_members_with(team, Role.PRACTITIONER)}
    if worker is None or worker.pk not in practitioners:
        raise PeopleError(NAMED_WORKER_CHOOSE.format(team=team.name), field="worker")
    if locked.named_worker_id == worker.pk:
        raise PeopleError(NAMED_WORKER_SAME.format(name=_worker_name(worker)), field="worker")
    if not reason.strip():
        raise PeopleError(NAMED_WORKER_REASON, field="reason")
    today = timezone.localdate()
    previous = locked.named_worker
    NamedWorkerAllocation.objects.filter(person=locked, end_date__isnull=True).update(
        end_date=today, end_reason="Reallocated"
    )
    allocation = NamedWorkerAllocation.objects.create(
        person=locked,
        worker=worker,
        team=team,
        start_date=today,
        reason=reason.strip(),
        allocated_by=actor,
    )
    locked.named_worker = worker
    locked.save(update_fields=["named_worker", "updated_at"])
    if previous is not None:
        WorkItem.objects.filter(
            person=locked, assigned_to=previous, status=WorkItem.Status.OPEN
        ).update(assigned_to=worker)
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="person",
        object_id=locked.pk,
        person_id=locked.pk,
        summary=f"{'Reallocated' if previous else 'Allocated'} the named worker: {_worker_name(worker)}",
        changes={
            "Named worker": [_worker_name(previous), _worker_name(worker)],
            "Reason": [None, allocation.reason],
        },
    )
    return allocation


def _named_worker_end_on_move(*, actor: User, person: Person) -> None:
    """The person moved team: the named worker (of the old team) stops today, and the new
    team's managers get a task to allocate one (docs/manager-guide.md)."""
    from selfdirect.access.roles import Role
    from selfdirect.access.services import work_item_add

    previous = person.named_worker
    if previous is not None:
        NamedWorkerAllocation.objects.filter(person=person, end_date__isnull=True).update(
            end_date=timezone.localdate(), end_reason="Moved to another team"
        )
        person.named_worker = None
        person.save(update_fields=["named_worker"])
        event_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="person",
            object_id=person.pk,
            person_id=person.pk,
            summary="Ended the named worker: the person moved to another team",
            changes={"Named worker": [_worker_name(previous), None]},
        )
    if person.team_id is not None:
        work_item_add(
            person=person,
            title="Allocate a named worker",
            kind="named_worker",
            for_role=Role.MANAGER,
            due_date=timezone.localdate() + dt.timedelta(days=5),
        )
