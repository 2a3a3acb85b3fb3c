"""Reading payments: what is due for a month's periods (bulk reads, then the pure
arithmetic of ``payments.dues``), a budget's payment calendar, the runs and their lines,
and the reconciliation of a run against the ledger. Who may see a person's calendar:
``people.selectors.person_for``."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from selfdirect.access.selectors import AnyUser
from selfdirect.budgets.models import DirectPaymentAgreement
from selfdirect.ledger.models import Account, PeriodPayment, Posting, Transaction
from selfdirect.operations.models import Job
from selfdirect.payments.dues import (
    MONTHLY,
    ContributionStep,
    Due,
    Period,
    PlanVersionCost,
    contribution_charged_for_period,
    due_for_period,
    period_key,
    periods_between,
)
from selfdirect.payments.models import (
    PAID_WAYS,
    ContributionCharge,
    PaymentLine,
    PaymentRun,
    PaymentSchedule,
)
from selfdirect.people.models import Person
from selfdirect.people.selectors import person_for
from selfdirect.planning.models import AssessedContribution, PlanLine, SupportPlan, line_cost_pence
from selfdirect.planning.streams import DEPLOYMENTS

# The way of holding paid net of the assessed contribution (docs/payments.md): the person
# pays their contribution into their direct payment account. Other ways are paid gross and
# the contribution is invoiced.
TAKES_CONTRIBUTION = "direct_payment"
PAID_PLANS = [SupportPlan.Status.APPROVED, SupportPlan.Status.SUPERSEDED]


@dataclass(frozen=True)
class ScheduledDue:
    schedule: PaymentSchedule
    period: Period
    due: Due


def plan_costs(person_ids: Iterable[int]) -> dict[tuple[int, str], list[PlanVersionCost]]:
    """Every approved plan version's cost by way of holding and stream, for many people in
    two queries. A version with no lines for a way costs nothing for it (it still replaces
    the version before). Provisional lines (waiting for an award) are not paid."""
    ids = list(set(person_ids))
    versions: dict[int, list[tuple[int, int, dt.date]]] = defaultdict(list)
    weekly: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    one_off: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        plans = SupportPlan.objects.filter(
            person_id__in=chunk, status__in=PAID_PLANS, approved_at__isnull=False
        ).values_list("pk", "person_id", "version", "starts_on")
        for plan_id, person_id, version, starts_on in plans:
            versions[person_id].append((plan_id, version, starts_on))
        lines = PlanLine.objects.filter(
            plan__person_id__in=chunk,
            plan__status__in=PAID_PLANS,
            plan__approved_at__isnull=False,
            provisional=False,
        ).values_list(
            "plan_id",
            "deployment",
            "funding_stream",
            "unit",
            "unit_cost_pence",
            "quantity_hundredths",
            "copied_from_id",
        )
        for plan_id, way, stream, unit, cost, quantity, copied_from in lines:
            pence = line_cost_pence(cost, quantity)
            if unit == PlanLine.Unit.ITEM:
                if copied_from is None:  # a one-off carried into a new version is paid once
                    bucket = one_off[(plan_id, way)]
                    bucket[stream] = bucket.get(stream, 0) + pence
            else:
                bucket = weekly[(plan_id, way)]
                bucket[stream] = bucket.get(stream, 0) + pence
    costs: dict[tuple[int, str], list[PlanVersionCost]] = {}
    ways = {way for _, way in weekly} | {way for _, way in one_off}
    for person_id, person_versions in versions.items():
        for way in ways:
            costs[(person_id, way)] = [
                PlanVersionCost(
                    version=version,
                    starts_on=starts_on,
                    weekly_by_stream=weekly.get((plan_id, way), {}),
                    one_off_by_stream=one_off.get((plan_id, way), {}),
                )
                for plan_id, version, starts_on in person_versions
            ]
    return costs


def contributions_of(person_ids: Iterable[int]) -> dict[int, list[ContributionStep]]:
    found: dict[int, list[ContributionStep]] = defaultdict(list)
    ids = list(set(person_ids))
    for start in range(0, len(ids), 5000):
        rows = AssessedContribution.objects.filter(
            person_id__in=ids[start : start + 5000]
        ).values_list("person_id", "effective_from", "weekly_pence")
        for person_id, effective_from, weekly_pence in rows:
            found[person_id].append(ContributionStep(effective_from, weekly_pence))
    return found


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


def dues_of(schedules: list[PaymentSchedule], first: dt.date, last: dt.date) -> list[ScheduledDue]:
    """What is due for each schedule's periods starting between two days (nothing-due
    periods left out)."""
    people = [s.person_id for s in schedules]
    costs, contributions = plan_costs(people), contributions_of(people)
    carriers = contribution_carriers(p for p in people if p in contributions)
    found = []
    for schedule in schedules:
        versions = costs.get((schedule.person_id, schedule.deployment), [])
        for period in periods_between(schedule.frequency, schedule.anchor_date, first, last):
            if period.ends_on < schedule.starts_on or (
                schedule.ends_on is not None and period.starts_on > schedule.ends_on
            ):
                continue
            due = due_for_period(
                period=period,
                versions=versions,
                contributions=contributions.get(schedule.person_id, []),
                takes_contribution=schedule.deployment == TAKES_CONTRIBUTION,
                invoices_contribution=carriers.get(schedule.person_id) == schedule.pk,
                paid_from=schedule.starts_on,
                paid_until=schedule.ends_on,
            )
            found.append(ScheduledDue(schedule, period, due))
    return found


def contribution_carriers(person_ids: Iterable[int]) -> dict[int, int]:
    """For each person without a direct payment schedule, the schedule whose payments carry
    their contribution (invoiced to them; the first such schedule, by id). A person with a
    direct payment has it taken from that instead (decision 0037)."""
    ids = sorted(set(person_ids))
    with_dp: set[int] = set()
    first: dict[int, int] = {}
    for start in range(0, len(ids), 5000):
        rows = PaymentSchedule.objects.filter(person_id__in=ids[start : start + 5000]).values_list(
            "person_id", "deployment", "pk"
        )
        for person_id, way, pk in rows:
            if way == TAKES_CONTRIBUTION:
                with_dp.add(person_id)
            elif pk < first.get(person_id, pk + 1):
                first[person_id] = pk
    return {p: pk for p, pk in first.items() if p not in with_dp}


def dues_for_month(
    *, month: dt.date, frequency: str, with_nothing_paid: bool = False
) -> list[ScheduledDue]:
    """What a run for the month pays: every schedule of the frequency, for each of its
    periods starting in the month, where something is due (``with_nothing_paid``: also
    where only a contribution is invoiced)."""
    first, last = month_bounds(month)
    schedules = list(
        PaymentSchedule.objects.filter(frequency=frequency, starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first - dt.timedelta(days=31)))
        .order_by("pk")
    )
    return [
        d
        for d in dues_of(schedules, first, last)
        if d.due.total_pence > 0 or (with_nothing_paid and d.due.contribution_invoiced_pence > 0)
    ]


@dataclass(frozen=True)
class UnscheduledCharge:
    """A month's contribution for someone with no payment schedule (decision 0055)."""

    person_id: int
    deployment: str
    period: Period
    pence: int
    working: list[str]


