"""Benchmark: build the demo council of N people (``manage.py generate_demo``, ANALYZE
included), against a baseline of a bare insert of N person rows (COPY on PostgreSQL, one
executemany on SQLite) measured in the same run on the same database.

BENCH_SIZE (default 100000) is the number of people; BENCH_DATABASE=postgresql starts a
throwaway PostgreSQL cluster the way scripts/with-postgres.sh does and removes it after;
otherwise a fresh SQLite file. The audit chain is verified after the build (not timed).

Last line is JSON: {"bench": "generate", "size": N, "database": D, "seconds": S,
"baseline_seconds": B, "ratios": {"vs_bare_insert": R}, "load": [before, after], ...}
"""

from __future__ import annotations

import contextlib
import glob
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfdirect.settings")
SIZE = int(os.environ.get("BENCH_SIZE", "100000"))
DATABASE = os.environ.get("BENCH_DATABASE", "sqlite")


@contextlib.contextmanager
def postgresql() -> Iterator[str]:
    """A throwaway cluster (as scripts/with-postgres.sh: as the postgres user when root,
    fsync off), its database URL, stopped and removed afterwards."""
    bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))[-1]
    work = tempfile.mkdtemp(prefix="selfdirect-pg-")
    port = 20000 + random.randrange(20000)
    owner: list[str] = []
    if os.getuid() == 0:
        shutil.chown(work, "postgres")
        owner = ["runuser", "-u", "postgres", "--"]
    data = f"{work}/data"
    try:
        subprocess.run(
            [*owner, f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-k {work} -p {port} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            [
                *owner,
                f"{bindir}/pg_ctl",
                "-D",
                data,
                "-l",
                f"{work}/log",
                "-w",
                "-o",
                options,
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [
                *owner,
                f"{bindir}/createdb",
                "-h",
                work,
                "-p",
                str(port),
                "-U",
                "postgres",
                "selfdirect",
            ],
            check=True,
        )
        yield f"postgres://postgres@/selfdirect?host={work}&port={port}"
    finally:
        subprocess.run(
            [*owner, f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(work, ignore_errors=True)


def bare_insert_seconds(size: int) -> float:
    """A bare insert of ``size`` person rows (the demo's own people, values built before
    the clock starts), rolled back: the least a council of that many people must cost."""
    import datetime as dt

    from django.db import transaction

    from selfdirect.demo.bulk import rows_values, values_insert
    from selfdirect.demo.generator import person_rows
    from selfdirect.people.models import Person

    rows = person_rows(size, 1, teams=3, providers=5, today=dt.date.today())
    columns, values = rows_values(
        Person,
        [{**r.fields, "la_person_id": f"B{i:07d}", "search_name": ""} for i, r in enumerate(rows)],
    )
    with transaction.atomic():
        started = time.perf_counter()
        values_insert(Person, columns, values)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def backend_cpu_seconds() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (0 on SQLite, whose
    work is done in this process): the machine is shared, so wall time alone says little."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


def run(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    baseline = bare_insert_seconds(SIZE)
    load_before = os.getloadavg()[0]
    out = io.StringIO()
    server_before = backend_cpu_seconds()
    cpu_started = time.process_time()
    started = time.perf_counter()
    call_command("generate_demo", people=SIZE, seed=1, stdout=out)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    server = backend_cpu_seconds() - server_before
    load_after = os.getloadavg()[0]
    verdict = io.StringIO()
    call_command("audit_verify", stdout=verdict)
    assert "the chain is whole" in verdict.getvalue(), verdict.getvalue()
    print(out.getvalue().rstrip())
    print(verdict.getvalue().splitlines()[0])
    print(
        f"{SIZE:,} people on {connection.vendor} in {seconds:.1f} s; bare insert of "
        f"{SIZE:,} person rows {baseline:.2f} s; load average {load_before:.1f} before, "
        f"{load_after:.1f} after ({os.cpu_count()} cores); CPU {cpu:.1f} s here"
        + (f" + {server:.1f} s in the PostgreSQL backend" if server else "")
    )
    print(
        json.dumps(
            {
                "bench": "generate",
                "size": SIZE,
                "database": connection.vendor,
                "seconds": round(seconds, 1),
                "cpu_seconds": round(cpu, 1),
                "server_cpu_seconds": round(server, 1),
                "baseline_seconds": round(baseline, 3),
                "ratios": {"vs_bare_insert": round(seconds / baseline, 1)},
                "load": [round(load_before, 2), round(load_after, 2)],
                "cores": os.cpu_count(),
            }
        )
    )


def main() -> None:
    if DATABASE == "postgresql":
        with postgresql() as url:
            run(url)
        return
    workdir = tempfile.mkdtemp(prefix="selfdirect-bench-")
    try:
        run(f"sqlite:///{workdir}/bench.sqlite3")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
