"""Benchmark: the RAS engine over 1,000,000 synthetic assessments (20 sections, prices by
user group, a carer adjustment and four uplifts).

Baselines measured in the same run:
- vs_python_loop: the plain one-person-at-a-time reference (tests/allocation/reference.py)
  timed on a sample of 10,000 people and scaled to the full size, over the engine's time;
- vs_numpy_floor: the engine's time over a bare numpy matrix product of the same
  answer-points data (the N × 20 points matrix times a vector of ones: the least work any
  points-based RAS must do).
peak_mib is the peak traced by tracemalloc during one engine run (numpy reports its
allocations to tracemalloc).

Last line is JSON: {"bench": "ras", "size": N, "seconds": S, "peak_mib": M,
"ratios": {"vs_python_loop": A, "vs_numpy_floor": B}}
"""

from __future__ import annotations

import json
import os
import sys
import time
import tracemalloc
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
    engine.allocate(inputs)  # warm up
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        result = engine.allocate(inputs)
        runs.append(time.perf_counter() - started)
    seconds = min(runs)

    tracemalloc.start()
    engine.allocate(inputs)
    peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    # The floor: a bare matrix product over the same points data.
    points = result.section_points
    ones = np.ones(SECTIONS, dtype=points.dtype)
    floors = []
    for _ in range(5):
        started = time.perf_counter()
        np.matmul(points, ones)
        floors.append(time.perf_counter() - started)
    floor = min(floors)

    # The plain loop on a sample, scaled; and a cross-check that it agrees.
    sample = min(SAMPLE, SIZE)
    answers = [
        {s.section_id: s.option_ids[inputs.options[i, j]] for j, s in enumerate(ras.sections)}
        for i in range(sample)
    ]
    flags = [{f: bool(v[i]) for f, v in inputs.flags.items()} for i in range(sample)]
    started = time.perf_counter()
    loop = [
        allocate_one(ras, answers[i], GROUPS[inputs.group_index[i]], flags[i])
        for i in range(sample)
    ]
    loop_seconds = (time.perf_counter() - started) * SIZE / sample
    assert [r["weekly"] for r in loop] == result.weekly_pence[:sample].tolist()

    print(
        f"engine {seconds:.3f} s for {SIZE:,} people ({SECTIONS} sections); numpy floor {floor:.3f} s; "
        f"python loop (scaled) {loop_seconds:.1f} s; peak {peak_mib:.0f} MiB"
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
