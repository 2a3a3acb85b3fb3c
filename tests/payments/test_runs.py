"""A payment run: prepared with its working, approved by a second finance officer, paid
once through the ledger however often it is run."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.audit.models import Event
from selfdirect.ledger.checks import ledger_check
from selfdirect.ledger.models import Account, PeriodPayment, Transaction
from selfdirect.payments import services
from selfdirect.payments.models import PaymentRun
from selfdirect.payments.selectors import reconciliation, run_lines
from tests.payments.helpers import dp_schedule, finance_officers, paid_plan

pytestmark = pytest.mark.django_db


def _prepared(council: Any) -> PaymentRun:
    paid_plan(council)
    dp_schedule(council)
    first, _ = finance_officers(council)
    return services.run_prepare(actor=first, period="2026-04", frequency="four_weekly")


def test_the_preview_says_who_how_much_and_why(council: Any) -> None:
    run = _prepared(council)
    (line,) = run_lines(run)
    # Paid from 20 April in the period 6 April–3 May: 14 of 28 days of (£50.75 − £15.00)
    # = 3575 × 14 × 4 / 28 = 7150, plus the £250.00 set-up once: 32150.
    assert (line.period_key, line.amount_pence, line.one_off_pence) == ("2026-04-06", 32150, 25000)
    assert line.contribution_deducted_pence == 3000  # 1500 × 14 × 4 / 28
    assert line.by_stream == {"adult_social_care": 32150}
    assert any("less contribution £15.00 a week" in w for w in line.working)
    assert (run.line_count, run.total_pence) == (1, 32150)
    assert not Transaction.objects.exists()  # a preview pays nothing


def test_who_prepared_cannot_approve(council: Any) -> None:
    run = _prepared(council)
    first, second = finance_officers(council)
    with pytest.raises(services.PaymentError) as refused:
        services.run_approve(actor=first, run=run)
    assert str(refused.value) == services.SAME_OFFICER
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.PREPARED
    services.run_approve(actor=second, run=run)
    run.refresh_from_db()
    assert (run.status, run.approved_by) == (PaymentRun.Status.APPROVED, second)


def test_a_run_is_prepared_once(council: Any) -> None:
    _prepared(council)
    _, second = finance_officers(council)
    with pytest.raises(services.PaymentError) as refused:
        services.run_prepare(actor=second, period="2026-04", frequency="four_weekly")
    assert str(refused.value) == services.RUN_TAKEN.format(
        period="2026-04", frequency="every four weeks", officer="finance"
    )


def test_an_unapproved_run_is_not_paid(council: Any) -> None:
    run = _prepared(council)
    with pytest.raises(services.PaymentError) as refused:
        services.run_execute(run_id=run.pk)
    assert str(refused.value) == services.NOT_APPROVED.format(
        status="prepared, waiting for approval"
    )
    assert not Transaction.objects.exists()


def test_running_twice_pays_once(council: Any) -> None:
    run = _prepared(council)
    first, second = finance_officers(council)
    services.run_approve(actor=second, run=run)
    done = services.run_execute(run_id=run.pk)
    assert (done.paid, done.skipped, done.paid_pence) == (1, 0, 32150)
    # Run again (as after a crash before "paid" was recorded): nothing paid twice.
    PaymentRun.objects.filter(pk=run.pk).update(status=PaymentRun.Status.EXECUTING)
    again = services.run_execute(run_id=run.pk)
    assert (again.paid, again.skipped) == (0, 1)
    payment = Transaction.objects.get(kind=Transaction.Kind.PAYMENT)
    assert (payment.prepared_by, payment.approved_by) == (first, second)
    assert payment.source_reference == run.reference
    assert PeriodPayment.objects.filter(period_key="2026-04-06").count() == 1
    budget = Account.objects.get(kind=Account.Kind.BUDGET, person=council.holder_person)
    assert budget.balance_pence == 32150
    report = ledger_check()
    assert report.balanced and not report.problems
    assert Event.objects.filter(object_type="payment_run", summary__startswith="Paid").exists()
    check = reconciliation(run)
    assert (check.file_count, check.file_total_pence) == (1, 32150)
    assert check.file_matches_ledger and check.controls_match_budgets
    assert check.exceptions == []


def test_a_paid_run_is_not_paid_again(council: Any) -> None:
    run = _prepared(council)
    _, second = finance_officers(council)
    services.run_approve(actor=second, run=run)
    services.run_execute(run_id=run.pk)
    with pytest.raises(services.PaymentError):
        services.run_execute(run_id=run.pk)
    assert Transaction.objects.filter(kind=Transaction.Kind.PAYMENT).count() == 1


def test_schedule_refuses_a_bad_sort_code_changing_nothing(council: Any) -> None:
    from selfdirect.payments.models import PaymentSchedule

    with pytest.raises(services.PaymentError) as refused:
        services.schedule_set(
            actor=council.users["finance"],
            person=council.holder_person,
            deployment="direct_payment",
            frequency="monthly",
            anchor_date=paid_plan_start(),
            starts_on=paid_plan_start(),
            payee_name="Ada Holder",
            sort_code="1234",
            account_number="12345678",
        )
    assert (str(refused.value), refused.value.field) == (services.SORT_CODE_FORMAT, "sort_code")
    assert not PaymentSchedule.objects.exists()


def paid_plan_start() -> Any:
    from tests.payments.helpers import PLAN_START

    return PLAN_START


def test_a_run_whose_job_failed_can_be_started_again(council: Any) -> None:
    from selfdirect.operations.models import JobStatus

    run = _prepared(council)
    first, second = finance_officers(council)
    services.run_approve(actor=second, run=run)
    started = services.run_execute_start(actor=second, run=run)
    with pytest.raises(services.PaymentError) as refused:
        services.run_execute_start(actor=first, run=run)
    assert str(refused.value) == services.RUN_STARTED.format(officer="second-finance")
    assert started.job is not None
    type(started.job).objects.filter(pk=started.job.pk).update(status=JobStatus.FAILED)
    again = services.run_execute_start(actor=first, run=run)
    assert again.job is not None and again.job.pk != started.job.pk
