from __future__ import annotations

import importlib
from typing import Any

import pytest

LOAD = importlib.import_module("selfdirect.surveys.migrations.0002_shipped_instruments").load


@pytest.fixture(autouse=True)
def shipped_instruments(request: Any) -> None:
    """Every survey test has the shipped instruments, even after a test that flushed the
    database (a transactional test empties the tables the data migration filled)."""
    from django.apps import apps

    request.getfixturevalue("db")
    LOAD(apps, None)
