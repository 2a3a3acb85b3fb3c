"""What is due: the pure arithmetic of a payment (no Django), worked out by hand in the tests.

For one budget (a person and a way of holding it) and one period of its schedule:

1. The period's days are split into **segments** in which nothing changes: the same plan
   version in force (a version applies from its start date) and the same assessed
   contribution (from its effective date). Days before the schedule starts or after it
   ends are not paid (a pro-rata first or last period).
2. In each segment, per funding stream, the weekly amount is the plan's lines for this way
   of holding (``PlanLine.weekly_cost_pence``) less the part of the weekly assessed
   contribution this way bears (``takes_contribution``: the direct payment is paid net of
   the contribution; council-arranged services invoice it). The contribution comes off
   the adult social care stream first (the council's money, which charging is about),
   then the others in code order, never below nothing; what is left over after every
   stream is at nothing is *invoiced* to the person (``contribution_invoiced_pence``).
3. A period is worth ``period_weeks`` weeks: 4 for a four-weekly period, 52/12 for a
   calendar month. A stream's amount for the period is

       sum over segments (weekly × days in segment) × period_weeks / days in period

   rounded **once**, to the nearest penny, halves up. So a full four-weekly period is
   exactly 4 × weekly, a full month exactly weekly × 52 / 12 (rounded), and a part period
   the same share of it as its days are of the period's days.
4. One-off set-up payments (one-off plan lines new in a version) are paid once, in full,
   in the period that holds the version's first paid day.

Everything is integer pence; fractions are exact (``fractions.Fraction``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from selfdirect.money import pounds

FOUR_WEEKLY = "four_weekly"
MONTHLY = "monthly"
PERIOD_WEEKS: dict[str, Fraction] = {FOUR_WEEKLY: Fraction(4), MONTHLY: Fraction(52, 12)}
CONTRIBUTION_FIRST = "adult_social_care"


@dataclass(frozen=True)
class PlanVersionCost:
    """An approved plan version's cost for one way of holding, by funding stream."""

    version: int
    starts_on: dt.date
    weekly_by_stream: Mapping[str, int]
    one_off_by_stream: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ContributionStep:
    effective_from: dt.date
    weekly_pence: int


@dataclass(frozen=True)
class Period:
    """A period of a schedule: its first and last day (inclusive) and what it is worth."""

    key: str
    starts_on: dt.date
    ends_on: dt.date
    frequency: str

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    @property
    def weeks(self) -> Fraction:
        return PERIOD_WEEKS[self.frequency]


@dataclass(frozen=True)
class Due:
    amount_by_stream: dict[str, int]
    one_off_by_stream: dict[str, int]
    contribution_deducted_pence: int
    contribution_invoiced_pence: int
    working: list[str]

    @property
    def regular_pence(self) -> int:
        return sum(self.amount_by_stream.values())

    @property
    def one_off_pence(self) -> int:
        return sum(self.one_off_by_stream.values())

    @property
    def total_pence(self) -> int:
        return self.regular_pence + self.one_off_pence

    @property
    def total_by_stream(self) -> dict[str, int]:
        total = dict(self.amount_by_stream)
        for stream, pence in self.one_off_by_stream.items():
            total[stream] = total.get(stream, 0) + pence
        return {s: p for s, p in sorted(total.items()) if p}


