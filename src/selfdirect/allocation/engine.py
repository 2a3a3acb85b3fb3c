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
3. uplifts, each with its reason, in file order: a fixed weekly sum for an answer (night
   care), a percentage of some sections' part of the amount for an answer (two workers at
   once), or a percentage for a flag (rural travel, agency rather than personal assistant
   rates); a percentage is of step 2's amount ("applies_to": "base", the default) or of
   the amount after the uplifts listed before it ("running");
4. the carer adjustment: a percentage reduction set by the answer about help from family
   and friends (willing and able to carry on: a reduction; cannot carry on: none) — it
   can only lower the amount; it comes after the uplifts (the default) or before them
   ("applies_to": "before_uplifts"), when the running uplifts start from the reduced amount;
5. rounding to the nearest whole penny or pound (halves round up). With "arithmetic":
   "stepwise" (the default) every step rounds to the penny as it goes; with "exact" the
   fractions of a penny are kept (integers over a common denominator, decision 0020) and
   the amount is rounded once to the penny at the end, then to the council's unit;
6. floor and ceiling on the weekly amount;
7. the yearly amount: the weekly amount × 52.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

WEEKS_PER_YEAR = 52
BASIS = 10_000  # basis points in 100%
METHODS = ("points", "hours", "plan")
UPLIFT_KINDS = ("weekly_pence", "percent_of_sections", "percent_if_flag")
ALL_GROUPS = "*"
ARITHMETIC = ("stepwise", "exact")  # the first is the default (today's meaning)
UPLIFT_APPLIES_TO = ("base", "running")
CARER_APPLIES_TO = ("after_uplifts", "before_uplifts")

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
    applies_to: str = "base"  # a percentage of step 2's amount, or "running": the amount so far


@dataclass(frozen=True)
class CarerAdjustment:
    section_id: str
    reduction_basis_points: tuple[tuple[str, int], ...]  # option id -> reduction, 0 to 10,000
    reason: str
    applies_to: str = "after_uplifts"  # or "before_uplifts"


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
    arithmetic: str = "stepwise"  # or "exact": one rounding, at the end

    def price_for(self, group: str) -> int:
        return _for_group(self.price_per_point_pence, group)

    def as_dict(self) -> dict[str, Any]:
        """The definition as plain data. The options added after the first format
        (``arithmetic``, each ``applies_to``) appear only when not their default, so a
        version written before them keeps its content hash, and its allocations recompute."""
        from dataclasses import asdict

        data = asdict(self)
        if data["arithmetic"] == ARITHMETIC[0]:
            del data["arithmetic"]
        for uplift in data["uplifts"]:
            if uplift["applies_to"] == UPLIFT_APPLIES_TO[0]:
                del uplift["applies_to"]
        if data["carer"] is not None and data["carer"]["applies_to"] == CARER_APPLIES_TO[0]:
            del data["carer"]["applies_to"]
        return data

    @property
    def uses_new_options(self) -> bool:
        """Anything but today's meaning: exact arithmetic, a running uplift, or the carer
        adjustment before the uplifts (priced by the engine's general path)."""
        return (
            self.arithmetic != ARITHMETIC[0]
            or any(u.applies_to != UPLIFT_APPLIES_TO[0] for u in self.uplifts)
            or (self.carer is not None and self.carer.applies_to != CARER_APPLIES_TO[0])
        )

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
    """Per person: points, and every amount in pence a week. ``section_points`` (the N × S
    matrix) is worked out from ``options`` (the answers as given, not copied) when first
    asked for: the totals do not need it (see ``Engine``)."""

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
    engine: Engine = field(repr=False, compare=False)
    options: npt.NDArray[np.integer[Any]] = field(repr=False, compare=False)
    # Only from the general path (the new options): what each percentage uplift and the carer
    # adjustment was a percentage of, to the nearest penny (for the explanation).
    applied_to_pence: dict[str, IntArray] = field(default_factory=dict)
    carer_applied_to_pence: IntArray | None = None

    def __len__(self) -> int:
        return int(self.weekly_pence.shape[0])

    @cached_property
    def section_points(self) -> npt.NDArray[np.int32]:
        return self.engine.section_points(self.options)

    def section_points_of(self, i: int) -> npt.NDArray[np.int32]:
        """One person's points by section, without the whole matrix."""
        if "section_points" in self.__dict__:
            row: npt.NDArray[np.int32] = self.section_points[i]
        else:
            row = self.engine.section_points(self.options[i : i + 1])[0]
        return row


