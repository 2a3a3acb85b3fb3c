"""The plain rules of monitoring: tiers by yearly amount and risk (scenarios named after the
policy case), the quarter's dates, matching a payment to the plan, and the balance flags."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from selfdirect.monitoring import matching as m
from selfdirect.monitoring.services import sample_people
from selfdirect.monitoring.tiers import (
    DEFAULT_RULES,
    FULL,
    LIGHT,
    MIDDLE,
    months_after,
    next_check_due,
    quarter_bounds,
    quarter_of,
    tier_for,
)


@pytest.mark.parametrize(
    ("case", "yearly", "high_risk", "tier", "small_item"),
    [
        ("a small direct payment, low risk: light touch", 499_999, False, LIGHT, 5_000),
        ("exactly the light-touch limit: quarterly", 500_000, False, MIDDLE, 2_000),
        ("a middling direct payment", 1_560_000, False, MIDDLE, 2_000),
        ("at the full audit threshold", 2_500_000, False, FULL, 0),
        ("a small direct payment but high risk: full audit", 100_000, True, FULL, 0),
        ("no direct payment at all: light touch", 0, False, LIGHT, 5_000),
    ],
)
def test_tier_follows_the_yearly_amount_and_the_risk(
    case: str, yearly: int, high_risk: bool, tier: str, small_item: int
) -> None:
    decision = tier_for(yearly_pence=yearly, high_risk=high_risk, rules=DEFAULT_RULES)
    assert (decision.tier, decision.small_item_pence) == (tier, small_item), case
    assert decision.reason


def test_the_reason_names_the_amounts() -> None:
    decision = tier_for(yearly_pence=300_000, high_risk=False, rules=DEFAULT_RULES)
    assert decision.reason == "£3,000.00 a year is under £5,000.00 and the risk is not high"
    assert tier_for(yearly_pence=300_000, high_risk=True, rules=DEFAULT_RULES).reason == (
        "Recorded as high risk"
    )


def test_next_check_is_a_tier_interval_after_the_last_statement() -> None:
    assert next_check_due(
        tier=MIDDLE, last_checked=dt.date(2026, 1, 31), started=dt.date(2025, 1, 1)
    ) == dt.date(2026, 4, 30)
    assert next_check_due(tier=LIGHT, last_checked=None, started=dt.date(2025, 2, 28)) == dt.date(
        2026, 2, 28
    )
    assert next_check_due(
        tier=FULL, last_checked=dt.date(2026, 1, 31), started=dt.date(2025, 1, 1)
    ) == dt.date(2026, 2, 28)
    assert months_after(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)


def test_quarters() -> None:
    assert quarter_of(dt.date(2026, 12, 7)) == "2026-Q4"
    assert quarter_bounds("2026-Q1") == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert quarter_bounds("2026-Q4") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    for bad in ("2026-Q5", "26-Q1", "2026Q1", ""):
        with pytest.raises(ValueError):
            quarter_bounds(bad)


def test_the_same_seed_and_people_draw_the_same_sample() -> None:
    people = list(range(1, 200))
    first = sample_people(people, seed=42, size=10)
    assert first == sample_people(list(reversed(people)), seed=42, size=10)
    assert len(first) == 10 and len(set(first)) == 10
    assert sample_people(people, seed=43, size=10) != first
    assert sample_people([3, 1], seed=1, size=10) == [1, 3]  # fewer people than the size


PAYEES = [
    m.Payee(1, "Sam Jones", "personal_assistant", "adult_social_care"),
    m.Payee(2, "Acme Care", "home_care_agency", "adult_social_care"),
]
KEYWORDS = [
    m.Keyword("TAXI", "transport"),
    m.Keyword("PHARMACY", "health_care"),
    m.Keyword("BET365", m.NOT_CARE),
]
ASC = frozenset({"personal_assistant", "home_care_agency", "transport"})


def _match(description: str, amount: int, small: int = 2_000) -> m.Match:
    return m.match_transaction(
        description=description,
        amount_pence=amount,
        payees=PAYEES,
        keywords=KEYWORDS,
        allowed=ASC,
        small_item_pence=small,
    )


def test_a_payment_to_someone_in_the_plan_matches_their_line() -> None:
    got = _match("FASTER PAYMENT SAM JONES WAGES", -30_000)
    assert (got.line_id, got.category, got.flag) == (1, "personal_assistant", "")
    assert _match("ACME CARE LTD INV 12", -2_000).line_id == 2


def test_a_name_must_be_whole_words() -> None:
    # "SAMSUNG" is not "Sam": no match to the personal assistant.
    assert _match("SAMSUNG STORE", -50_000).flag == m.UNEXPLAINED


def test_keyword_spending_the_money_may_pay_for_is_not_flagged() -> None:
    assert _match("A1 TAXI CO", -1_500) == m.Match("transport")


def test_keyword_spending_the_money_may_not_pay_for_is_flagged() -> None:
    got = _match("BOOTS PHARMACY", -900)
    assert (got.category, got.flag) == ("health_care", m.NOT_ALLOWED)
    assert "health care" in got.words
    assert _match("BET365 DEPOSIT", -500).flag == m.NOT_ALLOWED


def test_unmatched_payments_are_flagged_from_the_tiers_small_item_amount() -> None:
    assert _match("CORNER SHOP", -1_999, small=2_000) == m.Match(m.SMALL_ITEM)
    flagged = _match("CORNER SHOP", -2_000, small=2_000)
    assert flagged.flag == m.UNEXPLAINED
    assert "£20.00" in flagged.words
    # A full audit flags every payment that matches nothing.
    assert _match("CORNER SHOP", -1, small=0).flag == m.UNEXPLAINED


def test_money_in_is_never_flagged() -> None:
    assert _match("BET365 WINNINGS", 10_000) == m.Match(m.MONEY_IN)


def test_balance_above_the_allowance_is_a_surplus_and_below_zero_is_flagged() -> None:
    on = dt.date(2026, 3, 31)
    surplus = m.balance_check(balance_pence=24_001, on=on, weekly_pence=3_000, allowance_weeks=8)
    assert (surplus.flag, surplus.weeks_of_budget) == (m.SURPLUS, Decimal("8.0"))
    assert "£240.01" in surplus.words and "8 weeks" in surplus.words
    within = m.balance_check(balance_pence=24_000, on=on, weekly_pence=3_000, allowance_weeks=8)
    assert within.flag == ""
    below = m.balance_check(balance_pence=-1, on=on, weekly_pence=3_000, allowance_weeks=8)
    assert below.flag == m.OVERDRAWN and "£0.01 below zero" in below.words
    # No direct payment a week: no surplus can be worked out.
    assert (
        m.balance_check(balance_pence=9_999_999, on=on, weekly_pence=0, allowance_weeks=8).flag
        == ""
    )
