"""Making a period's CLD return as a background job (decision 0017): the job keeps the
return (``cld_export_make``) and marks itself done in one transaction, so a crash keeps
nothing and a retry makes the return once; the job's page then links to the return."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from selfdirect.operations.jobs import JobRefused, Progress, job_kind_register, job_succeed
from selfdirect.operations.models import Job
from selfdirect.returns.cld import Period, PeriodError, period_parse

CLD_EXPORT = "cld_export"
NEXT_LABEL = "Read the validation report and download the return"


def _period(job: Job) -> Period:
    try:
        return period_parse(f"{job.params['start']}:{job.params['end']}")
    except (KeyError, PeriodError) as bad:
        raise JobRefused(str(bad)) from bad


def cld_export_job(job: Job, progress: Progress) -> None:
    from selfdirect.returns.services import cld_export_make

    period = _period(job)
    again_after = job.params.get("again_after")
    progress.set(0, 1)
    with transaction.atomic():
        export = cld_export_make(
            period=period,
            actor=job.started_by,
            again_after=None if again_after is None else int(again_after),
            job_id=job.pk,
        )
        params = {
            **job.params,
            "next_url": reverse("returns:cld_export", args=[export.pk]),
            "next_label": NEXT_LABEL,
        }
        Job.objects.filter(pk=job.pk).update(params=params)
        job_succeed(
            job=job,
            summary=f"The Client Level Data return for {period} (version {export.version}): "
            f"{export.row_count} rows for {export.people_count} people; "
            f"{export.problem_count} items cannot be coded",
        )


def register() -> None:
    job_kind_register(CLD_EXPORT, cld_export_job)
