"""Reading contacts and case notes: who may see which (the one rule for each), the front
door's queue with its counts, and a person's notes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from selfdirect.access.roles import Role
from selfdirect.access.selectors import AnyUser, roles_of, team_ids_of, user_can
from selfdirect.audit.services import record_or_refused
from selfdirect.casework.models import CaseNote, Contact
from selfdirect.people.codes import REPRESENTATIVE_KINDS, RelationshipKind
from selfdirect.people.models import Relationship

STAFF = frozenset({Role.PRACTITIONER, Role.MANAGER, Role.PLANNER})


def contacts_visible_to(user: AnyUser) -> QuerySet[Contact]:
    """Contacts about the people of the user's teams, for those who work the front door."""
    if not user_can(user, "contact.record"):
        return Contact.objects.none()
    team_ids = team_ids_of(user)
    return Contact.objects.filter(person__team_id__in=team_ids)


def contact_for(user: AnyUser, contact_id: int) -> Contact:
    """One contact the user may see; otherwise 404 and a refusal in the audit log."""
    records = contacts_visible_to(user).select_related(
        "person", "recorded_by", "triaged_by", "assessment"
    )
    return record_or_refused(records, actor=user, object_id=contact_id)


FILTERS = {
    "untriaged": ("Not yet triaged", Q(decision="")),
    "urgent": ("Urgent", Q(urgency=Contact.Urgency.URGENT) | Q(decision=Contact.Decision.URGENT)),
    "assess": ("Referred for an assessment, not started", Q(decision="assess", assessment=None)),
    "all": ("All contacts", Q()),
}


@dataclass(frozen=True)
class QueueCount:
    key: str
    label: str
    count: int


def front_door_queue(user: AnyUser, show: str = "untriaged") -> QuerySet[Contact]:
    """The team's contacts under one filter, urgent first, then the oldest first."""
    condition = FILTERS.get(show, FILTERS["untriaged"])[1]
    urgent_first = Case(
        When(Q(urgency="urgent") | Q(decision="urgent"), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        contacts_visible_to(user)
        .filter(condition)
        .select_related("person")
        .annotate(urgent_first=urgent_first)
        .order_by("urgent_first", "received_on", "id")
    )


def front_door_counts(user: AnyUser) -> list[QueueCount]:
    """How many contacts each filter holds (one query)."""
    counts = contacts_visible_to(user).aggregate(
        **{key: Count("pk", filter=condition) for key, (_label, condition) in FILTERS.items()}
    )
    return [QueueCount(key, label, counts[key]) for key, (label, _c) in FILTERS.items()]


def case_notes_visible_to(user: AnyUser) -> QuerySet[CaseNote]:
    """Staff: every note on their teams' people. The person and their representative: the
    notes shared with the person, on their own record or one they act for (decision 0023)."""
    roles = roles_of(user)
    condition = Q(pk__in=[])
    if roles & STAFF:
        team_ids = team_ids_of(user)
        condition |= Q(person__team_id__in=team_ids)
    profile = getattr(user, "profile", None)
    own_id = getattr(profile, "person_id", None)
    if own_id is not None and Role.HOLDER in roles:
        condition |= Q(shared_with_person=True, person_id=own_id)
    if own_id is not None and Role.REPRESENTATIVE in roles:
        represented = (
            Relationship.objects.current()
            .filter(related_person_id=own_id, kind__in=REPRESENTATIVE_KINDS)
            .values("person_id")
        )
        condition |= Q(shared_with_person=True, person_id__in=represented)
    return CaseNote.objects.filter(condition)


def case_notes_of(user: AnyUser, person_id: int) -> QuerySet[CaseNote]:
    return (
        case_notes_visible_to(user)
        .filter(person_id=person_id)
        .select_related("written_by", "changed_by")
    )


def case_note_for(user: AnyUser, note_id: int) -> CaseNote:
    """A note the user may change: staff of the person's team only; otherwise 404."""
    team_ids = team_ids_of(user) if roles_of(user) & STAFF else []
    records = CaseNote.objects.filter(person__team_id__in=team_ids).select_related("person")
    return record_or_refused(records, actor=user, object_id=note_id)


def carers_of(person_id: int) -> QuerySet[Relationship]:
    """The person's unpaid carers today (each may be offered a carer's assessment)."""
    return (
        Relationship.objects.current()
        .filter(person_id=person_id, kind=RelationshipKind.UNPAID_CARER)
        .select_related("related_person")
        .order_by("id")
    )
