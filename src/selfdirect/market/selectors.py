"""Market oversight for commissioners (issue 14): figures about the council's market, never
about anyone in particular. Pure reads, money in integer pence (docs/commissioner-guide.md,
decision 0047).

Spend committed is what approved support plans commit: each plan version
counts over the days of the period it was in force (from its start to the day before the
next version, or its end), each line at its weekly cost x days / 7 with the provider and
way of holding it had on each day (after provider switches), rounded to the penny once for
each stretch of a line. A one-off line counts once, if its plan version started in the
period.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from selfdirect.directory.models import NeedSearch
from selfdirect.ledger.models import Account, Posting, Transaction
from selfdirect.planning.models import LineSwitch, PlanLine, SupportPlan, line_cost_pence
from selfdirect.planning.streams import DEPLOYMENTS, SWITCH_REASONS
from selfdirect.providers.models import ProviderClient

# Plan line categories -> the IBSEN evaluation's categories of what budgets were spent on
# (Glendinning et al. 2008, Tables 5.5-5.8; /work/shared/domain digest section 3.5).
# A one-off line counts as "One-off items" whatever its category, as IBSEN counted them.
MAINSTREAM, PA, IN_KIND, LEISURE, ONE_OFF, OTHER = (
    "mainstream",
    "personal_assistance",
    "payment_in_kind",
    "leisure",
    "one_off",
    "other",
)
IBSEN_CATEGORIES: dict[str, str] = {
    MAINSTREAM: "Mainstream services",
    PA: "Personal assistance",
    IN_KIND: "Payment in kind",
    LEISURE: "Leisure activities",
    ONE_OFF: "One-off items",
    OTHER: "Not in IBSEN's categories",
}
IBSEN_MAP: dict[str, str] = {
    "home_care_agency": MAINSTREAM,
    "personal_assistant": PA,
    "day_activity": MAINSTREAM,
    "short_breaks": MAINSTREAM,
    "transport": MAINSTREAM,
    "leisure": LEISURE,
    "hobby": LEISURE,
    "it_communication": MAINSTREAM,
    "equipment_purchase": MAINSTREAM,
    "equipment_maintenance": MAINSTREAM,
    "adaptations": MAINSTREAM,
    "housing_support": MAINSTREAM,
    "employment_support": OTHER,
    "health_care": OTHER,
    "account_fees": OTHER,
    "insurance": OTHER,
}
# IBSEN's share of budget holders using each category (digest 3.5: mainstream 59%, leisure
# 37%, payment in kind 2%; personal assistants 59%, Table 5.6 overall). None: not reported.
IBSEN_PEOPLE_PERCENT: dict[str, int | None] = {
    MAINSTREAM: 59,
    PA: 59,
    IN_KIND: 2,
    LEISURE: 37,
    ONE_OFF: None,
    OTHER: None,
}
NO_PROVIDER = "No provider named (personal assistants, universal services)"
NO_REASON = "Other reason (in the note)"
NOT_MATCHED = "Not matched to a plan line in force that day"
IN_FORCE = (SupportPlan.Status.APPROVED, SupportPlan.Status.SUPERSEDED)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def period_default(today: dt.date) -> Period:
    """The last 12 months: 365 days up to and including today."""
    return Period(today - dt.timedelta(days=364), today)


LAST_12_MONTHS = "The last 12 months"
QUARTER_MONTHS = ((4, 6), (7, 9), (10, 12), (1, 3))  # a financial year's quarters


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def period_presets(today: dt.date) -> list[tuple[str, str, Period]]:
    """(code, label, period) a commissioner may choose: the last 12 months; this financial
    year (1 April to 31 March) and the two before it; and the quarters of this financial
    year and the last one that have begun."""
    fy = today.year if today >= dt.date(today.year, 4, 1) else today.year - 1
    presets = [("", LAST_12_MONTHS, period_default(today))]
    for year in (fy, fy - 1, fy - 2):
        label = f"Financial year {year} to {year + 1}"
        presets.append((f"fy-{year}", label, Period(dt.date(year, 4, 1), dt.date(year + 1, 3, 31))))
    for year in (fy, fy - 1):
        for n, (first, last) in enumerate(QUARTER_MONTHS, start=1):
            on = year if first >= 4 else year + 1
            start = dt.date(on, first, 1)
            if start > today:
                continue
            name = f"{start:%B} to {dt.date(on, last, 1):%B} {on}"
            presets.append(
                (f"q-{year}-{n}", f"Quarter {n}: {name}", Period(start, _month_end(on, last)))
            )
    return presets


def share_text(part: int, whole: int) -> str:
    """part of whole as a percentage to one decimal place, in whole-number arithmetic."""
    if whole <= 0:
        return "0.0%"
    tenths = (part * 1000 * 2 + whole) // (whole * 2)
    return f"{tenths // 10}.{tenths % 10}%"


def pence_for_days(weekly_pence: int, days: int) -> int:
    """weekly x days / 7, halves rounded up."""
    return (weekly_pence * days * 2 + 7) // 14


@dataclass
class Row:
    label: str
    pence: int = 0
    people: int = 0
    share: str = ""
    people_share: str = ""
    ibsen_people_percent: int | None = None


@dataclass
class Market:
    period: Period
    total_pence: int = 0
    people_with_plan: int = 0
    by_provider: list[Row] = field(default_factory=list)
    by_holding: list[Row] = field(default_factory=list)
    by_category: list[Row] = field(default_factory=list)
    people_per_provider: list[Row] = field(default_factory=list)
    switches: int = 0
    switches_per_100: str = "0.0"
    switch_reasons: list[Row] = field(default_factory=list)
    gaps: list[tuple[str, str, int, int]] = field(default_factory=list)
    # Spend paid, from the ledger (module docstring).
    paid_pence: int = 0
    paid_by_holding: list[Row] = field(default_factory=list)
    paid_by_provider: list[Row] = field(default_factory=list)
    invoices_paid: list[Row] = field(default_factory=list)


def _plans(period: Period) -> QuerySet[SupportPlan]:
    """Approved (or since replaced) plan versions that may have been in force in the period
    (a subquery, so a council of any size never lists their ids)."""
    return SupportPlan.objects.filter(status__in=IN_FORCE, starts_on__lte=period.end).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=period.start)
    )


def _windows(period: Period) -> dict[int, tuple[int, dt.date, dt.date, dt.date]]:
    """plan id -> (person id, starts on, first day and last day counted in the period)."""
    plans = list(_plans(period).values_list("pk", "person_id", "starts_on", "ends_on"))
    next_start = dict(
        SupportPlan.objects.filter(
            status__in=IN_FORCE, previous__in=_plans(period).values("pk")
        ).values_list("previous_id", "starts_on")
    )
    windows = {}
    for pk, person_id, starts_on, ends_on in plans:
        last = period.end
        if ends_on is not None:
            last = min(last, ends_on)
        if pk in next_start:
            last = min(last, next_start[pk] - dt.timedelta(days=1))
        first = max(starts_on, period.start)
        if first <= last or period.start <= starts_on <= period.end:
            windows[pk] = (person_id, starts_on, first, last)
    return windows


def _stretches(
    line: PlanLine, switches: list[LineSwitch], first: dt.date, last: dt.date
) -> list[tuple[str, str, int, int]]:
    """(way of holding, provider name or "", weekly pence, days) for each stretch of the
    line between first and last, split where a switch (not undone, in date order) took
    effect."""
    holding, provider = line.deployment, line.provider.name if line.provider else ""
    cost = line.unit_cost_pence
    changes: list[tuple[dt.date, str, str, int]] = []
    for s in switches:
        holding = s.to_deployment
        provider = s.to_provider.name if s.to_provider else ""
        cost = s.to_unit_cost_pence if s.to_unit_cost_pence is not None else cost
        changes.append((s.effective_date, holding, provider, cost))
    # The arrangement on the first day, then each change after it.
    state = (line.deployment, line.provider.name if line.provider else "", line.unit_cost_pence)
    for on, h, p, c in changes:
        if on <= first:
            state = (h, p, c)
    out = []
    start = first
    for on, h, p, c in changes:
        if first < on <= last:
            out.append((state[0], state[1], _weekly(line, state[2]), (on - start).days))
            state, start = (h, p, c), on
    if start <= last:
        out.append((state[0], state[1], _weekly(line, state[2]), (last - start).days + 1))
    return out


def _weekly(line: PlanLine, unit_cost_pence: int) -> int:
    return line_cost_pence(unit_cost_pence, line.quantity_hundredths)


def market_figures(*, period: Period, today: dt.date) -> Market:
    market = Market(period=period)
    windows = _windows(period)
    by_provider: Counter[str] = Counter()
    by_holding: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    category_people: dict[str, set[int]] = defaultdict(set)
    people = {w[0] for w in windows.values()}
    switches: dict[int, list[LineSwitch]] = defaultdict(list)
    for switch in (
        LineSwitch.objects.filter(undone_at__isnull=True, line__plan__in=_plans(period))
        .select_related("to_provider")
        .order_by("effective_date", "pk")
    ):
        switches[switch.line_id].append(switch)
    lines = (
        PlanLine.objects.filter(plan__in=_plans(period)).select_related("provider").order_by("pk")
    )
    plan_lines: dict[int, list[PlanLine]] = defaultdict(list)
    for line in lines.iterator(chunk_size=2000):
        if line.plan_id not in windows:
            continue
        person_id, starts_on, first, last = windows[line.plan_id]
        if not line.is_one_off:
            plan_lines[line.plan_id].append(line)
        if line.is_one_off:
            if not period.start <= starts_on <= period.end:
                continue
            on = max(starts_on, first)
            stretches = [
                (*_stretches(line, switches[line.pk], on, on)[0][:2], line.one_off_cost_pence, 0)
            ]
            category = ONE_OFF
        else:
            if first > last:
                continue
            stretches = _stretches(line, switches[line.pk], first, last)
            category = IBSEN_MAP.get(line.category, OTHER)
        for holding, provider, weekly, days in stretches:
            pence = weekly if line.is_one_off else pence_for_days(weekly, days)
            by_provider[provider or NO_PROVIDER] += pence
            by_holding[holding] += pence
            by_category[category] += pence
        category_people[category].add(person_id)
    total = sum(by_holding.values())
    market.total_pence = total
    market.people_with_plan = len(people)
    market.by_provider = [
        Row(label, pence, share=share_text(pence, total))
        for label, pence in sorted(by_provider.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    market.by_holding = [
        Row(DEPLOYMENTS[code], by_holding[code], share=share_text(by_holding[code], total))
        for code in DEPLOYMENTS
    ]
    market.by_category = [
        Row(
            label,
            by_category[code],
            people=len(category_people[code]),
            share=share_text(by_category[code], total),
            people_share=share_text(len(category_people[code]), len(people)),
            ibsen_people_percent=IBSEN_PEOPLE_PERCENT[code],
        )
        for code, label in IBSEN_CATEGORIES.items()
    ]
    market.people_per_provider = _people_per_provider(today)
    _switching(market, period, len(people))
    market.gaps = _gaps(period)
    _paid(market, period, windows, plan_lines, switches)
    return market


def _state_on(line: PlanLine, switches: list[LineSwitch], on: dt.date) -> tuple[str, str, int]:
    """(way of holding, provider name or "", weekly pence) of a line on a day."""
    holding, provider = line.deployment, line.provider.name if line.provider else ""
    cost = line.unit_cost_pence
    for s in switches:
        if s.effective_date <= on:
            holding = s.to_deployment
            provider = s.to_provider.name if s.to_provider else ""
            cost = s.to_unit_cost_pence if s.to_unit_cost_pence is not None else cost
    return holding, provider, _weekly(line, cost)


def spread(pence: int, weights: list[tuple[str, int]]) -> dict[str, int]:
    """``pence`` shared by weight, in whole pence adding up to it: each gets its floor, and
    the pence left over go one each to the largest remainders (ties by label)."""
    total = sum(w for _, w in weights)
    if total <= 0:
        return {}
    sign, amount = (1, pence) if pence >= 0 else (-1, -pence)
    shares = [(label, amount * w // total, amount * w % total) for label, w in weights]
    left = amount - sum(share for _, share, _ in shares)
    order = sorted(range(len(shares)), key=lambda i: (-shares[i][2], shares[i][0]))
    out: dict[str, int] = defaultdict(int)
    for rank, i in enumerate(order):
        out[shares[i][0]] += sign * (shares[i][1] + (1 if rank < left else 0))
    return dict(out)


def _paid(
    market: Market,
    period: Period,
    windows: dict[int, tuple[int, dt.date, dt.date, dt.date]],
    plan_lines: dict[int, list[PlanLine]],
    switches: dict[int, list[LineSwitch]],
) -> None:
    """Spend paid through the ledger in the period (module docstring)."""
    plans_of: dict[int, list[tuple[dt.date, dt.date, int]]] = defaultdict(list)
    for plan_id, (person_id, _starts_on, first, last) in windows.items():
        plans_of[person_id].append((first, last, plan_id))
    payments = (
        Posting.objects.filter(
            account__kind=Account.Kind.BUDGET,
            effective_date__gte=period.start,
            effective_date__lte=period.end,
        )
        .filter(
            Q(transaction__kind=Transaction.Kind.PAYMENT)
            | Q(
                transaction__kind=Transaction.Kind.REVERSAL,
                transaction__reverses__kind=Transaction.Kind.PAYMENT,
            )
        )
        .values_list("account__person_id", "account__deployment", "effective_date", "amount_pence")
    )
    by_holding: Counter[str] = Counter()
    by_provider: Counter[str] = Counter()
    for person_id, holding, on, pence in payments.iterator(chunk_size=5000):
        by_holding[holding] += pence
        weights: dict[str, int] = defaultdict(int)
        for first, last, plan_id in plans_of.get(person_id, []):
            if not first <= on <= last:
                continue
            for line in plan_lines.get(plan_id, []):
                way, provider, weekly = _state_on(line, switches[line.pk], on)
                if way == holding and weekly > 0:
                    weights[provider or NO_PROVIDER] += weekly
        shares = spread(pence, sorted(weights.items())) or {NOT_MATCHED: pence}
        by_provider.update(shares)
    total = sum(by_holding.values())
    market.paid_pence = total
    market.paid_by_holding = [
        Row(DEPLOYMENTS[code], by_holding[code], share=share_text(by_holding[code], total))
        for code in DEPLOYMENTS
    ]
    market.paid_by_provider = [
        Row(label, pence, share=share_text(pence, total))
        for label, pence in sorted(by_provider.items(), key=lambda kv: (-kv[1], kv[0]))
        if pence
    ]
    invoices: Counter[str] = Counter()
    for name, pence in Posting.objects.filter(
        account__kind=Account.Kind.PROVIDER_PAYABLE,
        transaction__kind=Transaction.Kind.INVOICE_PAYMENT,
        effective_date__gte=period.start,
        effective_date__lte=period.end,
    ).values_list("account__provider__name", "amount_pence"):
        invoices[name] -= pence  # a payment out of the provider's account is a credit
    market.invoices_paid = [
        Row(name, pence) for name, pence in sorted(invoices.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _people_per_provider(today: dt.date) -> list[Row]:
    counts: dict[str, set[int]] = defaultdict(set)
    current = ProviderClient.objects.filter(start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    for name, person_id in current.values_list("provider__name", "person_id"):
        counts[name].add(person_id)
    return [
        Row(name, people=len(ids))
        for name, ids in sorted(counts.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]


def _switching(market: Market, period: Period, people: int) -> None:
    switches = LineSwitch.objects.filter(
        undone_at__isnull=True, effective_date__gte=period.start, effective_date__lte=period.end
    ).values_list("reasons", flat=True)
    reasons: Counter[str] = Counter()
    count = 0
    for codes in switches:
        count += 1
        for code in codes or [None]:
            reasons[SWITCH_REASONS.get(code, NO_REASON) if code else NO_REASON] += 1
    market.switches = count
    if people:
        tenths = (count * 1000 * 2 + people) // (people * 2)
        market.switches_per_100 = f"{tenths // 10}.{tenths % 10}"
    market.switch_reasons = [
        Row(label, people=n) for label, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _gaps(period: Period) -> list[tuple[str, str, int, int]]:
    """(need, area, searches, fewest results) for searches that found few services."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    rows = NeedSearch.objects.filter(
        searched_on__gte=period.start, searched_on__lte=period.end
    ).values_list("need", "area", "results")
    for need, area, results in rows:
        groups[(" ".join(need.lower().split()), area.upper())].append(results)
    return [
        (need, area, len(r), min(r))
        for (need, area), r in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
