"""The finance officers' pages: prepare a run, a second officer approves it, pay it, and
download its files; the person's payment dates."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.ledger.models import Transaction
from selfdirect.payments import services
from selfdirect.payments.models import PaymentRun
from tests.payments.helpers import dp_schedule, finance_officers, paid_plan

pytestmark = pytest.mark.django_db


def test_prepare_approve_pay_and_download(council: Any) -> None:
    paid_plan(council)
    dp_schedule(council)
    first, second = finance_officers(council)
    client = Client()
    client.force_login(first)
    response = client.post(
        reverse("payments:runs"), {"period": "2026-04", "frequency": "four_weekly"}
    )
    run = PaymentRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "payments:run", args=[run.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "£321.50" in page and "Ada Holder" in page
    assert "a second finance officer must approve it" in page
    # The preparer's own approval is refused, changing nothing.
    client.post(reverse("payments:run_approve", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.PREPARED
    other = Client()
    other.force_login(second)
    other.post(reverse("payments:run_approve", args=[run.pk]))
    run.refresh_from_db()
    assert (run.status, run.approved_by) == (PaymentRun.Status.APPROVED, second)
    # Paying starts a job; here it is run as the worker would.
    other.post(reverse("payments:run_execute", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.EXECUTING and run.job is not None
    from selfdirect.operations.jobs import job_execute
    from tests.jobs import jobs_run_queued

    job_execute(job_id=run.job.pk, worker_id="test")
    run.refresh_from_db()
    run.job.refresh_from_db()
    assert run.status == PaymentRun.Status.PAID
    assert run.job.status == "done" and "Paid 1 budgets" in run.job.result_summary
    assert Transaction.objects.filter(kind="payment").count() == 1
    # Paying queued the job that makes the bank files; the worker runs it.
    assert jobs_run_queued() == ["done"]
    bacs = other.get(reverse("payments:run_bacs", args=[run.pk]))
    assert bacs.status_code == 200 and bacs["Content-Disposition"].startswith("attachment")
    assert bacs.content.decode().split("\r\n")[0][35:46] == "00000032150"
    csv_file = other.get(reverse("payments:run_csv", args=[run.pk])).content.decode()
    assert "32150" in csv_file
    check = other.get(reverse("payments:run_reconciliation", args=[run.pk])).content.decode()
    assert "Agrees" in check and "Does not agree" not in check


def test_the_prepare_form_names_a_wrong_period(council: Any) -> None:
    client = Client()
    client.force_login(council.users[Role.FINANCE])
    response = client.post(reverse("payments:runs"), {"period": "April", "frequency": "monthly"})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert services.PERIOD_FORMAT in page
    assert not PaymentRun.objects.exists()


def test_the_holder_sees_their_payment_dates(council: Any) -> None:
    paid_plan(council)
    dp_schedule(council)
    client = Client()
    client.force_login(council.users[Role.HOLDER])
    page = client.get(reverse("payments:dates", args=[council.holder_person.pk])).content.decode()
    assert "Payment dates" in page and "every four weeks" in page.lower()


def test_the_direct_payment_agreement_shows_its_amount_and_schedule(council: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from selfdirect.budgets.models import DirectPaymentAgreement
    from selfdirect.payments.dues import periods_between
    from selfdirect.payments.receivers import NO_SCHEDULE
    from tests.payments.helpers import ANCHOR

    plan = paid_plan(council)
    agreement = DirectPaymentAgreement.objects.create(
        plan=plan,
        person=plan.person,
        recipient_type="person",
        account_type="bank_account",
        sort_code="309430",
        account_number="12345678",
        has_capacity=True,
        capable_of_managing=True,
        appropriate=True,
        not_excluded=True,
        starts_on=dt.date(2026, 4, 1),
        created_by=council.users[Role.PRACTITIONER],
    )
    client = Client()
    client.force_login(council.users[Role.FINANCE])
    url = reverse("budgets:holding", args=[plan.pk])
    assert NO_SCHEDULE in client.get(url).content.decode()
    dp_schedule(council)
    page = client.get(url).content.decode()
    today = timezone.localdate()
    upcoming = periods_between("four_weekly", ANCHOR, today, today + dt.timedelta(days=62))[0]
    # A full four-weekly period: 4 × (£50.75 − £15.00) = £143.00.
    assert f"£143.00 on {upcoming.starts_on:%-d %B %Y}" in page
    assert "Every four weeks, in advance, from 6 April 2026" in page
    assert f'id="direct-payment-{agreement.pk}-schedule"' in page


def test_the_team_sets_a_payment_schedule_and_a_bad_sort_code_is_named(council: Any) -> None:
    from selfdirect.payments.models import PaymentSchedule

    client = Client()
    client.force_login(council.users[Role.PRACTITIONER])
    url = reverse("payments:schedule", args=[council.holder_person.pk])
    fields = {
        "deployment": "direct_payment",
        "frequency": "monthly",
        "anchor_date_day": "1",
        "anchor_date_month": "5",
        "anchor_date_year": "2026",
        "starts_on_day": "1",
        "starts_on_month": "5",
        "starts_on_year": "2026",
        "payee_name": "Ada Holder",
        "sort_code": "30-94",
        "account_number": "12345678",
    }
    response = client.post(url, fields)
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert services.SORT_CODE_FORMAT in page
    assert not PaymentSchedule.objects.exists()
    response = client.post(url, {**fields, "sort_code": "30-94-30"})
    assert response.status_code == 302
    schedule = PaymentSchedule.objects.get()
    assert (schedule.frequency, schedule.sort_code, str(schedule.anchor_date)) == (
        "monthly",
        "309430",
        "2026-05-01",
    )
