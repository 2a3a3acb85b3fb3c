"""Running queued background jobs in a test, as a worker would (without its loop)."""

from __future__ import annotations

from selfdirect.operations.jobs import job_execute
from selfdirect.operations.models import Job, JobStatus

TEST_WORKER = "test-worker"


def jobs_run_queued(worker_id: str = TEST_WORKER) -> list[str]:
    """Run every queued job once, oldest first; what each run said."""
    queued = Job.objects.filter(status=JobStatus.QUEUED).order_by("pk")
    return [
        job_execute(job_id=pk, worker_id=worker_id) for pk in queued.values_list("pk", flat=True)
    ]
