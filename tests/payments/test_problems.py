"""Payment problems (bank returns): recording one reverses the payment in the ledger and
releases the period, tells the person in their words who to contact and gives their named
worker a task; paying it again is a second officer's approval into corrected details; the
bank's returns file is recorded all or nothing, naming its rows."""

from __future__ import annotations

import datetime as dt
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
from selfdirect.payments import files, problems, services
from selfdirect.payments.models import PaymentFile, PaymentLine, PaymentProblem, PaymentRun
from tests.jobs import jobs_run_queued
from tests.payments.helpers import dp_schedule, finance_officers, paid_plan

pytestmark = pytest.mark.django_db

RETURNED = dt.date(2026, 4, 10)
TODAY = dt.date(2026, 4, 14)


def _paid(council: Any) -> tuple[PaymentRun, PaymentLine]:
    council.holder_person.named_worker = council.users[Role.PRACTITIONER]
    council.holder_person.save(update_fields=["named_worker"])
    paid_plan(council)
    dp_schedule(council)
    first, second = finance_officers(council)
    run = services.run_prepare(actor=first, period="2026-04", frequency="four_weekly")
    services.run_approve(actor=second, run=run)
    services.run_execute(run_id=run.pk)
    PaymentRun.objects.filter(pk=run.pk).update(paid_at=dt.datetime(2026, 4, 6, 9, tzinfo=dt.UTC))
    run.refresh_from_db()
    return run, PaymentLine.objects.get(run=run)


def _record(council: Any, line: PaymentLine, reason: str = "B", **kw: Any) -> PaymentProblem:
    return problems.payment_problem_record(
        actor=council.users[Role.FINANCE],
        line=line,
        reason=reason,
        returned_on=kw.pop("returned_on", RETURNED),
        today=TODAY,
        **kw,
    )


def _budget(council: Any) -> Account:
    return Account.objects.get(kind="budget", person=council.holder_person)


def test_a_return_reverses_the_payment_releases_the_period_tells_the_person_and_makes_a_task(
    council: Any,
) -> None:
    _run, line = _paid(council)
    assert _budget(council).balance_pence == 32150
    problem = _record(council, line, bank_reference="ARUCS-77")
    payment = Transaction.objects.get(kind="payment")
    assert problem.payment == payment and problem.reversal.reverses == payment
    assert problem.reversal.effective_date == RETURNED
    assert _budget(council).balance_pence == 0
    assert not PeriodPayment.objects.filter(released_by__isnull=True).exists()
    assert ledger_check().balanced
    task = WorkItem.objects.get(kind=problems.PROBLEM_TASK_KIND)
    assert task.person == council.holder_person and task.status == "open"
    assert task.assigned_to == council.users[Role.PRACTITIONER]
    assert task.due_date == TODAY + dt.timedelta(days=problems.PROBLEM_TASK_DAYS)
    message = Message.objects.get(recipient=council.users[Role.HOLDER], kind="payment_problem")
    assert message.kind == "payment_problem"
    assert message.subject == "A payment for your support did not go through"
    assert "£321.50" in message.body and "the account is closed" in message.body
    assert "once the bank details are put right" in message.body
    worker = council.users[Role.PRACTITIONER]
    assert f"Contact {worker.get_full_name() or worker.get_username()}" in message.body
    assert message.link == reverse("money:person", args=[council.holder_person.pk])
    # Her representative is told too, in words about Ada.
    told = Message.objects.get(recipient=council.users[Role.REPRESENTATIVE], kind="payment_problem")
    assert told.subject == "A payment for Ada's support did not go through"
    event = AuditEvent.objects.get(object_type="payment_problem", object_id=str(problem.pk))
    assert event.person_id == council.holder_person.pk and "reversed" in event.summary


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reason": "Q"}, problems.REASON_UNKNOWN),
        ({"reason": "X"}, problems.NOTES_NEEDED),
        ({"returned_on": TODAY + dt.timedelta(days=1)}, problems.RETURNED_IN_FUTURE),
        ({"returned_on": dt.date(2026, 4, 5)}, "before it was paid on 6 April 2026"),
    ],
)
def test_a_return_the_rules_refuse_names_the_field_and_changes_nothing(
    council: Any, kwargs: dict[str, Any], message: str
) -> None:
    _run, line = _paid(council)
    with pytest.raises(problems.PaymentProblemError, match=message):
        _record(council, line, **kwargs)
    assert not PaymentProblem.objects.exists() and not WorkItem.objects.exists()
    assert not Transaction.objects.filter(kind="reversal").exists()
    assert _budget(council).balance_pence == 32150


