"""The rows the data migrations ship (national charging rates, PA employers' cost rates,
monitoring tiers and keywords, survey instruments, the directory terms of help with
holding a budget), put back for a test on committed data.

Django empties every table after a test on committed data (a browser test, a race), so
the next such test would otherwise see a council without what ``migrate`` gives every
real one: the PA cost calculator then says its figures are not set up, and a survey has
no instrument. Each migration's own function puts them back, so they cannot drift."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps

SHIPPED = [
    ("selfdirect.charging.migrations.0002_national_rates_2025_26", "ship"),
    ("selfdirect.employers.migrations.0002_employer_cost_rates_2025_26_and_2026_27", "ship"),
    ("selfdirect.surveys.migrations.0002_shipped_instruments", "load"),
    ("selfdirect.peers.migrations.0002_help_with_holding_a_budget_terms", "ship"),
]


def shipped_data_restore() -> None:
    """Put back what the data migrations ship, where it is missing (each step is a no-op
    when its rows are there)."""
    for module, name in SHIPPED:
        getattr(importlib.import_module(module), name)(apps, None)
    # The monitoring defaults are created, not got-or-created: only into empty tables.
    if not apps.get_model("monitoring", "TierTable").objects.exists():
        module: Any = importlib.import_module(
            "selfdirect.monitoring.migrations.0002_default_tiers_and_keywords"
        )
        module.forward(apps, None)
