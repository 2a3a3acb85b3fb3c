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
        self._bands_min = np.array([b.min_points for b in ras.hours_bands], dtype=np.int64)
        self._bands_tenths = np.array([b.tenths_of_hours for b in ras.hours_bands], dtype=np.int64)
        self._compile(sizes)

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
    (in words and as a table) to the practitioner and the person."""
    ras = engine.ras
    uplifts = [
        {"code": u.code, "reason": u.reason, "pence": int(result.uplift_pence[u.code][i])}
        for u in ras.uplifts
        if int(result.uplift_pence[u.code][i])
    ]
    points = result.section_points_of(i)
    return {
        "ras": {
            "code": ras.code,
            "version": ras.version,
            "hash": ras.content_hash,
            "method": ras.method,
        },
        "section_points": {sid: int(points[j]) for j, sid in enumerate(engine.section_ids)},
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