def test_a_payment_is_returned_once(council: Any) -> None:
    _run, line = _paid(council)
    _record(council, line)
    with pytest.raises(problems.PaymentProblemError, match=problems.PROBLEM_RECORDED):
        _record(council, line)
    assert Transaction.objects.filter(kind="reversal").count() == 1


def test_paying_again_needs_a_second_officer_and_new_details_when_they_were_wrong(
    council: Any,
) -> None:
    _run, line = _paid(council)
    problem = _record(council, line)
    first, second = finance_officers(council)
    with pytest.raises(problems.PaymentProblemError, match="second finance officer"):
        problems.payment_problem_repay(actor=first, problem=problem)
    with pytest.raises(problems.PaymentProblemError, match="same details"):
        problems.payment_problem_repay(actor=second, problem=problem)
    assert Transaction.objects.filter(kind="payment").count() == 1
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
    problem = problems.payment_problem_repay(actor=second, problem=problem)
    again = problem.repayment
    assert again is not None and again.kind == "payment"
    assert (again.prepared_by, again.approved_by) == (first, second)
    assert again.source_reference == f"PP{problem.pk}" and again.period_key == line.period_key
    assert (problem.status, problem.repaid_account_number) == ("paid_again", "87654321")
    assert _budget(council).balance_pence == 32150 and ledger_check().balanced
    assert WorkItem.objects.get(kind=problems.PROBLEM_TASK_KIND).status == "done"
    # The payment made again has its own bank files, kept, with the new details, today.
    kept = problem.repaid_files
    assert kept["csv"]["content"].splitlines()[1].split(",")[2:5] == [
        "401276",
        "87654321",
        "32150",
    ]
    record = kept["bacs"]["content"].split("\r\n")[0]
    assert record[0:14] == "40127687654321" and record[35:46] == "00000032150"
    assert record[100:106] == files.bacs_day(dt.date.today())
    client = Client()
    client.force_login(second)
    response = client.get(reverse("payments:problem_bacs", args=[problem.pk]))
    assert response.content == kept["bacs"]["content"].encode("ascii")
    assert response["X-Checksum-SHA256"] == kept["bacs"]["sha256"]
    assert Message.objects.get(
        recipient=council.users[Role.HOLDER], subject__contains="has been made again"
    ).subject == ("The payment for your support has been made again")
    with pytest.raises(problems.PaymentProblemError, match=problems.PAID_AGAIN_ALREADY):
        problems.payment_problem_repay(actor=second, problem=problem)
    assert Transaction.objects.filter(kind="payment").count() == 2


def test_a_payment_returned_because_the_holder_died_is_not_paid_again(council: Any) -> None:
    _run, line = _paid(council)
    problem = _record(council, line, reason="2")
    _first, second = finance_officers(council)
    with pytest.raises(problems.PaymentProblemError, match="has died"):
        problems.payment_problem_repay(actor=second, problem=problem)
    assert Transaction.objects.filter(kind="payment").count() == 1


def test_the_kept_bank_file_is_unchanged_by_a_return(council: Any) -> None:
    run, line = _paid(council)
    jobs_run_queued()
    before = {f.kind: f.sha256 for f in PaymentFile.objects.filter(run=run)}
    _record(council, line)
    assert {f.kind: f.sha256 for f in PaymentFile.objects.filter(run=run)} == before
    # Made from the ledger now, the file would no longer list the payment.
    assert services.files_content(run)["csv"][2] == 0


def _returns_csv(line: PaymentLine, *rows: str) -> str:
    reference = f"SD{line.period_key.replace('-', '')} {line.person_id}"
    header = "payment_reference,amount_pence,reason_code,returned_on,bank_reference\n"
    return header + "".join(row.format(ref=reference) + "\n" for row in rows)


