"""bench/survey.py end to end at a small size: it runs the tables and Table 7 and ends with
the JSON line the issue asks for."""

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
    assert lines[0].startswith("5,000 responses: 495 odds ratios")
    assert "Factors associated with positive impact of budget on Quality of life (n=" in done.stdout
