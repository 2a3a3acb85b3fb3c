"""Market oversight for commissioners (issue 14): figures about the council's market, never
about anyone in particular. Pure reads, money in integer pence (docs/commissioner-guide.md,
decision 0047).

Spend is what approved support plans commit, not what the ledger paid: each plan version
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
    for line in lines.iterator(chunk_size=2000):
        if line.plan_id not in windows:
            continue
        person_id, starts_on, first, last = windows[line.plan_id]
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
    return market


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
