"""Reading requests to change and closing providers: the requests about people the user may
ask or decide for (people_visible_to, without the people a carer only cares for); the
plan in force whose lines may be changed; the lines a closing provider still provides; the
people who switched often; and, for a provider, the switches its organisation is part of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.audit.services import record_or_refused
from selfdirect.changes.models import ChangeRequest, ProviderClosure
from selfdirect.people.models import Person
from selfdirect.people.selectors import cared_for_with_consent, people_visible_to
from selfdirect.planning.figures import plan_in_force
from selfdirect.planning.models import LineSwitch, PlanLine, SupportPlan
from selfdirect.planning.services import arrangement_on
from selfdirect.providers.models import Provider


def people_for_changes(user: AnyUser) -> QuerySet[Person]:
    """The people whose requests the user may ask, read or decide: their own record, the
    people they represent, their team's caseload; never a person they only care for (a
    carer reads the plan and asks for a review, not a change) and nobody for a role
    without the capability."""
    if not (user_can(user, "change.request") or user_can(user, "change.decide")):
        return Person.objects.none()
    return people_visible_to(user).exclude(pk__in=cared_for_with_consent(user))


def requests_visible_to(user: AnyUser) -> QuerySet[ChangeRequest]:
    return ChangeRequest.objects.filter(person__in=people_for_changes(user)).select_related(
        "person",
        "person__named_worker",
        "line",
        "line__provider",
        "to_provider",
        "asked_by",
        "decided_by",
        "switch",
    )


def request_for(user: AnyUser, request_id: int) -> ChangeRequest:
    """The request, if the user may see its person; otherwise 404, recorded as refused."""
    return record_or_refused(requests_visible_to(user), actor=user, object_id=request_id)


def current_plan(person_id: int, on: dt.date) -> SupportPlan | None:
    """The approved plan in force on a date: the only plan whose lines a request changes."""
    plan = plan_in_force(person_id, on)
    if plan is None or plan.status != SupportPlan.Status.APPROVED or plan.starts_on > on:
        return None
    return plan


def current_lines(person_id: int, on: dt.date) -> list[PlanLine]:
    plan = current_plan(person_id, on)
    if plan is None:
        return []
    return list(plan.lines.select_related("provider").prefetch_related("switches__to_provider"))


@dataclass(frozen=True)
class AffectedLine:
    """A line a closing provider still provides, with the plan's contingency."""

    person: Person
    plan: SupportPlan
    line: PlanLine

    @property
    def contingency(self) -> str:
        return self.plan.contingency


def affected_lines(provider: Provider, closes_on: dt.date, today: dt.date) -> list[AffectedLine]:
    """Every line of an approved plan that the provider still provides on its last day (or
    today, if that has passed), after any switch already made away from it."""
    last_day = max(today, closes_on - dt.timedelta(days=1))
    lines = (
        PlanLine.objects.filter(plan__status=SupportPlan.Status.APPROVED)
        .filter(Q(provider=provider) | Q(switches__to_provider=provider))
        .select_related("plan", "plan__person", "plan__person__named_worker", "provider")
        .prefetch_related("switches__to_provider")
        .distinct()
        .order_by("plan__person__search_name", "plan__person_id", "id")
    )
    found: list[AffectedLine] = []
    for line in lines:
        plan = line.plan
        if plan.ends_on is not None and plan.ends_on < last_day:
            continue
        if arrangement_on(line, last_day)[1] == provider:
            found.append(AffectedLine(person=plan.person, plan=plan, line=line))
    return found


def closures_open(today: dt.date) -> QuerySet[ProviderClosure]:
    """Closures still to act on: not yet closed, or closed within the last four weeks."""
    return ProviderClosure.objects.filter(
        closes_on__gte=today - dt.timedelta(days=28)
    ).select_related("provider", "marked_by")


