"""What each role's home page lists, and aggregate caseload figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from selfdirect.access.models import WorkItem
from selfdirect.access.roles import Role
from selfdirect.access.selectors import AnyUser, roles_of, team_ids_of, teams_of
from selfdirect.audit.services import look_refused
from selfdirect.people import codes
from selfdirect.people.models import Consent, Person, Relationship
from selfdirect.people.selectors import people_visible_to

# How many people each worklist names on the home page.
SHOWN = 5


@dataclass
class WorkList:
    """One heading on a home page: a count, a few example rows and where to see them all."""

    title: str
    count: int
    people: list[Person] = field(default_factory=list)
    link: str = ""


def work_items_for(user: AnyUser) -> QuerySet[WorkItem]:
    """Open work for the user: assigned to them (first), or to their role in their teams or
    council-wide (work assigned to a named worker stays visible to their team)."""
    roles = roles_of(user)
    team_ids = team_ids_of(user)
    assigned = Q(assigned_to=user) if isinstance(user, User) else Q(pk__in=[])
    mine = assigned | (
        Q(for_role__in=list(roles)) & (Q(team__isnull=True) | Q(team_id__in=team_ids))
    )
    visible = Q(person__isnull=True) | Q(person__in=people_visible_to(user))
    return (
        WorkItem.objects.filter(status=WorkItem.Status.OPEN)
        .filter(mine)
        .filter(visible)
        .select_related("person", "team", "assigned_to")
        .annotate(
            is_mine=Case(
                When(assigned, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("is_mine", "due_date", "id")
    )


def named_people_of(user: AnyUser) -> QuerySet[Person]:
    """ "Your people": the living people whose named worker ``user`` is, within what they may see."""
    if not isinstance(user, User):
        return Person.objects.none()
    return (
        people_visible_to(user)
        .filter(named_worker=user, date_of_death__isnull=True)
        .order_by("search_name", "id")
    )


def caseload_worklists(user: AnyUser) -> list[WorkList]:
    """Gaps in the caseload a practitioner or manager should close.

    Three reads, whatever the size of the caseload or the number of teams (decision record
    0027): the ids of the people in any of the first three lists, each with which lists they
    are in, in name order, in one pass over the caseload; the ids of the people with a carer
    but no decision on sharing, in name order; then the few people each list names, by id.
    The counts and the first names come from the ids read. Before, each list was counted,
    then listed team by team: 16 reads for a manager of two teams, each a pass over the
    teams' people."""
    caseload = people_visible_to(user).filter(date_of_death__isnull=True)
    service_user = Q(client_type=codes.ClientType.SERVICE_USER)
    checks = [
        ("People with no NHS number recorded", Q(nhs_number__isnull=True)),
        (
            "People with no primary support reason",
            service_user & Q(primary_support_reason=codes.PrimarySupportReason.UNKNOWN),
        ),
        (
            "People for whom it is not known whether they have an unpaid carer",
            service_user & Q(has_unpaid_carer=codes.YesNoUnknown.UNKNOWN),
        ),
    ]
    flags = {
        f"in_list_{i}": ExpressionWrapper(condition, output_field=BooleanField())
        for i, (_title, condition) in enumerate(checks)
    }
    any_list = Q()
    for _title, condition in checks:
        any_list |= condition
    in_lists: list[list[int]] = [[] for _ in checks]
    for pk, *found in (
        caseload.filter(any_list)
        .annotate(**flags)
        .order_by("search_name", "id")
        .values_list("pk", *flags)
    ):
        for ids, is_in in zip(in_lists, found, strict=True):
            if is_in:
                ids.append(pk)
    # EXISTS and NOT EXISTS for each of the caseload's people, through the partial indexes
    # of carers and of sharing decisions by person: not a join made DISTINCT over whole
    # rows, nor NOT IN, which PostgreSQL answers by reading every sharing decision in the
    # council (53,000 at 100,000 people) into a hash (decision records 0018 and 0027).
    with_carer = Relationship.objects.filter(
        person_id=OuterRef("pk"), kind=codes.RelationshipKind.UNPAID_CARER
    )
    decided = Consent.objects.filter(
        person_id=OuterRef("pk"), purpose=codes.ConsentPurpose.SHARE_WITH_CARERS
    )
    no_consent = list(
        caseload.filter(Exists(with_carer))
        .exclude(Exists(decided))
        .order_by("search_name", "id")
        .values_list("pk", flat=True)
    )
    titles = [title for title, _condition in checks]
    titles.append("People with a carer but no decision on sharing their record")
    in_lists.append(no_consent)
    named = {pk for ids in in_lists for pk in ids[:SHOWN]}
    # By id, unordered: the lists' order is the one read above.
    people = {p.pk: p for p in Person.objects.filter(pk__in=named).order_by()} if named else {}
    return [
        WorkList(title=title, count=len(ids), people=[people[pk] for pk in ids[:SHOWN]])
        for title, ids in zip(titles, in_lists, strict=True)
    ]


