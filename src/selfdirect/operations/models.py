"""Background jobs the app owns (decision 0017): who started one, what it is, where it is
(queued, running with progress, done with its result, failed with a reason), and the
workers' heartbeats. The task queue itself (django-tasks' backend) only carries the job's id."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    """One piece of long work started by a user. Only its starter sees it."""

    kind = models.CharField(max_length=40)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whose record the job is about, when it is about one person's (the audit names them).
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # The file made, relative to SELFDIRECT_JOB_FILES_DIR, and the name it downloads as.
    result_file = models.CharField(max_length=300, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_summary = models.TextField(blank=True)
    # In plain English for the user; the traceback goes to the log only.
    failure_reason = models.TextField(blank=True)
    # Row-by-row problems (an import): [{"row": 3, "column": "nhs_number", "message": "..."}].
    problems = models.JSONField(default=list, blank=True)
    # Starting the same work again while it is queued or running gives the same job.
    idempotency_key = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    worker_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(status__in=["queued", "running"]),
                name="operations_job_one_active_per_key",
            ),
            models.CheckConstraint(
                condition=Q(progress_done__lte=models.F("progress_total")) | Q(progress_total=0),
                name="operations_job_progress_within_total",
            ),
        ]
        indexes = [models.Index(fields=["started_by", "-created_at"], name="operations_job_owner")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


class WorkerHeartbeat(models.Model):
    """A running worker process writes ``beat_at`` every few seconds from a thread of its
    own, so a long job does not make it look dead."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.hostname}"
