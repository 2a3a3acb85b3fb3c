"""Changes at the front door and to case notes: one transaction each, audited (before and
after). Starting an assessment goes through the assessment app's own service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from selfdirect.access.models import WorkItem
from selfdirect.assessment.models import Assessment, Questionnaire
from selfdirect.assessment.services import NO_VERSION_IN_FORCE, assessment_start
from selfdirect.audit.models import Action
from selfdirect.audit.services import changes_between, event_record, snapshot
from selfdirect.casework.models import CaseNote, Contact
from selfdirect.people.models import Person
from selfdirect.refusals import Refused

NAME_WHO_CONTACTED = "Enter the name of the person who made contact"
CONTACT_IN_FUTURE = "The date of the contact must be today or in the past"
ADVICE_NEEDED = "Enter the information and advice given"
NEXT_STEP_NEEDED = "Enter what happens next"
DECISION_NEEDED = "Select the triage decision"
TRIAGE_CLOSED = "An assessment has been started from this contact: its triage can no longer change"
NOT_REFERRED = "Only a contact referred for an assessment can start one"
ALREADY_STARTED = "An assessment has already been started from this contact"
NOTE_IN_FUTURE = "The date of the note must be today or in the past"
NOTE_EMPTY = "Enter the note"

CONTACT_FIELDS = (
    "received_on",
    "made_by",
    "made_by_name",
    "made_by_relationship",
    "channel",
    "reason",
    "about",
    "urgency",
)
TRIAGE_FIELDS = ("decision", "decision_notes")
NOTE_FIELDS = ("kind", "happened_on", "text", "shared_with_person")


class CaseworkError(Refused):
    """A change refused by a rule; the message is shown as it is, naming the field."""


def _contact_check(fields: dict[str, Any]) -> None:
    if fields["made_by"] != Contact.MadeBy.SELF and not fields.get("made_by_name", "").strip():
        raise CaseworkError(NAME_WHO_CONTACTED, field="made_by_name")
    if fields["received_on"] > dt.date.today():
        raise CaseworkError(CONTACT_IN_FUTURE, field="received_on")


@transaction.atomic
def contact_record(*, actor: User, person: Person, fields: dict[str, Any]) -> Contact:
    """A contact about ``person`` at the front door, waiting for triage."""
    fields = {name: fields.get(name, "") for name in CONTACT_FIELDS}
    _contact_check(fields)
    if fields["made_by"] == Contact.MadeBy.SELF:
        fields["made_by_name"] = fields["made_by_relationship"] = ""
    contact = Contact.objects.create(person=person, recorded_by=actor, **fields)
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="contact",
        object_id=contact.pk,
        person_id=person.pk,
        summary=f"Recorded a contact: {contact.get_reason_display().lower()}",
        changes=changes_between({}, snapshot(contact, CONTACT_FIELDS)),
    )
    return contact


@transaction.atomic
def contact_triage(*, actor: User, contact: Contact, decision: str, notes: str) -> Contact:
    """The worker's triage decision on a contact; it may change until an assessment starts."""
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    if locked.assessment_id is not None:
        raise CaseworkError(TRIAGE_CLOSED, field="decision")
    notes = notes.strip()
    if decision not in (Contact.Decision.ADVICE, Contact.Decision.ASSESS, Contact.Decision.URGENT):
        raise CaseworkError(DECISION_NEEDED, field="decision")
    if decision == Contact.Decision.ADVICE and not notes:
        raise CaseworkError(ADVICE_NEEDED, field="decision_notes")
    if decision == Contact.Decision.URGENT and not notes:
        raise CaseworkError(NEXT_STEP_NEEDED, field="decision_notes")
    before = snapshot(locked, TRIAGE_FIELDS)
    locked.decision = decision
    locked.decision_notes = notes
    locked.triaged_by = actor
    locked.triaged_at = timezone.now()
    locked.save(update_fields=["decision", "decision_notes", "triaged_by", "triaged_at"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="contact",
        object_id=locked.pk,
        person_id=locked.person_id,
        summary=f"Triaged a contact: {locked.get_decision_display().lower()}",
        changes=changes_between(before, snapshot(locked, TRIAGE_FIELDS)),
    )
    return locked


@transaction.atomic
def contact_assessment_start(*, actor: User, contact: Contact) -> Assessment:
    """Start the person's assessment from a contact referred for one (through the
    assessment app's service, completed with the practitioner) and link the two."""
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    if locked.decision != Contact.Decision.ASSESS:
        raise CaseworkError(NOT_REFERRED)
    if locked.assessment_id is not None:
        raise CaseworkError(ALREADY_STARTED)
    questionnaire = Questionnaire.objects.filter(kind=Questionnaire.Kind.SELF).first()
    if questionnaire is None:
        raise CaseworkError(NO_VERSION_IN_FORCE)
    assessment = assessment_start(
        actor=actor,
        person=locked.person,
        questionnaire=questionnaire,
        mode=Assessment.Mode.SUPPORTED,
    )
    locked.assessment = assessment
    locked.save(update_fields=["assessment"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="contact",
        object_id=locked.pk,
        person_id=locked.person_id,
        summary="Started the assessment from the contact",
        changes={"Assessment": [None, assessment.pk]},
    )
    return assessment


def _note_check(fields: dict[str, Any]) -> None:
    if not str(fields.get("text", "")).strip():
        raise CaseworkError(NOTE_EMPTY, field="text")
    if fields["happened_on"] > dt.date.today():
        raise CaseworkError(NOTE_IN_FUTURE, field="happened_on")


@transaction.atomic
def case_note_write(*, actor: User, person: Person, fields: dict[str, Any]) -> CaseNote:
    values = {name: fields[name] for name in NOTE_FIELDS}
    _note_check(values)
    note = CaseNote.objects.create(person=person, written_by=actor, **values)
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="case_note",
        object_id=note.pk,
        person_id=person.pk,
        summary=f"Wrote a case note: {note.get_kind_display().lower()} on {note.happened_on:%-d %B %Y}",
        changes=changes_between({}, snapshot(note, NOTE_FIELDS)),
    )
    return note


@transaction.atomic
def case_note_change(*, actor: User, note: CaseNote, fields: dict[str, Any]) -> CaseNote:
    """Change a note; the audit log keeps what it said before (the note's history)."""
    locked = CaseNote.objects.select_for_update().get(pk=note.pk)
    values = {name: fields.get(name, getattr(locked, name)) for name in NOTE_FIELDS}
    _note_check(values)
    before = snapshot(locked, NOTE_FIELDS)
    for name, value in values.items():
        setattr(locked, name, value)
    changes = changes_between(before, snapshot(locked, NOTE_FIELDS))
    if not changes:
        return locked
    locked.changed_by = actor
    locked.changed_at = timezone.now()
    locked.save()
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="case_note",
        object_id=locked.pk,
        person_id=locked.person_id,
        summary=f"Changed a case note of {locked.happened_on:%-d %B %Y}",
        changes=changes,
    )
    return locked


