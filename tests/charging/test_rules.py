"""The charging calculation, worked by hand (the arithmetic is in each docstring), and its
properties: never below nothing, never above the cost of care, never less for more income
or more capital."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from selfdirect.charging import rules

RATES = rules.Rates(
    upper_capital_pence=2_325_000,
    lower_capital_pence=1_425_000,
    tariff_step_pence=25_000,
    tariff_weekly_pence=100,
    mig_pence={
        "single_18_24": 8_915,
        "single_25_pension": 11_250,
        "single_pension_age": 23_260,
        "lone_parent": 11_250,
        "couple_18": 8_830,
        "couple_pension_age": 17_755,
    },
    disability_premium_single_pence=4_965,
    disability_premium_couple_pence=3_540,
    enhanced_disability_single_pence=2_425,
    enhanced_disability_couple_pence=1_730,
    carer_premium_pence=5_325,
    dependent_child_pence=10_300,
)
PENSIONER = rules.Circumstances(band="single_pension_age")


def charge(**given: object) -> rules.Result:
    named: dict[str, object] = {
        "rates": RATES,
        "circumstances": PENSIONER,
        "capital": {},
        "income": {},
        "dre": {},
        "housing": {},
        "weekly_cost_pence": 50_000,
    }
    named.update(given)
    return rules.weekly_charge(**named)  # type: ignore[arg-type]


def test_tariff_is_a_pound_for_each_250_or_part_above_the_lower_limit() -> None:
    """£14,250 → £0; £14,250.01 → part of one £250 → £1; £14,500 → exactly one → £1;
    £14,500.01 → one and a part → £2; £23,250 → £9,000 above = 36 steps → £36."""
    assert rules.tariff_income(1_425_000, RATES) == 0
    assert rules.tariff_income(1_425_001, RATES) == 100
    assert rules.tariff_income(1_450_000, RATES) == 100
    assert rules.tariff_income(1_450_001, RATES) == 200
    assert rules.tariff_income(2_325_000, RATES) == 3_600
    assert rules.tariff_income(0, RATES) == 0


def test_pensioner_with_savings_and_attendance_allowance() -> None:
    """A single pensioner: State Pension £230.25 + Attendance Allowance lower rate £73.90 =
    £304.15 counted. Savings £16,000: £1,750 above the lower limit = 7 steps → £7 tariff.
    £304.15 + £7 = £311.15. MIG £232.60; DRE £20.00 (alarm £5, heating £15); housing
    council tax £10.00. £311.15 − £232.60 − £20.00 − £10.00 = £48.55 a week, below the
    £500 cost of care."""
    result = charge(
        capital={"savings": 1_600_000},
        income={"state_pension": 23_025, "daily_living": 7_390},
        dre={"community_alarm": 500, "heating": 1_500},
        housing={"council_tax": 1_000},
    )
    assert result.weekly_charge_pence == 4_855
    assert not result.full_cost
    words = [line.words for line in result.working]
    assert "Tariff income from capital above the lower limit" in words
    assert result.working[-1].pence == 4_855


def test_earnings_and_mobility_are_not_counted() -> None:
    """A single person of 30 with the disability premium: earnings £200 and PIP mobility
    £77.05 are disregarded; ESA £92.05 counted. MIG £112.50 + £49.65 = £162.15, above the
    £92.05 counted, so the charge is nothing (never below nothing)."""
    result = charge(
        circumstances=rules.Circumstances(band="single_25_pension", disability_premium=True),
        income={"earnings": 20_000, "mobility": 7_705, "benefits": 9_205},
    )
    assert result.weekly_charge_pence == 0
    counted = next(line for line in result.working if line.words == "Income counted")
    assert counted.pence == 9_205


def test_night_part_of_higher_rate_is_not_counted() -> None:
    """Higher-rate Attendance Allowance £110.40 with no night care: the lower rate £73.90 is
    counted and the £36.50 night part is not. Pension £250 + £73.90 = £323.90 − MIG £232.60
    = £91.30."""
    result = charge(
        income={"state_pension": 25_000, "daily_living": 7_390, "night_care_part": 3_650}
    )
    assert result.weekly_charge_pence == 9_130


def test_charge_never_above_cost_of_care() -> None:
    """Income £600 − MIG £232.60 = £367.40 left, but the care costs £150 a week: £150."""
    result = charge(income={"other_pension": 60_000}, weekly_cost_pence=15_000)
    assert result.weekly_charge_pence == 15_000
    assert "The charge is never above the cost of care" in [line.words for line in result.working]


def test_capital_above_upper_limit_pays_full_cost() -> None:
    """£23,250.01 counted capital is above the upper limit: the full £320 cost, whatever
    the income. The main home is not counted, so £300,000 of it changes nothing."""
    result = charge(capital={"savings": 2_325_001}, weekly_cost_pence=32_000)
    assert result.weekly_charge_pence == 32_000
    assert result.full_cost
    home_only = charge(capital={"main_home": 30_000_000}, weekly_cost_pence=32_000)
    assert home_only.weekly_charge_pence == 0
    assert not home_only.full_cost


def test_couple_premiums_and_children() -> None:
    """A member of a couple under pension age with the disability and enhanced disability
    premiums (couple rates), the carer premium and two children: £88.30 + £35.40 + £17.30 +
    £53.25 + 2 × £103.00 = £400.25. Income £450 − £400.25 = £49.75."""
    circumstances = rules.Circumstances(
        band="couple_18",
        disability_premium=True,
        enhanced_disability_premium=True,
        carer_premium=True,
        dependent_children=2,
    )
    assert sum(p.pence or 0 for p in rules.mig_weekly(circumstances, RATES)) == 40_025
    result = charge(circumstances=circumstances, income={"benefits": 45_000})
    assert result.weekly_charge_pence == 4_975


amounts = st.integers(min_value=0, max_value=200_000)
capital_amounts = st.integers(min_value=0, max_value=4_000_000)
bands = st.sampled_from(sorted(rules.BANDS))


@given(
    income=amounts,
    savings=capital_amounts,
    dre=amounts,
    housing=amounts,
    cost=amounts,
    band=bands,
)
def test_never_negative_never_above_cost(
    income: int, savings: int, dre: int, housing: int, cost: int, band: str
) -> None:
    result = charge(
        circumstances=rules.Circumstances(band=band),
        capital={"savings": savings},
        income={"other_pension": income},
        dre={"other_dre": dre},
        housing={"rent": housing},
        weekly_cost_pence=cost,
    )
    assert 0 <= result.weekly_charge_pence <= cost


@given(
    income=amounts,
    more=amounts,
    savings=capital_amounts,
    more_capital=capital_amounts,
    cost=amounts,
)
def test_monotone_in_income_and_capital(
    income: int, more: int, savings: int, more_capital: int, cost: int
) -> None:
    def pays(i: int, c: int) -> int:
        return charge(
            capital={"savings": c}, income={"other_pension": i}, weekly_cost_pence=cost
        ).weekly_charge_pence

    base = pays(income, savings)
    assert pays(income + more, savings) >= base
    assert pays(income, savings + more_capital) >= base
