"""Returned periods paid again by the next payment run (decision 0055): a period the bank
sent back is a line of the next run of its schedule's frequency, shown in the preview as
"paid again after a return" with the return's reference, approved and paid with the run,
and never paid twice (the ledger's claim on the period, the one-to-one of a line to its
return, and the return's row lock while a batch pays it). A return marked "do not pay
again", or for a holder who died, or waiting for new bank details, is not picked up."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from selfdirect.access.models import WorkItem
from selfdirect.access.roles import Role
from selfdirect.audit.models import Event as AuditEvent
from selfdirect.ledger.checks import ledger_check
from selfdirect.ledger.models import Account, PeriodPayment, Transaction
from selfdirect.notify.models import Message
from selfdirect.payments import problems, selectors, services
from selfdirect.payments.models import PaymentFile, PaymentLine, PaymentProblem, PaymentRun
from tests.concurrency import race
from tests.jobs import jobs_run_queued
from tests.payments.helpers import finance_officers
from tests.payments.test_problems import _paid, _record

pytestmark = pytest.mark.django_db


def _budget(council: Any) -> Account:
    return Account.objects.get(kind="budget", person=council.holder_person)


def _may(council: Any) -> PaymentRun:
    first, _second = finance_officers(council)
    return services.run_prepare(actor=first, period="2026-05", frequency="four_weekly")


def _pay(council: Any, run: PaymentRun) -> services.Execution:
    _first, second = finance_officers(council)
    services.run_approve(actor=second, run=run)
    return services.run_execute(run_id=run.pk)


def _open_claims(line: PaymentLine) -> list[PeriodPayment]:
    return list(
        PeriodPayment.objects.filter(
            budget_account_id=line.budget_account_id,
            period_key=line.period_key,
            released_by__isnull=True,
        ).select_related("payment")
    )


def _new_details(council: Any, line: PaymentLine) -> None:
    first, _second = finance_officers(council)
    services.schedule_set(
        actor=first,
        person=council.holder_person,
        deployment="direct_payment",
        frequency="four_weekly",
        anchor_date=line.schedule.anchor_date,
        starts_on=line.schedule.starts_on,
        payee_name="Ada Holder",
        sort_code="401276",
        account_number="87654321",
    )


def test_the_next_run_pays_a_returned_period_again_shown_in_its_preview(council: Any) -> None:
    _april, line = _paid(council)
    problem = _record(council, line, reason="0", bank_reference="ARUCS-77")
    assert _budget(council).balance_pence == 0
    first, second = finance_officers(council)
    may = _may(council)
    again = PaymentLine.objects.get(run=may, repays=problem)
    normal = PaymentLine.objects.get(run=may, repays__isnull=True)
    # The same period, amount and streams as the payment sent back.
    assert (again.period_key, again.amount_pence, again.by_stream) == (
        line.period_key,
        32150,
        line.by_stream,
    )
    assert again.working[0].startswith("Paid again after a return: the bank sent back")
    assert f"return PP{problem.pk}, bank reference ARUCS-77" in again.working[0]
    assert (may.line_count, may.total_pence) == (2, 32150 + normal.amount_pence)
    # The preview says so, with the return's reference.
    client = Client()
    client.force_login(second)
    page = client.get(reverse("payments:run", args=[may.pk])).content.decode()
    assert "Paid again after a return" in page and f"return PP{problem.pk}" in page
    # Approved and paid with the run, as usual.
    result = _pay(council, may)
    assert (result.paid, result.skipped) == (2, 0)
    problem.refresh_from_db()
    (claim,) = _open_claims(line)
    assert problem.status == PaymentProblem.Status.PAID_AGAIN
    assert problem.repayment_id == claim.payment_id
    assert claim.payment.source_reference == may.reference
    assert (claim.payment.prepared_by, claim.payment.approved_by) == (first, second)
    assert f"paid again after a bank return (PP{problem.pk})" in claim.payment.description
    assert problem.repaid_line == again
    assert _budget(council).balance_pence == 32150 + normal.amount_pence
    assert ledger_check().balanced
    assert WorkItem.objects.get(kind=problems.PROBLEM_TASK_KIND).status == "done"
    assert Message.objects.filter(
        recipient=council.users[Role.HOLDER],
        subject="The payment for your support has been made again",
    ).exists()
    assert AuditEvent.objects.filter(
        object_type="payment_problem", object_id=str(problem.pk), summary__contains=str(may)
    ).exists()
    # It is in the run's bank file, and the return's page row says where it was paid.
    jobs_run_queued()
    csv = PaymentFile.objects.get(run=may, kind="csv")
    assert csv.payment_count == 2 and f",{line.period_key}," in csv.content
    april_page = client.get(reverse("payments:run", args=[line.run_id])).content.decode()
    assert f'Paid again by <a class="govuk-link" href="/payments/runs/{may.pk}/"' in april_page
    # The next run does not pick it up again.
    june = services.run_prepare(actor=first, period="2026-06", frequency="four_weekly")
    assert not PaymentLine.objects.filter(run=june, repays__isnull=False).exists()


@pytest.mark.parametrize(
    ("reason", "stop"),
    [
        ("2", False),  # the account holder died
        ("B", False),  # the account is closed: waiting for new bank details
        ("0", True),  # marked "do not pay again"
    ],
)
def test_a_return_not_to_be_paid_again_is_not_picked_up(
    council: Any, reason: str, stop: bool
) -> None:
    _april, line = _paid(council)
    problem = _record(council, line, reason=reason)
    if stop:
        problems.payment_problem_stop(
            actor=council.users[Role.FINANCE],
            problem=problem,
            reason="The direct payment has ended",
        )
    may = _may(council)
    assert not PaymentLine.objects.filter(run=may, repays__isnull=False).exists()
    assert may.line_count == 1
    _pay(council, may)
    assert _open_claims(line) == []
    problem.refresh_from_db()
    assert problem.status == ("stopped" if stop else "returned")


def test_a_return_for_wrong_details_is_picked_up_once_the_details_are_new(council: Any) -> None:
    _april, line = _paid(council)
    problem = _record(council, line, reason="5")
    _new_details(council, line)
    may = _may(council)
    again = PaymentLine.objects.get(run=may, repays=problem)
    assert (again.sort_code, again.account_number) == ("401276", "87654321")
    _pay(council, may)
    problem.refresh_from_db()
    assert (problem.status, problem.repaid_account_number) == ("paid_again", "87654321")


def test_a_return_paid_again_by_hand_before_the_run_pays_is_not_paid_twice(council: Any) -> None:
    _april, line = _paid(council)
    problem = _record(council, line, reason="0")
    may = _may(council)
    _first, second = finance_officers(council)
    problems.payment_problem_repay(actor=second, problem=problem)
    result = _pay(council, may)
    assert (result.paid, result.skipped) == (1, 1)
    (claim,) = _open_claims(line)
    problem.refresh_from_db()
    assert claim.payment.source_reference == problem.reference == f"PP{problem.pk}"
    assert problem.repayment_id == claim.payment_id
    assert Transaction.objects.filter(kind="payment", period_key=line.period_key).count() == 2
    assert (
        _budget(council).balance_pence
        == 32150 + PaymentLine.objects.get(run=may, repays__isnull=True).amount_pence
    )
    assert ledger_check().balanced
    may.refresh_from_db()
    assert any(
        "paid for the period by another payment" in e
        for e in selectors.reconciliation(may).exceptions
    )


def test_a_return_marked_not_to_pay_after_the_run_picked_it_up_is_left_out(council: Any) -> None:
    _april, line = _paid(council)
    problem = _record(council, line, reason="0")
    may = _may(council)
    assert PaymentLine.objects.filter(run=may, repays=problem).exists()
    problems.payment_problem_stop(
        actor=council.users[Role.FINANCE], problem=problem, reason="Account closed for good"
    )
    before = Transaction.objects.order_by("-pk").values_list("pk", flat=True).first()
    result = _pay(council, may)
    assert (result.paid, result.skipped) == (1, 1)
    assert _open_claims(line) == []
    # The batch's lines, one left out, are numbered afresh: the payment takes the next id.
    paid = Transaction.objects.get(kind="payment", source_reference=may.reference)
    assert before is not None and paid.pk == before + 1
    problem.refresh_from_db()
    assert problem.status == "stopped" and problem.repayment is None
    assert ledger_check().balanced


def test_a_batch_paying_a_return_is_one_transaction_with_marking_it(
    council: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _april, line = _paid(council)
    problem = _record(council, line, reason="0")
    may = _may(council)

    def crash(**_: Any) -> int:
        raise RuntimeError("killed while marking the return")

    monkeypatch.setattr(services, "returns_paid_by_run", crash)
    _first, second = finance_officers(council)
    services.run_approve(actor=second, run=may)
    with pytest.raises(RuntimeError):
        services.run_execute(run_id=may.pk)
    # The collector the run froze is put back however it ends.
    assert gc.get_freeze_count() == 0
    # Nothing of the batch is kept: not the payments, not the return's new state.
    assert not Transaction.objects.filter(source_reference=may.reference).exists()
    problem.refresh_from_db()
    assert problem.status == "returned" and _open_claims(line) == []
    monkeypatch.undo()
    result = services.run_execute(run_id=may.pk)
    assert (result.paid, result.skipped) == (2, 0)
    problem.refresh_from_db()
    assert problem.status == "paid_again" and len(_open_claims(line)) == 1
    assert ledger_check().balanced


def test_do_not_pay_again_refusals_name_the_rule_and_change_nothing(council: Any) -> None:
    _april, line = _paid(council)
    problem = _record(council, line, reason="0")
    officer = council.users[Role.FINANCE]
    with pytest.raises(problems.PaymentProblemError, match=problems.STOP_REASON_NEEDED):
        problems.payment_problem_stop(actor=officer, problem=problem, reason="  ")
    problem.refresh_from_db()
    assert problem.status == "returned"
    problems.payment_problem_stop(actor=officer, problem=problem, reason="Account closed")
    with pytest.raises(problems.PaymentProblemError, match=problems.STOPPED_ALREADY):
        problems.payment_problem_stop(actor=officer, problem=problem, reason="Again")
    _first, second = finance_officers(council)
    with pytest.raises(problems.PaymentProblemError, match="not to be paid again: Account closed"):
        problems.payment_problem_repay(actor=second, problem=problem)
    assert _open_claims(line) == []


def test_paid_again_cannot_be_marked_not_to_pay(council: Any) -> None:
    _april, line = _paid(council)
    problem = _record(council, line, reason="0")
    _first, second = finance_officers(council)
    problems.payment_problem_repay(actor=second, problem=problem)
    with pytest.raises(problems.PaymentProblemError, match=problems.PAID_AGAIN_ALREADY):
        problems.payment_problem_stop(actor=second, problem=problem, reason="Too late")


def test_finance_marks_a_return_not_to_pay_on_its_page(council: Any) -> None:
    april, line = _paid(council)
    problem = _record(council, line, reason="0")
    client = Client()
    client.force_login(council.users[Role.FINANCE])
    url = reverse("payments:problem_stop", args=[problem.pk])
    run_page = client.get(reverse("payments:run", args=[april.pk])).content.decode()
    assert url in run_page
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert "Error: " in refused.content.decode()
    assert "Say why it is not to be paid again" in refused.content.decode()
    done = client.post(url, {"reason": "The direct payment has ended"})
    assert done.status_code == 302
    problem.refresh_from_db()
    assert (problem.status, problem.stop_reason) == ("stopped", "The direct payment has ended")
    assert problem.stopped_by == council.users[Role.FINANCE]
    run_page = client.get(reverse("payments:run", args=[april.pk])).content.decode()
    assert "Not to be paid again: The direct payment has ended" in run_page
    # The holder is not told it will be paid again.
    holder = Client()
    holder.force_login(council.users[Role.HOLDER])
    money = holder.get(reverse("money:person", args=[council.holder_person.pk])).content.decode()
    assert "It is not being paid again" in money and "it will be paid again" not in money


@pytest.mark.postgres
def test_paying_again_by_hand_while_the_run_pays_it_pays_the_period_once(
    committed_council: Any,
) -> None:
    council = committed_council
    _april, line = _paid(council)
    problem = _record(council, line, reason="0")
    may = _may(council)
    _first, second = finance_officers(council)
    services.run_approve(actor=second, run=may)
    outcomes = race(
        lambda _i: PaymentProblem.objects.get(pk=problem.pk),
        lambda i, loaded: (
            problems.payment_problem_repay(actor=second, problem=loaded)
            if i == 0
            else services.run_execute(run_id=may.pk)
        ),
    )
    assert isinstance(outcomes[1], services.Execution), outcomes
    if isinstance(outcomes[0], Exception):
        assert isinstance(outcomes[0], problems.PaymentProblemError), repr(outcomes[0])
    (claim,) = _open_claims(line)
    problem.refresh_from_db()
    assert problem.status == "paid_again" and problem.repayment_id == claim.payment_id
    assert outcomes[1].paid + outcomes[1].skipped == 2
    assert ledger_check().balanced
