"""What a provider sees of the people it supports (issue 13, "Providers see what they
deliver"): for each person it supports now, the plan lines it delivers, the outcomes those
lines serve in the person's words, and the plan's contingency; the statements it owes for
the Individual Service Funds (and managed accounts) it holds; nothing else of the person.

Who: only the people the provider's organisation supports today (providers.ProviderClient,
from its start date to its end date). Anyone else answers 404 and is recorded as refused."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from selfdirect.access.roles import Role
from selfdirect.access.selectors import AnyUser, roles_of
from selfdirect.audit.services import look_refused
from selfdirect.budgets.models import FundAgreement, FundStatement
from selfdirect.money import pounds
from selfdirect.people.models import Person
from selfdirect.planning.figures import plan_in_force
from selfdirect.planning.models import PlanLine, PlanOutcome, SupportPlan
from selfdirect.planning.services import arrangement_on, weekly_cost_on
from selfdirect.planning.streams import DEPLOYMENTS
from selfdirect.providers.models import Provider, ProviderClient

# An Individual Service Fund's statement covers four weeks (as payments run four-weekly);
# the first period starts on the day the agreement did, each next one the day after the last
# statement's period ended (docs/provider-guide.md).
STATEMENT_PERIOD_DAYS = 28
# The due periods listed for one agreement; the rest are counted.
DUE_PERIODS_SHOWN = 6

_UNIT_WORDS = {
    PlanLine.Unit.HOUR: ("hour", "hours"),
    PlanLine.Unit.SESSION: ("session", "sessions"),
    PlanLine.Unit.DAY: ("day", "days"),
    PlanLine.Unit.WEEK: ("week", "weeks"),
    PlanLine.Unit.ITEM: ("item", "items"),
}


def provider_of(user: AnyUser) -> Provider | None:
    """The organisation the user works for, if they are a provider's member of staff."""
    if Role.PROVIDER not in roles_of(user):
        return None
    profile = getattr(user, "profile", None)
    return profile.provider if profile is not None and profile.provider_id else None


def _current(today: dt.date) -> Q:
    return Q(end_date__isnull=True) | Q(end_date__gte=today)


def supported_people(user: AnyUser, today: dt.date) -> QuerySet[Person]:
    """The people the user's organisation supports today, by name."""
    provider = provider_of(user)
    if provider is None:
        return Person.objects.none()
    clients = ProviderClient.objects.filter(provider=provider).filter(
        _current(today), start_date__lte=today
    )
    return Person.objects.filter(pk__in=clients.values("person_id")).order_by(
        "family_name", "given_name", "pk"
    )


def supported_person_for(user: AnyUser, person_id: int, today: dt.date) -> Person:
    """One person the user's organisation supports today; otherwise 404, recorded as refused
    (a person it stopped supporting among them)."""
    try:
        return supported_people(user, today).get(pk=person_id)
    except Person.DoesNotExist as missing:
        raise look_refused(actor=user, model=Person, object_id=person_id) from missing


def amount_words(line: PlanLine) -> str:
    """How much of the support: "7.5 hours a week", "2 sessions a week", "1 item, once"."""
    quantity = Decimal(line.quantity_hundredths) / 100
    number = f"{quantity.normalize():f}"
    one, many = _UNIT_WORDS.get(PlanLine.Unit(line.unit), ("unit", "units"))
    noun = one if quantity == 1 else many
    if line.is_one_off:
        return f"{number} {noun}, once"
    if line.unit == PlanLine.Unit.WEEK and quantity == 1:
        return "Every week"
    return f"{number} {noun} a week"


@dataclass(frozen=True)
class Delivered:
    """One plan line the provider delivers, as it is held today."""

    line: PlanLine
    amount: str
    cost: str
    way_held: str
    outcome: PlanOutcome | None


@dataclass(frozen=True)
class Supported:
    """A person the provider supports, and what the provider delivers for them."""

    person: Person
    since: dt.date
    plan: SupportPlan | None
    lines: list[Delivered] = field(default_factory=list)
    outcomes: list[PlanOutcome] = field(default_factory=list)


def _agreed_plan(person_id: int, today: dt.date) -> SupportPlan | None:
    """The agreed plan in force today; a plan still being written is not shown."""
    plan = plan_in_force(person_id, today)
    if plan is None or plan.approved_at is None or plan.starts_on > today:
        return None
    return plan


def delivered_for(provider: Provider, person: Person, since: dt.date, today: dt.date) -> Supported:
    """The lines of the person's agreed plan this provider delivers today (after any switch
    of provider or of how a line is held), and only the outcomes those lines serve."""
    plan = _agreed_plan(person.pk, today)
    if plan is None:
        return Supported(person=person, since=since, plan=None)
    lines = (
        PlanLine.objects.filter(plan=plan)
        .select_related("outcome", "provider")
        .prefetch_related("switches__to_provider")
    )
    delivered = []
    for line in lines:
        deployment, by, _provided_by = arrangement_on(line, today)
        if by is None or by.pk != provider.pk:
            continue
        cost = (
            f"{pounds(line.one_off_cost_pence)} once"
            if line.is_one_off
            else f"{pounds(weekly_cost_on(line, today))} a week"
        )
        delivered.append(
            Delivered(
                line=line,
                amount=amount_words(line),
                cost=cost,
                way_held=DEPLOYMENTS.get(deployment, ""),
                outcome=line.outcome,
            )
        )
    outcomes = list({d.outcome.pk: d.outcome for d in delivered if d.outcome}.values())
    return Supported(person=person, since=since, plan=plan, lines=delivered, outcomes=outcomes)


