"""The true cost of employing a personal assistant (PA), as a pure calculation over integer
pence (docs/pa-employers.md, decision 0043).

From the hourly rate and the hours a week of each PA, and the rates of the tax year, it
works out the employer's cost a year and a week: wages for 52 weeks of support, holiday pay
for the statutory 5.6 weeks (paid while someone covers the hours), employer's National
Insurance above the secondary threshold (less the Employment Allowance if the employer
claims it), the employer's minimum workplace pension contribution on qualifying earnings
(only above the auto-enrolment earnings trigger), employer's liability insurance and a
payroll service's fee. Each sum is rounded once, half a penny up; the weekly figure is the
yearly total divided by 52, rounded the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

WEEKS_PER_YEAR = 52
BASIS_POINTS = 10_000  # 1500 basis points = 15%


def half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator to the nearest whole number, halves up (both not negative)."""
    if numerator < 0 or denominator <= 0:
        raise ValueError("half_up takes a non-negative numerator and a positive denominator")
    return (2 * numerator + denominator) // (2 * denominator)


def hours_text(hundredths: int) -> str:
    """750 -> '7.5'; 800 -> '8' (exactly, without floats)."""
    whole, part = divmod(hundredths, 100)
    return f"{whole}.{part:02d}".rstrip("0").rstrip(".") if part else str(whole)


@dataclass(frozen=True)
class CostRates:
    """The figures of one tax year the calculation uses (employers.EmployerCostRates)."""

    tax_year: str
    employer_ni_rate_bp: int
    secondary_threshold_year_pence: int
    employment_allowance_year_pence: int
    holiday_weeks_tenths: int
    pension_lower_year_pence: int
    pension_upper_year_pence: int
    pension_trigger_year_pence: int
    pension_employer_rate_bp: int
    national_living_wage_pence: int
    insurance_year_pence: int
    payroll_fee_year_pence: int


@dataclass(frozen=True)
class Assistant:
    """One PA as the calculation needs them: a name, the hourly rate and the hours a week
    (in hundredths: 7.5 hours is 750)."""

    name: str
    hourly_rate_pence: int
    hours_hundredths: int


@dataclass(frozen=True)
class AssistantCost:
    name: str
    weekly_wage_pence: int
    wages_year_pence: int  # 52 weeks of the hours
    holiday_year_pence: int  # the statutory weeks of paid holiday
    pay_year_pence: int  # all the PA is paid in the year: wages and holiday pay
    ni_year_pence: int  # employer's National Insurance, before any Employment Allowance
    pension_year_pence: int  # the employer's pension contribution
    reasons: tuple[str, ...]

    @property
    def year_pence(self) -> int:
        return self.pay_year_pence + self.ni_year_pence + self.pension_year_pence


@dataclass(frozen=True)
class EmployerCost:
    rates: CostRates
    assistants: tuple[AssistantCost, ...]
    ni_before_allowance_year_pence: int
    allowance_used_year_pence: int
    insurance_year_pence: int
    payroll_year_pence: int

    @property
    def pay_year_pence(self) -> int:
        return sum(a.pay_year_pence for a in self.assistants)

    @property
    def wages_year_pence(self) -> int:
        return sum(a.wages_year_pence for a in self.assistants)

    @property
    def holiday_year_pence(self) -> int:
        return sum(a.holiday_year_pence for a in self.assistants)

    @property
    def ni_year_pence(self) -> int:
        return self.ni_before_allowance_year_pence - self.allowance_used_year_pence

    @property
    def pension_year_pence(self) -> int:
        return sum(a.pension_year_pence for a in self.assistants)

    @property
    def total_year_pence(self) -> int:
        return (
            self.pay_year_pence
            + self.ni_year_pence
            + self.pension_year_pence
            + self.insurance_year_pence
            + self.payroll_year_pence
        )

    @property
    def total_week_pence(self) -> int:
        return half_up(self.total_year_pence, WEEKS_PER_YEAR)

    def week(self, year_pence: int) -> int:
        """A yearly figure as a week (for showing each part; the total is worked from the
        yearly total, so the parts a week may differ from it by a penny)."""
        return half_up(year_pence, WEEKS_PER_YEAR)


def assistant_cost(assistant: Assistant, rates: CostRates) -> AssistantCost:
    """One PA's pay and the employer's on-costs for a year."""
    if assistant.hourly_rate_pence < 0 or assistant.hours_hundredths < 0:
        raise ValueError("A rate and hours are never negative")
    reasons: list[str] = []
    weekly = half_up(assistant.hourly_rate_pence * assistant.hours_hundredths, 100)
    wages = weekly * WEEKS_PER_YEAR
    holiday = half_up(weekly * rates.holiday_weeks_tenths, 10)
    pay = wages + holiday
    above = max(0, pay - rates.secondary_threshold_year_pence)
    ni = half_up(above * rates.employer_ni_rate_bp, BASIS_POINTS)
    if not above:
        reasons.append("pay is not above the secondary threshold: no employer's National Insurance")
    if pay > rates.pension_trigger_year_pence:
        qualifying = min(pay, rates.pension_upper_year_pence) - rates.pension_lower_year_pence
        pension = half_up(max(0, qualifying) * rates.pension_employer_rate_bp, BASIS_POINTS)
    else:
        pension = 0
        if pay > rates.pension_lower_year_pence:
            reasons.append(
                "pay is below the earnings trigger: the PA is not enrolled in a pension "
                "automatically, but may ask to join, and then the employer pays in too"
            )
        else:
            reasons.append("pay is below the pension's qualifying earnings: no contribution")
    if 0 < assistant.hourly_rate_pence < rates.national_living_wage_pence:
        reasons.append("the hourly rate is below the National Living Wage for a PA aged 21 or over")
    return AssistantCost(
        name=assistant.name,
        weekly_wage_pence=weekly,
        wages_year_pence=wages,
        holiday_year_pence=holiday,
        pay_year_pence=pay,
        ni_year_pence=ni,
        pension_year_pence=pension,
        reasons=tuple(reasons),
    )


def employer_cost(
    assistants: list[Assistant],
    rates: CostRates,
    *,
    claims_employment_allowance: bool = False,
    insurance_year_pence: int | None = None,
    payroll_year_pence: int | None = None,
) -> EmployerCost:
    """The employer's cost of all their PAs: each PA's pay and on-costs, the Employment
    Allowance (set against the employer's National Insurance, never more than it), the
    insurance premium and the payroll fee (the employer's own figures if given, else the
    rates' estimates). With no PAs, there is nothing to insure or run payroll for."""
    costs = tuple(assistant_cost(a, rates) for a in assistants)
    ni = sum(c.ni_year_pence for c in costs)
    allowance = min(ni, rates.employment_allowance_year_pence) if claims_employment_allowance else 0
    employs = bool(costs)
    return EmployerCost(
        rates=rates,
        assistants=costs,
        ni_before_allowance_year_pence=ni,
        allowance_used_year_pence=allowance,
        insurance_year_pence=(
            (rates.insurance_year_pence if insurance_year_pence is None else insurance_year_pence)
            if employs
            else 0
        ),
        payroll_year_pence=(
            (rates.payroll_fee_year_pence if payroll_year_pence is None else payroll_year_pence)
            if employs
            else 0
        ),
    )