def unscheduled_charges_for_month(*, month: dt.date) -> list[UnscheduledCharge]:
    """The contributions to invoice for a calendar month to people with an assessed
    contribution and no payment schedule at all: their support is council-commissioned
    (paid to providers on their invoices), so no payment carries the contribution. Charged
    by the first run prepared for the month, whatever its frequency; a month already
    charged is left out (and a database constraint keeps it once)."""
    first, last = month_bounds(month)
    key = period_key(MONTHLY, first)
    people = sorted(
        set(
            AssessedContribution.objects.filter(effective_from__lte=last)
            .exclude(Exists(PaymentSchedule.objects.filter(person_id=OuterRef("person_id"))))
            .exclude(
                Exists(
                    ContributionCharge.objects.filter(
                        person_id=OuterRef("person_id"), schedule__isnull=True, period_key=key
                    )
                )
            )
            .values_list("person_id", flat=True)
        )
    )
    if not people:
        return []
    costs, contributions = plan_costs(people), contributions_of(people)
    period = Period(key, first, last, MONTHLY)
    unpaid = sorted(set(DEPLOYMENTS) - set(PAID_WAYS))
    found = []
    for person_id in people:
        for way in unpaid:
            versions = costs.get((person_id, way), [])
            if not versions:
                continue
            pence, working = contribution_charged_for_period(
                period=period, versions=versions, contributions=contributions.get(person_id, [])
            )
            if pence > 0:
                found.append(UnscheduledCharge(person_id, way, period, pence, working))
                break  # one charge a month: the contribution is the person's, not the way's
    return found


@dataclass(frozen=True)
class CalendarEntry:
    pays_on: dt.date
    period: Period
    deployment: str
    payee_name: str
    amount_pence: int
    working: list[str]
    paid: bool
    way: str = ""  # the way of holding's code ("direct_payment"), for matching a budget


@dataclass(frozen=True)
class PaymentCalendar:
    person: Person
    schedules: list[PaymentSchedule]
    entries: list[CalendarEntry] = field(default_factory=list)


def payment_calendar(person: Person, today: dt.date, days: int = 365) -> PaymentCalendar:
    """A person's payment dates for the year ahead: each period's first day (paid in
    advance), how much as things stand, and whether it is already paid."""
    schedules = list(PaymentSchedule.objects.filter(person=person).order_by("deployment"))
    dues = dues_of(schedules, today, today + dt.timedelta(days=days))
    paid = set(
        PeriodPayment.objects.filter(
            budget_account__person=person, released_by__isnull=True
        ).values_list("budget_account__deployment", "period_key")
    )
    entries = [
        CalendarEntry(
            pays_on=d.period.starts_on,
            period=d.period,
            deployment=d.schedule.get_deployment_display(),
            payee_name=d.schedule.payee_name,
            amount_pence=d.due.total_pence,
            working=d.due.working,
            paid=(d.schedule.deployment, d.period.key) in paid,
            way=d.schedule.deployment,
        )
        for d in dues
        if d.due.total_pence > 0
    ]
    return PaymentCalendar(person, schedules, sorted(entries, key=lambda e: e.pays_on))


