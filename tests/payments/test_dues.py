"""What is due, worked by hand (the arithmetic is written beside each case)."""

from __future__ import annotations

import datetime as dt

from selfdirect.payments.dues import (
    FOUR_WEEKLY,
    MONTHLY,
    ContributionStep,
    Period,
    PlanVersionCost,
    due_for_period,
    period_number,
    periods_between,
)

ASC = "adult_social_care"
NHS = "nhs_chc"
APRIL_6 = Period("2026-04-06", dt.date(2026, 4, 6), dt.date(2026, 5, 3), FOUR_WEEKLY)
APRIL = Period("2026-04", dt.date(2026, 4, 1), dt.date(2026, 4, 30), MONTHLY)


def version(n: int, starts: dt.date, weekly: int, one_off: int = 0) -> PlanVersionCost:
    return PlanVersionCost(n, starts, {ASC: weekly}, {ASC: one_off} if one_off else {})


def test_a_full_four_weekly_period_is_four_weeks_net_of_the_contribution() -> None:
    # £300.00 a week less £20.00 contribution = £280.00 a week; × 4 weeks = £1,120.00.
    due = due_for_period(
        period=APRIL_6,
        versions=[version(1, dt.date(2026, 1, 1), 30000)],
        contributions=[ContributionStep(dt.date(2025, 4, 1), 2000)],
        takes_contribution=True,
        paid_from=dt.date(2026, 1, 1),
    )
    assert due.total_pence == 112000
    assert due.contribution_deducted_pence == 8000  # £20.00 × 4
    assert due.contribution_invoiced_pence == 0


def test_a_way_that_does_not_take_the_contribution_is_paid_gross() -> None:
    # Same plan, a managed account: £300.00 × 4 = £1,200.00, nothing deducted.
    due = due_for_period(
        period=APRIL_6,
        versions=[version(1, dt.date(2026, 1, 1), 30000)],
        contributions=[ContributionStep(dt.date(2025, 4, 1), 2000)],
        takes_contribution=False,
        paid_from=dt.date(2026, 1, 1),
    )
    assert due.total_pence == 120000
    assert due.contribution_deducted_pence == 0


def test_a_full_month_is_52_twelfths_of_a_week_rounded_once() -> None:
    # £100.00 × 52 / 12 = £433.3333… -> £433.33.
    due = due_for_period(
        period=APRIL,
        versions=[version(1, dt.date(2026, 1, 1), 10000)],
        paid_from=dt.date(2026, 1, 1),
    )
    assert due.total_pence == 43333


def test_a_first_month_is_pro_rata_by_days() -> None:
    # Paid from 21 April: 10 of April's 30 days. 10000 × 10 × (52/12) / 30 = 14444.44 -> 14444.
    due = due_for_period(
        period=APRIL,
        versions=[version(1, dt.date(2026, 1, 1), 10000)],
        paid_from=dt.date(2026, 4, 21),
    )
    assert due.total_pence == 14444


def test_a_last_four_weekly_period_is_pro_rata_by_days() -> None:
    # Paid until 19 April: 6–19 April is 14 of 28 days. 10000 × 14 × 4 / 28 = 20000.
    due = due_for_period(
        period=APRIL_6,
        versions=[version(1, dt.date(2026, 1, 1), 10000)],
        paid_from=dt.date(2026, 1, 1),
        paid_until=dt.date(2026, 4, 19),
    )
    assert due.total_pence == 20000


def test_a_new_version_mid_period_applies_from_its_start_date() -> None:
    # v1 £100.00 for 6–19 April (14 days), v2 £150.00 for 20 April–3 May (14 days):
    # (10000 × 14 + 15000 × 14) × 4 / 28 = 350000 / 7 = 50000.
    due = due_for_period(
        period=APRIL_6,
        versions=[version(1, dt.date(2026, 1, 1), 10000), version(2, dt.date(2026, 4, 20), 15000)],
        paid_from=dt.date(2026, 1, 1),
    )
    assert due.total_pence == 50000
    assert len([w for w in due.working if "plan version" in w]) == 2


