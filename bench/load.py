"""Benchmark: Selfdirect under load, served for real (gunicorn, production settings).

Builds (or reuses) a demo council of BENCH_SIZE people on PostgreSQL (a cluster of its own
under var/bench-pg, kept between runs) or SQLite (var/bench-sqlite), gives it bench
accounts of its own (a password, an authenticator app for staff, API tokens: production
refuses the demo password, decision 0014), starts the production server, runs locust
headless with a mix of users for a bounded time, and stops everything it started, on
success, failure or Ctrl-C.

The mix (locust users, 0.5-1.5 s think time, bench/locustfile.py): practitioners and
managers searching, opening people, budgets, plans and review queues; people holding a
budget on their home page, budget and plan; API clients listing people and plans.

Environment (all optional):
  BENCH_DATABASE   postgresql (default) or sqlite
  BENCH_SIZE       people in the council                       default 100000
  BENCH_USERS      concurrent locust users                     default 50
  BENCH_DURATION   seconds measured, after every user started  default 60
  BENCH_SPAWN_RATE users started a second                      default 5
  BENCH_WORKERS    gunicorn worker processes                   default 4
  BENCH_DIR        where the database is kept                  default var/bench-pg or var/bench-sqlite
  BENCH_REBUILD=1  throw the kept database away and build it again

Last line is JSON: {"bench": "load", "size": N, "users": U, "requests": R, "failures": F,
"p95_ms": {page: ms}, "worst_p95_ms": W, "database": "postgresql" | "sqlite"}
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PY = os.environ.get("PY") or str(ROOT / ".venv" / "bin" / "python")
if not Path(PY).exists():
    PY = sys.executable
SIZE = int(os.environ.get("BENCH_SIZE", "100000"))
USERS = int(os.environ.get("BENCH_USERS", "50"))
DURATION = int(os.environ.get("BENCH_DURATION", "60"))
SPAWN_RATE = float(os.environ.get("BENCH_SPAWN_RATE", "5"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
DATABASE = os.environ.get("BENCH_DATABASE", "postgresql").lower()
REBUILD = os.environ.get("BENCH_REBUILD", "0") == "1"
DATABASE_NAME = "selfdirect"


class Stop(Exception):
    """SIGTERM or SIGHUP: unwind and stop what was started, as Ctrl-C does."""


def _on_signal(signum: int, _frame: Any) -> None:
    raise Stop(f"signal {signum}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_T0 = time.monotonic()


def _say(message: str) -> None:
    print(f"[{time.monotonic() - _T0:5.0f} s] {message}", flush=True)


def _stop_process(process: subprocess.Popen[Any], name: str, grace: float = 20) -> None:
    """Stop a child started in its own session, and everything in its process group."""
    if process.poll() is not None:
        return
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    _say(f"stopped {name}")


@contextmanager
def _postgres(where: Path) -> Iterator[str]:
    """A PostgreSQL cluster of the bench's own, its data kept in ``where/data`` between runs."""
    bindirs = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not bindirs and not shutil.which("pg_ctl"):
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
    bindir = bindirs[-1] if bindirs else Path(shutil.which("pg_ctl") or "").parent
    as_owner: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        as_owner = ["runuser", "-u", "postgres", "--"]
    data = where / "data"
    if REBUILD and data.exists():
        shutil.rmtree(data)
    where.mkdir(parents=True, exist_ok=True)
    if as_owner:
        shutil.chown(where, "postgres")
    if not data.exists():
        subprocess.run(
            [*as_owner, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    port = _free_port()
    options = (
        f"-k {where} -p {port} -c listen_addresses='' -c shared_buffers=256MB "
        "-c max_connections=100 -c shared_preload_libraries=pg_stat_statements "
        # The data fits in memory: an index read costs about what a sequential one does.
        # PostgreSQL's default (4) makes it scan whole tables for a team's caseload
        # (docs/deployment.md, decision record 0018).
        "-c random_page_cost=1.1"
    )
    pg_ctl = [*as_owner, str(bindir / "pg_ctl"), "-D", str(data)]
    subprocess.run(
        [*pg_ctl, "-l", str(where / "log"), "-w", "-o", options, "start"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    _say(f"PostgreSQL started on socket {where} port {port}")
    try:
        psql = [
            *as_owner,
            str(bindir / "psql"),
            "-h",
            str(where),
            "-p",
            str(port),
            "-U",
            "postgres",
        ]
        exists = subprocess.run(
            [*psql, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}'"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if not exists:
            subprocess.run([*psql, "-qc", f"CREATE DATABASE {DATABASE_NAME}"], check=True)
        subprocess.run(
            [
                *psql,
                "-d",
                DATABASE_NAME,
                "-qc",
                "CREATE EXTENSION IF NOT EXISTS pg_stat_statements",
            ],
            check=False,
            stderr=subprocess.DEVNULL,
        )
        yield f"postgres://postgres@/{DATABASE_NAME}?host={where}&port={port}"
    finally:
        subprocess.run(
            [*pg_ctl, "-m", "fast", "-w", "stop"], check=False, stdout=subprocess.DEVNULL
        )
        _say("stopped PostgreSQL")


@contextmanager
def _sqlite(where: Path) -> Iterator[str]:
    where.mkdir(parents=True, exist_ok=True)
    path = where / "load.sqlite3"
    if REBUILD:
        for leftover in where.glob("load.sqlite3*"):
            leftover.unlink()
    yield f"sqlite:///{path}"


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


@contextmanager
def _server(env: dict[str, str], where: Path) -> Iterator[str]:
    port = _free_port()
    server_env = {
        **env,
        "SELFDIRECT_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SELFDIRECT_HTTPS": "0",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
        "PY": PY,
    }
    log = (where / "server.log").open("wb")
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "serve.sh")],
        cwd=ROOT,
        env=server_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the server stopped at once: see {where / 'server.log'}")
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"the server did not answer /healthz: see {where / 'server.log'}")
            time.sleep(0.5)
        _say(f"server (gunicorn, {WORKERS} workers, production settings) on {url}")
        yield url
    finally:
        _stop_process(process, "the server")
        log.close()


def _locust(url: str, where: Path, credentials: Path) -> Path:
    ramp = max(1, round(USERS / SPAWN_RATE))
    _say(f"locust: {USERS} users, measured for {DURATION} s once all have signed in")
    prefix = where / "locust"
    for old in where.glob("locust_*.csv"):
        old.unlink()
    process = subprocess.Popen(
        [
            PY,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--host",
            url,
            "--users",
            str(USERS),
            "--spawn-rate",
            str(SPAWN_RATE),
            # The locust users end the run DURATION seconds after the last has signed in
            # (bench/locustfile.py); this is only a backstop.
            "--run-time",
            f"{ramp + DURATION + 600}s",
            "--stop-timeout",
            "5",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "BENCH_CREDENTIALS": str(credentials),
            "BENCH_USERS": str(USERS),
            "BENCH_DURATION": str(DURATION),
        },
        stdout=(where / "locust.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        process.wait()
    finally:
        _stop_process(process, "locust")
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise SystemExit("locust wrote no statistics")
    return stats


def _load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    if DATABASE not in ("postgresql", "sqlite"):
        raise SystemExit("BENCH_DATABASE must be postgresql or sqlite")
    where = Path(
        os.environ.get("BENCH_DIR")
        or ROOT / "var" / ("bench-pg" if DATABASE == "postgresql" else "bench-sqlite")
    ).resolve()
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    database = _postgres(where) if DATABASE == "postgresql" else _sqlite(where)
    with database as database_url:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "selfdirect.settings",
            "SELFDIRECT_ENV": "development",
        }
        _manage(env, "migrate", "--noinput", "-v", "0")
        started = time.perf_counter()
        _manage(env, "generate_demo", "--people", str(SIZE), "--seed", "1", "--if-empty")
        _say(f"council ready in {time.perf_counter() - started:.0f} s")
        credentials = where / "bench-users.json"
        subprocess.run(
            [PY, str(ROOT / "bench" / "load_accounts.py"), str(credentials), str(USERS)],
            cwd=ROOT,
            env=env,
            check=True,
        )
        with _server(env, where) as url:
            before = _load_average()
            stats = _locust(url, where, credentials)
            after = _load_average()
    p95_ms: dict[str, float] = {}
    requests = failures = 0
    with stats.open() as f:
        for row in csv.DictReader(f):
            if row["Name"] == "Aggregated":
                requests = int(row["Request Count"])
                failures = int(row["Failure Count"])
                continue
            if row["Name"].startswith("sign in") or not int(row["Request Count"]):
                continue
            p95_ms[row["Name"]] = float(row["95%"] or 0)
    with stats.open() as f:
        for row in csv.DictReader(f):
            if row["Name"] != "Aggregated" and int(row["Request Count"]):
                print(
                    f"{row['Name']:32} {int(row['Request Count']):6} requests  "
                    f"{int(row['Failure Count']):4} failed  p50 {row['50%']:>6} ms  p95 {row['95%']:>6} ms"
                )
    failures_csv = stats.with_name(stats.name.replace("_stats", "_failures"))
    if failures and failures_csv.exists():
        print(failures_csv.read_text())
    print(f"load average before {before}, after {after}; {os.cpu_count()} cores")
    print(
        json.dumps(
            {
                "bench": "load",
                "size": json.loads(credentials.read_text())["size"],
                "users": USERS,
                "requests": requests,
                "failures": failures,
                "p95_ms": p95_ms,
                "worst_p95_ms": max(p95_ms.values(), default=0),
                "database": DATABASE,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    try:
        main()
    except (KeyboardInterrupt, Stop):
        print("stopped early; everything the bench started has been stopped", file=sys.stderr)
        sys.exit(130)