def leaving_market_for(user: AnyUser, today: dt.date) -> list[tuple[ProviderClosure, AffectedLine]]:
    """The lines of the people the user may see whose provider is leaving the market."""
    visible = set(people_for_changes(user).values_list("pk", flat=True))
    return [
        (closure, affected)
        for closure in closures_open(today)
        for affected in affected_lines(closure.provider, closure.closes_on, today)
        if affected.person.pk in visible
    ]


@dataclass(frozen=True)
class Switcher:
    person: Person
    switches: int


def frequent_switchers(user: AnyUser, today: dt.date) -> list[Switcher]:
    """People who switched provider or way of holding at least
    SELFDIRECT_FREQUENT_SWITCHES times within SELFDIRECT_FREQUENT_SWITCH_MONTHS months up to
    today (switches undone before they took effect do not count)."""
    months = settings.SELFDIRECT_FREQUENT_SWITCH_MONTHS
    since = today - dt.timedelta(days=round(months * 365.25 / 12))
    counts = (
        LineSwitch.objects.filter(
            undone_at__isnull=True,
            effective_date__gt=since,
            effective_date__lte=today,
            line__plan__person__in=people_for_changes(user),
        )
        .values("line__plan__person")
        .annotate(n=Count("id"))
        .filter(n__gte=settings.SELFDIRECT_FREQUENT_SWITCHES)
    )
    by_person = {row["line__plan__person"]: row["n"] for row in counts}
    people = Person.objects.filter(pk__in=by_person).order_by("search_name", "id")
    return [Switcher(person=p, switches=by_person[p.pk]) for p in people]


def switches_for_provider(user: AnyUser) -> QuerySet[LineSwitch]:
    """The switches the user's provider organisation is part of, leaving it or joining it:
    its notice of each (the person, the support, the date, the notice asked). Nothing for
    anyone not a provider's staff."""
    profile = getattr(user, "profile", None)
    provider_id = getattr(profile, "provider_id", None)
    if not user_can(user, "change.provider_notices") or provider_id is None:
        return LineSwitch.objects.none()
    return (
        LineSwitch.objects.filter(undone_at__isnull=True)
        .filter(Q(from_provider_id=provider_id) | Q(to_provider_id=provider_id))
        .select_related("line", "line__plan__person", "from_provider", "to_provider")
        .order_by("-effective_date", "-id")
    )


# How long a decided request stays on the provider's home page.
PROVIDER_HOME_DECIDED_DAYS = 28


@dataclass(frozen=True)
class ProviderConcern:
    """A request to change that concerns a provider: the line moves to it (``coming``) or
    away from it, or is to be held another way while it still provides it."""

    request: ChangeRequest
    coming: bool
    same_provider: bool


def requests_concerning_provider(
    provider: Provider, people: Collection[int], today: dt.date
) -> list[ProviderConcern]:
    """The requests about ``people`` (the people the provider supports) that concern the
    provider: waiting, or decided in the last PROVIDER_HOME_DECIDED_DAYS days, whose line
    it provides (before the change, or now for one not yet made) or is asked to provide.
    Newest first."""
    since = today - dt.timedelta(days=PROVIDER_HOME_DECIDED_DAYS)
    rows = (
        ChangeRequest.objects.filter(person_id__in=list(people))
        .filter(
            Q(status=ChangeRequest.Status.WAITING)
            | Q(decided_at__date__gte=since)
            | Q(status=ChangeRequest.Status.MADE, asked_at__date__gte=since)
        )
        .select_related("person", "line", "line__provider", "to_provider", "switch")
        .prefetch_related("line__switches")
        .order_by("-asked_at", "-id")[:200]
    )
    found = []
    for change in rows:
        if change.switch is not None:
            from_id = change.switch.from_provider_id
        else:
            from_provider = arrangement_on(change.line, today)[1]
            from_id = from_provider.pk if from_provider is not None else None
        coming = change.to_provider_id == provider.pk and from_id != provider.pk
        if from_id != provider.pk and not coming:
            continue
        found.append(
            ProviderConcern(
                request=change,
                coming=coming,
                same_provider=change.to_provider_id in (None, provider.pk)
                and not change.to_provided_by
                and from_id == provider.pk,
            )
        )
    return found
