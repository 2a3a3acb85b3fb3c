"""The Resource Allocation System (RAS) engine: answers to points, points to an indicative
weekly budget. Pure numpy over frozen dataclasses, vectorised over people, no database:
the same code prices one person on a page and a million in a simulation.

Money is integer pence throughout; percentages are basis points (1/100 of a per cent) and
every division rounds half up with integer arithmetic, so a result is the same on any
machine, forever. The steps, in order (docs/ras-format.md explains them in plain English):

1. points: each section's answer scores the points the RAS gives that option;
2. the carer-neutral amount: method "points" multiplies total points by the price per
   point for the person's user group; "hours" turns points into weekly hours (bands) at
   the group's hourly rate; "plan" takes the cost of the support plan as given;
3. uplifts, each with its reason, all worked out from the carer-neutral amount: a fixed
   weekly sum for an answer (night care), a percentage of some sections' part of the
   amount for an answer (two workers at once), or a percentage for a flag (rural travel,
   agency rather than personal assistant rates);
4. the carer adjustment: a percentage reduction set by the answer about help from family
   and friends (willing and able to carry on: a reduction; cannot carry on: none) — it
   can only lower the amount;
5. rounding to the nearest whole penny or pound (halves round up);
6. floor and ceiling on the weekly amount;
7. the yearly amount: the weekly amount × 52.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

WEEKS_PER_YEAR = 52
BASIS = 10_000  # basis points in 100%
METHODS = ("points", "hours", "plan")
UPLIFT_KINDS = ("weekly_pence", "percent_of_sections", "percent_if_flag")
ALL_GROUPS = "*"

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class SectionPoints:
    section_id: str
    option_ids: tuple[str, ...]
    points: tuple[int, ...]


@dataclass(frozen=True)
class Uplift:
    code: str
    reason: str
    kind: str
    section_id: str = ""
    by_option: tuple[tuple[str, int], ...] = ()  # option id -> pence a week, or basis points
    sections: tuple[str, ...] = ()  # percent_of_sections: whose points the percentage applies to
    flag: str = ""  # percent_if_flag: the person's flag that triggers it
    basis_points: int = 0  # percent_if_flag


@dataclass(frozen=True)
class CarerAdjustment:
    section_id: str
    reduction_basis_points: tuple[tuple[str, int], ...]  # option id -> reduction, 0 to 10,000
    reason: str


@dataclass(frozen=True)
class HoursBand:
    min_points: int
    tenths_of_hours: int  # weekly hours × 10


@dataclass(frozen=True)
class RasDefinition:
    code: str
    title: str
    version: int
    questionnaire_code: str
    method: str
    sections: tuple[SectionPoints, ...]
    price_per_point_pence: tuple[tuple[str, int], ...]  # user group (or "*") -> pence per point
    floor_weekly_pence: int
    ceiling_weekly_pence: int
    rounding_pence: int = 1
    carer: CarerAdjustment | None = None
    uplifts: tuple[Uplift, ...] = ()
    hours_bands: tuple[HoursBand, ...] = ()
    hourly_rate_pence: tuple[tuple[str, int], ...] = ()  # user group (or "*") -> pence an hour

    def price_for(self, group: str) -> int:
        return _for_group(self.price_per_point_pence, group)

    def as_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON: recorded on every allocation it makes."""
        canonical = json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def _for_group(table: tuple[tuple[str, int], ...], group: str) -> int:
    values = dict(table)
    if group in values:
        return values[group]
    if ALL_GROUPS in values:
        return values[ALL_GROUPS]
    raise KeyError(f"No value for user group {group!r}")


@dataclass(frozen=True)
class Inputs:
    """The people to price: option index per section (N × S, in the RAS's section order),
    a user group index per person (into ``groups``), flags, and plan costs for method "plan"."""

    options: npt.NDArray[np.integer[Any]]
    group_index: npt.NDArray[np.integer[Any]]
    groups: tuple[str, ...]
    flags: dict[str, npt.NDArray[np.bool_]] = field(default_factory=dict)
    plan_weekly_pence: IntArray | None = None


