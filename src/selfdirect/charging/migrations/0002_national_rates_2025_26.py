"""The national charging figures for 2025/26, shipped as the first row of the rates table.

The capital limits (£23,250 and £14,250) have not changed since April 2010. The minimum
income guarantee's amounts marked "checked" below were checked against a published copy of
the 2025/26 circular's table; the others could not be checked when this was written and
are the 2023 regulations' figures raised by the published uprating (6.7% for 2024/25, 1.7%
for 2025/26), rounded to 5p. The source text says so; docs/charging.md lists them. A
council checks them against the circular and adds corrected rates through the rates page.
"""

import datetime as dt

from django.db import migrations

SOURCE = (
    "Social care charging for care and support: local authority circular LAC(DHSC)(2025)1 "
    "(2025 to 2026), and the Care and Support (Charging and Assessment of Resources) "
    "Regulations 2014 as amended in 2025 (regulation 7). Capital limits £23,250 and "
    "£14,250, unchanged since April 2010; tariff income £1 a week for every £250 or part. "
    "Checked against a published copy of the circular's table: single 18 to 24 £89.15, "
    "single 25 to Pension Credit age £112.50, disability premium (single) £49.65, enhanced "
    "disability premium (single) £24.25. NOT YET CHECKED (the 2023 regulations' figures "
    "raised by the published uprating, rounded to 5p): single of Pension Credit age "
    "£232.60, lone parent £112.50, couple £88.30 and £177.55 each, disability premium "
    "(couple) £35.40, enhanced disability premium (couple) £17.30, carer premium £53.25, "
    "dependent child £103.00. Check these against the circular before use."
)

NATIONAL_2025_26 = {
    "effective_from": dt.date(2025, 4, 6),
    "upper_capital_pence": 2_325_000,
    "lower_capital_pence": 1_425_000,
    "tariff_step_pence": 25_000,
    "tariff_weekly_pence": 100,
    "mig_single_18_24_pence": 8_915,  # checked
    "mig_single_25_pension_pence": 11_250,  # checked
    "mig_single_pension_age_pence": 23_260,
    "mig_lone_parent_pence": 11_250,
    "mig_couple_18_pence": 8_830,
    "mig_couple_pension_age_pence": 17_755,
    "disability_premium_single_pence": 4_965,  # checked
    "disability_premium_couple_pence": 3_540,
    "enhanced_disability_single_pence": 2_425,  # checked
    "enhanced_disability_couple_pence": 1_730,
    "carer_premium_pence": 5_325,
    "dependent_child_pence": 10_300,
    "source": SOURCE,
    "source_url": (
        "https://www.gov.uk/government/publications/social-care-charging-for-local-"
        "authorities-2025-to-2026"
    ),
}


def ship(apps, schema_editor):
    ChargingRates = apps.get_model("charging", "ChargingRates")
    ChargingRates.objects.get_or_create(
        effective_from=NATIONAL_2025_26["effective_from"], defaults=NATIONAL_2025_26
    )


def unship(apps, schema_editor):
    ChargingRates = apps.get_model("charging", "ChargingRates")
    ChargingRates.objects.filter(
        effective_from=NATIONAL_2025_26["effective_from"], recorded_by__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("charging", "0001_financial_assessments_and_rates")]

    operations = [migrations.RunPython(ship, unship)]
