"""The arithmetic of a recovery, as plain functions over integer pence: the surplus above
the contingency allowance, with its working, and a recovery plan's amounts and dates."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from selfdirect.money import pounds


@dataclass(frozen=True)
class Surplus:
    allowance_pence: int
    surplus_pence: int
    lines: list[tuple[str, int]]


def surplus_working(
    *, balance_pence: int, weekly_pence: int, weeks: int, balance_on: dt.date, source: str
) -> Surplus:
    """Balance − weeks × weekly amount, never below nothing, with the working as lines."""
    allowance = weeks * weekly_pence
    surplus = max(0, balance_pence - allowance)
    return Surplus(
        allowance_pence=allowance,
        surplus_pence=surplus,
        lines=[
            (f"Money in the account on {balance_on:%-d %B %Y} ({source})", balance_pence),
            (
                f"Less what may be kept for the unexpected: {weeks} weeks of "
                f"{pounds(weekly_pence)}",
                -allowance,
            ),
            ("More than may be kept", surplus),
        ],
    )


def split_evenly(total_pence: int, count: int) -> list[int]:
    """``total_pence`` in ``count`` amounts that add up to it exactly, differing by at most
    a penny; the first amounts carry the pennies over."""
    if count < 1 or total_pence < count:
        raise ValueError("need at least a penny for each amount")
    base, extra = divmod(total_pence, count)
    return [base + 1 if i < extra else base for i in range(count)]


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_dates(*, kind: str, first: dt.date, count: int) -> list[dt.date]:
    """One sum: the first date. Reduced payments: every four weeks (the payment period).
    Instalments: the same day each month (the month's last day when it is shorter)."""
    if kind == "one_sum":
        return [first]
    if kind == "reduced_payments":
        return [first + dt.timedelta(weeks=4 * i) for i in range(count)]
    return [_add_months(first, i) for i in range(count)]