def direct_payment_in_place(person_id: int) -> DirectPaymentAgreement | None:
    """The person's direct payment agreement in place (the newest), if any."""
    return (
        DirectPaymentAgreement.objects.filter(person_id=person_id, status="active")
        .select_related("recipient", "person")
        .order_by("-starts_on", "-id")
        .first()
    )


def payment_calendar_for(user: AnyUser, person_id: int, today: dt.date) -> PaymentCalendar:
    """The calendar, if the user may see the person (404, recorded as refused, if not)."""
    return payment_calendar(person_for(user, person_id), today)


# --- runs -----------------------------------------------------------------------------------


def runs() -> QuerySet[PaymentRun]:
    return PaymentRun.objects.select_related("prepared_by", "approved_by", "job").order_by(
        "-period", "frequency"
    )


def run_get(run_id: int) -> PaymentRun:
    return runs().get(pk=run_id)


def files_job(run: PaymentRun) -> Job | None:
    """The newest job making the run's bank files, if any (to show its state)."""
    from selfdirect.payments.jobs import PAYMENT_FILES

    return (
        Job.objects.filter(kind=PAYMENT_FILES, params__run_id=run.pk)
        .select_related("started_by")
        .order_by("-pk")
        .first()
    )


def _claims() -> QuerySet[PeriodPayment]:
    """The open claim on a line's budget and period (a subquery)."""
    return PeriodPayment.objects.filter(
        budget_account_id=OuterRef("budget_account_id"),
        period_key=OuterRef("period_key"),
        released_by__isnull=True,
    )


def _paid_here(run: PaymentRun) -> Exists:
    return Exists(_claims().filter(payment__source_reference=run.reference))


def run_lines(run: PaymentRun) -> QuerySet[PaymentLine]:
    """The run's lines, each marked ``paid_here`` if this run's payment of it is in the
    ledger, and ``paid_at_all`` if the period is paid (by this run or something else)."""
    return (
        PaymentLine.objects.filter(run=run)
        .annotate(paid_here=_paid_here(run), paid_at_all=Exists(_claims()))
        .select_related("person", "organisation")
        .order_by("pk")
    )


def lines_paid(run: PaymentRun) -> QuerySet[PaymentLine]:
    """The lines this run paid: what the bank files list."""
    return (
        PaymentLine.objects.filter(run=run)
        .filter(_paid_here(run))
        .select_related("person", "organisation")
        .order_by("pk")
    )


@dataclass(frozen=True)
class Reconciliation:
    run: PaymentRun
    lines_total_pence: int
    file_count: int
    file_total_pence: int
    ledger_count: int
    ledger_total_pence: int
    budget_balances_pence: int
    control_balances_pence: int
    exceptions: list[str]

    @property
    def file_matches_ledger(self) -> bool:
        return (self.file_count, self.file_total_pence) == (
            self.ledger_count,
            self.ledger_total_pence,
        )

    @property
    def controls_match_budgets(self) -> bool:
        return self.control_balances_pence + self.budget_balances_pence == 0


def reconciliation(run: PaymentRun) -> Reconciliation:
    """A run's payments in the bank file against the ledger's payments naming the run, and
    the ledger's control accounts against the sum of budget accounts; exceptions listed."""
    lines = run_lines(run)
    paid = lines_paid(run).aggregate(n=Count("pk"), total=Sum("amount_pence"))
    ledger = Posting.objects.filter(
        transaction__kind=Transaction.Kind.PAYMENT,
        transaction__source_reference=run.reference,
        account__kind=Account.Kind.BUDGET,
    ).aggregate(n=Count("pk"), total=Sum("amount_pence"))
    balances = dict(
        Account.objects.values_list("kind").annotate(total=Sum("balance_pence")).order_by()
    )
    budget_total = int(balances.get(Account.Kind.BUDGET, 0) or 0)
    controls = int(sum(v or 0 for k, v in balances.items() if k != Account.Kind.BUDGET))
    exceptions = []
    if run.status == PaymentRun.Status.PAID:
        for line in lines.exclude(_paid_here(run))[:50]:
            paid_at_all = getattr(line, "paid_at_all", False)
            why = "paid for the period by another payment" if paid_at_all else "not paid"
            exceptions.append(
                f"{line.person} ({line.get_deployment_display().lower()}), "
                f"period {line.period_key}: {why}"
            )
    return Reconciliation(
        run=run,
        lines_total_pence=run.total_pence,
        file_count=int(paid["n"] or 0),
        file_total_pence=int(paid["total"] or 0),
        ledger_count=int(ledger["n"] or 0),
        ledger_total_pence=int(ledger["total"] or 0),
        budget_balances_pence=budget_total,
        control_balances_pence=controls,
        exceptions=exceptions,
    )
