"""Working days skip weekends and the England and Wales bank holidays (dates worked out by
hand from the GOV.UK calendar)."""

from __future__ import annotations

import datetime as dt

import pytest

from selfdirect.working_days import add_working_days, is_working_day

D = dt.date


@pytest.mark.parametrize(
    ("start", "n", "expected", "case"),
    [
        (D(2026, 11, 30), 3, D(2026, 12, 3), "an ordinary week"),
        (D(2026, 12, 4), 1, D(2026, 12, 7), "Friday to Monday skips the weekend"),
        (D(2026, 12, 24), 1, D(2026, 12, 29), "Christmas Day Friday and Boxing Day on Monday 28"),
        (D(2026, 12, 31), 1, D(2027, 1, 4), "New Year's Day 2027 is a Friday"),
        (D(2026, 4, 2), 2, D(2026, 4, 8), "Good Friday 3 and Easter Monday 6 April 2026"),
        (D(2027, 3, 25), 1, D(2027, 3, 30), "Good Friday 26 and Easter Monday 29 March 2027"),
        (D(2027, 12, 24), 1, D(2027, 12, 29), "Christmas 2027 at a weekend: 27 and 28 off"),
        (D(2026, 5, 1), 1, D(2026, 5, 5), "Early May bank holiday, Monday 4 May 2026"),
        (D(2026, 11, 27), 20, D(2026, 12, 29), "twenty working days over Christmas 2026"),
        (D(2026, 6, 10), 0, D(2026, 6, 10), "no days: the same day"),
    ],
)
def test_add_working_days(start: dt.date, n: int, expected: dt.date, case: str) -> None:
    assert add_working_days(start, n) == expected, case


def test_bank_holidays_and_weekends_are_not_working_days() -> None:
    assert not is_working_day(D(2026, 12, 28))  # Boxing Day (substitute)
    assert not is_working_day(D(2027, 8, 30))  # Summer bank holiday
    assert not is_working_day(D(2026, 12, 5))  # Saturday
    assert is_working_day(D(2026, 12, 29))


def test_counting_backwards_is_refused() -> None:
    with pytest.raises(ValueError, match="forwards"):
        add_working_days(D(2026, 1, 5), -1)
