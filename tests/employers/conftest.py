"""Shared set-up for the PA employer tests: the council of tests/conftest.py and a PA."""

from __future__ import annotations

import datetime as dt
from typing import Any

from selfdirect.access.roles import Role
from selfdirect.employers import services

START = dt.date(2025, 6, 2)  # a Monday


def add_pa(council: Any, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "name": "Sam Carter",
        "role": "Personal care in the morning",
        "hours_hundredths": 1000,
        "hourly_rate_pence": 1300,
        "start_date": START,
        **overrides,
    }
    return services.assistant_add(
        actor=council.users[Role.HOLDER], person=council.holder_person, **fields
    )
