"""The pages of background jobs: the starter sees the status (progress as text, the result,
the reason) and downloads the file, audited; anyone else gets a 404 and a DENIED event.
And /healthz: the worker's heartbeat in the body, the web's status code from the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from selfdirect.audit.models import Action, Event
from selfdirect.audit.selectors import person_looks
from selfdirect.operations.jobs import job_file_path, worker_beat
from selfdirect.operations.models import Job, JobStatus, WorkerHeartbeat
from tests.jobs import jobs_run_queued

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def job_files(settings: Any, tmp_path: Path) -> Path:
    settings.SELFDIRECT_JOB_FILES_DIR = tmp_path
    return tmp_path


def _export_started(client: Any, council: Any) -> Job:
    client.force_login(council.users["dpo"])
    person = council.holder_person
    response = client.post(reverse("audit_trail:person_csv_start", args=[person.pk]))
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    return job


def test_the_dpo_exports_an_audit_trail_through_a_job_and_downloads_it(
    client: Any, council: Any
) -> None:
    job = _export_started(client, council)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Queued" in page and "Waiting for a worker to start it" in page
    assert "Check again" in page and 'http-equiv="refresh"' not in page
    assert jobs_run_queued() == ["done"]
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    reference = council.holder_person.la_person_id
    assert f"Audit trail of {reference} (CSV): done" in page
    assert f"Download audit-trail-{reference}.csv" in page
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="audit-trail-{reference}.csv"'
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.startswith("When (UTC),Action,")
    downloads = Event.objects.filter(action=Action.EXPORT, object_type="job_file")
    assert downloads.filter(actor=council.users["dpo"], person=council.holder_person).count() == 1
    looks = Event.objects.filter(
        action=Action.VIEW, object_type="job", person=council.holder_person
    )
    assert looks.filter(actor=council.users["dpo"]).count() == 2


def test_the_whole_record_export_runs_as_a_job(client: Any, council: Any) -> None:
    client.force_login(council.users["dpo"])
    person = council.holder_person
    client.post(reverse("audit_trail:person_record_start", args=[person.pk]))
    job = Job.objects.get()
    assert jobs_run_queued() in (["done"], ["failed"])  # failed only without the PDF library
    job.refresh_from_db()
    if job.status == JobStatus.FAILED:
        pytest.fail(f"the whole-record job failed: {job.failure_reason}")
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response["Content-Type"] == "application/zip"


@pytest.mark.parametrize("role", ["admin", "practitioner", "holder"])
def test_someone_elses_job_is_not_found_and_the_attempt_recorded(
    client: Any, council: Any, role: str
) -> None:
    job = _export_started(client, council)
    jobs_run_queued()
    other = council.users[role]
    client.force_login(other)
    for name in ("jobs:detail", "jobs:download"):
        response = client.get(reverse(name, args=[job.pk]))
        assert response.status_code == 404
        assert council.holder_person.la_person_id not in response.content.decode()
    refused = Event.objects.filter(action=Action.DENIED, actor=other, object_type="job")
    assert refused.filter(person=council.holder_person).count() == 2
    assert not Event.objects.filter(action=Action.EXPORT, actor=other).exists()
    assert "You have not started any background jobs" in client.get("/jobs/").content.decode()


def test_the_list_shows_only_ones_own_jobs_and_records_the_people_named(
    client: Any, council: Any
) -> None:
    job = _export_started(client, council)
    page = client.get(reverse("jobs:list")).content.decode()
    assert job.title in page and reverse("jobs:detail", args=[job.pk]) in page
    looks = person_looks(person_id=council.holder_person.pk)  # one event for the list (0056)
    assert looks.filter(action=Action.VIEW, object_type="list", actor=council.users["dpo"]).exists()


def test_running_progress_is_text_and_a_failed_import_lists_row_and_column(
    client: Any, council: Any
) -> None:
    admin = council.users["admin"]
    job = Job.objects.create(
        kind="people_import",
        title="Import people from people.csv",
        started_by=admin,
        status=JobStatus.RUNNING,
        progress_done=1200,
        progress_total=4800,
        idempotency_key="p",
    )
    client.force_login(admin)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "1,200 of 4,800 done (25%)" in page
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED,
        failure_reason="1 problem found in people.csv: nothing was imported.",
        problems=[{"row": 7, "column": "nhs_number", "message": "Enter a real NHS number"}],
    )
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "The job failed" in page and "1 problem found in people.csv" in page
    assert ">7</td>" in page and ">nhs_number</td>" in page
    assert "Enter a real NHS number" in page and "Traceback" not in page


def test_a_job_whose_file_is_gone_says_so_instead_of_a_download(client: Any, council: Any) -> None:
    job = _export_started(client, council)
    jobs_run_queued()
    job.refresh_from_db()
    path = job_file_path(job)
    assert path is not None
    path.unlink()
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 404
    assert "no longer kept" in response.content.decode()


def test_healthz_reports_the_worker_without_changing_the_webs_status(
    client: Any, settings: Any
) -> None:
    def health(query: str = "") -> tuple[int, dict[str, str]]:
        response = client.get(reverse("healthz") + query)
        return response.status_code, response.json()

    assert health() == (200, {"status": "ok", "database": "ok", "worker": "stale"})
    assert health("?worker=1")[0] == 503
    worker_beat(worker_id="w1")
    assert health() == (200, {"status": "ok", "database": "ok", "worker": "ok"})
    assert health("?worker=1")[0] == 200
    stale = timezone.now() - timezone.timedelta(
        seconds=settings.SELFDIRECT_WORKER_STALE_SECONDS + 1
    )
    WorkerHeartbeat.objects.update(beat_at=stale)
    assert health()[1]["worker"] == "stale" and health()[0] == 200
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    assert health("?worker=1") == (200, {"status": "ok", "database": "ok", "worker": "external"})


def test_the_staff_audit_trail_export_runs_as_a_job(client: Any, council: Any) -> None:
    staff = council.users["practitioner"]
    client.force_login(council.users["dpo"])
    response = client.post(reverse("audit_trail:staff_csv_start", args=[staff.pk]))
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert jobs_run_queued() == ["done"]
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Disposition"].endswith('filename="audit-trail-user-practitioner.csv"')
    exported = Event.objects.filter(action=Action.EXPORT, object_type="audit_trail")
    assert list(exported.values_list("object_id", flat=True)) == [str(staff.pk)]


def test_healthz_stays_200_when_the_heartbeat_cannot_be_read(client: Any) -> None:
    """The database answers but the heartbeat table does not (not migrated yet)."""
    from unittest import mock

    from django.db import ProgrammingError

    with mock.patch(
        "selfdirect.operations.health.worker_state", side_effect=ProgrammingError("no table")
    ):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "unknown"}
