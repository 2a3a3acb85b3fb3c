"""Benchmark: the POET analysis of 100,000 synthetic holder responses and 100,000 synthetic
carer responses (issue 15).

What is timed (selfdirect.evaluation.poet): the six association tables (Tables 1-6: 33
factors x 15 outcomes, each cell an odds ratio with its Woolf interval and p) and the
Table 7 logistic regressions (one per modelled outcome: 13 statsmodels Logit fits on all
31 predictors with listwise deletion, Nagelkerke R²); then the carers' Tables 8-11 and
the Table 12 regressions over the 8 carer outcomes. The holders' responses come from
selfdirect.evaluation.synthetic, the carers' from selfdirect.evaluation.synthetic_answers
through the survey's own factor definitions (poet_frame), both seeded and made before the
clock starts.

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

from selfdirect.evaluation import poet, poet_frame, synthetic, synthetic_answers  # noqa: E402

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

    carers = synthetic_answers.carer_answers(SIZE, seed=2014)
    carer_factors, carer_outcomes = poet_frame.carer_columns(carers.items, SIZE)

    def analysis() -> tuple[dict[int, poet.AssociationTable], dict[str, poet.Regression]]:
        tables = poet.poet_tables(survey.factors, survey.outcomes)
        models = poet.table7(survey.factors, survey.outcomes)
        tables.update(poet.carer_tables(carer_factors, carer_outcomes))
        carer_models = poet.table12(carer_factors, carer_outcomes)
        return tables, {**models, **{f"carer:{k}": m for k, m in carer_models.items()}}

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
    print(
        f"{SIZE:,} holders and {SIZE:,} carers: {cells} odds ratios ({significant} significant) in {len(tables)} tables"
    )
    for label, prefix in (("Table 7", False), ("Table 12", True)):
        group = [m for k, m in models.items() if k.startswith("carer:") == prefix]
        fitted = [m for m in group if not m.skipped]
        print(
            f"{label}: {len(fitted)} of {len(group)} outcomes modelled, n {min(m.n for m in fitted):,}-{max(m.n for m in fitted):,}"
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
