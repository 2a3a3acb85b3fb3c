"""Who may see a background job: the user who started it, and no one else (not the DPO nor
an administrator: a job's result is one officer's export of someone's personal data)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from selfdirect.audit.services import record_or_refused
from selfdirect.operations.models import Job

JOB_LIST_SIZE = 50


def job_list_for(user: User | AnonymousUser) -> QuerySet[Job]:
    """The user's own jobs, newest first."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(started_by_id=user.pk).order_by("-created_at", "-pk")


def job_get_for(user: User | AnonymousUser, job_id: int) -> Job:
    """The user's own job ``job_id``; anyone else's (or none): a recorded refusal and 404."""
    return record_or_refused(job_list_for(user), actor=user, object_id=job_id)
