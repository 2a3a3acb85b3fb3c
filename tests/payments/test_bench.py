"""bench/payment_run.py end to end on a small council (SQLite): it builds the budgets,
pays them, checks the ledger and ends with the JSON line the issue asks for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_payment_run_bench_on_a_small_council() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SELFDIRECT_ENV")}
    env.update({"BENCH_SIZE": "300", "BENCH_DATABASES": "sqlite"})
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "payment_run.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    last = json.loads(done.stdout.strip().splitlines()[-1])
    assert (last["bench"], last["size"], last["database"]) == ("payment_run", 300, "sqlite")
    assert last["seconds"] > 0 and last["peak_mib"] > 0 and last["ratios"]["vs_bulk_insert"] > 0
    sqlite = last["databases"]["sqlite"]
    # Every budget paid once: one payment (two or three postings) each.
    assert 600 <= sqlite["postings"] <= 900
