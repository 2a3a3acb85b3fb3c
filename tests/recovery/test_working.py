"""The surplus and a recovery plan's amounts, worked by hand (integer pence)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from selfdirect.recovery.working import due_dates, split_evenly, surplus_working

ON = dt.date(2026, 11, 30)

# (policy case, balance, weekly, weeks, allowance, surplus), worked out by hand.
CASES = [
    ("eight weeks of £30 kept, £160 above it", 40000, 3000, 8, 24000, 16000),
    ("exactly the allowance: no surplus", 24000, 3000, 8, 24000, 0),
    ("below the allowance: never negative", 10000, 3000, 8, 24000, 0),
    ("odd pence: £123.45 a week, 4 weeks", 60001, 12345, 4, 49380, 10621),
    ("an overdrawn account: no surplus", -500, 3000, 8, 24000, 0),
]


@pytest.mark.parametrize(
    ("case", "balance", "weekly", "weeks", "allowance", "surplus"), CASES, ids=[c[0] for c in CASES]
)
def test_the_surplus_is_the_balance_less_the_allowance_never_below_nothing(
    case: str, balance: int, weekly: int, weeks: int, allowance: int, surplus: int
) -> None:
    working = surplus_working(
        balance_pence=balance,
        weekly_pence=weekly,
        weeks=weeks,
        balance_on=ON,
        source="from the council's record of payments",
    )
    assert (working.allowance_pence, working.surplus_pence) == (allowance, surplus)
    assert [pence for _, pence in working.lines] == [balance, -allowance, surplus]
    assert (
        working.lines[0][0]
        == "Money in the account on 30 November 2026 (from the council's record of payments)"
    )
    assert working.lines[1][0].startswith(
        f"Less what may be kept for the unexpected: {weeks} weeks of £"
    )


def test_amounts_are_split_to_the_penny_the_first_carrying_the_extra() -> None:
    assert split_evenly(16000, 3) == [5334, 5333, 5333]
    assert split_evenly(10, 4) == [3, 3, 2, 2]
    assert split_evenly(500, 1) == [500]
    with pytest.raises(ValueError):
        split_evenly(2, 3)


@given(total=st.integers(min_value=1, max_value=10**9), count=st.integers(1, 26))
def test_the_amounts_always_add_up_exactly(total: int, count: int) -> None:
    assume(total >= count)
    amounts = split_evenly(total, count)
    assert sum(amounts) == total and len(amounts) == count
    assert max(amounts) - min(amounts) <= 1 and min(amounts) > 0


def test_due_dates_by_kind_of_plan() -> None:
    first = dt.date(2027, 1, 31)
    assert due_dates(kind="one_sum", first=first, count=5) == [first]
    assert due_dates(kind="reduced_payments", first=first, count=3) == [
        first,
        dt.date(2027, 2, 28),
        dt.date(2027, 3, 28),
    ]
    # Monthly: the same day, or the month's last day when it is shorter.
    assert due_dates(kind="instalments", first=first, count=3) == [
        first,
        dt.date(2027, 2, 28),
        dt.date(2027, 3, 31),
    ]
