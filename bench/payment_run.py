"""Benchmark: a payment run of N budgets (default 100,000) of mixed ways of holding, on
SQLite and on PostgreSQL, against a bare bulk insert of the same number of postings into
the same database, measured in the same run.

The council is built directly in bulk (not by generate_demo): two finance officers, N
people each with an approved plan of one weekly line (direct payment, managed account, ISF
or third party in turn; one in five also part-funded by the NHS), one in three with an
assessed contribution, and a four-weekly schedule anchored on 6 April 2026. The run for
April 2026 is prepared and approved (timed apart), then executed (timed: the figure), then
``ledger_check`` must find the ledger balanced with every budget paid exactly once. Peak
memory is the process's peak resident size (``getrusage``), the build included.

Each database runs in a child process of its own (BENCH_CHILD=1, DATABASE_URL set);
PostgreSQL is a throwaway cluster started as bench/generate.py starts it. BENCH_DATABASES
(default "sqlite,postgresql") chooses. BENCH_BUILD_ONLY=1 with DATABASE_URL builds the
council and stops (the crash test uses it). BENCH_PROFILE=path writes a cProfile of the
run (not of the build) to path.sqlite / path.postgresql; BENCH_BATCH sets the run's
batch size (default the service's).

Last line is JSON: {"bench": "payment_run", "size": N, "seconds": S, "peak_mib": M,
"ratios": {"vs_bulk_insert": R}, "database": the slower, "databases": {each: figures}}.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfdirect.settings")
SIZE = int(os.environ.get("BENCH_SIZE", "100000"))
PERIOD = "2026-04"
OFFICERS = ("bench-finance-1", "bench-finance-2")
WAYS = ("direct_payment", "managed_account", "isf", "third_party")


def build(size: int) -> None:
    """The council of ``size`` budgets, in bulk."""
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from selfdirect.access.models import Profile
    from selfdirect.allocation.models import Allocation
    from selfdirect.allocation.services import ras_versions_install_defaults
    from selfdirect.assessment.models import Assessment
    from selfdirect.assessment.services import questionnaires_install_defaults
    from selfdirect.payments.models import PaymentSchedule
    from selfdirect.people.models import Person
    from selfdirect.planning.models import AssessedContribution, PlanLine, SupportPlan

    questionnaires_install_defaults()
    ras = ras_versions_install_defaults()[0]
    officers = []
    for username in OFFICERS:
        user, _ = User.objects.get_or_create(username=username)
        Profile.objects.get_or_create(user=user, defaults={"roles": ["finance"]})
        officers.append(user)
    batch = 5000
    with transaction.atomic():
        start = Person.objects.count()
        Person.objects.bulk_create(
            [
                Person(
                    la_person_id=f"PR{start + i:07d}",
                    given_name="Pay",
                    family_name=f"Budget{i}",
                    search_name=f"pay budget{i}",
                    date_of_birth=dt.date(1960, 1, 1) + dt.timedelta(days=i % 9000),
                )
                for i in range(size)
            ],
            batch_size=batch,
        )
        people = list(Person.objects.order_by("-pk").values_list("pk", flat=True)[:size])[::-1]
        anchor = Person.objects.get(pk=people[0])
        assessment = Assessment.objects.create(
            person=anchor,
            version=ras.questionnaire_version,
            mode="practitioner",
            started_by=officers[0],
        )
        allocation = Allocation.objects.create(
            person=anchor,
            assessment=assessment,
            ras_version=ras,
            ras_hash=ras.content_hash,
            inputs={},
            explanation={},
            indicative_weekly_pence=30000,
            indicative_annual_pence=30000 * 52,
            created_by=officers[0],
            status=Allocation.Status.APPROVED,
            agreed_weekly_pence=30000,
        )
        now = timezone.now()
        SupportPlan.objects.bulk_create(
            [
                SupportPlan(
                    person_id=pk,
                    allocation=allocation,
                    led_by="person",
                    starts_on=dt.date(2026, 1, 1),
                    status=SupportPlan.Status.APPROVED,
                    approved_at=now,
                    approved_by=officers[1],
                    created_by=officers[0],
                )
                for pk in people
            ],
            batch_size=batch,
        )
        plans = dict(
            SupportPlan.objects.filter(person_id__in=people[:1]).values_list("person_id", "pk")
        )
        first_plan = plans[people[0]]
        lines = []
        for i in range(len(people)):
            way = WAYS[i % len(WAYS)]
            plan_id = first_plan + i
            lines.append(
                PlanLine(
                    plan_id=plan_id,
                    description="Support",
                    category="personal_assistant",
                    unit="hour",
                    unit_cost_pence=1400 + i % 300,
                    quantity_hundredths=1000,
                    funding_stream="adult_social_care",
                    deployment=way,
                )
            )
            if i % 5 == 0:
                lines.append(
                    PlanLine(
                        plan_id=plan_id,
                        description="Health care",
                        category="health_care",
                        unit="week",
                        unit_cost_pence=2500,
                        quantity_hundredths=100,
                        funding_stream="nhs_chc",
                        deployment=way,
                    )
                )
        PlanLine.objects.bulk_create(lines, batch_size=batch)
        AssessedContribution.objects.bulk_create(
            [
                AssessedContribution(
                    person_id=pk,
                    weekly_pence=1000 + i % 2000,
                    effective_from=dt.date(2026, 1, 1),
                    source_reference=f"FA{i}",
                    recorded_by=officers[0],
                )
                for i, pk in enumerate(people)
                if i % 3 == 0
            ],
            batch_size=batch,
        )
        PaymentSchedule.objects.bulk_create(
            [
                PaymentSchedule(
                    person_id=pk,
                    deployment=WAYS[i % len(WAYS)],
                    frequency="four_weekly",
                    anchor_date=dt.date(2026, 4, 6),
                    starts_on=dt.date(2026, 1, 1),
                    payee_name=f"Payee {i}",
                    sort_code=f"{(i * 7919) % 1000000:06d}",
                    account_number=f"{(i * 104729) % 100000000:08d}",
                    created_by=officers[0],
                )
                for i, pk in enumerate(people)
            ],
            batch_size=batch,
        )


def bulk_insert_seconds(count: int) -> tuple[float, float, float]:
    """A bare bulk insert of the run's own postings again (the same ``count`` rows: the
    same transactions, accounts, amounts and dates, so the indexes see the same keys),
    built before the clock starts and rolled back: the least those postings must cost on
    this database. Multi-row INSERTs of 1,000 rows (the ledger's batch writer uses them on
    SQLite) and, on PostgreSQL, one COPY (the batch writer's way there): the faster of the
    two is the first figure; the second is Django's ``bulk_create`` of the same rows.

    The postings' foreign keys are checked inside the timing, as the run's are: SQLite
    checks each row as it goes in; PostgreSQL checks Django's deferred foreign keys at
    commit, which a rolled-back insert never reaches, so the bare inserts there run with
    ``SET CONSTRAINTS ALL IMMEDIATE`` (decision 0036). The third figure is the faster bare
    insert without that (unchecked on PostgreSQL, as this bench measured before)."""
    from django.db import connection, transaction

    from selfdirect.ledger.models import Posting

    rows = [
        (t, a, p, connection.ops.adapt_datefield_value(d))
        for t, a, p, d in Posting.objects.order_by("pk").values_list(
            "transaction_id", "account_id", "amount_pence", "effective_date"
        )
    ]
    assert len(rows) == count
    one = "(%s, %s, %s, %s)"
    postgresql = connection.vendor == "postgresql"

    def checked(cursor: Any, check: bool) -> None:
        if check and postgresql:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def multirow(check: bool) -> float:
        with transaction.atomic(), connection.cursor() as cursor:
            checked(cursor, check)
            started = time.perf_counter()
            for start in range(0, count, 1000):
                part = rows[start : start + 1000]
                cursor.execute(
                    "INSERT INTO ledger_posting (transaction_id, account_id, amount_pence, "
                    "effective_date) VALUES " + ", ".join([one] * len(part)),
                    [value for row in part for value in row],
                )
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        return seconds

    def copied(check: bool) -> float:
        # COPY of the same rows: the run's batch writer uses it on PostgreSQL, so it is a
        # bare way too (and the fastest there).
        if not postgresql:
            return float("inf")
        with transaction.atomic(), connection.cursor() as cursor:
            checked(cursor, check)
            started = time.perf_counter()
            with cursor.copy(
                "COPY ledger_posting (transaction_id, account_id, amount_pence, "
                "effective_date) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        return seconds

    fastest = min(multirow(True), copied(True))
    unchecked = min(multirow(False), copied(False)) if postgresql else fastest
    objects = [
        Posting(transaction_id=t, account_id=a, amount_pence=p, effective_date=dt.date(2026, 4, 6))
        for t, a, p, _ in rows
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        checked(cursor, True)
        started = time.perf_counter()
        Posting.objects.bulk_create(objects, batch_size=1000)
        orm = time.perf_counter() - started
        transaction.set_rollback(True)
    return fastest, orm, unchecked


def child() -> dict[str, Any]:
    """Build, run and measure on DATABASE_URL; print and return the figures."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from selfdirect.ledger.checks import ledger_check
    from selfdirect.ledger.models import PeriodPayment, Posting
    from selfdirect.payments import services

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build(SIZE)
    build_seconds = time.perf_counter() - started
    if os.environ.get("BENCH_BUILD_ONLY") == "1":
        print(json.dumps({"built": SIZE, "seconds": round(build_seconds, 1)}))
        return {}
    first, second = (User.objects.get(username=u) for u in OFFICERS)
    started = time.perf_counter()
    run = services.run_prepare(actor=first, period=PERIOD, frequency="four_weekly")
    prepare_seconds = time.perf_counter() - started
    services.run_approve(actor=second, run=run)
    load_before = os.getloadavg()[0]
    profile_to = os.environ.get("BENCH_PROFILE")
    profiler = None
    if profile_to:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    batch = int(os.environ.get("BENCH_BATCH") or services.BATCH_SIZE)
    # How many database connections pay the batches (PostgreSQL: two by default).
    connections_paying = services._workers(-(-SIZE // batch))
    started = time.perf_counter()
    result = services.run_execute(run_id=run.pk, batch_size=batch)
    seconds = time.perf_counter() - started
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(f"{profile_to}.{connection.vendor}")
    load_after = os.getloadavg()[0]
    postings = Posting.objects.count()
    baseline, orm_baseline, unchecked = bulk_insert_seconds(postings)
    report = ledger_check()
    paid_once = PeriodPayment.objects.filter(released_by__isnull=True).count() == SIZE
    assert report.balanced and not report.problems and paid_once, report.as_dict()
    assert result.paid == SIZE, result
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "database": connection.vendor,
        "seconds": round(seconds, 2),
        "peak_mib": round(peak_mib),
        "postings": postings,
        "bulk_insert_seconds": round(baseline, 2),
        "bulk_create_seconds": round(orm_baseline, 2),
        # Against the faster of the two bare inserts: the honest floor on this database.
        "vs_bulk_insert": round(seconds / min(baseline, orm_baseline), 2),
        # Against the bare insert whose foreign keys were never checked (PostgreSQL's
        # deferred checks skipped by the rollback): the stricter figure.
        "bulk_insert_unchecked_seconds": round(unchecked, 2),
        "vs_bulk_insert_unchecked": round(seconds / unchecked, 2),
        "connections": connections_paying,
        "batch": batch,
        "prepare_seconds": round(prepare_seconds, 1),
        "build_seconds": round(build_seconds, 1),
        "paid_pence": result.paid_pence,
        "load": [round(load_before, 2), round(load_after, 2)],
    }
    print(
        f"{SIZE:,} budgets paid on {connection.vendor} in {seconds:.2f} s "
        f"({postings:,} postings; a bare bulk insert of them {min(baseline, orm_baseline):.2f} s, "
        f"{seconds / min(baseline, orm_baseline):.2f}×); prepared in {prepare_seconds:.1f} s; peak {peak_mib:.0f} MiB"
    )
    print(json.dumps(figures))
    return figures


def on(database: str) -> dict[str, Any]:
    """Run the child on a fresh database of the kind; its figures."""
    from bench.generate import postgresql

    env = {**os.environ, "BENCH_CHILD": "1"}
    if database == "postgresql":
        with postgresql() as url:
            out = subprocess.run(
                [sys.executable, __file__],
                env={**env, "DATABASE_URL": url},
                capture_output=True,
                text=True,
                check=False,
            )
    else:
        workdir = tempfile.mkdtemp(prefix="selfdirect-bench-")
        try:
            out = subprocess.run(
                [sys.executable, __file__],
                env={**env, "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3"},
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    if out.returncode != 0:
        raise SystemExit(f"{database}: {out.stderr[-3000:]}")
    print(out.stdout.rstrip().splitlines()[-2])
    return dict(json.loads(out.stdout.rstrip().splitlines()[-1]))


def main() -> None:
    if os.environ.get("BENCH_CHILD") == "1" or os.environ.get("BENCH_BUILD_ONLY") == "1":
        child()
        return
    databases = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
    figures = {database: on(database) for database in databases}
    slower = max(figures, key=lambda d: figures[d]["seconds"])
    print(
        json.dumps(
            {
                "bench": "payment_run",
                "size": SIZE,
                "seconds": figures[slower]["seconds"],
                "peak_mib": figures[slower]["peak_mib"],
                "ratios": {"vs_bulk_insert": figures[slower]["vs_bulk_insert"]},
                "database": slower,
                "databases": figures,
                "cores": os.cpu_count(),
            }
        )
    )


if __name__ == "__main__":
    main()
