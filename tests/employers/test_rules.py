"""The true cost calculator, worked by hand (docs/pa-employers.md has the same cases), plus
properties. Rates: the shipped 2025/26 figures, written out here so a change to the
shipped row does not silently change what these cases expect."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfdirect.employers.rules import (
    Assistant,
    CostRates,
    assistant_cost,
    employer_cost,
    half_up,
    hours_text,
)

RATES = CostRates(
    tax_year="2025/26",
    employer_ni_rate_bp=1500,
    secondary_threshold_year_pence=500_000,
    employment_allowance_year_pence=1_050_000,
    holiday_weeks_tenths=56,
    pension_lower_year_pence=624_000,
    pension_upper_year_pence=5_027_000,
    pension_trigger_year_pence=1_000_000,
    pension_employer_rate_bp=300,
    national_living_wage_pence=1_221,
    insurance_year_pence=10_000,
    payroll_fee_year_pence=15_000,
)


def test_ten_hours_at_13_pounds_pays_national_insurance_but_no_automatic_pension() -> None:
    # £130 a week; £6,760 for 52 weeks; holiday 5.6 x £130 = £728; pay £7,488.
    # NI: 15% of (£7,488 - £5,000) = £373.20. Pay is under the £10,000 trigger: no pension.
    cost = assistant_cost(Assistant("Sam", 1300, 1000), RATES)
    assert cost.weekly_wage_pence == 13_000
    assert cost.wages_year_pence == 676_000
    assert cost.holiday_year_pence == 72_800
    assert cost.pay_year_pence == 748_800
    assert cost.ni_year_pence == 37_320
    assert cost.pension_year_pence == 0
    assert any("may ask to join" in r for r in cost.reasons)
    whole = employer_cost([Assistant("Sam", 1300, 1000)], RATES)
    # + insurance £100 + payroll £150 = £8,111.20 a year; / 52 = £155.9846... -> £155.98.
    assert whole.total_year_pence == 811_120
    assert whole.total_week_pence == 15_598


def test_full_time_pa_pays_pension_on_qualifying_earnings() -> None:
    # 37.5 hours at £12.50: £468.75 a week; pay £24,375 + holiday £2,625 = £27,000.
    # NI: 15% of £22,000 = £3,300. Pension: 3% of (£27,000 - £6,240) = £622.80.
    cost = assistant_cost(Assistant("Jo", 1250, 3750), RATES)
    assert cost.weekly_wage_pence == 46_875
    assert cost.pay_year_pence == 2_700_000
    assert cost.ni_year_pence == 330_000
    assert cost.pension_year_pence == 62_280
    assert cost.year_pence == 3_092_280
    whole = employer_cost([Assistant("Jo", 1250, 3750)], RATES)
    assert whole.total_year_pence == 3_117_280
    assert whole.total_week_pence == 59_948  # £31,172.80 / 52 = £599.4769...


def test_below_the_secondary_threshold_and_the_pension_band_costs_only_pay() -> None:
    # 5 hours at £12.21: £61.05 a week; £3,174.60 + holiday £341.88 = £3,516.48.
    cost = assistant_cost(Assistant("Al", 1221, 500), RATES)
    assert cost.pay_year_pence == 351_648
    assert cost.ni_year_pence == 0
    assert cost.pension_year_pence == 0
    assert any("secondary threshold" in r for r in cost.reasons)
    assert any("qualifying earnings" in r for r in cost.reasons)
    whole = employer_cost([Assistant("Al", 1221, 500)], RATES)
    assert (whole.total_year_pence, whole.total_week_pence) == (376_648, 7_243)


def test_pay_above_the_upper_limit_pays_pension_only_up_to_it() -> None:
    # 40 hours at £30: £1,200 a week; pay £62,400 + £6,720 = £69,120.
    # Pension: 3% of (£50,270 - £6,240) = £1,320.90. NI: 15% of £64,120 = £9,618.
    cost = assistant_cost(Assistant("Kim", 3000, 4000), RATES)
    assert cost.pension_year_pence == 132_090
    assert cost.ni_year_pence == 961_800
    whole = employer_cost([Assistant("Kim", 3000, 4000)], RATES)
    assert (whole.total_year_pence, whole.total_week_pence) == (8_030_890, 154_440)


def test_the_employment_allowance_is_set_against_national_insurance_never_beyond() -> None:
    both = [Assistant("Sam", 1300, 1000), Assistant("Jo", 1250, 3750)]
    without = employer_cost(both, RATES)
    assert without.ni_year_pence == 37_320 + 330_000
    claimed = employer_cost(both, RATES, claims_employment_allowance=True)
    assert claimed.allowance_used_year_pence == 367_320  # all of it: less than £10,500
    assert claimed.ni_year_pence == 0
    assert claimed.total_year_pence == without.total_year_pence - 367_320


def test_rounding_is_once_half_a_penny_up() -> None:
    # 2.5 hours at £12.33 = £30.825 -> £30.83; holiday 5.6 x £30.83 = £172.648 -> £172.65.
    cost = assistant_cost(Assistant("Max", 1233, 250), RATES)
    assert cost.weekly_wage_pence == 3_083
    assert cost.holiday_year_pence == 17_265
    assert half_up(5, 10) == 1 and half_up(4, 10) == 0 and half_up(15, 10) == 2


def test_a_rate_below_the_national_living_wage_is_pointed_out() -> None:
    assert any(
        "National Living Wage" in r
        for r in assistant_cost(Assistant("Lo", 1200, 100), RATES).reasons
    )
    assert not any(
        "National Living Wage" in r
        for r in assistant_cost(Assistant("Ok", 1221, 100), RATES).reasons
    )


def test_the_employers_own_insurance_and_fee_replace_the_estimates() -> None:
    cost = employer_cost(
        [Assistant("Sam", 1300, 1000)], RATES, insurance_year_pence=6_000, payroll_year_pence=0
    )
    assert (cost.insurance_year_pence, cost.payroll_year_pence) == (6_000, 0)
    assert cost.total_year_pence == 748_800 + 37_320 + 6_000


def test_no_pas_cost_nothing() -> None:
    cost = employer_cost([], RATES)
    assert cost.total_year_pence == 0 and cost.total_week_pence == 0


def test_hours_are_written_exactly() -> None:
    assert [hours_text(h) for h in (750, 800, 1, 1010, 0)] == ["7.5", "8", "0.01", "10.1", "0"]


def test_negative_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        assistant_cost(Assistant("X", -1, 100), RATES)
    with pytest.raises(ValueError):
        half_up(-1, 2)


rates_pence = st.integers(min_value=0, max_value=10_000)
hours = st.integers(min_value=0, max_value=16_800)


@given(rate=rates_pence, h=hours, more=st.integers(min_value=1, max_value=500))
def test_more_hours_never_cost_less(rate: int, h: int, more: int) -> None:
    fewer = employer_cost([Assistant("A", rate, h)], RATES).total_year_pence
    extra = employer_cost([Assistant("A", rate, min(h + more, 16_800))], RATES).total_year_pence
    assert extra >= fewer


@given(rate=rates_pence, h=hours)
def test_the_parts_add_up_and_on_costs_stay_within_their_rates(rate: int, h: int) -> None:
    cost = employer_cost([Assistant("A", rate, h)], RATES)
    [pa] = cost.assistants
    assert pa.pay_year_pence == pa.wages_year_pence + pa.holiday_year_pence
    assert 0 <= pa.ni_year_pence <= half_up(pa.pay_year_pence * 1500, 10_000)
    assert 0 <= pa.pension_year_pence <= half_up(pa.pay_year_pence * 300, 10_000)
    assert abs(cost.total_week_pence * 52 - cost.total_year_pence) <= 26
