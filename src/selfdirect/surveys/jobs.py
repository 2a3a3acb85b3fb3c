"""A campaign's invitations as a background job when there are many (decision 0017): the
job calls ``invitations_create``, which is idempotent, so a retry makes nothing twice."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from selfdirect.operations.jobs import Progress, job_kind_register, job_start, job_succeed
from selfdirect.operations.models import Job

SURVEY_INVITATIONS = "survey_invitations"


def invitations_job_start(*, actor: User, campaign_id: int, name: str) -> Job:
    return job_start(
        actor=actor,
        kind=SURVEY_INVITATIONS,
        title=f"Invite people to the survey campaign {name}",
        params={"campaign_id": campaign_id},
    )


def survey_invitations_job(job: Job, progress: Progress) -> None:
    from selfdirect.surveys.campaigns import invitations_create
    from selfdirect.surveys.models import Campaign

    with transaction.atomic():
        campaign = Campaign.objects.get(pk=int(job.params["campaign_id"]))
        made = invitations_create(actor=job.started_by, campaign=campaign, progress=progress.set)
        job_succeed(job=job, summary=f"Invited {made} people to {campaign.name}")


def register() -> None:
    job_kind_register(SURVEY_INVITATIONS, survey_invitations_job)
