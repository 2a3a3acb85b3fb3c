"""Changes to people, their relationships and consents: one transaction each, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from selfdirect.audit.models import Action
from selfdirect.audit.services import changes_between, event_record, snapshot
from selfdirect.people.forms import PERSON_FIELDS
from selfdirect.people.models import Consent, Person, Relationship

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
    person.save()
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