def my_people(user: AnyUser) -> dict[str, list[Person]]:
    """For portal users: their own record, people they represent and people they care for."""
    profile = getattr(user, "profile", None)
    own = profile.person if profile is not None else None
    result: dict[str, list[Person]] = {
        "own": [],
        "represented": [],
        "cared_for": [],
        "cared_for_private": [],
    }
    if own is None:
        return result
    roles = roles_of(user)
    visible_ids = set(people_visible_to(user).values_list("pk", flat=True))
    if Role.HOLDER in roles:
        result["own"] = [own]
    today = dt.date.today()
    rels = Relationship.objects.filter(related_person=own).current(today).select_related("person")
    for rel in rels:
        if rel.kind in codes.REPRESENTATIVE_KINDS and rel.person_id in visible_ids:
            result["represented"].append(rel.person)
        elif rel.kind == codes.RelationshipKind.UNPAID_CARER:
            key = "cared_for" if rel.person_id in visible_ids else "cared_for_private"
            result[key].append(rel.person)
    return result


def caseload_figures(user: AnyUser) -> dict[str, list[tuple[str, int]]]:
    """Counts of living people by user group, client type and primary support reason.

    Managers see their teams' caseloads; commissioners and administrators the council's.
    """
    roles = roles_of(user)
    if roles & {Role.COMMISSIONER, Role.ADMIN}:
        people = Person.objects.all()
    else:
        people = Person.objects.filter(team__in=teams_of(user))
    people = people.filter(date_of_death__isnull=True)
    figures = {}
    for name, choices in (
        ("user_group", codes.UserGroup),
        ("client_type", codes.ClientType),
        ("primary_support_reason", codes.PrimarySupportReason),
    ):
        labels = dict(choices.choices)
        rows = people.values(name).annotate(n=Count("id")).order_by("-n", name)
        figures[name] = [(str(labels.get(r[name], "Not recorded")), int(r["n"])) for r in rows]
    return figures


def look_subjects_for(user: AnyUser) -> list[Person]:
    """Whose "who has looked at this record" log the user may read: their own record (a
    budget holder) and the people they represent now (a representative). Not a carer's
    cared-for person, nor anyone by a staff role."""
    profile = getattr(user, "profile", None)
    own = profile.person if profile is not None else None
    if own is None:
        return []
    roles = roles_of(user)
    subjects = [own] if Role.HOLDER in roles else []
    if Role.REPRESENTATIVE in roles:
        today = dt.date.today()
        subjects += [
            rel.person
            for rel in Relationship.objects.filter(
                Q(end_date__isnull=True) | Q(end_date__gte=today),
                related_person=own,
                kind__in=codes.REPRESENTATIVE_KINDS,
            )
            .select_related("person")
            .order_by("person__search_name", "person_id")
        ]
    return list({p.pk: p for p in subjects}.values())


def look_subject_for(user: AnyUser, person_id: int) -> Person:
    """The person whose log ``user`` asks for, if theirs to read; otherwise the refusal is
    recorded and the answer is a 404."""
    for person in look_subjects_for(user):
        if person.pk == person_id:
            return person
    raise look_refused(actor=user, model=Person, object_id=person_id)
