"""Benchmark: the POET analysis of 100,000 synthetic holder responses (issue 15).

What is timed (selfdirect.evaluation.poet): the six association tables (Tables 1-6: 33
factors x 15 outcomes, each cell an odds ratio with its Woolf interval and p) and the
Table 7 logistic regressions (one per modelled outcome: 13 statsmodels Logit fits on all
31 predictors with listwise deletion, Nagelkerke R²). The responses come from
selfdirect.evaluation.synthetic (seeded), made before the clock starts.

Baseline measured in the same run: one statsmodels Logit fit of quality of life on the
same 31 predictors and complete cases, the data already in a float matrix (one BLAS
thread, as the analysis uses). ``vs_one_logit`` is the analysis's time over that fit's.

Last line is JSON: {"bench": "survey", "size": N, "seconds": S, "peak_mib": M,
"ratios": {"vs_one_logit": R}}
"""

from __future__ import annotations

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

from statsmodels.discrete.discrete_model import Logit  # noqa: E402

from selfdirect.evaluation import poet, synthetic  # noqa: E402

SIZE = int(os.environ.get("BENCH_SIZE", "100000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))


def best_of(run: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    survey = synthetic.generate(SIZE, seed=2014)

    def analysis() -> tuple[dict[int, poet.AssociationTable], dict[str, poet.Regression]]:
        return poet.poet_tables(survey.factors, survey.outcomes), poet.table7(
            survey.factors, survey.outcomes
        )

    relevant, positive = poet.positive_impact(survey.outcomes["quality_of_life"])
    matrix = np.stack([survey.factors[k] for k in poet.TABLE7_FACTORS], axis=1)
    keep = relevant & np.all(matrix >= 0, axis=1)
    y = positive[keep].astype(np.float64)
    x = np.column_stack([np.ones(len(y)), matrix[keep].astype(np.float64)])

    def one_logit() -> object:
        with poet.one_blas_thread():
            return Logit(y, x).fit(disp=0)

    tables, models = analysis()  # warm up (imports, first BLAS calls)
    one_logit()
    seconds = best_of(analysis)
    baseline = best_of(one_logit)
    tracemalloc.start()
    analysis()
    peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    cells = sum(len(t.outcomes) * len(t.factors) for t in tables.values())
    significant = sum(
        c.significant for t in tables.values() for row in t.cells.values() for c in row.values()
    )
    fitted = [m for m in models.values() if not m.skipped]
    print(
        f"{SIZE:,} responses: {cells} odds ratios ({significant} significant) in {len(tables)} tables"
    )
    print(
        f"Table 7: {len(fitted)} of {len(models)} outcomes modelled, n {min(m.n for m in fitted):,}-{max(m.n for m in fitted):,}"
    )
    for line in models["quality_of_life"].lines("Quality of life"):
        print("  " + line)
    print(
        f"analysis {seconds:.3f} s (best of {REPEATS}); one Logit fit {baseline:.3f} s; peak {peak_mib:.0f} MiB traced"
    )
    print(
        json.dumps(
            {
                "bench": "survey",
                "size": SIZE,
                "seconds": round(seconds, 3),
                "peak_mib": round(peak_mib, 1),
                "ratios": {"vs_one_logit": round(seconds / baseline, 2)},
            }
        )
    )


if __name__ == "__main__":
    main()
