"""Benchmark: the RAS engine over 1,000,000 synthetic assessments (20 sections of 4 options,
prices by user group, a carer adjustment and four uplifts: night care, two workers at once,
rural travel, agency rates).

Figures, each the best of several runs (the machine is shared and noisy):
- seconds: one ``Engine.allocate`` over everyone with ``BENCH_THREADS`` threads (2 by
  default; seconds_one_thread: with one), the Engine, its tables compiled, made
  beforehand, as a simulation reuses it, each result replacing the last as in a
  simulation's loop, so the allocator reuses the memory; the second line gives the engine
  and the floor with every output array in fresh memory from the kernel (as in a first
  call in a process: the kernel zeroes about 100 MB of new pages, some 15 ms);
- vs_python_loop: a plain one-person-at-a-time loop built fairly (every lookup table made
  once, before timing; the answers as option indices, as the engine takes them) timed on a
  sample of 10,000 people and scaled to the full size, over the engine's time. Every output
  the engine gives for those people (section points, totals, price, base, each uplift, the
  carer-neutral amount, the carer adjustment, rounding, the bound, weekly and yearly) is
  checked against the loop's, and the loop against the test suite's reference
  (tests/allocation/reference.py, which rebuilds its small tables for every person and so is
  slower: its scaled time is printed too);
- floor_int32_s, floor_float64_s, floor_s: the least work a points-based RAS must do once it
  has the points, a bare numpy product of the N × 20 points matrix of the same answers
  (which the engine makes only on request) with a vector of ones: as int32 (numpy's own
  loop, no BLAS) and as float64 (BLAS; exact, as every sum is far below 2**53), both timed
  in the same run; the floor is the faster. vs_floor (and vs_numpy_floor, the same figure,
  kept for older readers) is the engine's time over it;
- running_exact_s: the same people priced by ``running_exact_ras()`` (the carer adjustment
  before the uplifts, rural and agency on the running amount, exact arithmetic), which takes
  the engine's general path, one thread; running_exact_vs_default is its time over the
  default path's, timed in turns with it. Its outputs for the sample are checked against
  the tests' reference;
- peak_mib: the peak of memory allocations traced by ``tracemalloc`` during one engine run
  (numpy reports its allocations to tracemalloc), the inputs excluded.

OpenBLAS: this machine sets OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE) for older OpenBLAS
builds; they pick a slower kernel for the float64 floor. The bench unsets both for its own
process only (``BENCH_KEEP_OPENBLAS_ENV=1`` keeps them) and prints the kernel OpenBLAS runs.

The engine and both floors are timed in turns, so that a burst of load from elsewhere hits
all of them alike.

Last line is JSON: {"bench": "ras", "size": N, "seconds": S, "threads": T,
"seconds_one_thread": S1, "peak_mib": M,
"floor_int32_s": I, "floor_float64_s": F, "floor_s": min(I, F), "vs_floor": S / floor_s,
"running_exact_s": G, "running_exact_vs_default": G / the default path timed alongside,
"ratios": {"vs_python_loop": A, "vs_numpy_floor": S / floor_s}}
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

# Before numpy loads OpenBLAS, which reads them once: this process only.
REMOVED_OPENBLAS_ENV = (
    {}
    if os.environ.get("BENCH_KEEP_OPENBLAS_ENV") == "1"
    else {
        name: os.environ.pop(name)
        for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
        if name in os.environ
    }
)

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.allocation.reference import allocate_one  # noqa: E402

from selfdirect.allocation.engine import (  # noqa: E402
    BASIS,
    WEEKS_PER_YEAR,
    CarerAdjustment,
    Engine,
    Inputs,
    RasDefinition,
    Result,
    SectionPoints,
    Uplift,
)

SIZE = int(os.environ.get("BENCH_SIZE", "1000000"))
SECTIONS = 20
SAMPLE = 10_000
RUNS = 11
THREADS = int(os.environ.get("BENCH_THREADS", str(min(2, os.cpu_count() or 1))))
GROUPS = ("older_people", "physical_disability", "learning_disability", "mental_health")


def synthetic_ras() -> RasDefinition:
    options = ("a", "b", "c", "d")
    sections = tuple(
        SectionPoints(f"s{j:02d}", options, (0, 2 + j % 3, 5 + j % 4, 9 + j % 5))
        for j in range(SECTIONS)
    )
    return RasDefinition(
        code="bench",
        title="Benchmark RAS",
        version=1,
        questionnaire_code="bench",
        method="points",
        sections=sections,
        price_per_point_pence=(
            ("learning_disability", 420),
            ("mental_health", 300),
            ("older_people", 330),
            ("physical_disability", 360),
        ),
        floor_weekly_pence=2000,
        ceiling_weekly_pence=150_000,
        rounding_pence=100,
        carer=CarerAdjustment("s19", (("b", 2000), ("c", 1000)), "carer willing and able"),
        uplifts=(
            Uplift(
                "night_care",
                "nights",
                "weekly_pence",
                section_id="s18",
                by_option=(("b", 2000), ("c", 35000), ("d", 90000)),
            ),
            Uplift(
                "two_workers",
                "two at once",
                "percent_of_sections",
                section_id="s17",
                by_option=(("c", 5000), ("d", 10000)),
                sections=("s01", "s02", "s03", "s04"),
            ),
            Uplift("rural", "travel", "percent_if_flag", flag="rural", basis_points=1000),
            Uplift("agency_rate", "agency", "percent_if_flag", flag="agency", basis_points=1500),
        ),
    )


def running_exact_ras() -> RasDefinition:
    """The same RAS as a spreadsheet council might write it (docs/ras-format.md): the carer
    adjustment before the uplifts, rural and agency rates on the running amount, and exact
    arithmetic (one rounding at the end). The engine's general path, not the fast one."""
    ras = synthetic_ras()
    assert ras.carer is not None
    return replace(
        ras,
        arithmetic="exact",
        carer=replace(ras.carer, applies_to="before_uplifts"),
        uplifts=tuple(
            replace(u, applies_to="running") if u.kind == "percent_if_flag" else u
            for u in ras.uplifts
        ),
    )