def test_halves_round_up() -> None:
    # Paid only on 30 April: 45 × 1 × (52/12) / 30 = 2340/360 = 6.5 -> 7 pence.
    due = due_for_period(
        period=APRIL, versions=[version(1, dt.date(2026, 1, 1), 45)], paid_from=dt.date(2026, 4, 30)
    )
    assert due.total_pence == 7


def test_a_contribution_above_the_direct_payment_is_invoiced() -> None:
    # £10.00 a week plan, £15.00 a week contribution: nothing paid; £10.00 × 4 deducted,
    # £5.00 × 4 = £20.00 invoiced.
    due = due_for_period(
        period=APRIL_6,
        versions=[version(1, dt.date(2026, 1, 1), 1000)],
        contributions=[ContributionStep(dt.date(2026, 1, 1), 1500)],
        takes_contribution=True,
        paid_from=dt.date(2026, 1, 1),
    )
    assert due.total_pence == 0
    assert due.contribution_deducted_pence == 4000
    assert due.contribution_invoiced_pence == 2000


def test_the_contribution_comes_off_adult_social_care_first() -> None:
    # ASC £50.00 + NHS £30.00 a week, contribution £60.00: ASC £0, NHS £20.00 a week;
    # × 4 = NHS £80.00.
    due = due_for_period(
        period=APRIL_6,
        versions=[PlanVersionCost(1, dt.date(2026, 1, 1), {ASC: 5000, NHS: 3000})],
        contributions=[ContributionStep(dt.date(2026, 1, 1), 6000)],
        takes_contribution=True,
        paid_from=dt.date(2026, 1, 1),
    )
    assert due.total_by_stream == {NHS: 8000}


def test_a_contribution_change_mid_period_splits_the_period() -> None:
    # £100.00 a week; contribution £0 for 6–19 April, £10.00 from 20 April:
    # (10000 × 14 + 9000 × 14) × 4 / 28 = 38000.
    due = due_for_period(
        period=APRIL_6,
        versions=[version(1, dt.date(2026, 1, 1), 10000)],
        contributions=[ContributionStep(dt.date(2026, 4, 20), 1000)],
        takes_contribution=True,
        paid_from=dt.date(2026, 1, 1),
    )
    assert due.total_pence == 38000
    assert due.contribution_deducted_pence == 2000


def test_a_one_off_set_up_payment_is_paid_once_in_the_first_period() -> None:
    # Paid from 20 April: 14 days of £70.00 = 14000, plus the £250.00 set-up once.
    versions = [version(1, dt.date(2026, 4, 1), 7000, one_off=25000)]
    first = due_for_period(period=APRIL_6, versions=versions, paid_from=dt.date(2026, 4, 20))
    assert (first.regular_pence, first.one_off_pence) == (14000, 25000)
    second = period_number(FOUR_WEEKLY, dt.date(2026, 4, 6), 1)
    later = due_for_period(period=second, versions=versions, paid_from=dt.date(2026, 4, 20))
    assert (later.regular_pence, later.one_off_pence) == (28000, 0)


def test_no_plan_in_force_pays_nothing() -> None:
    due = due_for_period(
        period=APRIL_6,
        versions=[version(1, dt.date(2026, 6, 1), 10000)],
        paid_from=dt.date(2026, 1, 1),
    )
    assert due.total_pence == 0


def test_the_calendar_four_weekly_and_monthly() -> None:
    assert period_number(FOUR_WEEKLY, dt.date(2026, 4, 6), 1).starts_on == dt.date(2026, 5, 4)
    # A month anchored on the 31st falls on the month's last day when shorter.
    feb = period_number(MONTHLY, dt.date(2027, 1, 31), 1)
    assert (feb.key, feb.starts_on, feb.ends_on) == (
        "2027-02",
        dt.date(2027, 2, 28),
        dt.date(2027, 3, 30),
    )
    year = periods_between(
        FOUR_WEEKLY, dt.date(2026, 4, 6), dt.date(2026, 4, 6), dt.date(2027, 4, 4)
    )
    assert len(year) == 13
    assert [
        p.key
        for p in periods_between(
            MONTHLY, dt.date(2026, 1, 15), dt.date(2026, 3, 1), dt.date(2026, 4, 30)
        )
    ] == ["2026-03", "2026-04"]
