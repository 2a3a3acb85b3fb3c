"""Background jobs: start one (``job_start``), run it on a worker (``job_execute``, called by
the ``job_run`` task), report progress, finish it with its effect in one transaction
(``job_succeed``), and take back the jobs of a worker that died (``jobs_recover``).

The apps that own the work register a handler per kind (``job_kind_register`` from their
``AppConfig.ready``), so this module imports none of them. A handler reads its job's
``params``, calls ``progress.set`` as it goes, and calls ``job_succeed`` inside the same
transaction as its effect, so a crash before that commit leaves no effect and a re-run does
the whole job once. ``JobRefused`` ends the job as failed with a plain reason (no retry);
any other error is logged with its traceback and the job is tried again up to
``SELFDIRECT_JOB_MAX_ATTEMPTS`` times. Decision 0017."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import close_old_connections, connections, transaction
from django.utils import timezone
from django_tasks import task

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.operations.models import ACTIVE, Job, JobStatus, WorkerHeartbeat

logger = logging.getLogger("selfdirect.jobs")

UNEXPECTED_ERROR = (
    "The job stopped because of an unexpected error, {attempts} times. Nothing was changed by "
    "the attempt that failed. Start it again; if it fails again, tell the council's support "
    "team the job number {job_id}."
)
WORKER_STOPPED = (
    "The job stopped {attempts} times because the computer running it stopped. Nothing was "
    "changed by the attempt that failed. Start it again; if it fails again, tell the council's "
    "support team the job number {job_id}."
)
UNKNOWN_KIND = "This kind of job can no longer be run. Start the work again from its page."


class JobRefused(Exception):
    """The job cannot be done as asked: ``reason`` (plain English) and any row ``problems``
    are shown on its status page; it is not tried again."""

    def __init__(self, reason: str, problems: list[dict[str, Any]] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.problems = problems or []


class JobSuperseded(Exception):
    """Another attempt took the job over (its worker was thought dead): this attempt's
    effect is rolled back."""


Handler = Callable[[Job, "Progress"], None]
_KINDS: dict[str, Handler] = {}


def job_kind_register(kind: str, handler: Handler) -> None:
    """Let ``handler`` run jobs of ``kind`` (called from an app's ``ready``)."""
    _KINDS[kind] = handler


def job_kinds() -> frozenset[str]:
    return frozenset(_KINDS)


# --- starting -------------------------------------------------------------------------------


def idempotency_key_for(*, kind: str, user_id: int | None, params: dict[str, Any]) -> str:
    """The same work asked for by the same user: the same key."""
    text = json.dumps([kind, user_id, params], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def job_start(
    *,
    actor: User | AnonymousUser,
    kind: str,
    title: str,
    params: dict[str, Any],
    person_id: int | None = None,
    key: str | None = None,
) -> Job:
    """Queue a job for ``actor``, or give back the same work already queued or running
    (a second click, a resubmitted form). The task is sent when the transaction commits."""
    if kind not in _KINDS:
        raise ValueError(f"No handler for jobs of kind {kind!r}")
    user = actor if isinstance(actor, User) else None
    key = key or idempotency_key_for(kind=kind, user_id=user.pk if user else None, params=params)
    with transaction.atomic():
        existing = Job.objects.filter(idempotency_key=key, status__in=ACTIVE).first()
        if existing is not None:
            return existing
        job = Job.objects.create(
            kind=kind,
            title=title[:200],
            started_by=user,
            person_id=person_id,
            params=params,
            idempotency_key=key,
        )
        event_record(
            actor=actor,
            action=Action.CREATE,
            object_type="job",
            object_id=job.pk,
            person_id=person_id,
            summary=f"Started background job {job.pk}: {job.title}"[:300],
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    result = job_run.enqueue(job_id)
    Job.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


# --- running --------------------------------------------------------------------------------


def _worker_id_default() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}"


# Set by ``run_worker``; a backend that runs tasks elsewhere (RQ, immediate) gets host-pid.
current_worker_id: str = ""


@task()
def job_run(job_id: int) -> str:
    """The one task: run job ``job_id`` (the job record holds everything else)."""
    return job_execute(job_id=job_id, worker_id=current_worker_id or _worker_id_default())


@dataclass
class Progress:
    """Progress written as the job goes (at most about once a second, and at the end)."""

    job: Job
    _written_at: float = field(default=0.0)

    def set(self, done: int, total: int) -> None:
        done = min(done, total)
        self.job.progress_done, self.job.progress_total = done, total
        now = time.monotonic()
        if done < total and now - self._written_at < 1.0:
            return
        self._written_at = now
        Job.objects.filter(pk=self.job.pk).update(progress_done=done, progress_total=total)


def job_execute(*, job_id: int, worker_id: str) -> str:
    """Run one job to its end. A job that is done or failed is left alone (a task delivered
    twice does nothing twice); returns what happened, for the task's result."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in ACTIVE:
            return "nothing to do"
        if (
            job.status == JobStatus.RUNNING
            and job.worker_id != worker_id
            and worker_alive(job.worker_id)
        ):
            return "running on another worker"
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.worker_id = worker_id
        job.started_at = timezone.now()
        job.save(update_fields=["status", "attempts", "worker_id", "started_at"])
    handler = _KINDS.get(job.kind)
    try:
        if handler is None:
            raise JobRefused(UNKNOWN_KIND)
        handler(job, Progress(job))
    except JobRefused as refused:
        job_fail(job=job, reason=refused.reason, problems=refused.problems)
        return "failed"
    except JobSuperseded:
        return "taken over by another attempt"
    except Exception:
        logger.exception("background job %s (%s) raised", job.pk, job.kind)
        if job.attempts < settings.SELFDIRECT_JOB_MAX_ATTEMPTS:
            job_requeue(job=job)
            return "queued again"
        job_fail(job=job, reason=UNEXPECTED_ERROR.format(attempts=job.attempts, job_id=job.pk))
        return "failed"
    job.refresh_from_db()
    if job.status != JobStatus.DONE:  # a handler that forgot job_succeed: a bug, said plainly
        logger.error("background job %s (%s) ended without job_succeed", job.pk, job.kind)
        job_fail(job=job, reason=UNEXPECTED_ERROR.format(attempts=job.attempts, job_id=job.pk))
        return "failed"
    return "done"


def job_succeed(*, job: Job, summary: str, result_file: str = "", result_name: str = "") -> None:
    """Mark ``job`` done. Call it inside the transaction of the job's effect: the effect and
    "done" commit together or not at all. Raises JobSuperseded if this attempt no longer
    owns the job (its effect then rolls back)."""
    with transaction.atomic(savepoint=False):
        updated = Job.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, worker_id=job.worker_id, attempts=job.attempts
        ).update(
            status=JobStatus.DONE,
            result_summary=summary,
            result_file=result_file,
            result_name=result_name,
            failure_reason="",
            problems=[],
            finished_at=timezone.now(),
            progress_done=job.progress_total,
        )
        if updated != 1:
            raise JobSuperseded(job.pk)


def job_fail(*, job: Job, reason: str, problems: list[dict[str, Any]] | None = None) -> None:
    """End ``job`` as failed with ``reason`` for its starter (not tried again)."""
    with transaction.atomic():
        Job.objects.filter(pk=job.pk, status__in=ACTIVE).update(
            status=JobStatus.FAILED,
            failure_reason=reason,
            problems=problems or [],
            finished_at=timezone.now(),
        )
        event_record(
            actor=None,
            action=Action.UPDATE,
            object_type="job",
            object_id=job.pk,
            person_id=job.person_id,
            summary=f"Background job {job.pk} failed: {reason}"[:300],
        )


def job_requeue(*, job: Job) -> None:
    """Put ``job`` back in the queue for another attempt."""
    with transaction.atomic():
        Job.objects.filter(pk=job.pk, status__in=ACTIVE).update(
            status=JobStatus.QUEUED, worker_id="", progress_done=0, task_id=""
        )
        transaction.on_commit(lambda: _enqueue_again(job.pk))


def _enqueue_again(job_id: int) -> None:
    result = job_run.enqueue(job_id)
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


# --- files ----------------------------------------------------------------------------------


def job_files_dir() -> Path:
    return Path(settings.SELFDIRECT_JOB_FILES_DIR)


def job_file_write(*, job: Job, name: str, write: Callable[[IO[bytes]], None]) -> str:
    """Write the job's result file through ``write`` to a temporary file beside it, then
    move it into place in one step: a re-run replaces the file whole, never half.
    Returns the path relative to the job files folder."""
    folder = job_files_dir() / str(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".partial-")
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, folder / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return f"{job.pk}/{name}"


def job_file_path(job: Job) -> Path | None:
    """The job's result file on disk, if it has one and it is still there."""
    if not job.result_file:
        return None
    root = job_files_dir().resolve()
    path = (root / job.result_file).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


# --- workers --------------------------------------------------------------------------------


def stale_before() -> Any:
    return timezone.now() - timedelta(seconds=settings.SELFDIRECT_WORKER_STALE_SECONDS)


def worker_alive(worker_id: str) -> bool:
    return WorkerHeartbeat.objects.filter(worker_id=worker_id, beat_at__gte=stale_before()).exists()


def worker_beat(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "beat_at": timezone.now(),
            "hostname": socket.gethostname()[:200],
            "pid": os.getpid(),
        },
    )


def worker_gone(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def jobs_recover() -> int:
    """Take back the jobs left running by a worker whose heartbeat is stale: queue each
    again, or fail it once it has used its attempts. And send again the task of a job whose
    sending was lost (the process stopped between the job's commit and the send): a job
    queued for longer than the stale time with no task. Returns how many were taken back."""
    lost = Job.objects.filter(status=JobStatus.QUEUED, task_id="", created_at__lt=stale_before())
    lost_ids = list(lost.values_list("pk", flat=True))
    for job_id in lost_ids:
        logger.warning("background job %s: its task was never sent; sending it", job_id)
        _enqueue(job_id)
    alive = set(
        WorkerHeartbeat.objects.filter(beat_at__gte=stale_before()).values_list(
            "worker_id", flat=True
        )
    )
    taken = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING).exclude(worker_id__in=alive):
        logger.warning("background job %s: worker %s is gone", job.pk, job.worker_id)
        if job.attempts >= settings.SELFDIRECT_JOB_MAX_ATTEMPTS:
            job_fail(job=job, reason=WORKER_STOPPED.format(attempts=job.attempts, job_id=job.pk))
        else:
            job_requeue(job=job)
        taken += 1
    return taken + len(lost_ids)


class Heartbeat(threading.Thread):
    """Beats for the worker every few seconds, and takes back dead workers' jobs, in a
    thread of its own so a long job never makes its worker look dead."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="selfdirect-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.interval = max(1.0, settings.SELFDIRECT_WORKER_STALE_SECONDS / 4)
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                close_old_connections()
                worker_beat(worker_id=self.worker_id)
                jobs_recover()
            except Exception:  # the database is briefly away: beat again next time
                logger.exception("worker heartbeat failed")
            self.stopping.wait(self.interval)
        connections.close_all()  # this thread's own connections

    def stop(self) -> None:
        self.stopping.set()
