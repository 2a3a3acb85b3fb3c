"""The Care Act charging rules for care at home, as a pure calculation (no Django): what a
person pays a week from their capital, income, minimum income guarantee, disability-related
expenditure and housing costs, never above the weekly cost of their care (the Care and
Support (Charging and Assessment of Resources) Regulations 2014, regs 7 and 11 to 15, and
the statutory guidance's Annexes B and C). Integer pence throughout; every step is written
out as a line of the working, so the result can be read and checked (decision 0028).

charge = max(0, income counted + tariff income − MIG − DRE − housing costs),
         capped at the weekly cost of care; capital above the upper limit → the full cost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# The minimum income guarantee's base amounts: the adult's age and circumstance (reg 7(2)
# to (4)). A member of a couple has the couple amount for each of them.
BANDS: dict[str, str] = {
    "single_18_24": "Single, aged 18 to 24",
    "single_25_pension": "Single, aged 25 to Pension Credit age",
    "single_pension_age": "Single, Pension Credit age or over",
    "lone_parent": "Lone parent, aged 18 or over",
    "couple_18": "Member of a couple, both under Pension Credit age",
    "couple_pension_age": "Member of a couple, one or both Pension Credit age or over",
}
COUPLE_BANDS = frozenset({"couple_18", "couple_pension_age"})

# Income: how each kind is treated (Annex C). "counted" is taken into account in full;
# "disregarded" is left out in full. The list is short on purpose: a council adds a kind
# here (and to docs/charging.md) when it needs one.
INCOME_KINDS: dict[str, tuple[str, bool]] = {
    # code: (words, disregarded?)
    "state_pension": ("State Pension", False),
    "pension_credit": ("Pension Credit (guarantee credit)", False),
    "other_pension": ("Private or workplace pension", False),
    "benefits": ("Benefits such as ESA, Universal Credit or Carer's Allowance", False),
    "daily_living": (
        "Attendance Allowance, DLA care component or PIP daily living component",
        False,
    ),
    "night_care_part": (
        "The higher (night) rate part of Attendance Allowance, DLA care or PIP daily "
        "living, when no night care is provided",
        True,
    ),
    "mobility": ("DLA mobility component or PIP mobility component", True),
    "earnings": ("Earnings from work", True),
    "other_income": ("Other regular income", False),
}

# Capital: what counts (Schedule 2 disregards, for care at home the main home among them).
CAPITAL_KINDS: dict[str, tuple[str, bool]] = {
    "savings": ("Savings and current accounts", False),
    "investments": ("Investments, shares and bonds", False),
    "other_property": ("Property other than the main home", False),
    "main_home": ("The home the person lives in", True),
    "other_capital": ("Other capital", False),
}

# Disability-related expenditure: extra weekly costs the person has because of disability
# (Annex C, paras 39 to 45); a short list with "other" for the rest.
DRE_KINDS: dict[str, str] = {
    "community_alarm": "Community alarm",
    "heating": "Extra heating",
    "laundry": "Extra laundry and washing",
    "diet": "Special diet",
    "equipment": "Equipment and its upkeep",
    "transport": "Transport beyond the mobility component",
    "other_dre": "Other costs of disability",
}

# Housing costs the person pays themselves, net of Housing Benefit and Council Tax Support.
HOUSING_KINDS: dict[str, str] = {
    "rent": "Rent or mortgage",
    "council_tax": "Council Tax",
    "service_charge": "Service charges and ground rent",
}


@dataclass(frozen=True)
class Rates:
    """The rates in force on the day, from the council's table (pence; a week unless said)."""

    upper_capital_pence: int
    lower_capital_pence: int
    tariff_step_pence: int  # £250: each step, or part of one, of capital above the lower limit
    tariff_weekly_pence: int  # £1 a week for each step
    mig_pence: Mapping[str, int]  # by BANDS code
    disability_premium_single_pence: int
    disability_premium_couple_pence: int
    enhanced_disability_single_pence: int
    enhanced_disability_couple_pence: int
    carer_premium_pence: int
    dependent_child_pence: int


@dataclass(frozen=True)
class Circumstances:
    band: str
    disability_premium: bool = False
    enhanced_disability_premium: bool = False
    carer_premium: bool = False
    dependent_children: int = 0


@dataclass(frozen=True)
class Line:
    """One step of the working: the words, the amount (pence) and whether it is a total."""

    words: str
    pence: int | None
    total: bool = False


@dataclass(frozen=True)
class Result:
    weekly_charge_pence: int
    full_cost: bool  # capital above the upper limit: the person pays the full cost
    working: list[Line] = field(default_factory=list)


