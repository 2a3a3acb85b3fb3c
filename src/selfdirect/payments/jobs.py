"""The payment run as a background job (decision 0017): the worker calls ``run_execute``,
the same code path as ``manage.py payment_run --execute``, with the job's progress."""

from __future__ import annotations

from selfdirect.money import pounds
from selfdirect.operations.jobs import JobRefused, Progress, job_kind_register, job_succeed
from selfdirect.operations.models import Job

PAYMENT_RUN = "payment_run"
PAYMENT_FILES = "payment_files"
PAYMENT_CONTRIBUTIONS = "payment_contributions"


def payment_run_job(job: Job, progress: Progress) -> None:
    from selfdirect.payments.services import Execution, PaymentError, run_execute

    def finish(result: Execution) -> None:
        job_succeed(
            job=job,
            summary=f"Paid {result.paid} budgets, {pounds(result.paid_pence)}"
            + (f"; {result.skipped} were already paid for the period" if result.skipped else ""),
        )

    try:
        run_execute(run_id=int(job.params["run_id"]), progress=progress.set, on_finish=finish)
    except PaymentError as refused:
        raise JobRefused(str(refused)) from refused


def payment_files_job(job: Job, progress: Progress) -> None:
    """Make a paid run's bank files and mark the job done in one transaction: a crash
    before the commit keeps nothing, and the retry makes the same files once."""
    from django.db import transaction

    from selfdirect.payments.models import PaymentRun
    from selfdirect.payments.services import PaymentError, run_files_make

    try:
        with transaction.atomic():
            run = PaymentRun.objects.get(pk=int(job.params["run_id"]))
            made = run_files_make(run=run, job_id=job.pk)
            progress.set(1, 1)
            job_succeed(
                job=job,
                summary=f"Made the bank files of {run}: {made[0].payment_count} payments, "
                f"{pounds(made[0].total_pence)}",
            )
    except PaymentError as refused:
        raise JobRefused(str(refused)) from refused


def payment_contributions_job(job: Job, progress: Progress) -> None:
    """Post the contributions a paid run invoices: batches commit on their own (each charge
    marked with its posting), so a retry posts only the rest; then it marks itself done."""
    from django.db import transaction

    from selfdirect.payments.services import PaymentError, run_contributions_post

    try:
        posted, pence = run_contributions_post(
            run_id=int(job.params["run_id"]), progress=progress.set
        )
    except PaymentError as refused:
        raise JobRefused(str(refused)) from refused
    with transaction.atomic():
        job_succeed(job=job, summary=f"Posted {posted} contributions invoiced, {pounds(pence)}")


def register() -> None:
    job_kind_register(PAYMENT_RUN, payment_run_job)
    job_kind_register(PAYMENT_FILES, payment_files_job)
    job_kind_register(PAYMENT_CONTRIBUTIONS, payment_contributions_job)
