"""Benchmark: the RAS engine over 1,000,000 synthetic assessments (20 sections of 4 options,
prices by user group, a carer adjustment and four uplifts: night care, two workers at once,
rural travel, agency rates).

Figures, each the best of several runs (the machine is shared and noisy):
- seconds: one ``Engine.allocate`` over everyone (the Engine, its tables compiled, made
  beforehand, as a simulation reuses it), each result replacing the last as in a
  simulation's loop, so the allocator reuses the memory; the second line gives the engine
  and the floor with every output array in fresh memory from the kernel (as in a first
  call in a process: the kernel zeroes about 100 MB of new pages, some 15 ms);
- vs_python_loop: the plain one-person-at-a-time reference (tests/allocation/reference.py)
  timed on a sample of 10,000 people and scaled to the full size, over the engine's time;
  the sample's amounts are checked against the engine's;
- vs_numpy_floor: the engine's time over a bare numpy matrix product of the same
  answer-points data (the N × 20 int32 matrix of points by section, which the engine makes
  only on request, times a vector of ones: the least work a points-based RAS must do once
  it has the points);
- peak_mib: the peak of memory allocations traced by ``tracemalloc`` during one engine run
  (numpy reports its allocations to tracemalloc), the inputs excluded.

Last line is JSON: {"bench": "ras", "size": N, "seconds": S, "peak_mib": M,
"ratios": {"vs_python_loop": A, "vs_numpy_floor": B}}
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
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.allocation.reference import allocate_one  # noqa: E402

from selfdirect.allocation.engine import (  # noqa: E402
    CarerAdjustment,
    Engine,
    Inputs,
    RasDefinition,
    SectionPoints,
    Uplift,
)

SIZE = int(os.environ.get("BENCH_SIZE", "1000000"))
SECTIONS = 20
SAMPLE = 10_000
RUNS = 7
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


def main() -> None:
    rng = np.random.default_rng(2026)
    ras = synthetic_ras()
    engine = Engine(ras)
    inputs = Inputs(
        options=rng.integers(0, 4, size=(SIZE, SECTIONS), dtype=np.int8),
        group_index=rng.integers(0, len(GROUPS), size=SIZE, dtype=np.int16),
        groups=GROUPS,
        flags={"rural": rng.random(SIZE) < 0.2, "agency": rng.random(SIZE) < 0.5},
    )
    result = engine.allocate(inputs)  # warm up

    def again() -> None:
        # As a simulation or a what-if does: each result replaces the one before, so the
        # memory the old result held is reused rather than handed back to the kernel.
        nonlocal result
        result = engine.allocate(inputs)

    seconds = best_of(again)
    del result
    # The same with the outputs (about 100 MB) in memory fresh from the kernel, which it
    # must zero page by page, as in a first call in a process.
    cold = best_of(lambda: engine.allocate(inputs), before=hand_back_free_memory)
    result = engine.allocate(inputs)

    tracemalloc.start()
    engine.allocate(inputs)
    peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    # The floor: a bare matrix product over the points matrix of the same answers.
    points = result.section_points
    ones = np.ones(SECTIONS, dtype=points.dtype)
    assert np.array_equal(points @ ones, result.total_points)
    floor = best_of(lambda: np.matmul(points, ones))
    cold_floor = best_of(lambda: np.matmul(points, ones), before=hand_back_free_memory)

    # The plain loop on a sample, scaled; and a cross-check that it agrees.
    sample = min(SAMPLE, SIZE)
    answers = [
        {s.section_id: s.option_ids[inputs.options[i, j]] for j, s in enumerate(ras.sections)}
        for i in range(sample)
    ]
    flags = [{f: bool(v[i]) for f, v in inputs.flags.items()} for i in range(sample)]
    group = [GROUPS[g] for g in inputs.group_index[:sample]]
    loop: list[dict[str, object]] = []

    def reference() -> None:
        loop[:] = [allocate_one(ras, answers[i], group[i], flags[i]) for i in range(sample)]

    loop_seconds = best_of(reference, runs=3) * SIZE / sample
    assert [r["weekly"] for r in loop] == result.weekly_pence[:sample].tolist()

    print(
        f"engine {seconds:.4f} s for {SIZE:,} people ({SECTIONS} sections); numpy floor "
        f"{floor:.4f} s; python loop (scaled) {loop_seconds:.1f} s; peak {peak_mib:.0f} MiB\n"
        f"into fresh memory: engine {cold:.4f} s, floor {cold_floor:.4f} s "
        f"({cold / cold_floor:.2f}×)"
    )
    print(
        json.dumps(
            {
                "bench": "ras",
                "size": SIZE,
                "seconds": round(seconds, 4),
                "peak_mib": round(peak_mib, 1),
                "ratios": {
                    "vs_python_loop": round(loop_seconds / seconds, 1),
                    "vs_numpy_floor": round(seconds / floor, 2),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