def _round_div_into(numerator: IntArray, divisor: int, out: IntArray) -> IntArray:
    """numerator / divisor rounded half up (numerators here are never negative), written
    into ``out`` (which may be ``numerator``)."""
    np.add(numerator, divisor // 2, out=out)
    return np.floor_divide(out, divisor, out=out)


# How the engine is fast. Looking up the points of each of the N × S answers one at a time
# costs more than all the money steps together, so the engine looks up groups of sections
# at once: the answers (one byte each) of 4 neighbouring sections are read as one 32-bit
# word and packed into one code (2 bits an answer when no section has more than 4 options,
# 3 or 4 bits up to 16 options), and one lookup of that code gives what the 4 answers are
# worth. (With more than 16 options in a section, pairs of sections make 16-bit codes.)
# One table entry holds several sums side by side in bit fields: the total points, the
# points of the sections each "percent of sections" uplift reads, and each value the RAS
# sets by one section's answer (a weekly uplift in pence, an uplift's or the carer
# adjustment's percentage). One lookup per group and one sum over the groups give them
# all; no field can carry into the next, as each is wide enough for its largest sum.
# Codes for options a section does not have hold a large negative sentinel, so a bad
# answer makes the sum negative and is reported. The people are priced a chunk of rows at
# a time so that the working arrays stay in the processor's cache.
MAX_OPTIONS = 256
DEFAULT_CHUNK_ROWS = 32_768


@dataclass(frozen=True)
class _Word:
    table: npt.NDArray[np.integer[Any]]  # every group's table, one after another
    fields: tuple[tuple[int, int, int], ...]  # (field, bit offset, bits) for each field held


class Engine:
    """A RAS definition compiled into lookup tables; ``allocate`` prices any number of people.

    Pure numpy: no database, and no Python loop over people (only over chunks of rows)."""

    def __init__(
        self, ras: RasDefinition, *, chunk_rows: int = DEFAULT_CHUNK_ROWS, threads: int = 1
    ) -> None:
        if ras.method not in METHODS:
            raise ValueError(f"Unknown method {ras.method!r}")
        if not ras.sections:
            raise ValueError("A RAS needs at least one section")
        if chunk_rows < 1:
            raise ValueError("chunk_rows must be at least 1")
        if threads < 1:
            raise ValueError("threads must be at least 1")
        self.ras = ras
        # Threads to price the chunks with (numpy lets go of the GIL in its loops): the
        # chunks are shared out in turn, each thread with its own working arrays, and each
        # chunk writes only its own rows, so the result is the same with any number.
        self.threads = threads
        self.ras_hash = ras.content_hash
        self.chunk_rows = chunk_rows
        self.section_ids = tuple(s.section_id for s in ras.sections)
        sizes = [len(s.points) for s in ras.sections]
        for section, size in zip(ras.sections, sizes, strict=True):
            if not 1 <= size <= MAX_OPTIONS or len(section.option_ids) != size:
                raise ValueError(
                    f"Section {section.section_id!r} needs 1 to {MAX_OPTIONS} options, each with points"
                )
            if min(section.points) < 0:
                raise ValueError(f"Section {section.section_id!r} has negative points")
        self.option_counts = np.array(sizes, dtype=np.int64)
        # For the points matrix (worked out only when asked for): one flat table.
        self.flat_points = np.array([p for s in ras.sections for p in s.points], dtype=np.int32)
        self._offsets = np.cumsum([0, *sizes[:-1]]).astype(np.intp)
        # The fields looked up from the answers: per section, a value for each option.
        # Field 0 is the points; the others are named by what reads them.
        self._field_values: list[list[npt.NDArray[np.int64]]] = [
            [np.array(s.points, dtype=np.int64) for s in ras.sections]
        ]
        self._uplift_fields: list[tuple[Uplift, int, int]] = []  # uplift, its fields
        for uplift in ras.uplifts:
            if uplift.kind == "weekly_pence":
                self._uplift_fields.append((uplift, self._option_field(uplift), -1))
            elif uplift.kind == "percent_of_sections":
                for section_id in uplift.sections:
                    self._column(section_id)
                part = self._add_field(
                    [
                        np.array(s.points if s.section_id in uplift.sections else [0], np.int64)
                        for s in ras.sections
                    ]
                )
                self._uplift_fields.append((uplift, part, self._option_field(uplift)))
            elif uplift.kind == "percent_if_flag":
                self._uplift_fields.append((uplift, -1, -1))
            else:
                raise ValueError(f"Unknown uplift kind {uplift.kind!r}")
        self._field_outputs = {
            first: u.code for u, first, _second in self._uplift_fields if u.kind == "weekly_pence"
        }
        self._carer_field = -1
        if ras.carer is not None:
            self._carer_field = self._option_field(
                Uplift("carer", "", "", ras.carer.section_id, ras.carer.reduction_basis_points)
            )
        self._general = ras.uses_new_options
        self._denominator = self._common_denominator() if self._general else 1
        self._bands_min = np.array([b.min_points for b in ras.hours_bands], dtype=np.int64)
        self._bands_tenths = np.array([b.tenths_of_hours for b in ras.hours_bands], dtype=np.int64)
        self._compile(sizes)

    def _common_denominator(self) -> int:
        """With exact arithmetic, every amount is a whole number of 1/D pence: D is the
        product, over the steps that divide (hours ÷ 10; each percentage ÷ 10,000), of the
        smallest divisor that step needs given the values the RAS uses (10% needs only ÷ 10).
        A product rather than a least common multiple: each step's result is then a whole
        number of 1/D pence whatever came before it (decision 0020)."""
        ras = self.ras
        if ras.arithmetic not in ARITHMETIC:
            raise ValueError(f"Unknown arithmetic {ras.arithmetic!r}")
        for uplift in ras.uplifts:
            if uplift.applies_to not in UPLIFT_APPLIES_TO:
                raise ValueError(f"{uplift.code}: unknown applies_to {uplift.applies_to!r}")
            if uplift.applies_to == "running" and uplift.kind != "percent_if_flag":
                raise ValueError(f"{uplift.code}: only a percent_if_flag uplift may be running")
        if ras.carer is not None and ras.carer.applies_to not in CARER_APPLIES_TO:
            raise ValueError(f"Unknown carer applies_to {ras.carer.applies_to!r}")
        if ras.arithmetic != "exact":
            return 1
        denominator = 1
        if ras.method == "hours":
            denominator *= 10 // math.gcd(10, *(r for _g, r in ras.hourly_rate_pence))
        steps = [
            [u.basis_points] if u.kind == "percent_if_flag" else [v for _o, v in u.by_option]
            for u in ras.uplifts
            if u.kind != "weekly_pence"
        ]
        if ras.carer is not None:
            steps.append([v for _o, v in ras.carer.reduction_basis_points])
        for values in steps:
            denominator *= BASIS // math.gcd(BASIS, *values)
        return denominator

    def _column(self, section_id: str) -> int:
        if section_id not in self.section_ids:
            raise ValueError(f"No section {section_id!r} in this RAS")
        return self.section_ids.index(section_id)

    def _add_field(self, values: list[npt.NDArray[np.int64]]) -> int:
        self._field_values.append(values)
        return len(self._field_values) - 1

    def _option_field(self, uplift: Uplift) -> int:
        """A field holding the value ``by_option`` gives the answer to one section."""
        column = self._column(uplift.section_id)
        by_option = dict(uplift.by_option)
        if min(by_option.values(), default=0) < 0:
            raise ValueError(f"{uplift.code}: values must not be negative")
        return self._add_field(
            [
                np.array([by_option.get(o, 0) for o in s.option_ids], np.int64)
                if j == column
                else np.zeros(1, np.int64)
                for j, s in enumerate(self.ras.sections)
            ]
        )

    def _compile(self, sizes: list[int]) -> None:
        bits = max(2, (max(sizes) - 1).bit_length())
        if bits <= 4:  # four sections a code: 2, 3 or 4 bits an answer
            self._group, self._stride = 4, bits
            code_bits = 4 * bits
        else:  # two sections a code: the 16-bit word as it is
            self._group, self._stride = 2, 8
            code_bits = 8 + bits
        self._bits = bits
        self._width = -(-len(sizes) // self._group) * self._group  # sections, padded
        groups = self._width // self._group
        codes = 1 << code_bits
        self._group_offsets = np.arange(groups, dtype=np.uint32) * np.uint32(codes)
        self._group_offsets_intp = self._group_offsets.astype(np.intp)[:, np.newaxis]
        # Each field's value for each group and code.
        code = np.arange(codes, dtype=np.int64)
        digit = (1 << self._stride) - 1
        values = np.zeros((len(self._field_values), groups, codes), dtype=np.int64)
        valid = np.ones((groups, codes), dtype=bool)
        for g in range(groups):
            for k in range(self._group):
                option = (code >> (k * self._stride)) & digit
                j = g * self._group + k
                if j >= len(sizes):  # padding: a section with one option worth nothing
                    valid[g] &= option == 0
                    continue
                valid[g] &= option < sizes[j]
                chosen = np.minimum(option, sizes[j] - 1)
                for f, by_section in enumerate(self._field_values):
                    if by_section[j].any():
                        values[f, g] += by_section[j][chosen]
        # Pack the fields into as few 64-bit (or 32-bit) words as they fit.
        widths = [
            max(1, sum(int(v.max()) for v in by_section).bit_length())
            for by_section in self._field_values
        ]
        room = 62 - (groups * groups).bit_length()  # leaves room for the sentinel's sums
        if max(widths) > room:
            raise ValueError("Points or amounts too large for the engine's tables")
        # The points go last, at the top of the last word: the sentinel's sign shows there.
        packing: list[list[tuple[int, int, int]]] = [[]]
        used = 0
        for f in [*range(1, len(widths)), 0]:
            bits_f = widths[f]
            if used + bits_f > room:
                packing.append([])
                used = 0
            packing[-1].append((f, used, bits_f))
            used += bits_f
        words = []
        for fields in packing:
            packed = np.zeros((groups, codes), dtype=np.int64)
            for f, shift, _bits in fields:
                packed += values[f] << shift
            sentinel = -(groups * int(packed.max()) + 1)  # a sum with one of these is < 0
            packed[~valid] = sentinel
            table: npt.NDArray[np.integer[Any]] = packed.astype(
                np.int32 if groups * -sentinel < 2**31 else np.int64
            )
            words.append(_Word(table.ravel(), tuple(fields)))
        self._words = tuple(words)

    def section_points(self, options: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.int32]:
        """The N × S matrix of points by section (a plain gather; ``allocate`` does not need it)."""
        options = self._checked(np.asarray(options))
        return np.take(self.flat_points, options.astype(np.intp) + self._offsets)

    def _checked(self, options: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.integer[Any]]:
        if options.ndim != 2 or options.shape[1] != len(self.section_ids):
            raise ValueError(
                f"Expected {len(self.section_ids)} answer columns, got {options.shape}"
            )
        if not np.issubdtype(options.dtype, np.integer):
            raise ValueError("Answers must be option numbers (integers)")
        if options.size and (
            (options.dtype.kind == "i" and int(options.min()) < 0)
            or int(options.max()) >= min(MAX_OPTIONS, 1 << self._bits)
        ):
            self._raise_bad_option(options)
        return options

    def _raise_bad_option(self, options: npt.NDArray[np.integer[Any]], first_row: int = 0) -> None:
        bad = (options < 0) | (options >= self.option_counts)
        row, column = (int(x[0]) for x in np.nonzero(bad))
        raise ValueError(
            f"Row {first_row + row + 1}, section {self.section_ids[column]}: option "
            f"{int(options[row, column])} is not one of its {int(self.option_counts[column])} options"
        )

    def _group_values(
        self, table: tuple[tuple[str, int], ...], groups: tuple[str, ...]
    ) -> IntArray:
        return np.array([_for_group(table, g) for g in groups], dtype=np.int64)

    def allocate(self, inputs: Inputs) -> Result:
        """Price everyone in ``inputs``: a chunk of rows at a time, each chunk through the
        steps in order. The result's arrays are rows of one block of memory."""
        ras = self.ras
        people = self._people(inputs)
        count = people.options.shape[0]
        block = np.empty((8 + len(ras.uplifts), count), dtype=np.int64)
        rows = iter(block)
        result = Result(
            total_points=next(rows),
            price_per_point_pence=next(rows),
            base_weekly_pence=next(rows),
            carer_neutral_weekly_pence=next(rows),
            carer_adjustment_pence=next(rows),
            rounding_pence=next(rows),
            weekly_pence=next(rows),
            annual_pence=next(rows),
            uplift_pence={u.code: next(rows) for u in ras.uplifts},
            bound=np.empty(count, dtype=np.int8),
            engine=self,
            options=people.options,
            applied_to_pence={
                u.code: np.zeros(count, np.int64)
                for u in ras.uplifts
                if self._general and u.kind != "weekly_pence"
            },
            carer_applied_to_pence=np.zeros(count, np.int64)
            if self._general and ras.carer is not None
            else None,
        )
        rows_per_chunk = max(1, min(self.chunk_rows, count))
        starts = range(0, count, rows_per_chunk)
        threads = min(self.threads, len(starts))
        if threads <= 1:
            self._chunks(people, result, starts, rows_per_chunk)
        else:
            with ThreadPoolExecutor(threads) as pool:
                parts = [
                    pool.submit(self._chunks, people, result, starts[t::threads], rows_per_chunk)
                    for t in range(threads)
                ]
                for part in parts:
                    part.result()
        if count and int(result.total_points.min()) < 0:  # a sentinel: a bad answer
            self._raise_bad_option(people.options)
        return result

    def _chunks(self, people: _People, result: Result, starts: range, rows: int) -> None:
        """Steps 1 to 7 for the chunks of ``rows`` rows beginning at ``starts``."""
        count = people.options.shape[0]
        work = _Work(self, rows, people.options)
        for start in starts:
            stop = min(start + rows, count)
            answers = work.answers(start, stop)
            self._points(work, answers, result, start, stop)
            if self._general:
                self._money_general(work, people, result, start, stop)
            else:
                self._money(work, people, result, start, stop)

    def _people(self, inputs: Inputs) -> _People:
        """The inputs checked, with each group's price and rate."""
        ras = self.ras
        options = self._checked(np.asarray(inputs.options))
        count = options.shape[0]
        group_index = np.asarray(inputs.group_index)
        if group_index.shape != (count,):
            raise ValueError("Expected one user group for each person")
        if count and (int(group_index.min()) < 0 or int(group_index.max()) >= len(inputs.groups)):
            raise ValueError("A user group index is outside the list of groups")
        plan = None
        if ras.method == "plan":
            if inputs.plan_weekly_pence is None:
                raise ValueError("Method 'plan' needs the plan's weekly cost for each person")
            plan = np.asarray(inputs.plan_weekly_pence, dtype=np.int64)
            if plan.shape != (count,):
                raise ValueError("Expected one plan cost for each person")
        flags: dict[str, npt.NDArray[np.bool_]] = {}
        for uplift in ras.uplifts:
            if uplift.kind == "percent_if_flag" and uplift.flag in inputs.flags:
                flags[uplift.flag] = np.asarray(inputs.flags[uplift.flag], dtype=bool)
                if flags[uplift.flag].shape != (count,):
                    raise ValueError(f"Expected one {uplift.flag!r} flag for each person")
        return _People(
            options=options,
            group_index=group_index,
            price_of_group=(
                self._group_values(ras.price_per_point_pence, inputs.groups)
                if ras.price_per_point_pence
                else np.zeros(len(inputs.groups), np.int64)
            ),
            rate_of_group=(
                self._group_values(ras.hourly_rate_pence, inputs.groups)
                if ras.method == "hours"
                else np.zeros(len(inputs.groups), np.int64)
            ),
            plan=plan,
            flags=flags,
        )

    def _points(
        self, work: _Work, answers: npt.NDArray[np.uint8], result: Result, start: int, stop: int
    ) -> None:
        """Step 1 for rows ``start:stop``: the total points and every other field."""
        rows = stop - start
        index = work.index[:, :rows]
        if self._group == 4:
            v = answers.view("<u4")
            c = work.codes.reshape(-1)[: v.size].reshape(v.shape)
            if self._bits == 2:  # one multiplication brings the four 2-bit answers together
                np.multiply(v, np.uint32(0x0004_1041), out=c)
                np.right_shift(c, np.uint32(18), out=c)
                np.bitwise_and(c, np.uint32(0xFF), out=c)
            else:
                b, t = self._bits, work.spare.reshape(-1)[: v.size].reshape(v.shape)
                np.right_shift(v, np.uint32(8 - b), out=c)
                np.bitwise_or(c, v, out=c)
                np.bitwise_and(c, np.uint32(0x00FF_00FF), out=c)
                np.right_shift(c, np.uint32(16 - 2 * b), out=t)
                np.bitwise_or(c, t, out=c)
                np.bitwise_and(c, np.uint32((1 << 4 * b) - 1), out=c)
            np.copyto(index, c.T)
        else:
            np.copyto(index, answers.view("<u2").T)
        np.add(index, self._group_offsets_intp, out=index)
        for word, gathered, packed in zip(self._words, work.gathered, work.packed, strict=True):
            p = packed[:rows]
            # Every code is inside its group's table, so "wrap" never wraps: it is numpy's
            # quickest take.
            np.take(word.table, index, out=gathered[:, :rows], mode="wrap")
            np.add.reduce(gathered[:, :rows], axis=0, out=p)
            for f, shift, bits in word.fields:
                if f == 0:
                    target = result.total_points[start:stop]
                elif f in self._field_outputs:  # a weekly uplift: the field is the amount
                    target = result.uplift_pence[self._field_outputs[f]][start:stop]
                else:
                    target = work.field[f, :rows]
                top = f == word.fields[-1][0]  # nothing above it to mask off
                if shift == 0:
                    if top:
                        np.copyto(target, p)
                    else:
                        np.bitwise_and(p, (1 << bits) - 1, out=target, casting="unsafe")
                else:
                    np.right_shift(p, shift, out=target, casting="unsafe")
                    if not top:
                        np.bitwise_and(target, (1 << bits) - 1, out=target)

    def _money(self, work: _Work, people: _People, result: Result, start: int, stop: int) -> None:
        """Steps 2 to 7 for rows ``start:stop``."""
        ras, rows = self.ras, stop - start
        points = result.total_points[start:stop]
        field = work.field[:, :rows]
        # 2. The carer-neutral amount by the method.
        price, base = result.price_per_point_pence[start:stop], result.base_weekly_pence[start:stop]
        group = work.group[:rows]
        np.copyto(group, people.group_index[start:stop])  # take is quickest with native indices
        np.take(people.price_of_group, group, out=price, mode="wrap")
        if ras.method == "points":
            np.multiply(points, price, out=base)
        elif ras.method == "hours":
            band = np.searchsorted(self._bands_min, points, side="right") - 1
            tenths = np.where(band >= 0, self._bands_tenths[np.maximum(band, 0)], 0)
            np.multiply(tenths, people.rate_of_group[group], out=base)
            _round_div_into(base, 10, base)
        else:
            assert people.plan is not None
            np.copyto(base, people.plan[start:stop])
        # 3. Uplifts, each from the carer-neutral amount.
        neutral = result.carer_neutral_weekly_pence[start:stop]
        if not self._uplift_fields:
            np.copyto(neutral, base)
        for n, (uplift, first, second) in enumerate(self._uplift_fields):
            amount = result.uplift_pence[uplift.code][start:stop]
            if uplift.kind == "weekly_pence":
                pass  # looked up with the points
            elif uplift.kind == "percent_of_sections":
                if ras.method == "points":  # the sections' part of the amount
                    np.multiply(field[first], price, out=amount)
                else:
                    np.copyto(amount, base)
                np.multiply(amount, field[second], out=amount)
                _round_div_into(amount, BASIS, amount)
            elif uplift.flag in people.flags:
                np.multiply(base, uplift.basis_points, out=amount)
                _round_div_into(amount, BASIS, amount)
                np.multiply(amount, people.flags[uplift.flag][start:stop], out=amount)
            else:
                amount.fill(0)
            np.add(neutral if n else base, amount, out=neutral)
        # 4. The carer adjustment only ever lowers the amount.
        adjustment = result.carer_adjustment_pence[start:stop]
        if self._carer_field >= 0:
            # −(x / 10,000 rounded half up) is (4,999 − x) / 10,000 rounded down.
            np.multiply(neutral, field[self._carer_field], out=adjustment)
            np.subtract(BASIS // 2 - 1, adjustment, out=adjustment)
            np.floor_divide(adjustment, BASIS, out=adjustment)
        else:
            adjustment.fill(0)
        # 5. Rounding, 6. floor and ceiling, 7. the year.
        adjusted, weekly = work.work[:rows], result.weekly_pence[start:stop]
        np.add(neutral, adjustment, out=adjusted)
        unit = ras.rounding_pence
        if unit > 1:
            _round_div_into(adjusted, unit, weekly)
            np.multiply(weekly, unit, out=weekly)
        else:
            np.copyto(weekly, adjusted)
        np.subtract(weekly, adjusted, out=result.rounding_pence[start:stop])
        # The limit applied: 1 above the ceiling, -1 below the floor (True − False).
        below, above = work.below[:rows], work.above[:rows]
        np.less(weekly, ras.floor_weekly_pence, out=below)
        np.greater(weekly, ras.ceiling_weekly_pence, out=above)
        np.subtract(above.view(np.int8), below.view(np.int8), out=result.bound[start:stop])
        np.maximum(weekly, ras.floor_weekly_pence, out=weekly)
        np.minimum(weekly, ras.ceiling_weekly_pence, out=weekly)
        np.multiply(weekly, WEEKS_PER_YEAR, out=result.annual_pence[start:stop])

    def _money_general(
        self, work: _Work, people: _People, result: Result, start: int, stop: int
    ) -> None:
        """Steps 2 to 7 for rows ``start:stop`` with the new options: running uplifts, the
        carer adjustment before the uplifts, exact arithmetic. Not the fast path: plain
        numpy expressions step by step, every amount held as a whole number of 1/D pence
        (D = 1 when stepwise, when each step rounds to the penny as it goes). If the
        largest amount these rows can reach, × D × the largest percentage, might not fit in
        64 bits, the rows are worked out in Python's own integers (numpy object arrays):
        slower, never wrong (decision 0020)."""
        ras, rows, rows_of = self.ras, stop - start, slice(start, stop)
        exact = ras.arithmetic == "exact"
        denominator = self._denominator
        points = result.total_points[rows_of]
        field = work.field[:, :rows]
        price = result.price_per_point_pence[rows_of]
        group = people.group_index[rows_of].astype(np.intp)
        np.take(people.price_of_group, group, out=price)
        # 2. The amount by the method, as a whole number of 1/D pence.
        hours_exact = ras.method == "hours" and exact
        if ras.method == "points":
            pence: Any = points * price
        elif ras.method == "hours":
            band = np.searchsorted(self._bands_min, points, side="right") - 1
            tenths = np.where(band >= 0, self._bands_tenths[np.maximum(band, 0)], 0)
            pence = tenths * people.rate_of_group[group]  # tenths of pence
            if not exact:
                pence = (pence + 5) // 10
        else:
            assert people.plan is not None
            pence = people.plan[rows_of].astype(np.int64)
        as_big: Callable[[Any], Any] = _as_is
        if rows and self._may_overflow(int(pence.max())):
            as_big = _as_object  # Python's integers from here on: they never overflow
            pence = as_big(pence)
        # Tenths × rate × D ÷ 10 is whole: D has the factor of 10 it needs.
        base = pence * denominator // 10 if hours_exact else pence * denominator

        def share(amount: Any, basis_points: Any) -> Any:
            """amount × basis points ÷ 10,000: exact (it divides), or rounded half up."""
            product = amount * as_big(basis_points)
            return product // BASIS if exact else (product + BASIS // 2) // BASIS

        def shown(amount: Any) -> Any:
            """To the nearest penny, halves up (amounts here are never negative)."""
            return (2 * amount + denominator) // (2 * denominator) if exact else amount

        running = base.copy()
        carer_amount: Any = 0
        carer = ras.carer
        if carer is not None and carer.applies_to == "before_uplifts":
            carer_amount = -share(base, field[self._carer_field])
            _put(result.carer_applied_to_pence, rows_of, shown(base))
            running = running + carer_amount
        added: Any = 0
        for uplift, first, second in self._uplift_fields:
            target = result.uplift_pence[uplift.code][rows_of]
            if uplift.kind == "weekly_pence":
                amount = as_big(target) * denominator  # looked up with the points
            else:
                if uplift.kind == "percent_of_sections":
                    of = (
                        as_big(field[first] * price) * denominator
                        if ras.method == "points"
                        else base
                    )
                    amount = share(of, field[second])
                elif uplift.flag in people.flags:
                    of = running if uplift.applies_to == "running" else base
                    amount = share(of, uplift.basis_points) * as_big(
                        people.flags[uplift.flag][rows_of].astype(np.int64)
                    )
                else:
                    of = running if uplift.applies_to == "running" else base
                    amount = of * 0
                _put(result.applied_to_pence[uplift.code], rows_of, shown(of))
                np.copyto(target, shown(amount), casting="unsafe")
            running = running + amount
            added = added + target
        if carer is not None and carer.applies_to == "after_uplifts":
            _put(result.carer_applied_to_pence, rows_of, shown(running))
            carer_amount = -share(running, field[self._carer_field])
            running = running + carer_amount
        # What is shown, each figure to the penny: the amount before uplifts, each uplift,
        # the carer adjustment; the rounding line is whatever makes them add up.
        base_shown = result.base_weekly_pence[rows_of]
        np.copyto(base_shown, shown(base), casting="unsafe")
        np.add(base_shown, added, out=result.carer_neutral_weekly_pence[rows_of])
        adjustment = result.carer_adjustment_pence[rows_of]
        np.copyto(adjustment, -shown(-carer_amount) if carer is not None else 0, casting="unsafe")
        # 5. One rounding to the penny (exact) or none left to do (stepwise), then the
        # council's unit; 6. floor and ceiling; 7. the year.
        penny = shown(running).astype(np.int64)
        unit = ras.rounding_pence
        weekly = result.weekly_pence[rows_of]
        np.copyto(weekly, (penny + unit // 2) // unit * unit)
        np.subtract(
            weekly,
            result.carer_neutral_weekly_pence[rows_of] + adjustment,
            out=result.rounding_pence[rows_of],
        )
        below, above = weekly < ras.floor_weekly_pence, weekly > ras.ceiling_weekly_pence
        np.subtract(above.view(np.int8), below.view(np.int8), out=result.bound[rows_of])
        np.maximum(weekly, ras.floor_weekly_pence, out=weekly)
        np.minimum(weekly, ras.ceiling_weekly_pence, out=weekly)
        np.multiply(weekly, WEEKS_PER_YEAR, out=result.annual_pence[rows_of])

    def _may_overflow(self, largest_base_pence: int) -> bool:
        """Whether any amount of the general path, × D × the largest percentage, could
        reach 2**62 when step 2's amount is at most ``largest_base_pence``: the bound grows
        through the uplifts in order as they can at most."""
        ras = self.ras
        running = largest_base = max(0, largest_base_pence)
        largest_share = BASIS
        for uplift in ras.uplifts:
            values = (
                [uplift.basis_points]
                if uplift.kind == "percent_if_flag"
                else [v for _o, v in uplift.by_option] or [0]
            )
            if uplift.kind == "weekly_pence":
                running += max(values)
                continue
            largest_share = max(largest_share, *values)
            of = running if uplift.applies_to == "running" else largest_base
            running += -(-of * max(values) // BASIS)
        return (running + 1) * self._denominator * largest_share >= 2**62


def _as_object(values: Any) -> Any:
    return np.asarray(values).astype(object)


def _as_is(values: Any) -> Any:
    return values


def _put(target: IntArray | None, rows: slice, values: Any) -> None:
    assert target is not None
    np.copyto(target[rows], values, casting="unsafe")


@dataclass(frozen=True)
class _People:
    options: npt.NDArray[np.integer[Any]]
    group_index: npt.NDArray[np.integer[Any]]
    price_of_group: IntArray
    rate_of_group: IntArray
    plan: IntArray | None
    flags: dict[str, npt.NDArray[np.bool_]]


class _Work:
    """Working arrays for one chunk of rows, kept in the processor's cache."""

    def __init__(self, engine: Engine, rows: int, options: npt.NDArray[np.integer[Any]]) -> None:
        groups = engine._width // engine._group
        self.rows = rows
        # Group-major (groups × rows): the sum over groups is then a sum of whole rows.
        self.codes = np.empty((groups, rows), dtype=np.uint32)
        self.spare = np.empty((groups, rows), dtype=np.uint32)
        self.index = np.empty((groups, rows), dtype=np.intp)
        self.gathered = [np.empty((groups, rows), dtype=w.table.dtype) for w in engine._words]
        self.packed = [np.empty(rows, dtype=w.table.dtype) for w in engine._words]
        self.field = np.empty((len(engine._field_values), rows), dtype=np.int64)
        self.group = np.empty(rows, dtype=np.intp)
        self.work = np.empty(rows, dtype=np.int64)
        self.below = np.empty(rows, dtype=bool)
        self.above = np.empty(rows, dtype=bool)
        # Answers as bytes, the sections padded to whole groups: one byte an answer as given
        # is read where it is; anything else is copied in, a chunk at a time.
        self._options = options
        self._in_place = (
            options.dtype.itemsize == 1
            and options.flags.c_contiguous
            and engine._width == options.shape[1]
        )
        self._buffer = np.zeros((0 if self._in_place else rows, engine._width), dtype=np.uint8)

    def answers(self, start: int, stop: int) -> npt.NDArray[np.uint8]:
        if self._in_place:
            return self._options[start:stop].view(np.uint8)
        block = self._buffer[: stop - start]
        block[:, : self._options.shape[1]] = self._options[start:stop]
        return block


def explanation(engine: Engine, result: Result, i: int) -> dict[str, Any]:
    """Person ``i``'s allocation as a record of steps: stored with the allocation and shown
    (in words and as a table) to the practitioner and the person. Each uplift says what it
    was: a fixed sum, or a percentage (``basis_points``) of what (``applies_to``, and
    ``of_pence``, that amount to the nearest penny); ``arithmetic`` says where rounding
    happened (each step, or once at the end)."""
    ras = engine.ras
    points = result.section_points_of(i)
    by_section = {sid: int(points[j]) for j, sid in enumerate(engine.section_ids)}
    answer = {
        s.section_id: s.option_ids[int(result.options[i, j])] for j, s in enumerate(ras.sections)
    }
    base = int(result.base_weekly_pence[i])
    price = int(result.price_per_point_pence[i])
    uplifts = []
    for u in ras.uplifts:
        pence = int(result.uplift_pence[u.code][i])
        if not pence:
            continue
        item: dict[str, Any] = {"code": u.code, "reason": u.reason, "pence": pence}
        item["kind"] = u.kind
        if u.kind == "weekly_pence":
            item["applies_to"] = ""
        else:
            item["applies_to"] = (
                "sections"
                if u.kind == "percent_of_sections" and ras.method == "points"
                else u.applies_to
            )
            item["basis_points"] = (
                u.basis_points
                if u.kind == "percent_if_flag"
                else dict(u.by_option).get(answer[u.section_id], 0)
            )
            if u.code in result.applied_to_pence:
                item["of_pence"] = int(result.applied_to_pence[u.code][i])
            elif item["applies_to"] == "sections":
                item["of_pence"] = sum(by_section[s] for s in u.sections) * price
            else:
                item["of_pence"] = base
        uplifts.append(item)
    adjustment = int(result.carer_adjustment_pence[i])
    carer: dict[str, Any] = {}
    if ras.carer is not None and adjustment:
        carer = {
            "carer_applies_to": ras.carer.applies_to,
            "carer_basis_points": dict(ras.carer.reduction_basis_points).get(
                answer[ras.carer.section_id], 0
            ),
            "carer_of_pence": int(result.carer_applied_to_pence[i])
            if result.carer_applied_to_pence is not None
            else int(result.carer_neutral_weekly_pence[i]),
        }
    return {
        "ras": {
            "code": ras.code,
            "version": ras.version,
            "hash": ras.content_hash,
            "method": ras.method,
        },
        "arithmetic": ras.arithmetic,
        "section_points": by_section,
        "total_points": int(result.total_points[i]),
        "price_per_point_pence": price,
        "base_weekly_pence": base,
        "uplifts": uplifts,
        "carer_neutral_weekly_pence": int(result.carer_neutral_weekly_pence[i]),
        "carer_adjustment_pence": adjustment,
        "carer_reason": ras.carer.reason if ras.carer and adjustment else "",
        **carer,
        "rounding_pence": int(result.rounding_pence[i]),
        "rounding_unit_pence": ras.rounding_pence,
        "bound": {-1: "floor", 1: "ceiling", 0: ""}[int(result.bound[i])],
        "floor_weekly_pence": ras.floor_weekly_pence,
        "ceiling_weekly_pence": ras.ceiling_weekly_pence,
        "weekly_pence": int(result.weekly_pence[i]),
        "annual_pence": int(result.annual_pence[i]),
    }
