"""Background jobs: a retry after a crash does the work once, an export re-run replaces its
file whole, a dead worker's job is taken back, a failing job stops with a plain reason."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from selfdirect.audit.models import Action, Event
from selfdirect.operations import jobs
from selfdirect.operations.jobs import (
    UNEXPECTED_ERROR,
    WORKER_STOPPED,
    job_execute,
    job_file_path,
    job_file_write,
    job_kind_register,
    job_start,
    jobs_recover,
)
from selfdirect.operations.models import Job, JobStatus, WorkerHeartbeat
from selfdirect.people import imports
from selfdirect.people.imports import people_import_start
from selfdirect.people.models import Person
from selfdirect.portal.jobs import AUDIT_TRAIL_PERSON
from tests.factories import nhs_number_for
from tests.jobs import TEST_WORKER, jobs_run_queued

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def job_files(settings: Any, tmp_path: Path) -> Path:
    settings.SELFDIRECT_JOB_FILES_DIR = tmp_path
    return tmp_path


ROWS = 6


class WorkerKilled(BaseException):
    """Stands for the worker process dying: not an Exception, so nothing catches it."""


def _people_csv(count: int = ROWS, *, bad_row: int | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["given_name", "family_name", "date_of_birth", "nhs_number"])
    for n in range(1, count + 1):
        family = "" if n == bad_row else f"Retry{n}"
        writer.writerow(["Sam", family, "1950-03-27", nhs_number_for(700_000 + n)])
    return out.getvalue().encode()


def _imported() -> int:
    return Person.objects.filter(family_name__startswith="Retry").count()


def _import_job(council: Any, data: bytes | None = None) -> Job:
    return people_import_start(
        actor=council.users["admin"], data=data or _people_csv(), filename="people.csv"
    )


def _dying_at(row: int, error: BaseException) -> Callable[..., Any]:
    """people_check that dies when it reaches ``row`` (as the user counts: header is 1)."""
    real = imports.people_check

    def check(header: list[str], rows: list[dict[str, str]], *, tick: Any = None) -> Any:
        def ticking(count: int) -> None:
            ticking.seen += count  # type: ignore[attr-defined]
            if ticking.seen + 1 >= row:  # type: ignore[attr-defined]
                raise error
            if tick is not None:
                tick(count)

        ticking.seen = 0  # type: ignore[attr-defined]
        return real(header, rows, tick=ticking)

    return check


def test_an_import_that_crashes_mid_way_imports_nothing_and_its_retry_imports_each_row_once(
    council: Any,
) -> None:
    job = _import_job(council)
    with mock.patch.object(imports, "people_check", _dying_at(4, RuntimeError("disk gone"))):
        assert job_execute(job_id=job.pk, worker_id=TEST_WORKER) == "queued again"
    job.refresh_from_db()
    assert (job.status, job.attempts, _imported()) == (JobStatus.QUEUED, 1, 0)
    assert job_execute(job_id=job.pk, worker_id=TEST_WORKER) == "done"
    assert _imported() == ROWS
    # The task delivered again (a retry after the commit): nothing happens twice.
    assert job_execute(job_id=job.pk, worker_id=TEST_WORKER) == "nothing to do"
    assert _imported() == ROWS
    imports_logged = Event.objects.filter(action=Action.IMPORT, object_type="person_import")
    assert imports_logged.count() == 1


def test_a_crash_after_the_rows_are_saved_but_before_done_rolls_the_rows_back(
    council: Any,
) -> None:
    """The effect and "done" commit together: dying between them leaves no rows."""
    job = _import_job(council)
    with (
        mock.patch.object(imports, "job_succeed", side_effect=RuntimeError("killed")),
        mock.patch.object(jobs.logger, "exception"),
    ):
        job_execute(job_id=job.pk, worker_id=TEST_WORKER)
    assert _imported() == 0
    jobs_run_queued()
    assert _imported() == ROWS


def test_a_job_left_running_by_a_dead_worker_is_taken_back_and_done_once(
    council: Any, settings: Any
) -> None:
    job = _import_job(council)
    with (
        mock.patch.object(imports, "people_check", _dying_at(3, WorkerKilled())),
        pytest.raises(WorkerKilled),
    ):
        job_execute(job_id=job.pk, worker_id="dead-worker")
    job.refresh_from_db()
    assert (job.status, job.worker_id, _imported()) == (JobStatus.RUNNING, "dead-worker", 0)
    # While its heartbeat is fresh, no other worker touches its job.
    jobs.worker_beat(worker_id="dead-worker")
    jobs.worker_beat(worker_id=TEST_WORKER)
    assert jobs_recover() == 0
    assert job_execute(job_id=job.pk, worker_id=TEST_WORKER) == "running on another worker"
    # Its last heartbeat grows older than the stale time: the next worker takes the job back.
    old = timezone.now() - timezone.timedelta(seconds=settings.SELFDIRECT_WORKER_STALE_SECONDS + 1)
    WorkerHeartbeat.objects.filter(worker_id="dead-worker").update(beat_at=old)
    assert jobs_recover() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert jobs_run_queued() == ["done"]
    assert _imported() == ROWS


def test_a_running_job_of_a_live_worker_is_not_taken_back(council: Any) -> None:
    job = _import_job(council)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, worker_id="busy", attempts=1)
    jobs.worker_beat(worker_id="busy")
    assert jobs_recover() == 0
    assert job_execute(job_id=job.pk, worker_id=TEST_WORKER) == "running on another worker"
    assert Job.objects.get(pk=job.pk).worker_id == "busy"


def test_a_job_whose_worker_keeps_dying_fails_with_a_reason_after_its_attempts(
    council: Any, settings: Any
) -> None:
    settings.SELFDIRECT_JOB_MAX_ATTEMPTS = 2
    job = _import_job(council)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, worker_id="gone", attempts=2)
    assert jobs_recover() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.failure_reason == WORKER_STOPPED.format(attempts=2, job_id=job.pk)
    assert jobs_run_queued() == []  # not queued again


def test_a_failing_job_stops_after_its_attempts_with_a_plain_reason_and_no_traceback(
    council: Any, settings: Any, caplog: Any
) -> None:
    settings.SELFDIRECT_JOB_MAX_ATTEMPTS = 3
    calls: list[int] = []

    def broken(job: Job, progress: Any) -> None:
        calls.append(job.attempts)
        raise ZeroDivisionError("secret internals")

    job_kind_register("test_broken", broken)
    job = job_start(actor=council.users["admin"], kind="test_broken", title="Broken", params={})
    for _ in range(5):
        jobs_run_queued()
    job.refresh_from_db()
    assert calls == [1, 2, 3]
    assert job.status == JobStatus.FAILED
    assert job.failure_reason == UNEXPECTED_ERROR.format(attempts=3, job_id=job.pk)
    assert "ZeroDivisionError" not in job.failure_reason
    assert "ZeroDivisionError" in caplog.text  # the traceback is in the log


def test_an_import_with_bad_rows_fails_at_once_naming_each_row_and_column(council: Any) -> None:
    job = _import_job(council, _people_csv(bad_row=3))
    assert jobs_run_queued() == ["failed"]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == 1
    assert job.failure_reason.startswith("1 problem found in people.csv: nothing was imported")
    assert job.problems == [{"row": 4, "column": "family_name", "message": "Enter last name"}]
    assert _imported() == 0


def test_starting_the_same_work_twice_while_it_is_active_gives_the_same_job(
    council: Any,
) -> None:
    first, again = _import_job(council), _import_job(council)
    assert first.pk == again.pk
    assert Job.objects.count() == 1
    jobs_run_queued()
    # Once done, the same file may be imported again (a new job; its rows are refused as
    # already there, by the import's own rules).
    assert _import_job(council).pk != first.pk


def test_an_export_re_run_replaces_its_file_whole_and_records_one_export(council: Any) -> None:
    dpo, person = council.users["dpo"], council.holder_person
    job = job_start(
        actor=dpo,
        kind=AUDIT_TRAIL_PERSON,
        title="Audit trail",
        params={"person_id": person.pk},
        person_id=person.pk,
    )
    with mock.patch("selfdirect.portal.jobs.job_succeed", side_effect=RuntimeError("crash")):
        assert job_execute(job_id=job.pk, worker_id=TEST_WORKER) == "queued again"
    exports = Event.objects.filter(action=Action.EXPORT, object_type="audit_trail", person=person)
    assert exports.count() == 0  # rolled back with the crash; the file may be there
    assert jobs_run_queued() == ["done"]
    job.refresh_from_db()
    path = job_file_path(job)
    assert path is not None and path.name == f"audit-trail-{person.la_person_id}.csv"
    text = path.read_text(encoding="utf-8-sig")
    assert text.startswith("When (UTC),Action")
    assert exports.count() == 1
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".partial-")]


def test_a_file_write_that_dies_half_way_leaves_the_old_file_whole(council: Any) -> None:
    job = Job.objects.create(kind="x", title="x", idempotency_key="k", started_by=None)
    job_file_write(job=job, name="out.csv", write=lambda out: _write(out, b"old,whole\n"))

    def half(out: Any) -> None:
        out.write(b"new,ha")
        raise WorkerKilled

    with pytest.raises(WorkerKilled):
        job_file_write(job=job, name="out.csv", write=half)
    folder = Path(jobs.job_files_dir()) / str(job.pk)
    assert (folder / "out.csv").read_bytes() == b"old,whole\n"
    assert [p.name for p in folder.iterdir()] == ["out.csv"]


def _write(out: Any, data: bytes) -> None:
    out.write(data)


def test_a_job_whose_task_was_never_sent_is_sent_by_the_next_recovery(
    council: Any, settings: Any
) -> None:
    """The process stopped between the job's commit and sending its task."""
    from django_tasks_db.models import DBTaskResult

    job = _import_job(council)  # in a test the on-commit send never happens
    assert (job.task_id, DBTaskResult.objects.count()) == ("", 0)
    assert jobs_recover() == 0  # a new job: its send may still be on its way
    old = timezone.now() - timezone.timedelta(seconds=settings.SELFDIRECT_WORKER_STALE_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(created_at=old)
    assert jobs_recover() == 1
    task = DBTaskResult.objects.get()
    assert Job.objects.get(pk=job.pk).task_id == str(task.id)
    assert task.args_kwargs["args"] == [job.pk]
    assert jobs_recover() == 0  # sent once