@dataclass(frozen=True)
class Result:
    """Per person: points per section, and every amount in pence a week."""

    section_points: npt.NDArray[np.integer[Any]]
    total_points: IntArray
    price_per_point_pence: IntArray
    base_weekly_pence: IntArray  # carer-neutral, before uplifts
    uplift_pence: dict[str, IntArray]
    carer_neutral_weekly_pence: IntArray  # base + uplifts
    carer_adjustment_pence: IntArray  # zero or negative
    rounding_pence: IntArray
    bound: npt.NDArray[np.int8]  # -1 floor applied, 1 ceiling applied, 0 neither
    weekly_pence: IntArray
    annual_pence: IntArray

    def __len__(self) -> int:
        return int(self.weekly_pence.shape[0])


def _round_div(numerator: IntArray, divisor: int) -> IntArray:
    """numerator / divisor rounded half up (numerators here are never negative)."""
    return (numerator + divisor // 2) // divisor


class Engine:
    """A RAS definition compiled into lookup arrays; ``allocate`` prices any number of people."""

    def __init__(self, ras: RasDefinition) -> None:
        if ras.method not in METHODS:
            raise ValueError(f"Unknown method {ras.method!r}")
        self.ras = ras
        self.ras_hash = ras.content_hash
        self.section_ids = tuple(s.section_id for s in ras.sections)
        sizes = [len(s.points) for s in ras.sections]
        # Narrow integer types where they are safe: the gather is most of the work.
        small = (
            sum(sizes) < 2**15
            and max((p for s in ras.sections for p in s.points), default=0) < 2**15
        )
        self._index_type: type[np.integer[Any]] = np.int16 if small else np.int32
        self.offsets: npt.NDArray[np.integer[Any]] = np.cumsum([0, *sizes[:-1]]).astype(
            self._index_type
        )
        self.option_counts = np.array(sizes, dtype=np.int32)
        self.flat_points = np.array([p for s in ras.sections for p in s.points], dtype=np.int32)
        self._uplift_tables: list[tuple[Uplift, int, IntArray]] = []
        for uplift in ras.uplifts:
            column = self.section_ids.index(uplift.section_id) if uplift.section_id else -1
            table = (
                self._option_table(uplift.section_id, dict(uplift.by_option))
                if uplift.section_id
                else np.zeros(0, np.int64)
            )
            self._uplift_tables.append((uplift, column, table))
        # One matrix product gives each person's total points and, for each uplift that is a
        # percentage of some sections, the points of those sections.
        weights = [np.ones(len(sizes), dtype=np.int32)]
        for uplift in ras.uplifts:
            if uplift.kind == "percent_of_sections":
                weights.append(
                    np.isin(np.array(self.section_ids), uplift.sections).astype(np.int32)
                )
        self._weights = np.stack(weights, axis=1)
        self._carer: tuple[int, IntArray] | None = None
        if ras.carer is not None:
            self._carer = (
                self.section_ids.index(ras.carer.section_id),
                self._option_table(ras.carer.section_id, dict(ras.carer.reduction_basis_points)),
            )
        self._bands_min = np.array([b.min_points for b in ras.hours_bands], dtype=np.int64)
        self._bands_tenths = np.array([b.tenths_of_hours for b in ras.hours_bands], dtype=np.int64)

    def _option_table(self, section_id: str, values: dict[str, int]) -> IntArray:
        section = self.ras.sections[self.section_ids.index(section_id)]
        return np.array([values.get(o, 0) for o in section.option_ids], dtype=np.int64)

    def _group_values(
        self, table: tuple[tuple[str, int], ...], groups: tuple[str, ...]
    ) -> IntArray:
        return np.array([_for_group(table, g) for g in groups], dtype=np.int64)

    def allocate(self, inputs: Inputs) -> Result:
        ras = self.ras
        options = inputs.options
        if options.ndim != 2 or options.shape[1] != len(self.section_ids):
            raise ValueError(
                f"Expected {len(self.section_ids)} answer columns, got {options.shape}"
            )
        count = options.shape[0]
        # 1. Points: one gather from the flattened points table.
        index: npt.NDArray[np.integer[Any]] = (
            options.astype(self._index_type, copy=False) + self.offsets
        )
        section_points = np.take(self.flat_points, index)
        sums = np.matmul(section_points, self._weights).astype(np.int64)  # faster than sum(axis=1)
        total = sums[:, 0]
        part_column = 1
        price = (
            self._group_values(ras.price_per_point_pence, inputs.groups)[inputs.group_index]
            if ras.price_per_point_pence
            else np.zeros(count, np.int64)
        )
        # 2. The carer-neutral amount by the method.
        if ras.method == "points":
            base = total * price
        elif ras.method == "hours":
            band = np.searchsorted(self._bands_min, total, side="right") - 1
            tenths = np.where(band >= 0, self._bands_tenths[np.maximum(band, 0)], 0)
            rate = self._group_values(ras.hourly_rate_pence, inputs.groups)[inputs.group_index]
            base = _round_div(tenths * rate, 10)
        else:
            if inputs.plan_weekly_pence is None:
                raise ValueError("Method 'plan' needs the plan's weekly cost for each person")
            base = inputs.plan_weekly_pence.astype(np.int64)
        # 3. Uplifts, each from the carer-neutral amount.
        uplifts: dict[str, IntArray] = {}
        neutral = base.copy()
        for uplift, column, table in self._uplift_tables:
            if uplift.kind == "weekly_pence":
                amount = table[options[:, column]]
            elif uplift.kind == "percent_of_sections":
                part = sums[:, part_column] * price if ras.method == "points" else base
                part_column += 1
                amount = _round_div(part * table[options[:, column]], BASIS)
            else:
                flag = inputs.flags.get(uplift.flag)
                amount = (
                    np.zeros(count, np.int64)
                    if flag is None
                    else np.where(flag, _round_div(base * uplift.basis_points, BASIS), 0)
                )
            uplifts[uplift.code] = amount
            neutral += amount
        # 4. The carer adjustment only ever lowers the amount.
        if self._carer is not None:
            column, table = self._carer
            adjustment = -_round_div(neutral * table[options[:, column]], BASIS)
        else:
            adjustment = np.zeros(count, np.int64)
        adjusted = neutral + adjustment
        # 5. Rounding, 6. floor and ceiling, 7. the year.
        unit = ras.rounding_pence
        rounded = _round_div(adjusted, unit) * unit if unit > 1 else adjusted
        weekly = np.clip(rounded, ras.floor_weekly_pence, ras.ceiling_weekly_pence)
        bound = np.sign(weekly - rounded).astype(np.int8) * -1
        return Result(
            section_points=section_points,
            total_points=total,
            price_per_point_pence=price,
            base_weekly_pence=base,
            uplift_pence=uplifts,
            carer_neutral_weekly_pence=neutral,
            carer_adjustment_pence=adjustment,
            rounding_pence=rounded - adjusted,
            bound=bound,
            weekly_pence=weekly,
            annual_pence=weekly * WEEKS_PER_YEAR,
        )


def explanation(engine: Engine, result: Result, i: int) -> dict[str, Any]:
    """Person ``i``'s allocation as a record of steps: stored with the allocation and shown
    (in words and as a table) to the practitioner and the person."""
    ras = engine.ras
    uplifts = [
        {"code": u.code, "reason": u.reason, "pence": int(result.uplift_pence[u.code][i])}
        for u in ras.uplifts
        if int(result.uplift_pence[u.code][i])
    ]
    return {
        "ras": {
            "code": ras.code,
            "version": ras.version,
            "hash": ras.content_hash,
            "method": ras.method,
        },
        "section_points": {
            sid: int(result.section_points[i, j]) for j, sid in enumerate(engine.section_ids)
        },
        "total_points": int(result.total_points[i]),
        "price_per_point_pence": int(result.price_per_point_pence[i]),
        "base_weekly_pence": int(result.base_weekly_pence[i]),
        "uplifts": uplifts,
        "carer_neutral_weekly_pence": int(result.carer_neutral_weekly_pence[i]),
        "carer_adjustment_pence": int(result.carer_adjustment_pence[i]),
        "carer_reason": ras.carer.reason
        if ras.carer and int(result.carer_adjustment_pence[i])
        else "",
        "rounding_pence": int(result.rounding_pence[i]),
        "bound": {-1: "floor", 1: "ceiling", 0: ""}[int(result.bound[i])],
        "floor_weekly_pence": ras.floor_weekly_pence,
        "ceiling_weekly_pence": ras.ceiling_weekly_pence,
        "weekly_pence": int(result.weekly_pence[i]),
        "annual_pence": int(result.annual_pence[i]),
    }
