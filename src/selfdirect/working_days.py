"""Working days in England and Wales: Monday to Friday, less the bank holidays.

The bank holidays come from the ``holidays`` package (built-in dates, no network), the
calendar GOV.UK publishes for England and Wales, substitute days included (Boxing Day on a
Saturday is taken on the Monday after).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date ``n`` working days after ``start`` (``start`` itself does not count)."""
    if n < 0:
        raise ValueError("Count working days forwards only")
    day = start
    while n:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day