def test_the_returns_file_is_recorded_all_or_nothing_naming_each_row(council: Any) -> None:
    run, line = _paid(council)
    actor = council.users[Role.FINANCE]
    bad = _returns_csv(
        line,
        "{ref},32150,B,2026-04-10,R1",
        "{ref},32150,B,2026-04-10,R2",
        "NOPE 1,100,Q,10/04/2026,",
    )
    with pytest.raises(problems.ReturnsRefused) as refused:
        problems.returns_import(actor=actor, run=run, text=bad, today=TODAY)
    assert [(p.row, p.column) for p in refused.value.problems] == [
        (3, "payment_reference"),
        (4, "reason_code"),
        (4, "returned_on"),
    ]
    assert "already returned on row 2" in refused.value.problems[0].message
    assert not PaymentProblem.objects.exists()
    # A row the service refuses (a future day) refuses the file too, by its row.
    future = _returns_csv(line, "{ref},32150,B,2026-05-01,R1")
    with pytest.raises(problems.ReturnsRefused) as refused:
        problems.returns_import(actor=actor, run=run, text=future, today=TODAY)
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "returned_on")]
    assert not PaymentProblem.objects.exists() and not WorkItem.objects.exists()
    assert not Transaction.objects.filter(kind="reversal").exists()
    good = _returns_csv(line, "{ref},32150,b,2026-04-10,R1")
    made = problems.returns_import(actor=actor, run=run, text=good, today=TODAY)
    assert [(p.line, p.reason, p.bank_reference) for p in made] == [(line, "B", "R1")]


def test_a_returns_file_without_the_columns_is_refused_on_its_first_row(council: Any) -> None:
    run, _line = _paid(council)
    with pytest.raises(problems.ReturnsRefused) as refused:
        problems.returns_import(
            actor=council.users[Role.FINANCE], run=run, text="reference,amount\nx,1\n"
        )
    (problem,) = refused.value.problems
    assert problem.row == 1 and "amount_pence, reason_code, returned_on are missing" in (
        problem.message
    )


def test_finance_records_a_return_on_the_page_and_the_holder_sees_it(council: Any) -> None:
    run, line = _paid(council)
    finance = Client()
    finance.force_login(council.users[Role.FINANCE])
    url = reverse("payments:problem_record", args=[run.pk, line.pk])
    assert (
        reverse("payments:problem_record", args=[run.pk, line.pk])
        in finance.get(reverse("payments:run", args=[run.pk])).content.decode()
    )
    wrong = finance.post(url, {"reason": "B"})
    assert wrong.status_code == 200 and "Enter the day the bank sent it back" in (
        wrong.content.decode()
    )
    today = dt.date.today()
    response = finance.post(
        url,
        {
            "reason": "B",
            "returned_on_day": today.day,
            "returned_on_month": today.month,
            "returned_on_year": today.year,
        },
    )
    assert response.status_code == 302
    page = finance.get(reverse("payments:run", args=[run.pk])).content.decode()
    assert 'id="problems"' in page and "The account is closed" in page
    assert "Waiting for a second finance officer" in page
    holder = Client()
    holder.force_login(council.users[Role.HOLDER])
    money = holder.get(reverse("money:person", args=[council.holder_person.pk])).content.decode()
    assert "Payments that did not go through" in money
    assert "sent back by the bank" in money and "the account is closed" in money
    assert "A payment the bank sent back" in money  # the ledger line, in their words


def test_a_return_not_yet_paid_again_is_in_progress_on_the_holders_home(council: Any) -> None:
    from selfdirect.portal.waiting import waiting_for

    _run, line = _paid(council)
    problem = _record(council, line)
    (row,) = [w for w in waiting_for(council.users[Role.HOLDER]) if "did not go through" in w.what]
    assert row.what == "Your payment of £321.50 for 6 April 2026 did not go through"
    assert "contact you about the bank details" in row.next_step
    (told,) = [w for w in waiting_for(council.users[Role.REPRESENTATIVE]) if "go through" in w.what]
    assert told.what.startswith("Ada Holder's payment")
    home = Client()
    home.force_login(council.users[Role.HOLDER])
    assert "did not go through" in home.get(reverse("home")).content.decode()
    # Paid again, it is no longer waiting.
    PaymentProblem.objects.filter(pk=problem.pk).update(status="paid_again")
    assert not [w for w in waiting_for(council.users[Role.HOLDER]) if "go through" in w.what]


def test_a_payee_name_with_braces_is_told_as_it_is(council: Any) -> None:
    _run, line = _paid(council)
    PaymentLine.objects.filter(pk=line.pk).update(payee_name="Ada {Holder}")
    line.refresh_from_db()
    _record(council, line)
    message = Message.objects.get(recipient=council.users[Role.HOLDER], kind="payment_problem")
    assert "into the account of Ada {Holder}." in message.body
