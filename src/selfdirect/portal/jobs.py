"""The data protection officer's exports as background jobs: one person's or one member of
staff's audit trail (CSV), and one person's whole record (ZIP). Each writes its file
atomically (a re-run replaces it whole) and records its export event in the same
transaction as the job's "done", so a crash and a retry record the export once."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO, TextIO

from django.contrib.auth.models import User
from django.db import transaction

from selfdirect.audit.exports import audit_trail_export_person, audit_trail_export_user
from selfdirect.audit.selectors import person_trail
from selfdirect.operations.jobs import (
    JobRefused,
    Progress,
    job_file_write,
    job_kind_register,
    job_succeed,
)
from selfdirect.operations.models import Job
from selfdirect.pdf import PdfUnavailable
from selfdirect.people.models import Person
from selfdirect.portal.record_export import person_record_export

AUDIT_TRAIL_PERSON = "audit_trail_person"
AUDIT_TRAIL_STAFF = "audit_trail_staff"
WHOLE_RECORD_EXPORT = "whole_record_export"
PERSON_GONE = "The person's record could not be found, so nothing was exported."
USER_GONE = "The member of staff could not be found, so nothing was exported."


def _csv_writer(export: Callable[[TextIO], int], counted: list[int]) -> Callable[[IO[bytes]], None]:
    """A writer of the CSV file that ``export`` writes, noting its row count in ``counted``."""

    def write(out: IO[bytes]) -> None:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        text.write("\ufeff")  # Excel needs the byte-order mark to read UTF-8
        counted.append(export(text))
        text.detach()

    return write


def _csv_job(
    job: Job, *, name: str, export: Callable[[TextIO], int], summary: Callable[[int], str]
) -> None:
    """Write one CSV export as the job's file and finish the job, in one transaction (a
    re-run replaces the file whole, decision 0017)."""
    counted: list[int] = []
    with transaction.atomic():
        path = job_file_write(job=job, name=name, write=_csv_writer(export, counted))
        job_succeed(job=job, summary=summary(counted[0]), result_file=path, result_name=name)


def audit_trail_person_run(job: Job, progress: Progress) -> None:
    person = Person.objects.filter(pk=job.params.get("person_id")).first()
    if person is None:
        raise JobRefused(PERSON_GONE)
    progress.set(0, person_trail(person_id=person.pk).count())
    _csv_job(
        job,
        name=f"audit-trail-{person.la_person_id}.csv",
        export=lambda out: audit_trail_export_person(actor=job.started_by, person=person, out=out),
        summary=lambda n: f"{n} events in the audit trail of {person.la_person_id}",
    )


def audit_trail_staff_run(job: Job, progress: Progress) -> None:
    staff = User.objects.filter(pk=job.params.get("user_id")).first()
    if staff is None:
        raise JobRefused(USER_GONE)
    _csv_job(
        job,
        name=f"audit-trail-user-{staff.get_username()}.csv",
        export=lambda out: audit_trail_export_user(actor=job.started_by, user=staff, out=out),
        summary=lambda n: f"{n} events by {staff.get_username()}",
    )


def whole_record_run(job: Job, progress: Progress) -> None:
    person = Person.objects.filter(pk=job.params.get("person_id")).first()
    if person is None:
        raise JobRefused(PERSON_GONE)
    name = f"record-{person.la_person_id}.zip"
    progress.set(0, 2)
    with transaction.atomic():
        try:
            export = person_record_export(actor=job.started_by, person=person)
        except PdfUnavailable as unavailable:
            raise JobRefused(str(unavailable)) from unavailable
        progress.set(1, 2)
        data = export.as_zip()
        path = job_file_write(job=job, name=name, write=lambda out: _write_bytes(out, data))
        job_succeed(
            job=job,
            summary=f"The whole record of {person.la_person_id} (record.json and summary.pdf)",
            result_file=path,
            result_name=name,
        )


def _write_bytes(out: IO[bytes], data: bytes) -> None:
    out.write(data)


def register() -> None:
    job_kind_register(AUDIT_TRAIL_PERSON, audit_trail_person_run)
    job_kind_register(AUDIT_TRAIL_STAFF, audit_trail_staff_run)
    job_kind_register(WHOLE_RECORD_EXPORT, whole_record_run)
