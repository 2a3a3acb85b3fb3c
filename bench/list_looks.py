"""Benchmark: one list look (``audit.services.looks_record``) of 150 people, in process,
and reading one person's log of looks afterwards, against a fresh database of its own.

Run it on the code of any tree, to compare before and after decision 0056:

    .venv/bin/python bench/list_looks.py                       # this tree, SQLite in /tmp
    .venv/bin/python bench/list_looks.py --src /work/main/src  # another tree's code
    scripts/with-postgres.sh .venv/bin/python bench/list_looks.py   # PostgreSQL

On PostgreSQL it makes its own database (``bench_list_looks``) in the cluster of
``DATABASE_URL``. Each list look is timed from the call to its commit, which is how long
the chain's lock is held (every other page's look waits for it). Then one person's "who
has looked" page is read as the portal reads it: the count, and the newest 25.

Last line is JSON: {"bench": "list_looks", "database": ..., "people": 150, "looks": N,
"write_p50_ms": ..., "write_p95_ms": ..., "rows_per_look": ..., "read_p50_ms": ...,
"read_p95_ms": ..., "load": [1-minute load average before, after]}
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        folder = tempfile.mkdtemp(prefix="list-looks-")
        return f"sqlite:///{folder}/bench.sqlite3"
    import psycopg

    parts = urlsplit(url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(
        maintenance.replace("postgres://", "postgresql://"), autocommit=True
    ) as db:
        db.execute("DROP DATABASE IF EXISTS bench_list_looks")
        db.execute("CREATE DATABASE bench_list_looks")
    return urlunsplit(parts._replace(path="/bench_list_looks"))


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(len(values) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", default=str(ROOT / "src"), help="the code to time")
    parser.add_argument("--people", type=int, default=150)
    parser.add_argument("--looks", type=int, default=200)
    parser.add_argument("--explain", action="store_true", help="print the read's plan")
    parser.add_argument(
        "--noise", type=int, default=0, help="events about no one written first (a big log)"
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = _database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfdirect.settings")
    sys.dont_write_bytecode = True  # never write into another tree
    sys.path.insert(0, args.src)
    load_before = os.getloadavg()[0]

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from selfdirect.audit.models import Event
    from selfdirect.audit.selectors import person_looks
    from selfdirect.audit.services import look_record, looks_record
    from selfdirect.people.models import Person

    call_command("migrate", verbosity=0)
    actor = User.objects.create(username="bench-practitioner")
    people = Person.objects.bulk_create(
        Person(
            la_person_id=f"B{n:07d}",
            given_name="Bench",
            family_name=f"Person{n}",
            search_name=f"bench person{n}",
            date_of_birth=dt.date(1950, 1, 1),
        )
        for n in range(args.people)
    )
    ids = list(Person.objects.order_by("id").values_list("pk", flat=True))
    from selfdirect.audit.models import Action
    from selfdirect.audit.services import events_record_bulk

    for start in range(0, args.noise, 20000):
        events_record_bulk(
            [
                Event(action=Action.SIGN_IN, object_type="user", summary=f"noise {n}")
                for n in range(start, min(start + 20000, args.noise))
            ]
        )
    writes: list[float] = []
    for n in range(args.looks):
        started = time.perf_counter()
        looks_record(actor=actor, people=ids, summary="Appeared in the review queue")
        writes.append((time.perf_counter() - started) * 1000)
        if n % 10 == 0:  # the person's own pages are looked at too
            look_record(actor=actor, record=people[0], summary="Record: summary")
    events = Event.objects.count() - args.noise
    reads: list[float] = []
    for _ in range(30):
        started = time.perf_counter()
        looks = person_looks(person_id=ids[0])
        total = looks.count()
        page = list(looks[:25])
        reads.append((time.perf_counter() - started) * 1000)
    if args.explain:
        sql, params = person_looks(person_id=ids[0])[:25].query.sql_with_params()
        with connection.cursor() as cursor:
            prefix = (
                "EXPLAIN ANALYZE" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
            )
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")
            cursor.execute(f"{prefix} {sql}", params)
            print("\n".join(str(row[-1]) for row in cursor.fetchall()), file=sys.stderr)
    assert total == args.looks + len(range(0, args.looks, 10)) and len(page) == min(25, total)
    result: dict[str, Any] = {
        "bench": "list_looks",
        "src": args.src,
        "database": connection.vendor,
        "people": args.people,
        "looks": args.looks,
        "events": events,
        "write_p50_ms": round(statistics.median(writes), 2),
        "write_p95_ms": round(_p95(writes), 2),
        "read_p50_ms": round(statistics.median(reads), 2),
        "read_p95_ms": round(_p95(reads), 2),
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
