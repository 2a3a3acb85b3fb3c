"""bench/survey.py end to end at a small size: it runs the holders' Tables 1-7 and the
carers' Tables 8-12 and ends with the JSON line the issue asks for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_survey_bench_at_a_small_size() -> None:
    env = {**os.environ, "BENCH_SIZE": "5000", "BENCH_REPEATS": "1"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "survey.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    last = json.loads(lines[-1])
    assert (last["bench"], last["size"]) == ("survey", 5000)
    assert last["seconds"] > 0 and last["peak_mib"] > 0 and last["ratios"]["vs_one_logit"] > 0
    # 33 factors x 15 holder outcomes, and the carers' 23 factors x 8 outcomes.
    assert lines[0].startswith("5,000 holders and 5,000 carers: 679 odds ratios")
    assert " in 10 tables" in lines[0]
    assert lines[1].startswith("Table 7: ") and lines[2].startswith("Table 12: ")
    assert "Factors associated with positive impact of budget on Quality of life (n=" in done.stdout
