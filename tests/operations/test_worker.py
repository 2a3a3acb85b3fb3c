"""The real worker command against the database backend: a job started from the page is
enqueued through django-tasks when the transaction commits, and ``run_worker`` runs it,
beating its heartbeat and taking back a dead worker's job on its way in."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from selfdirect.operations.models import Job, JobStatus, WorkerHeartbeat
from tests.conftest import council_build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def audit_flush_allowed(transactional_db: Any) -> Iterator[None]:
    """Committed data, emptied after the test: on SQLite the append-only audit trigger
    permits that only while ``audit_maintenance`` has a row (as tests/browser do)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_maintenance")
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO audit_maintenance (reason) VALUES ('test flush')")


def test_run_worker_runs_a_job_enqueued_by_the_page_and_takes_back_a_dead_workers(
    client: Any, audit_flush_allowed: None, settings: Any, tmp_path: Path
) -> None:
    council = council_build()
    settings.SELFDIRECT_JOB_FILES_DIR = tmp_path
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    client.force_login(council.users["dpo"])
    client.post(reverse("audit_trail:person_csv_start", args=[council.holder_person.pk]))
    job = Job.objects.get()
    task = DBTaskResult.objects.get()  # enqueued on commit, through the real backend
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert job.task_id == str(task.id)
    # A job a worker that died left running (no heartbeat at all).
    orphan = Job.objects.create(
        kind="audit_trail_staff",
        title="Left running",
        started_by=council.users["dpo"],
        params={"user_id": council.users["practitioner"].pk},
        status=JobStatus.RUNNING,
        worker_id="died",
        attempts=1,
        idempotency_key="orphan",
    )
    out = io.StringIO()
    call_command(
        "run_worker", "--batch", "--no-startup-delay", "--interval", "0", "--verbosity", "0",
        stdout=out,
    )  # fmt: skip
    for each in (job, orphan):
        each.refresh_from_db()
        assert each.status == JobStatus.DONE, each.failure_reason
        assert (tmp_path / each.result_file).is_file()
    assert orphan.attempts == 2
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert not WorkerHeartbeat.objects.exists()  # a worker that stops says so


def test_a_worker_busy_with_a_long_job_does_not_look_stale(
    audit_flush_allowed: None, settings: Any
) -> None:
    """The heartbeat is a thread of its own: a job longer than the stale time does not make
    /healthz say the worker is stale (and the web's answer never flaps on it)."""
    import time

    from selfdirect.operations.health import worker_state
    from selfdirect.operations.jobs import Progress, job_kind_register, job_start, job_succeed

    settings.SELFDIRECT_WORKER_STALE_SECONDS = 2  # a beat every second
    seen: list[str] = []

    def slow(job: Job, progress: Progress) -> None:
        for _ in range(4):  # twice the stale time
            time.sleep(1)
            seen.append(worker_state())
        job_succeed(job=job, summary="slow done")

    job_kind_register("test_slow", slow)
    council = council_build()
    job = job_start(actor=council.users["admin"], kind="test_slow", title="Slow", params={})
    call_command("run_worker", "--batch", "--no-startup-delay", "--interval", "0", "-v", "0")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert seen == ["ok"] * 4
