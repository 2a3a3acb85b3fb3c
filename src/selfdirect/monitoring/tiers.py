"""Monitoring tiers: how closely the council checks how a direct payment is spent, from the
yearly amount and the recorded risk, as plain rules over a dated table (no Django).

Light touch below a threshold and not high risk (no receipts for small items, a yearly
check); quarterly statements in the middle; a full audit at or above a threshold or when
the person is recorded as high risk. docs/finance-guide.md has the defaults and why."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from selfdirect.money import pounds

LIGHT, MIDDLE, FULL = "light", "middle", "full"
TIER_NAMES = {LIGHT: "Light touch", MIDDLE: "Quarterly statements", FULL: "Full audit"}
# How often a statement is checked, in months.
CHECK_MONTHS = {LIGHT: 12, MIDDLE: 3, FULL: 1}
CHECK_WORDS = {
    LIGHT: "A yearly check of the account; no receipts needed for small items",
    MIDDLE: "Bank or card statements every three months",
    FULL: "Statements every month, with receipts for every payment",
}


@dataclass(frozen=True)
class TierRules:
    """One version of the council's tier table, in force from ``effective_from``."""

    effective_from: dt.date
    light_below_yearly_pence: int
    full_from_yearly_pence: int
    # A payment out that matches nothing in the plan is flagged from this amount up.
    light_small_item_pence: int
    middle_small_item_pence: int
    full_small_item_pence: int
    source: str = ""

    def small_item_pence(self, tier: str) -> int:
        return {
            LIGHT: self.light_small_item_pence,
            MIDDLE: self.middle_small_item_pence,
            FULL: self.full_small_item_pence,
        }[tier]


# The shipped defaults (migration 0002 writes them as the first version of the table).
DEFAULT_RULES = TierRules(
    effective_from=dt.date(2015, 4, 1),
    light_below_yearly_pence=500_000,
    full_from_yearly_pence=2_500_000,
    light_small_item_pence=5_000,
    middle_small_item_pence=2_000,
    full_small_item_pence=0,
    source="Selfdirect defaults: light touch under £5,000 a year, full audit from £25,000",
)


@dataclass(frozen=True)
class TierDecision:
    tier: str
    reason: str
    small_item_pence: int

    @property
    def name(self) -> str:
        return TIER_NAMES[self.tier]

    @property
    def check_words(self) -> str:
        return CHECK_WORDS[self.tier]

    @property
    def check_every_months(self) -> int:
        return CHECK_MONTHS[self.tier]


def tier_for(*, yearly_pence: int, high_risk: bool, rules: TierRules) -> TierDecision:
    """The person's tier, with the reason in words."""
    if high_risk:
        tier, reason = FULL, "Recorded as high risk"
    elif yearly_pence >= rules.full_from_yearly_pence:
        tier = FULL
        reason = (
            f"{pounds(yearly_pence)} a year is at or above the full audit threshold of "
            f"{pounds(rules.full_from_yearly_pence)}"
        )
    elif yearly_pence < rules.light_below_yearly_pence:
        tier = LIGHT
        reason = (
            f"{pounds(yearly_pence)} a year is under {pounds(rules.light_below_yearly_pence)} "
            "and the risk is not high"
        )
    else:
        tier = MIDDLE
        reason = (
            f"{pounds(yearly_pence)} a year is from {pounds(rules.light_below_yearly_pence)} "
            f"up to {pounds(rules.full_from_yearly_pence)}"
        )
    return TierDecision(tier=tier, reason=reason, small_item_pence=rules.small_item_pence(tier))


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day if it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_check_due(*, tier: str, last_checked: dt.date | None, started: dt.date) -> dt.date:
    """When the next statement is due: a tier's interval after the last statement's end,
    or after the direct payment started if there is none yet."""
    return months_after(last_checked or started, CHECK_MONTHS[tier])


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter written "2026-Q2"; ValueError if it is not one."""
    year_text, _, number_text = quarter.partition("-Q")
    if not (year_text.isdigit() and len(year_text) == 4 and number_text in {"1", "2", "3", "4"}):
        raise ValueError(quarter)
    year, number = int(year_text), int(number_text)
    first = dt.date(year, 3 * number - 2, 1)
    last_month = 3 * number
    return first, dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
