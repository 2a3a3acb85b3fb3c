"""bench/load.py's plumbing, on a tiny SQLite council: it builds the council, makes its own
accounts, serves with gunicorn under production settings, signs in by the real forms (with
the authenticator app's code for staff) and by token, runs locust, reports JSON, and stops
everything it started, also when interrupted. Marked ``load`` and run once, by `make test-load`
(in `make test`), not in both the SQLite and PostgreSQL runs: the bench has its own database.
About 40 s on a quiet machine; most of it is migrating and collecting static files."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.load


@pytest.fixture(scope="module")
def where(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One tiny council and one set of static files for both tests: the second run reuses
    them, as a second run of the bench reuses its database."""
    return tmp_path_factory.mktemp("load-bench")


def _bench(where: Path, **extra: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCH_")}
    env.update(
        {
            "BENCH_DATABASE": "sqlite",
            "BENCH_DIR": str(where / "bench"),
            "BENCH_SIZE": "60",
            "BENCH_USERS": "2",
            "BENCH_SPAWN_RATE": "2",
            "BENCH_DURATION": "4",
            "BENCH_WORKERS": "1",
            "SELFDIRECT_VAR_DIR": str(where / "var"),
            "PY": sys.executable,
            **extra,
        }
    )
    return subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "load.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _port_answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_the_load_bench_runs_end_to_end_and_leaves_nothing_running(where: Path) -> None:
    bench = _bench(where)
    started: list[psutil.Process] = []
    lines = []
    assert bench.stdout is not None
    for line in bench.stdout:
        lines.append(line)
        if "server (gunicorn" in line:
            started = psutil.Process(bench.pid).children(recursive=True)
    assert bench.wait(120) == 0, "".join(lines)
    result = json.loads(lines[-1])
    assert result["bench"] == "load" and result["database"] == "sqlite"
    assert result["size"] == 60 and result["users"] == 2
    assert result["failures"] == 0, "".join(lines)
    assert result["requests"] > 0
    assert result["p95_ms"] and result["worst_p95_ms"] == max(result["p95_ms"].values())
    assert set(result["p95_ms"]) <= {
        "staff home",
        "search",
        "caseload",
        "person summary",
        "budget",
        "support plan",
        "review queue",
        "holder home",
        "holder budget",
        "holder plan",
        "API people list",
        "API plans list",
    }
    assert started, "the server's processes were not seen"
    assert not [p for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def test_an_interrupted_bench_stops_the_server_and_locust(where: Path) -> None:
    bench = _bench(where, BENCH_DURATION="60")
    assert bench.stdout is not None
    port = 0
    for line in bench.stdout:
        found = re.search(r"server .* on http://127\.0\.0\.1:(\d+)", line)
        if found:
            port = int(found.group(1))
            break
    assert port and _port_answers(port)
    time.sleep(3)  # locust is running
    started = psutil.Process(bench.pid).children(recursive=True)
    assert any("locust" in " ".join(p.cmdline()) for p in started)
    bench.send_signal(signal.SIGINT)
    assert bench.wait(60) == 130
    assert not _port_answers(port)
    assert not [p for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
