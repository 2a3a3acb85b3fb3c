"""Calibration: fit a RAS's price per point for each user group to the actual weekly cost of
existing packages, and report how well it fits. Pure numpy, no database.

Everything a points RAS does before rounding and bounds scales with the price per point
except the fixed weekly uplifts, so each person's amount is ``price × k + f`` where ``k`` and
``f`` come from two runs of the engine. For each group the price minimises the squared
error to the actual costs (least squares through the fixed part), rounded to the penny.
Fit is reported as R² and the median absolute percentage error; people whose RAS amount is
more than 50% away from their actual cost are listed as outliers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import numpy.typing as npt

from selfdirect.allocation.engine import Engine, Inputs, RasDefinition
from selfdirect.allocation.ras_file import (
    MAX_WEEKLY_PENCE,
    WEEKLY_PENCE_RULE,
    RasFileError,
    answers_read,
    csv_records_checked,
)

OUTLIER_RATIO = Decimal("0.5")
SCALE = 10_000  # price used to measure how each person's amount grows with the price


@dataclass(frozen=True)
class GroupFit:
    group: str
    people: int
    price_before_pence: int
    price_fitted_pence: int
    r_squared: str  # text to 2 decimal places, or "–" where it cannot be worked out
    median_abs_percent_error: str
    outliers: int


@dataclass(frozen=True)
class Calibration:
    fits: list[GroupFit]
    fitted: RasDefinition
    refs: list[str]
    groups: list[str]
    actual_pence: npt.NDArray[np.int64]
    fitted_pence: npt.NDArray[np.int64]
    outlier: npt.NDArray[np.bool_]


def packages_load(text: str, ras: RasDefinition) -> tuple[list[str], Inputs, npt.NDArray[np.int64]]:
    """The answers format of ras_allocate plus ``actual_weekly_pence``: the package's cost now."""
    records = csv_records_checked(text)
    try:
        _line, first = next(records)
    except StopIteration as empty:
        raise RasFileError("line 1: the packages file is empty") from empty
    header = [h.strip() for h in first]
    if "actual_weekly_pence" not in header:
        raise RasFileError("line 1: missing column actual_weekly_pence")
    column = header.index("actual_weekly_pence")
    actual = []
    kept = [(1, [h for i, h in enumerate(header) if i != column])]
    for number, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise RasFileError(f"line {number}: expected {len(header)} fields, found {len(cells)}")
        value = cells[column].strip()
        if not (value.isascii() and value.isdigit()) or int(value) > MAX_WEEKLY_PENCE:
            raise RasFileError(f"line {number}, actual_weekly_pence: {WEEKLY_PENCE_RULE}")
        actual.append(int(value))
        kept.append((number, [c for i, c in enumerate(cells) if i != column]))
    refs, inputs = answers_read(kept, ras)
    return refs, inputs, np.array(actual, dtype=np.int64)


def _linear_parts(
    ras: RasDefinition, inputs: Inputs
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Per person: the amount at price SCALE and at price 0, before rounding and bounds."""
    groups = sorted({g for g, _p in ras.price_per_point_pence} | set(inputs.groups))
    unbounded = replace(ras, floor_weekly_pence=0, ceiling_weekly_pence=10**12, rounding_pence=1)
    at_scale = Engine(
        replace(unbounded, price_per_point_pence=tuple((g, SCALE) for g in groups))
    ).allocate(inputs)
    at_zero = Engine(
        replace(unbounded, price_per_point_pence=tuple((g, 0) for g in groups))
    ).allocate(inputs)
    return at_scale.weekly_pence - at_zero.weekly_pence, at_zero.weekly_pence


def _decimal_text(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def calibrate(
    ras: RasDefinition, refs: list[str], inputs: Inputs, actual: npt.NDArray[np.int64]
) -> Calibration:
    if ras.method != "points":
        raise RasFileError("Calibration fits a price per point: the RAS's method must be 'points'")
    slope, fixed = _linear_parts(ras, inputs)
    group_of = np.array(inputs.groups)[inputs.group_index]
    prices = dict(ras.price_per_point_pence)
    fitted_prices = dict(prices)
    for group in inputs.groups:
        mask = group_of == group
        k = slope[mask].astype(object)  # exact integer sums (Python ints) for the fit
        y = (actual[mask] - fixed[mask]).astype(object)
        denominator = int(np.sum(k * k))
        if denominator:
            price = Decimal(int(np.sum(k * y))) * SCALE / Decimal(denominator)
            fitted_prices[group] = max(0, int(price.quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    fitted = replace(
        ras,
        price_per_point_pence=tuple(sorted(fitted_prices.items())),
        version=ras.version + 1,
        title=f"{ras.title} (calibrated)",
    )
    amounts = Engine(fitted).allocate(inputs).weekly_pence
    error = amounts - actual
    outlier = np.abs(error) * 2 > actual  # more than 50% away from the actual cost
    fits = []
    for group in inputs.groups:
        mask = group_of == group
        a, e = actual[mask], error[mask]
        total = a.astype(object)
        mean = Decimal(int(np.sum(total))) / len(a)
        ss_tot = sum((Decimal(int(x)) - mean) ** 2 for x in a)
        ss_res = Decimal(int(np.sum(e.astype(object) ** 2)))
        r2 = _decimal_text(1 - ss_res / ss_tot) if ss_tot else "–"
        percent = sorted(
            Decimal(abs(int(x))) * 100 / int(b) for x, b in zip(e, a, strict=True) if int(b)
        )
        median = (
            percent[len(percent) // 2]
            if len(percent) % 2
            else (percent[len(percent) // 2 - 1] + percent[len(percent) // 2]) / 2
            if percent
            else None
        )
        fits.append(
            GroupFit(
                group=group,
                people=int(mask.sum()),
                price_before_pence=prices.get(group, prices.get("*", 0)),
                price_fitted_pence=fitted_prices[group],
                r_squared=r2,
                median_abs_percent_error="–" if median is None else f"{_decimal_text(median)}%",
                outliers=int(outlier[mask].sum()),
            )
        )
    return Calibration(
        fits=fits,
        fitted=fitted,
        refs=refs,
        groups=list(group_of),
        actual_pence=actual,
        fitted_pence=amounts,
        outlier=outlier,
    )
