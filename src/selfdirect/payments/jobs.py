"""The payment run as a background job (decision 0017): the worker calls ``run_execute``,
the same code path as ``manage.py payment_run --execute``, with the job's progress."""

from __future__ import annotations

from selfdirect.money import pounds
from selfdirect.operations.jobs import JobRefused, Progress, job_kind_register, job_succeed
from selfdirect.operations.models import Job

PAYMENT_RUN = "payment_run"


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


def register() -> None:
    job_kind_register(PAYMENT_RUN, payment_run_job)
