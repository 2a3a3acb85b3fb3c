"""Bank files made by a background job, once, and kept: paying a run queues the job; the job
stores the CSV and BACS files with their checksums; every download serves those bytes; made
again from the ledger they are the same bytes; a job that crashes before it commits keeps
nothing and its retry makes one set."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.operations.models import Job
from selfdirect.payments import jobs as payment_jobs
from selfdirect.payments import services
from selfdirect.payments.models import PaymentFile, PaymentRun
from tests.jobs import jobs_run_queued
from tests.payments.helpers import dp_schedule, finance_officers, paid_plan

pytestmark = pytest.mark.django_db


def _paid_run(council: Any) -> PaymentRun:
    paid_plan(council)
    dp_schedule(council)
    first, second = finance_officers(council)
    run = services.run_prepare(actor=first, period="2026-04", frequency="four_weekly")
    services.run_approve(actor=second, run=run)
    services.run_execute(run_id=run.pk)
    return run


def _finance(council: Any) -> Client:
    client = Client()
    client.force_login(council.users[Role.FINANCE])
    return client


def test_paying_a_run_queues_the_file_job_which_keeps_each_file_with_its_checksum(
    council: Any,
) -> None:
    run = _paid_run(council)
    job = Job.objects.get(kind=payment_jobs.PAYMENT_FILES)
    assert job.params == {"run_id": run.pk} and not PaymentFile.objects.exists()
    assert jobs_run_queued() == ["done"]
    kept = {f.kind: f for f in PaymentFile.objects.filter(run=run)}
    assert set(kept) == {"csv", "bacs"}
    for f in kept.values():
        assert f.sha256 == hashlib.sha256(services.file_bytes(f)).hexdigest()
        assert (f.payment_count, f.total_pence, f.job_id) == (1, 32150, job.pk)
    assert kept["bacs"].content.split("\r\n")[0][35:46] == "00000032150"
    client = _finance(council)
    for name, kind in (("payments:run_csv", "csv"), ("payments:run_bacs", "bacs")):
        response = client.get(reverse(name, args=[run.pk]))
        assert response.status_code == 200
        assert response.content == services.file_bytes(kept[kind])
        assert response["X-Checksum-SHA256"] == hashlib.sha256(response.content).hexdigest()
    page = client.get(reverse("payments:run", args=[run.pk])).content.decode()
    assert kept["bacs"].sha256 in page and 'id="make-files"' not in page


def test_made_again_from_the_ledger_the_files_are_the_same_bytes_and_kept_once(
    council: Any,
) -> None:
    run = _paid_run(council)
    jobs_run_queued()
    kept = {f.kind: (f.pk, f.content, f.sha256) for f in PaymentFile.objects.all()}
    again = services.files_content(run)
    assert {k: text for k, (_, text, _, _) in again.items()} == {
        k: content for k, (_, content, _) in kept.items()
    }
    # Making them again (a second job, a retried one) gives back the same rows.
    assert {f.kind: (f.pk, f.content, f.sha256) for f in services.run_files_make(run=run)} == kept
    assert PaymentFile.objects.count() == 2
    with pytest.raises(services.PaymentError, match="already made"):
        services.run_files_start(actor=council.users[Role.FINANCE], run=run)


def test_a_file_job_that_crashes_before_it_commits_keeps_nothing_and_its_retry_makes_one_set(
    council: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _paid_run(council)
    real = payment_jobs.job_succeed
    calls: list[int] = []

    def crash_once(**kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the worker's database connection dropped")
        real(**kwargs)

    monkeypatch.setattr(payment_jobs, "job_succeed", crash_once)
    assert jobs_run_queued() == ["queued again"]
    assert not PaymentFile.objects.exists()  # the crashed attempt kept nothing
    assert jobs_run_queued() == ["done"]
    assert PaymentFile.objects.filter(run=run).count() == 2
    assert Job.objects.get(kind=payment_jobs.PAYMENT_FILES).attempts == 2


def test_before_the_files_are_made_a_download_goes_back_to_the_run_saying_so(
    council: Any,
) -> None:
    run = _paid_run(council)
    Job.objects.filter(kind=payment_jobs.PAYMENT_FILES).update(
        status="failed", failure_reason="It stopped"
    )
    client = _finance(council)
    response = client.get(reverse("payments:run_csv", args=[run.pk]), follow=True)
    assert response.redirect_chain == [(reverse("payments:run", args=[run.pk]), 302)]
    page = response.content.decode()
    assert "not made yet" in page and 'id="make-files"' in page
    # Finance starts the job again from the run's page; a second press is told it is running.
    client.post(reverse("payments:run_files", args=[run.pk]))
    assert Job.objects.filter(kind=payment_jobs.PAYMENT_FILES, status="queued").count() == 1
    with pytest.raises(services.PaymentError, match="being made"):
        services.run_files_start(actor=council.users[Role.FINANCE], run=run)
    assert jobs_run_queued() == ["done"]
    assert client.get(reverse("payments:run_csv", args=[run.pk])).status_code == 200


def test_a_run_not_yet_paid_has_no_files_to_make(council: Any) -> None:
    paid_plan(council)
    dp_schedule(council)
    first, _ = finance_officers(council)
    run = services.run_prepare(actor=first, period="2026-04", frequency="four_weekly")
    with pytest.raises(services.PaymentError, match="made once it is paid"):
        services.run_files_make(run=run)
    assert not PaymentFile.objects.exists()
