"""The shipped national rates, for every charging test: a data migration puts them in the
database, but a test on committed data (a race, a browser test) empties every table after
it, so a later test cannot count on the migration's row."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from selfdirect.charging.models import ChargingRates

SHIPPED = importlib.import_module(
    "selfdirect.charging.migrations.0002_national_rates_2025_26"
).NATIONAL_2025_26


def national_rates() -> ChargingRates:
    rates, _ = ChargingRates.objects.get_or_create(
        effective_from=SHIPPED["effective_from"], defaults=SHIPPED
    )
    return rates


@pytest.fixture(autouse=True)
def shipped_rates(request: Any) -> None:
    """Every charging test with a database has the shipped rates."""
    names = request.fixturenames
    if "committed_council" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or "council" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return  # a pure test (the rules): no database
    national_rates()
