"""The pages of background jobs: your jobs, one job's status, and its result to download.
Each job is seen by its starter only (``selectors``); the pages never refresh themselves
(a screen reader would lose its place): a "Check again" link reloads the page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from selfdirect.access.selectors import acting_user
from selfdirect.audit.services import looks_record
from selfdirect.operations.jobs import job_file_path
from selfdirect.operations.selectors import JOB_LIST_SIZE, job_get_for, job_list_for
from selfdirect.operations.services import job_download_record, job_look_record

RESULT_GONE = "The file made by this job is no longer kept. Start the job again to make it again."


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """Your background jobs, newest first."""
    user = acting_user(request.user)
    jobs = list(job_list_for(user)[:JOB_LIST_SIZE])
    looks_record(
        actor=user, people=[j.person_id for j in jobs], summary="Listed in your background jobs"
    )
    return render(request, "operations/job_list.html", {"jobs": jobs, "nav": "home"})


@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """Where one job is: queued, running (with progress), done (with its result) or failed
    (with the reason, and the rows' problems for an import)."""
    user = acting_user(request.user)
    job = job_get_for(user, job_id)
    job_look_record(actor=user, job=job)
    percent = round(100 * job.progress_done / job.progress_total) if job.progress_total else None
    return render(
        request,
        "operations/job_detail.html",
        {
            "job": job,
            "percent": percent,
            "has_file": job_file_path(job) is not None,
            "result_gone": RESULT_GONE,
            "nav": "home",
        },
    )


@login_required
def job_download(request: HttpRequest, job_id: int) -> HttpResponse | FileResponse:
    """The file the job made, for its starter only; each download is audited."""
    user = acting_user(request.user)
    job = job_get_for(user, job_id)
    path = job_file_path(job) if job.status == "done" else None
    if path is None:
        return render(
            request,
            "operations/job_detail.html",
            {"job": job, "has_file": False, "result_gone": RESULT_GONE, "nav": "home"},
            status=404,
        )
    job_download_record(actor=user, job=job)
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name or path.name)
