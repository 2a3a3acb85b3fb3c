"""Audited looks at background jobs (starting and running them: ``jobs``)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record, look_record
from selfdirect.operations.models import Job


def job_look_record(*, actor: User | AnonymousUser, job: Job) -> None:
    """The starter saw the job's status page (a look at the person it is about, if any)."""
    look_record(
        actor=actor,
        record=job,
        person_id=job.person_id,
        summary=f"Background job {job.pk}: {job.title}"[:300],
    )


def job_download_record(*, actor: User | AnonymousUser, job: Job) -> None:
    """The starter downloaded the job's file."""
    event_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="job_file",
        object_id=job.pk,
        person_id=job.person_id,
        summary=f"Downloaded {job.result_name} made by background job {job.pk}"[:300],
    )