def blas_kernel() -> str:
    """The BLAS library and the kernel it runs, as threadpoolctl reports it (or, without
    threadpoolctl, as numpy's bundled OpenBLAS says through its own C call)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        pass
    else:
        return "; ".join(
            f"{i.get('internal_api')} {i.get('version')} kernel {i.get('architecture')}, "
            f"{i.get('num_threads')} threads"
            for i in threadpool_info()
            if i.get("user_api") == "blas"
        )
    libs = sorted((Path(np.__file__).parent.parent / "numpy.libs").glob("*openblas*"))
    for path in libs:
        with contextlib.suppress(OSError):
            lib = ctypes.CDLL(str(path))
            for prefix in ("scipy_openblas", "openblas"):
                for suffix in ("64_", ""):
                    name = getattr(lib, f"{prefix}_get_corename{suffix}", None)
                    threads = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
                    if name is not None and threads is not None:
                        name.restype = ctypes.c_char_p
                        return (
                            f"openblas ({path.name}) kernel {name().decode()}, {threads()} threads"
                        )
    return "unknown (see numpy.show_config())"


def fair_loop(
    ras: RasDefinition, groups: tuple[str, ...]
) -> Callable[[list[int], int, tuple[bool, ...]], dict[str, object]]:
    """A one-person-at-a-time RAS in plain Python, every lookup table built once: the
    steps of docs/ras-format.md for method "points", as tests/allocation/reference.py
    follows them, without its per-person ``dict(...)`` and ``list.index`` calls. The flags
    come in the order of the flag uplifts."""
    assert ras.method == "points"
    position = {s.section_id: j for j, s in enumerate(ras.sections)}
    points_of = [s.points for s in ras.sections]
    price_of = [ras.price_for(g) for g in groups]

    def by_index(section_id: str, table: tuple[tuple[str, int], ...]) -> tuple[int, ...]:
        values = dict(table)
        return tuple(values.get(o, 0) for o in ras.sections[position[section_id]].option_ids)

    weekly_uplifts, section_uplifts, flag_uplifts = [], [], []
    for u in ras.uplifts:
        if u.kind == "weekly_pence":
            weekly_uplifts.append(
                (u.code, position[u.section_id], by_index(u.section_id, u.by_option))
            )
        elif u.kind == "percent_of_sections":
            section_uplifts.append(
                (
                    u.code,
                    position[u.section_id],
                    by_index(u.section_id, u.by_option),
                    [position[s] for s in u.sections],
                )
            )
        else:
            flag_uplifts.append((u.code, u.basis_points))
    carer = ras.carer
    carer_at = position[carer.section_id] if carer else 0
    carer_by = by_index(carer.section_id, carer.reduction_basis_points) if carer else ()
    unit, low, high, half = (
        ras.rounding_pence,
        ras.floor_weekly_pence,
        ras.ceiling_weekly_pence,
        BASIS // 2,
    )

    def one(options: list[int], group: int, flags: tuple[bool, ...]) -> dict[str, object]:
        points = [table[o] for table, o in zip(points_of, options, strict=True)]
        total = sum(points)
        price = price_of[group]
        base = total * price
        uplifts = {}
        for code, at, amounts in weekly_uplifts:
            uplifts[code] = amounts[options[at]]
        for code, at, rates, sections in section_uplifts:
            part = sum([points[k] for k in sections]) * price
            uplifts[code] = (part * rates[options[at]] + half) // BASIS
        for (code, basis_points), flag in zip(flag_uplifts, flags, strict=True):
            uplifts[code] = (base * basis_points + half) // BASIS if flag else 0
        neutral = base + sum(uplifts.values())
        adjustment = -((neutral * carer_by[options[carer_at]] + half) // BASIS) if carer else 0
        amount = neutral + adjustment
        rounded = (amount + unit // 2) // unit * unit
        weekly = min(max(rounded, low), high)
        return {
            "section_points": points,
            "total_points": total,
            "price": price,
            "base": base,
            "uplifts": uplifts,
            "neutral": neutral,
            "carer_adjustment": adjustment,
            "rounding": rounded - amount,
            "bound": "floor" if weekly > rounded else "ceiling" if weekly < rounded else "",
            "weekly": weekly,
            "annual": weekly * WEEKS_PER_YEAR,
        }

    return one


def check_against_loop(result: Result, loop: list[dict[str, object]], ras: RasDefinition) -> None:
    """Every output the engine gives for the sample equals the loop's."""
    n = len(loop)

    def column(key: str) -> list[object]:
        return [r[key] for r in loop]

    def same(name: str, engine_values: np.ndarray, loop_values: list[object]) -> None:
        if engine_values.tolist() != loop_values:
            bad = next(
                i
                for i, (a, b) in enumerate(zip(engine_values.tolist(), loop_values, strict=True))
                if a != b
            )
            raise AssertionError(
                f"{name} differs for person {bad}: engine {engine_values[bad]!r}, loop {loop_values[bad]!r}"
            )

    same("section_points", result.section_points[:n], column("section_points"))
    same("total_points", result.total_points[:n], column("total_points"))
    same("price_per_point_pence", result.price_per_point_pence[:n], column("price"))
    same("base_weekly_pence", result.base_weekly_pence[:n], column("base"))
    for u in ras.uplifts:
        same(
            f"uplift {u.code}",
            result.uplift_pence[u.code][:n],
            [r["uplifts"][u.code] for r in loop],
        )  # type: ignore[index]
    same("carer_neutral_weekly_pence", result.carer_neutral_weekly_pence[:n], column("neutral"))
    same("carer_adjustment_pence", result.carer_adjustment_pence[:n], column("carer_adjustment"))
    same("rounding_pence", result.rounding_pence[:n], column("rounding"))
    same(
        "bound", result.bound[:n], [{"floor": -1, "ceiling": 1, "": 0}[b] for b in column("bound")]
    )  # type: ignore[index]
    same("weekly_pence", result.weekly_pence[:n], column("weekly"))
    same("annual_pence", result.annual_pence[:n], column("annual"))


