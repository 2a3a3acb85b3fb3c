"""What each role's home page lists, and aggregate caseload figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from selfdirect.access.models import WorkItem
from selfdirect.access.roles import Role
from selfdirect.access.selectors import AnyUser, roles_of, teams_of
from selfdirect.audit.services import look_refused
from selfdirect.people import codes
from selfdirect.people.models import Consent, Person, Relationship
from selfdirect.people.selectors import people_visible_to


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
    team_ids = list(teams_of(user).values_list("pk", flat=True))
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
    """Gaps in the caseload a practitioner or manager should close."""
    caseload = people_visible_to(user).filter(date_of_death__isnull=True)
    lists = []
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
    # Whose caseload is their teams' and nothing more: the first names of each list are
    # found team by team (see _first_by_name).
    team_ids = (
        list(teams_of(user).values_list("pk", flat=True))
        if roles_of(user) <= {Role.PRACTITIONER, Role.MANAGER, Role.PLANNER}
        else None
    )
    for title, condition in checks:
        matching = caseload.filter(condition)
        lists.append(
            WorkList(title=title, count=matching.count(), people=_first_by_name(matching, team_ids))
        )
    # EXISTS and NOT EXISTS for each of the caseload's people, through the person index of
    # relationships and of consents: not a join made DISTINCT over whole rows, nor NOT IN,
    # which PostgreSQL answers by reading every sharing decision in the council (53,000 at
    # 100,000 people) into a hash on every home page (decision record 0018).
    with_carer = Relationship.objects.filter(
        person_id=OuterRef("pk"), kind=codes.RelationshipKind.UNPAID_CARER
    )
    decided = Consent.objects.filter(
        person_id=OuterRef("pk"), purpose=codes.ConsentPurpose.SHARE_WITH_CARERS
    )
    no_consent = caseload.filter(Exists(with_carer)).exclude(Exists(decided))
    lists.append(
        WorkList(
            title="People with a carer but no decision on sharing their record",
            count=no_consent.count(),
            people=_first_by_name(no_consent, team_ids),
        )
    )
    return lists


def _first_by_name(
    people: QuerySet[Person], team_ids: list[int] | None, n: int = 5
) -> list[Person]:
    """The first ``n`` of ``people`` by name. For a caseload of several teams, the first
    ``n`` of each team (each read in name order from the team and name index) merged:
    asked for all the teams at once, PostgreSQL walks the council-wide name order through
    every person until it finds ``n`` of theirs (decision record 0018)."""
    ordered = people.order_by("search_name", "id")
    if team_ids is None or len(team_ids) < 2:
        return list(ordered[:n])
    firsts = [
        pk
        for team_id in team_ids
        for pk in ordered.filter(team_id=team_id).values_list("pk", flat=True)[:n]
    ]
    # Merged in the database's own order (its collation), from at most n per team.
    return list(ordered.filter(pk__in=firsts)[:n])


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
