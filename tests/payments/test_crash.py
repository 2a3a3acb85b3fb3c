"""Killing a payment run mid-way (SIGKILL, no chance to tidy up) and running it again pays
every budget exactly once, and the ledger balances: on a file SQLite database, and on
PostgreSQL (marked postgres: scripts/with-postgres.sh)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SIZE, BATCH = 3000, 500
COMMAND = [
    sys.executable,
    str(ROOT / "manage.py"),
    "payment_run",
    "--period",
    "2026-04",
    "--frequency",
    "four_weekly",
    "--execute",
    "--prepared-by",
    "bench-finance-1",
    "--approved-by",
    "bench-finance-2",
    "--batch-size",
    str(BATCH),
    "--quiet",
]
COUNTS = """
    SELECT
      (SELECT COUNT(*) FROM ledger_transaction WHERE kind = 'payment'),
      (SELECT COUNT(*) FROM payments_paymentline),
      (SELECT COUNT(*) FROM (
          SELECT budget_account_id, period_key FROM ledger_transaction
          WHERE kind = 'payment' GROUP BY budget_account_id, period_key HAVING COUNT(*) > 1
      ) AS twice)
"""


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SELFDIRECT_ENV"}
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "DJANGO_SETTINGS_MODULE": "selfdirect.settings",
            "DATABASE_URL": database_url,
        }
    )
    return env


def _kill_mid_run_and_rerun(database_url: str, counts: Callable[[], tuple[int, int, int]]) -> None:
    env = _env(database_url)
    built = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "payment_run.py")],
        env={**env, "BENCH_BUILD_ONLY": "1", "BENCH_SIZE": str(SIZE)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    # The first attempt stops after its second batch has committed; we kill it there.
    run = subprocess.Popen(
        COMMAND,
        env={**env, "SELFDIRECT_PAYMENT_RUN_PAUSE_AFTER_BATCH": "2"},
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    try:
        assert run.stderr is not None
        deadline = time.monotonic() + 600
        for line in run.stderr:
            if "paused after batch 2" in line:
                break
            assert time.monotonic() < deadline
        os.kill(run.pid, signal.SIGKILL)
        run.wait(timeout=30)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == -signal.SIGKILL
    paid, lines, twice = counts()
    assert (paid, lines, twice) == (2 * BATCH, SIZE, 0)  # half-paid: two batches, no more
    again = subprocess.run(
        COMMAND, env=env, capture_output=True, text=True, timeout=600, check=False, cwd=ROOT
    )
    assert again.returncode == 0, again.stderr[-2000:]
    assert f"paid {SIZE - 2 * BATCH} budgets" in again.stdout
    assert f"{2 * BATCH} already paid" in again.stdout
    assert counts() == (SIZE, SIZE, 0)  # every budget paid exactly once
    # And once more: a paid run is not paid again.
    third = subprocess.run(
        COMMAND, env=env, capture_output=True, text=True, timeout=600, check=False, cwd=ROOT
    )
    assert third.returncode == 0 and "already paid: nothing to do" in third.stdout
    assert counts() == (SIZE, SIZE, 0)
    check = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "ledger_check", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(check.stdout)
    assert report["balanced"] is True, report


def test_a_killed_run_rerun_pays_every_budget_once_on_sqlite(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "crash.sqlite3"

    def counts() -> tuple[int, int, int]:
        with sqlite3.connect(path) as db:
            row = db.execute(COUNTS).fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    _kill_mid_run_and_rerun(f"sqlite:///{path}", counts)


@pytest.fixture
def fresh_postgres_database() -> Iterator[tuple[str, str]]:
    """A database of its own in the cluster DATABASE_URL names, dropped afterwards."""
    import psycopg
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.fail("needs PostgreSQL: run under scripts/with-postgres.sh")
    settings: dict[str, Any] = connection.get_connection_params()
    name = f"crash_{uuid.uuid4().hex[:8]}"
    admin = {k: v for k, v in settings.items() if k in ("host", "port", "user", "password")}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    host, port = admin.get("host", ""), admin.get("port", "")
    try:
        yield f"postgres://{admin.get('user', 'postgres')}@/{name}?host={host}&port={port}", name
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_killed_run_rerun_pays_every_budget_once_on_postgresql(
    fresh_postgres_database: tuple[str, str],
) -> None:
    import psycopg

    url, name = fresh_postgres_database
    settings = {k: v for k, v in _pg_params().items() if k in ("host", "port", "user")}

    def counts() -> tuple[int, int, int]:
        with psycopg.connect(dbname=name, **settings) as db:
            row = db.execute(COUNTS).fetchone()
        assert row is not None
        return int(row[0]), int(row[1]), int(row[2])

    _kill_mid_run_and_rerun(url, counts)


def _pg_params() -> dict[str, Any]:
    from django.db import connection

    return dict(connection.get_connection_params())