def supported_with_delivery(user: AnyUser, people: list[Person], today: dt.date) -> list[Supported]:
    """For each of ``people`` (the user's organisation's clients), what it delivers."""
    provider = provider_of(user)
    if provider is None:
        return []
    since: dict[int, dt.date] = {}
    for person_id, start in (
        ProviderClient.objects.filter(provider=provider, person__in=[p.pk for p in people])
        .filter(_current(today))
        .values_list("person_id", "start_date")
    ):
        since[person_id] = min(start, since.get(person_id, start))
    return [delivered_for(provider, p, since.get(p.pk, today), today) for p in people]


# Statements for the budgets the provider holds


@dataclass(frozen=True)
class StatementRow:
    statement: FundStatement
    received_pence: int
    spent_pence: int
    carried_pence: int
    returned_pence: int
    overspent_pence: int

    @property
    def outcome_words(self) -> str:
        """What the statement showed, in plain words."""
        parts = []
        if self.overspent_pence:
            parts.append(f"overspent by {pounds(self.overspent_pence)}")
        if self.carried_pence:
            parts.append(f"{pounds(self.carried_pence)} kept for the person")
        if self.returned_pence:
            parts.append(f"{pounds(self.returned_pence)} paid back to the council")
        return "; ".join(parts).capitalize() if parts else "Everything received was spent"


@dataclass(frozen=True)
class AgreementStatements:
    agreement: FundAgreement
    due: list[tuple[dt.date, dt.date]]
    due_count: int
    next_period: tuple[dt.date, dt.date] | None
    sent: list[StatementRow]

    @property
    def more(self) -> int:
        """Due periods not listed."""
        return self.due_count - len(self.due)


def periods_due(
    agreement: FundAgreement, statements: list[FundStatement], today: dt.date
) -> tuple[list[tuple[dt.date, dt.date]], tuple[dt.date, dt.date] | None]:
    """The four-week periods that have ended and have no statement yet (the last one cut
    short at the agreement's end), and the next period, still running (or none)."""
    last_end = max((s.period_end for s in statements), default=None)
    cursor = last_end + dt.timedelta(days=1) if last_end else agreement.starts_on
    stop = min(today, agreement.ends_on) if agreement.ends_on else today
    length = dt.timedelta(days=STATEMENT_PERIOD_DAYS - 1)
    due = []
    while cursor + length <= stop:
        due.append((cursor, cursor + length))
        cursor += dt.timedelta(days=STATEMENT_PERIOD_DAYS)
    if agreement.ends_on is not None:
        if cursor <= agreement.ends_on <= today:
            due.append((cursor, agreement.ends_on))
            return due, None
        if agreement.ends_on < cursor:
            return due, None
        return due, (cursor, min(cursor + length, agreement.ends_on))
    return due, (cursor, cursor + length)


def agreements_with_statements(
    user: AnyUser, people: QuerySet[Person], today: dt.date
) -> list[AgreementStatements]:
    """The agreements the user's organisation holds for the people it supports now (in place,
    or ended with a statement still owed), each with its due periods and sent statements."""
    provider = provider_of(user)
    if provider is None:
        return []
    agreements = (
        FundAgreement.objects.filter(organisation=provider, person__in=people)
        .exclude(status=FundAgreement.Status.PROPOSED)
        .select_related("person", "organisation")
        .prefetch_related(
            Prefetch(
                "statements",
                queryset=FundStatement.objects.order_by("-period_start", "-id")
                .select_related("submitted_by")
                .prefetch_related("lines"),
            )
        )
        .order_by("person__family_name", "person__given_name", "starts_on", "pk")
    )
    rows = []
    for agreement in agreements:
        statements = list(agreement.statements.all())
        due, next_period = periods_due(agreement, statements, today)
        if agreement.status == FundAgreement.Status.ENDED and not due and not statements:
            continue
        rows.append(
            AgreementStatements(
                agreement=agreement,
                due=due[:DUE_PERIODS_SHOWN],
                due_count=len(due),
                next_period=next_period,
                sent=[_statement_row(s) for s in statements],
            )
        )
    return rows


def _statement_row(statement: FundStatement) -> StatementRow:
    lines = list(statement.lines.all())
    return StatementRow(
        statement=statement,
        received_pence=sum(line.received_pence for line in lines),
        spent_pence=sum(line.spent_pence for line in lines),
        carried_pence=sum(line.carried_pence for line in lines),
        returned_pence=sum(line.returned_pence for line in lines),
        overspent_pence=sum(line.overspent_pence for line in lines),
    )
