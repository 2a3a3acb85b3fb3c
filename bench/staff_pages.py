"""Benchmark: the staff pages whose cost should follow a team's caseload, one user, in
process, against the database in ``DATABASE_URL`` (the bench/load.py council: PostgreSQL
at 100,000 people, with its bench accounts in ``BENCH_USERS``, default
var/bench-pg/bench-users.json).

Times a practitioner's home page and review queue, a two-team manager's home page and
review queue, and an API client's plans list; for each, the number of queries and the
time spent in the database. Start the cluster as bench/load.py does (or run bench/load.py
once and point ``DATABASE_URL`` at its socket).

Last line is JSON: {"bench": "staff_pages", "p50_ms": {...}, "p95_ms": {...},
"queries": {...}, "db_ms": {...}, "load": 1-minute load average before and after}
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfdirect.settings")
REPEATS = int(os.environ.get("BENCH_REPEATS", "20"))
USERS = Path(os.environ.get("BENCH_USERS", ROOT / "var" / "bench-pg" / "bench-users.json"))


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 2 else samples[0]


def main() -> None:
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("set DATABASE_URL to the bench council (see the docstring)")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from selfdirect.access.two_factor import app_device

    logging.getLogger("selfdirect.request").setLevel(logging.WARNING)
    settings.ALLOWED_HOSTS = ["testserver"]
    accounts = json.loads(USERS.read_text())["accounts"]
    practitioner = accounts["practitioner"][0]["username"]
    manager = accounts["manager"][0]["username"]
    token = accounts["api"][0]["token"]
    pages: dict[str, tuple[str | None, str]] = {
        "practitioner home": (practitioner, "/home/"),
        "practitioner review queue": (practitioner, "/plans/reviews/"),
        "manager home (two teams)": (manager, "/home/"),
        "manager review queue (two teams)": (manager, "/plans/reviews/"),
        "API plans list": (None, "/api/v1/plans"),
    }
    load_before = os.getloadavg()[0]
    p50: dict[str, float] = {}
    p95: dict[str, float] = {}
    queries: dict[str, int] = {}
    db_ms: dict[str, float] = {}
    for label, (username, url) in pages.items():
        client = Client()
        headers: dict[str, Any] = {}
        if username is None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        else:
            account = User.objects.get(username=username)
            client.force_login(account)
            device = app_device(account)
            if device is not None:  # signed in with the authenticator app, as in production
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                session.save()
        client.get(url, **headers)  # warm up
        samples, db = [], []
        count = 0
        for _ in range(REPEATS):
            spent = [0.0, 0]

            def timed(
                execute: Any, sql: str, params: Any, many: bool, context: Any, spent: Any = spent
            ) -> Any:
                started = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    spent[0] += time.perf_counter() - started
                    spent[1] += 1

            started = time.perf_counter()
            with connection.execute_wrapper(timed):
                response = client.get(url, **headers)
            samples.append(time.perf_counter() - started)
            db.append(spent[0])
            count = int(spent[1])
            assert response.status_code == 200, (url, response.status_code)
        p50[label] = round(statistics.median(samples) * 1000, 1)
        p95[label] = round(_p95(samples) * 1000, 1)
        db_ms[label] = round(statistics.median(db) * 1000, 1)
        queries[label] = count
        print(
            f"{label:35} p50 {p50[label]:7.1f} ms   p95 {p95[label]:7.1f} ms   "
            f"{count:3} queries, {db_ms[label]:6.1f} ms in the database (p50)"
        )
    print(
        json.dumps(
            {
                "bench": "staff_pages",
                "database": connection.vendor,
                "p50_ms": p50,
                "p95_ms": p95,
                "queries": queries,
                "db_ms": db_ms,
                "load": [round(load_before, 1), round(os.getloadavg()[0], 1)],
            }
        )
    )


if __name__ == "__main__":
    main()
