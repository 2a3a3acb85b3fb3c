"""Benchmark: what-if of a new RAS over 100,000 people — price everyone again with changed
prices and summarise gains and losses by user group, age band and sex.

Baselines measured in the same run:
- vs_python_loop: the plain reference (tests/allocation/reference.py) plus a dictionary
  tally per person, timed on a sample of 5,000 and scaled, over the vectorised time;
- vs_numpy_floor: the vectorised time over a bare numpy matrix product of the same
  answer-points data (the N × S points matrix times a vector of ones).

Last line is JSON: {"bench": "whatif", "size": N, "seconds": S, "peak_mib": M,
"ratios": {"vs_python_loop": A, "vs_numpy_floor": B}}
"""

from __future__ import annotations

import json
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.allocation.reference import allocate_one  # noqa: E402

from bench.ras import GROUPS, SECTIONS, synthetic_ras  # noqa: E402
from selfdirect.allocation.engine import Engine, Inputs, Result  # noqa: E402
from selfdirect.allocation.whatif import AGE_BANDS, Dimension, WhatIf, age_band_index, compare  # noqa: E402

SIZE = int(os.environ.get("BENCH_SIZE", "100000"))
SAMPLE = 5_000


def main() -> None:
    rng = np.random.default_rng(7)
    ras = synthetic_ras()
    inputs = Inputs(
        options=rng.integers(0, 4, size=(SIZE, SECTIONS), dtype=np.int8),
        group_index=rng.integers(0, len(GROUPS), size=SIZE, dtype=np.int16),
        groups=GROUPS,
        flags={"rural": rng.random(SIZE) < 0.2, "agency": rng.random(SIZE) < 0.5},
    )
    current = Engine(ras).allocate(inputs).weekly_pence
    ages = rng.integers(18, 100, size=SIZE).astype(np.int64)
    sex = rng.integers(0, 3, size=SIZE).astype(np.intp)
    draft = replace(
        ras,
        price_per_point_pence=tuple(
            (g, p + 40 if g == "older_people" else p - 20) for g, p in ras.price_per_point_pence
        ),
    )

    def run() -> tuple[WhatIf, Result]:
        result = Engine(draft).allocate(inputs)
        dimensions = [
            Dimension("User group", GROUPS, inputs.group_index.astype(np.intp)),
            Dimension("Age band", tuple(label for _s, label in AGE_BANDS), age_band_index(ages)),
            Dimension("Sex", ("Female", "Male", "Other"), sex),
        ]
        return compare(current, result.weekly_pence, dimensions), result

    run()
    times = []
    for _ in range(5):
        started = time.perf_counter()
        summary, result = run()
        times.append(time.perf_counter() - started)
    seconds = min(times)
    tracemalloc.start()
    run()
    peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    points = result.section_points
    ones = np.ones(SECTIONS, dtype=points.dtype)
    floor = min(_timed(lambda: np.matmul(points, ones)) for _ in range(5))

    sample = min(SAMPLE, SIZE)
    answers = [
        {s.section_id: s.option_ids[inputs.options[i, j]] for j, s in enumerate(draft.sections)}
        for i in range(sample)
    ]
    flags = [{f: bool(v[i]) for f, v in inputs.flags.items()} for i in range(sample)]
    started = time.perf_counter()
    tally: dict[str, list[int]] = {}
    for i in range(sample):
        weekly = allocate_one(draft, answers[i], GROUPS[inputs.group_index[i]], flags[i])["weekly"]
        row = tally.setdefault(GROUPS[inputs.group_index[i]], [0, 0, 0, 0])
        row[0] += int(current[i])
        row[1] += weekly
        row[2] += weekly > current[i]
        row[3] += weekly < current[i]
    loop_seconds = (time.perf_counter() - started) * SIZE / sample

    print(
        f"what-if over {SIZE:,} people: {seconds:.3f} s (changes {summary.overall.change_percent}, "
        f"{summary.overall.losing_over_10_percent:,} lose over 10%); floor {floor:.4f} s; loop (scaled) {loop_seconds:.1f} s"
    )
    print(
        json.dumps(
            {
                "bench": "whatif",
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


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
