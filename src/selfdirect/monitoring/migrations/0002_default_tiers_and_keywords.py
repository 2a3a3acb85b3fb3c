"""The shipped first version of the tier table and the council's starting keyword rules
(docs/finance-guide.md, docs/statements.md). Both are council configuration: a council adds
a later tier version and its own keywords."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import migrations

KEYWORDS = {
    # What a description's word usually means (a category of planning.streams).
    "TAXI": "transport",
    "UBER": "transport",
    "TRAINLINE": "transport",
    "BUS": "transport",
    "GYM": "leisure",
    "LEISURE": "leisure",
    "CINEMA": "leisure",
    "HOLIDAY": "short_breaks",
    "RESPITE": "short_breaks",
    "PAYROLL": "account_fees",
    "HMRC": "account_fees",
    "INSURANCE": "insurance",
    "PHARMACY": "health_care",
    "CHEMIST": "health_care",
    "DENTIST": "health_care",
    # Things no budget pays for.
    "BET365": "not_care",
    "BETFAIR": "not_care",
    "LADBROKES": "not_care",
    "WILLIAM HILL": "not_care",
    "LOTTERY": "not_care",
    "CASINO": "not_care",
}


def forward(apps: Any, schema_editor: Any) -> None:
    TierTable = apps.get_model("monitoring", "TierTable")
    MatchRule = apps.get_model("monitoring", "MatchRule")
    TierTable.objects.create(
        effective_from=dt.date(2015, 4, 1),
        light_below_yearly_pence=500_000,
        full_from_yearly_pence=2_500_000,
        light_small_item_pence=5_000,
        middle_small_item_pence=2_000,
        full_small_item_pence=0,
        source="Selfdirect defaults: light touch under £5,000 a year, full audit from £25,000",
    )
    MatchRule.objects.bulk_create(
        [MatchRule(keyword=k, category=c) for k, c in KEYWORDS.items()]
    )


def backward(apps: Any, schema_editor: Any) -> None:
    apps.get_model("monitoring", "MatchRule").objects.all().delete()
    # The tier table refuses deletes in save/delete; the historical model does not.
    apps.get_model("monitoring", "TierTable").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_monitoring_tiers_statements_flags")]
    operations = [migrations.RunPython(forward, backward)]