def tariff_income(capital_pence: int, rates: Rates) -> int:
    """£1 a week for every £250, or part of £250, of capital above the lower limit (reg 25)."""
    above = capital_pence - rates.lower_capital_pence
    if above <= 0:
        return 0
    steps = -(-above // rates.tariff_step_pence)  # whole steps, a part counting as one
    return steps * rates.tariff_weekly_pence


def mig_weekly(circumstances: Circumstances, rates: Rates) -> list[Line]:
    """The minimum income guarantee as its parts (reg 7): the base amount, each premium
    and each dependent child."""
    couple = circumstances.band in COUPLE_BANDS
    parts = [Line(f"Base amount: {BANDS[circumstances.band]}", rates.mig_pence[circumstances.band])]
    if circumstances.disability_premium:
        parts.append(
            Line(
                "Disability premium",
                rates.disability_premium_couple_pence
                if couple
                else rates.disability_premium_single_pence,
            )
        )
    if circumstances.enhanced_disability_premium:
        parts.append(
            Line(
                "Enhanced disability premium",
                rates.enhanced_disability_couple_pence
                if couple
                else rates.enhanced_disability_single_pence,
            )
        )
    if circumstances.carer_premium:
        parts.append(Line("Carer premium", rates.carer_premium_pence))
    if circumstances.dependent_children > 0:
        parts.append(
            Line(
                f"Dependent children ({circumstances.dependent_children})",
                circumstances.dependent_children * rates.dependent_child_pence,
            )
        )
    return parts


def weekly_charge(
    *,
    rates: Rates,
    circumstances: Circumstances,
    capital: Mapping[str, int],
    income: Mapping[str, int],
    dre: Mapping[str, int],
    housing: Mapping[str, int],
    weekly_cost_pence: int,
) -> Result:
    """What the person pays a week, with the working. The mappings are kind → pence (capital
    in total, the rest a week), kinds from the tables above."""
    lines: list[Line] = []
    counted_capital = 0
    lines.append(Line("Capital", None, total=True))
    for kind, pence in _ordered(capital, CAPITAL_KINDS):
        words, disregarded = CAPITAL_KINDS[kind]
        lines.append(Line(f"{words}{' (not counted)' if disregarded else ''}", pence))
        counted_capital += 0 if disregarded else pence
    lines.append(Line("Capital counted", counted_capital, total=True))
    if counted_capital > rates.upper_capital_pence:
        lines.append(Line("Capital is above the upper limit: the full cost of care", None))
        lines.append(Line("Weekly cost of care", weekly_cost_pence))
        lines.append(Line("Weekly charge", weekly_cost_pence, total=True))
        return Result(weekly_cost_pence, True, lines)
    tariff = tariff_income(counted_capital, rates)
    lines.append(Line("Tariff income from capital above the lower limit", tariff))

    lines.append(Line("Income a week", None, total=True))
    counted_income = 0
    for kind, pence in _ordered(income, INCOME_KINDS):
        words, disregarded = INCOME_KINDS[kind]
        lines.append(Line(f"{words}{' (not counted)' if disregarded else ''}", pence))
        counted_income += 0 if disregarded else pence
    lines.append(Line("Income counted", counted_income, total=True))
    available = counted_income + tariff
    lines.append(Line("Income counted and tariff income", available, total=True))

    lines.append(Line("Minimum income guarantee", None, total=True))
    mig_parts = mig_weekly(circumstances, rates)
    lines.extend(mig_parts)
    mig = sum(p.pence or 0 for p in mig_parts)
    lines.append(Line("Minimum income guarantee in all", mig, total=True))

    lines.append(Line("Disability-related expenditure a week", None, total=True))
    for kind, pence in _ordered(dre, DRE_KINDS):
        lines.append(Line(DRE_KINDS[kind], pence))
    dre_total = sum(pence for _, pence in _ordered(dre, DRE_KINDS))
    lines.append(Line("Disability-related expenditure in all", dre_total, total=True))

    lines.append(Line("Housing costs a week", None, total=True))
    for kind, pence in _ordered(housing, HOUSING_KINDS):
        lines.append(Line(HOUSING_KINDS[kind], pence))
    housing_total = sum(pence for _, pence in _ordered(housing, HOUSING_KINDS))
    lines.append(Line("Housing costs in all", housing_total, total=True))

    left = available - mig - dre_total - housing_total
    lines.append(Line("What is left to pay towards care (never below nothing)", max(0, left)))
    lines.append(Line("Weekly cost of care", weekly_cost_pence))
    charge = min(max(0, left), weekly_cost_pence)
    if max(0, left) > weekly_cost_pence:
        lines.append(Line("The charge is never above the cost of care", None))
    lines.append(Line("Weekly charge", charge, total=True))
    return Result(charge, False, lines)


def _ordered(amounts: Mapping[str, int], kinds: Mapping[str, object]) -> Sequence[tuple[str, int]]:
    """The amounts given, in the table's order, leaving out kinds not in it (refused earlier)
    and nothing amounts."""
    return [(kind, amounts[kind]) for kind in kinds if amounts.get(kind)]