CARER_NEEDED = "Select the carer"
CARER_OUTCOME_NEEDED = "Select whether the carer wants the assessment"
DECLINE_REASON_NEEDED = "Enter why the carer declined the assessment"
CARER_TASK = "carer_assessment"


def _carer_tasks_close(person: Person) -> int:
    """The "offer a carer's assessment" work for this person is done."""
    return WorkItem.objects.filter(
        kind=CARER_TASK, person=person, status=WorkItem.Status.OPEN
    ).update(status=WorkItem.Status.DONE)


@transaction.atomic
def carer_assessment_start(*, actor: User, person: Person, carer: Person) -> Assessment:
    """A worker starts a carer's assessment for ``carer`` of ``person`` (on the worker's
    caseload): the same service a carer uses from their own sign-in, recorded as started
    by the worker with the carer (supported), and the offer task is done."""
    questionnaire = Questionnaire.objects.filter(kind=Questionnaire.Kind.CARER).first()
    if questionnaire is None:
        raise CaseworkError(NO_VERSION_IN_FORCE)
    assessment = assessment_start(
        actor=actor,
        person=carer,
        questionnaire=questionnaire,
        mode=Assessment.Mode.SUPPORTED,
        cared_for=person,
    )
    closed = _carer_tasks_close(person)
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="assessment",
        object_id=assessment.pk,
        person_id=person.pk,
        summary=f"Offered {carer.full_name} a carer's assessment: accepted and started by staff",
        changes={"Offer of a carer's assessment": ["Offered", "Started"]}
        | ({"Work item": ["Open", "Done"]} if closed else {}),
    )
    return assessment


@transaction.atomic
def carer_assessment_decline(
    *, actor: User, person: Person, carer: Person, reason: str
) -> CaseNote:
    """The carer was offered an assessment and declined: the reason is kept as a staff-only
    case note on the person, and the offer task is done."""
    reason = reason.strip()
    if not reason:
        raise CaseworkError(DECLINE_REASON_NEEDED, field="reason")
    note = CaseNote.objects.create(
        person=person,
        kind=CaseNote.Kind.OTHER,
        happened_on=dt.date.today(),
        text=f"{carer.full_name} was offered a carer's assessment and declined: {reason}",
        written_by=actor,
    )
    closed = _carer_tasks_close(person)
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="case_note",
        object_id=note.pk,
        person_id=person.pk,
        summary=f"Offered {carer.full_name} a carer's assessment: declined",
        changes={"Offer of a carer's assessment": ["Offered", "Declined"], "Reason": [None, reason]}
        | ({"Work item": ["Open", "Done"]} if closed else {}),
    )
    return note