def round_half_up(value: Fraction) -> int:
    """The nearest whole penny, halves up (values here are never negative)."""
    return int((value * 2 + 1) // 2)


def in_force(versions: Sequence[PlanVersionCost], day: dt.date) -> PlanVersionCost | None:
    """The version in force on a day: the latest starting on or before it (highest version
    on a tie)."""
    found = None
    for version in sorted(versions, key=lambda v: (v.starts_on, v.version)):
        if version.starts_on <= day:
            found = version
    return found


def contribution_in_force(steps: Sequence[ContributionStep], day: dt.date) -> int:
    found = 0
    for step in sorted(steps, key=lambda s: s.effective_from):
        if step.effective_from <= day:
            found = step.weekly_pence
    return found


def net_of_contribution(
    weekly_by_stream: Mapping[str, int], contribution: int
) -> tuple[dict[str, int], int]:
    """The weekly amounts less the contribution (adult social care first, then the other
    streams in code order), and what is left of the contribution to invoice."""
    net = {s: p for s, p in weekly_by_stream.items() if p}
    left = contribution
    order = sorted(net, key=lambda s: (s != CONTRIBUTION_FIRST, s))
    for stream in order:
        taken = min(left, net[stream])
        net[stream] -= taken
        left -= taken
    return net, left


def _day(d: dt.date) -> str:
    return f"{d:%-d %B %Y}"


def due_for_period(
    *,
    period: Period,
    versions: Sequence[PlanVersionCost],
    contributions: Sequence[ContributionStep] = (),
    takes_contribution: bool = False,
    invoices_contribution: bool = False,
    paid_from: dt.date,
    paid_until: dt.date | None = None,
) -> Due:
    """What is due for ``period`` (see the module docstring). ``paid_from``/``paid_until``:
    the schedule's first and last paid days. ``invoices_contribution``: a budget paid gross
    that carries the person's contribution (they have no direct payment to take it from):
    all of it is invoiced."""
    first = max(period.starts_on, paid_from)
    last = period.ends_on if paid_until is None else min(period.ends_on, paid_until)
    sums: dict[str, int] = {}  # stream -> sum of weekly × days
    invoiced_sum = deducted_sum = 0
    working: list[str] = []
    one_off: dict[str, int] = {}
    day = first
    while day <= last:
        version = in_force(versions, day)
        # No contribution is taken or invoiced on days with no approved plan in force.
        contribution = (
            contribution_in_force(contributions, day)
            if (takes_contribution or invoices_contribution) and in_force(versions, day)
            else 0
        )
        # The segment runs until the day before the next change (or the period's end).
        end = last
        for boundary in [v.starts_on for v in versions] + [c.effective_from for c in contributions]:
            if day < boundary <= end:
                end = boundary - dt.timedelta(days=1)
        days = (end - day).days + 1
        weekly = dict(version.weekly_by_stream) if version else {}
        if takes_contribution:
            net, left = net_of_contribution(weekly, contribution)
        else:  # paid gross: the whole contribution (if it carries one) is invoiced
            net, left = {s: p for s, p in weekly.items() if p}, contribution
        for stream, pence in net.items():
            sums[stream] = sums.get(stream, 0) + pence * days
        deducted_sum += (contribution - left) * days
        invoiced_sum += left * days
        gross = sum(weekly.values())
        words = f"{_day(day)} to {_day(end)} ({days} of {period.days} days): "
        if version is None:
            words += "no approved plan in force"
        else:
            words += f"plan version {version.version}, {pounds(gross)} a week"
            if takes_contribution and contribution:
                words += f" less contribution {pounds(contribution - left)} a week"
            words += f" = {pounds(sum(net.values()))} a week"
            if left:
                words += f"; {pounds(left)} a week of the contribution invoiced"
        working.append(words)
        day = end + dt.timedelta(days=1)
    # One-off lines: in full, in the period holding the version's first paid day.
    for version in versions:
        start = max(version.starts_on, paid_from)
        if first <= start <= last and version.one_off_by_stream:
            for stream, pence in version.one_off_by_stream.items():
                if pence:
                    one_off[stream] = one_off.get(stream, 0) + pence
            working.append(
                f"One-off set-up payment from plan version {version.version}: "
                f"{pounds(sum(version.one_off_by_stream.values()))}"
            )
    share = period.weeks / period.days
    amounts = {s: round_half_up(v * share) for s, v in sorted(sums.items())}
    amounts = {s: p for s, p in amounts.items() if p}
    if first <= last:
        working.append(
            f"Worked out as weekly × days × {period.weeks} weeks ÷ {period.days} days, "
            f"rounded once to the penny: {pounds(sum(amounts.values()))}"
        )
    return Due(
        amount_by_stream=amounts,
        one_off_by_stream=one_off,
        contribution_deducted_pence=round_half_up(deducted_sum * share),
        contribution_invoiced_pence=round_half_up(invoiced_sum * share),
        working=working,
    )


def contribution_charged_for_period(
    *,
    period: Period,
    versions: Sequence[PlanVersionCost],
    contributions: Sequence[ContributionStep],
) -> tuple[int, list[str]]:
    """The contribution invoiced for ``period`` to someone with no payment schedule (their
    support is only council-commissioned, decision 0055): on each day, the weekly
    contribution in force, never above the weekly cost of the plan version in force for
    those services (the charge is never above the cost of care; nothing on days with no
    commissioned service in force), worked out as a payment is: sum of weekly × days, ×
    period weeks ÷ period days, rounded once to the penny, halves up. Returns (pence,
    working)."""
    total = 0
    working: list[str] = []
    day = period.starts_on
    while day <= period.ends_on:
        version = in_force(versions, day)
        end = period.ends_on
        for boundary in [v.starts_on for v in versions] + [c.effective_from for c in contributions]:
            if day < boundary <= end:
                end = boundary - dt.timedelta(days=1)
        days = (end - day).days + 1
        cost = sum(version.weekly_by_stream.values()) if version else 0
        contribution = contribution_in_force(contributions, day) if cost else 0
        weekly = min(contribution, cost)
        total += weekly * days
        words = f"{_day(day)} to {_day(end)} ({days} of {period.days} days): "
        if version is None or not cost:
            words += "no council-arranged services in force, nothing charged"
        else:
            words += (
                f"plan version {version.version}, council-arranged services "
                f"{pounds(cost)} a week; contribution {pounds(weekly)} a week"
            )
            if weekly < contribution:
                words += f" (the assessed {pounds(contribution)}, capped at the cost)"
        working.append(words)
        day = end + dt.timedelta(days=1)
    pence = round_half_up(total * period.weeks / period.days)
    working.append(
        f"Worked out as weekly × days × {period.weeks} weeks ÷ {period.days} days, "
        f"rounded once to the penny: {pounds(pence)}"
    )
    return pence, working


# --- the calendar ---------------------------------------------------------------------------


def _month_day(year: int, month: int, day: int) -> dt.date:
    """The day of the month, or the month's last day if it is shorter."""
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1


def _add_months(anchor: dt.date, months: int) -> dt.date:
    index = anchor.year * 12 + anchor.month - 1 + months
    return _month_day(index // 12, index % 12 + 1, anchor.day)


def period_key(frequency: str, starts_on: dt.date) -> str:
    """A monthly period is keyed by its month ("2026-04"), a four-weekly one by its first
    day ("2026-04-06")."""
    return f"{starts_on:%Y-%m}" if frequency == MONTHLY else starts_on.isoformat()


def period_number(frequency: str, anchor: dt.date, n: int) -> Period:
    """The schedule's n-th period (0 is the one starting on the anchor)."""
    if frequency == FOUR_WEEKLY:
        start = anchor + dt.timedelta(days=28 * n)
        end = start + dt.timedelta(days=27)
    else:
        start = _add_months(anchor, n)
        end = _add_months(anchor, n + 1) - dt.timedelta(days=1)
    return Period(period_key(frequency, start), start, end, frequency)


def periods_between(frequency: str, anchor: dt.date, first: dt.date, last: dt.date) -> list[Period]:
    """The schedule's periods starting from ``first`` to ``last`` (inclusive), in order."""
    if frequency == FOUR_WEEKLY:
        n = max(0, (first - anchor).days // 28)
    else:
        n = max(0, (first.year - anchor.year) * 12 + first.month - anchor.month - 1)
    found: list[Period] = []
    while True:
        period = period_number(frequency, anchor, n)
        if period.starts_on > last:
            return found
        if period.starts_on >= first:
            found.append(period)
        n += 1
