"""The true cost calculator's figures for 2025/26 and 2026/27, shipped as the rates table's
first rows (docs/pa-employers.md lists every figure with its source).

Checked offline, in December 2026, against published copies of HMRC's rates and thresholds
for employers and of the DWP's review of the automatic enrolment thresholds (payroll and
accountancy firms' tables and news of the announcements; gov.uk itself could not be
reached): the employer's National Insurance rate, secondary threshold and Employment
Allowance of both years; the 2025/26 auto-enrolment earnings trigger and qualifying
earnings band; the National Living Wage from April 2026. The rest is labelled NOT YET
CHECKED in ``not_yet_checked``, shown on the calculator's page: a council checks them and
adds corrected rates as a new row.
"""

import datetime as dt

from django.db import migrations

SOURCE_2025_26 = (
    "Employer's Class 1 National Insurance 15% above the secondary threshold of £5,000 a "
    "year, and the Employment Allowance of £10,500: HMRC, Rates and thresholds for employers "
    "2025 to 2026 (National Insurance Contributions (Secondary Class 1 Contributions) Act "
    "2025). Holiday: 5.6 weeks, the Working Time Regulations 1998, regulations 13 and 13A. "
    "Workplace pension: earnings trigger £10,000, qualifying earnings £6,240 to £50,270 (DWP, "
    "Review of the automatic enrolment earnings trigger and qualifying earnings band for "
    "2025/26); employer's minimum 3% of qualifying earnings (Pensions Act 2008, section 20). "
    "National Living Wage from 1 April 2025 (21 and over). Insurance and payroll: the "
    "council's estimates, not published figures."
)
SOURCE_2026_27 = (
    "Employer's Class 1 National Insurance 15% above the secondary threshold of £5,000 a "
    "year (held at £5,000 until April 2031, Autumn Budget 2025), Employment Allowance "
    "£10,500: HMRC, Rates and thresholds for employers 2026 to 2027. Holiday: 5.6 weeks, "
    "the Working Time Regulations 1998, regulations 13 and 13A. Workplace pension: as "
    "2025/26 until the DWP's review for 2026/27 is checked. National Living Wage £12.71 from "
    "1 April 2026 (21 and over; the Low Pay Commission's recommendation, accepted in "
    "November 2025). Insurance and payroll: the council's estimates, not published figures."
)

ESTIMATES = (
    "employer's liability insurance £100 a year and payroll service £150 a year are the "
    "council's estimates (set your own)"
)

RATES = [
    {
        "effective_from": dt.date(2025, 4, 6),
        "tax_year": "2025/26",
        "employer_ni_rate_bp": 1500,
        "secondary_threshold_year_pence": 500_000,
        "employment_allowance_year_pence": 1_050_000,
        "holiday_weeks_tenths": 56,
        "pension_lower_year_pence": 624_000,
        "pension_upper_year_pence": 5_027_000,
        "pension_trigger_year_pence": 1_000_000,
        "pension_employer_rate_bp": 300,
        "national_living_wage_pence": 1_221,
        "insurance_year_pence": 10_000,
        "payroll_fee_year_pence": 15_000,
        "source": SOURCE_2025_26,
        "not_yet_checked": (
            "National Living Wage £12.21 an hour; employer's minimum pension contribution 3% "
            "(from the Act, not checked against its text offline); " + ESTIMATES
        ),
    },
    {
        "effective_from": dt.date(2026, 4, 6),
        "tax_year": "2026/27",
        "employer_ni_rate_bp": 1500,
        "secondary_threshold_year_pence": 500_000,
        "employment_allowance_year_pence": 1_050_000,
        "holiday_weeks_tenths": 56,
        "pension_lower_year_pence": 624_000,
        "pension_upper_year_pence": 5_027_000,
        "pension_trigger_year_pence": 1_000_000,
        "pension_employer_rate_bp": 300,
        "national_living_wage_pence": 1_271,
        "insurance_year_pence": 10_000,
        "payroll_fee_year_pence": 15_000,
        "source": SOURCE_2026_27,
        "not_yet_checked": (
            "workplace pension earnings trigger £10,000 and qualifying earnings £6,240 to "
            "£50,270 (2025/26's, carried over); employer's minimum pension contribution 3% "
            "(from the Act, not checked against its text offline); " + ESTIMATES
        ),
    },
]


def ship(apps, schema_editor):
    EmployerCostRates = apps.get_model("employers", "EmployerCostRates")
    for row in RATES:
        EmployerCostRates.objects.get_or_create(effective_from=row["effective_from"], defaults=row)


def unship(apps, schema_editor):
    EmployerCostRates = apps.get_model("employers", "EmployerCostRates")
    EmployerCostRates.objects.filter(effective_from__in=[r["effective_from"] for r in RATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("employers", "0001_pa_records_timesheets_and_cost_rates")]

    operations = [migrations.RunPython(ship, unship)]