def hand_back_free_memory() -> None:
    """Return the freed heap to the kernel (glibc), so the next run's arrays are fresh pages."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: measure as it comes
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def best_of(
    action: Callable[[], object], runs: int = RUNS, before: Callable[[], None] | None = None
) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def best_of_each(actions: dict[str, Callable[[], object]], runs: int = RUNS) -> dict[str, float]:
    """The best time of each action, the actions run in turn ``runs`` times over."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - started)
    return {name: min(t) for name, t in times.items()}


def main() -> None:
    rng = np.random.default_rng(2026)
    ras = synthetic_ras()
    engine = Engine(ras, threads=THREADS)
    one_thread = Engine(ras)
    inputs = Inputs(
        options=rng.integers(0, 4, size=(SIZE, SECTIONS), dtype=np.int8),
        group_index=rng.integers(0, len(GROUPS), size=SIZE, dtype=np.int16),
        groups=GROUPS,
        flags={"rural": rng.random(SIZE) < 0.2, "agency": rng.random(SIZE) < 0.5},
    )
    result = engine.allocate(inputs)  # warm up
    one_thread.allocate(inputs)

    # The floor: a bare matrix product over the points matrix of the same answers, as int32
    # (numpy's own loop) and as float64 (BLAS; exact: every sum is far below 2**53).
    points = result.section_points
    points_f64 = points.astype(np.float64)
    ones, ones_f64 = np.ones(SECTIONS, dtype=points.dtype), np.ones(SECTIONS, dtype=np.float64)
    assert np.array_equal(points @ ones, result.total_points)
    assert np.array_equal(points_f64 @ ones_f64, result.total_points)

    def again() -> None:
        # As a simulation or a what-if does: each result replaces the one before, so the
        # memory the old result held is reused rather than handed back to the kernel.
        nonlocal result
        result = engine.allocate(inputs)

    kept: list[Result] = [one_thread.allocate(inputs)]

    def again_one_thread() -> None:
        kept[0] = one_thread.allocate(inputs)

    # Taken in turns, so that a burst of load from elsewhere hits them all alike.
    best = best_of_each(
        {
            "engine": again,
            "one_thread": again_one_thread,
            "int32": lambda: np.matmul(points, ones),
            "float64": lambda: np.matmul(points_f64, ones_f64),
        }
    )
    kept.clear()
    seconds, seconds_one_thread = best["engine"], best["one_thread"]

    # The new options' general path, one thread, against the default path in turns; its
    # outputs for the sample are checked against the tests' reference below.
    general = Engine(running_exact_ras())
    general_result = general.allocate(inputs)
    general_best = best_of_each(
        {
            "general": lambda: general.allocate(inputs),
            "default": lambda: one_thread.allocate(inputs),
        },
        runs=5,
    )
    running_exact = general_best["general"]
    floor_int32, floor_float64 = best["int32"], best["float64"]
    floor = min(floor_int32, floor_float64)
    fastest = (points, ones) if floor_int32 <= floor_float64 else (points_f64, ones_f64)

    del result
    # The same with the outputs (about 100 MB) in memory fresh from the kernel, which it
    # must zero page by page, as in a first call in a process.
    cold = best_of(lambda: engine.allocate(inputs), before=hand_back_free_memory)
    result = engine.allocate(inputs)

    tracemalloc.start()
    engine.allocate(inputs)
    peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    cold_floor = best_of(lambda: np.matmul(*fastest), before=hand_back_free_memory)

    # The plain loop on a sample, its tables built once, scaled; it must agree with every
    # output of the engine and with the tests' reference.
    sample = min(SAMPLE, SIZE)
    flag_names = [u.flag for u in ras.uplifts if u.kind == "percent_if_flag"]
    options = inputs.options[:sample].tolist()
    group_index = inputs.group_index[:sample].tolist()
    flags = [
        tuple(bool(inputs.flags[f][i]) if f in inputs.flags else False for f in flag_names)
        for i in range(sample)
    ]
    one = fair_loop(ras, GROUPS)
    loop: list[dict[str, object]] = []

    def fair() -> None:
        loop[:] = [one(options[i], group_index[i], flags[i]) for i in range(sample)]

    loop_seconds = best_of(fair, runs=3) * SIZE / sample
    check_against_loop(result, loop, ras)

    answers = [
        {s.section_id: s.option_ids[inputs.options[i, j]] for j, s in enumerate(ras.sections)}
        for i in range(sample)
    ]
    named_flags = [{f: bool(v[i]) for f, v in inputs.flags.items()} for i in range(sample)]
    group = [GROUPS[g] for g in group_index]
    reference: list[dict[str, object]] = []

    def tests_reference() -> None:
        reference[:] = [
            allocate_one(ras, answers[i], group[i], named_flags[i]) for i in range(sample)
        ]

    reference_seconds = best_of(tests_reference, runs=3) * SIZE / sample
    ids = [s.section_id for s in ras.sections]
    for mine, theirs in zip(loop, reference, strict=True):
        assert {
            **mine,
            "section_points": dict(zip(ids, mine["section_points"], strict=True)),
        } == theirs  # type: ignore[call-overload]

    general_ras = general.ras
    for i in range(sample):
        expected = allocate_one(general_ras, answers[i], group[i], named_flags[i])
        assert int(general_result.weekly_pence[i]) == expected["weekly"], i
        assert int(general_result.rounding_pence[i]) == expected["rounding"], i
        for code, amounts in general_result.uplift_pence.items():
            assert int(amounts[i]) == expected["uplifts"][code], (i, code)

    removed = ", ".join(f"{k}={v}" for k, v in REMOVED_OPENBLAS_ENV.items()) or "none set"
    print(
        f"BLAS: {blas_kernel()} (unset for this process: {removed})\n"
        f"engine {seconds:.4f} s for {SIZE:,} people ({SECTIONS} sections, {THREADS} threads; "
        f"one thread {seconds_one_thread:.4f} s); numpy floor "
        f"{floor:.4f} s (int32 {floor_int32:.4f} s, float64 BLAS {floor_float64:.4f} s): "
        f"{seconds / floor:.2f}×\n"
        f"python loop, tables built once (scaled) {loop_seconds:.1f} s: "
        f"{loop_seconds / seconds:.0f}×; the tests' reference loop (scaled) "
        f"{reference_seconds:.1f} s; every output of {sample:,} people checked; "
        f"peak {peak_mib:.0f} MiB\n"
        f"into fresh memory: engine {cold:.4f} s, floor {cold_floor:.4f} s "
        f"({cold / cold_floor:.2f}×)\n"
        f"running uplifts + carer first + exact arithmetic (general path, one thread): "
        f"{running_exact:.4f} s, {running_exact / general_best['default']:.1f}× the default "
        f"path timed alongside ({general_best['default']:.4f} s); {sample:,} people checked "
        f"against the reference"
    )
    print(
        json.dumps(
            {
                "bench": "ras",
                "size": SIZE,
                "seconds": round(seconds, 4),
                "threads": THREADS,
                "seconds_one_thread": round(seconds_one_thread, 4),
                "peak_mib": round(peak_mib, 1),
                "floor_int32_s": round(floor_int32, 4),
                "floor_float64_s": round(floor_float64, 4),
                "floor_s": round(floor, 4),
                "vs_floor": round(seconds / floor, 2),
                "running_exact_s": round(running_exact, 4),
                "running_exact_vs_default": round(running_exact / general_best["default"], 1),
                "ratios": {
                    "vs_python_loop": round(loop_seconds / seconds, 1),
                    "vs_numpy_floor": round(seconds / floor, 2),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
