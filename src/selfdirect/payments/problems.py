"""Payment problems: a payment the bank sent back (a return). Recording one reverses the
payment in the ledger (``transaction_reverse``, which releases the budget's claim on the
period), tells the person in their words who to contact, and gives their named worker a
task. Paying it again is a second finance officer's approval, into the schedule's bank
details (new ones first, when the bank said the details were wrong). Returns can also be
imported from the bank's returns report as a CSV: every row checked, then all recorded or
none (docs/payments.md, decision 0037)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from selfdirect.access.models import WorkItem
from selfdirect.access.roles import Role
from selfdirect.access.services import work_item_add
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.budgets.selectors import active_direct_payment
from selfdirect.file_checks import FileRefused, csv_records
from selfdirect.ledger.models import PeriodPayment
from selfdirect.ledger.services import (
    BatchPayment,
    budget_payments_post,
    funding_account,
    transaction_reverse,
)
from selfdirect.money import pounds
from selfdirect.notify.models import Message
from selfdirect.notify.services import notification_send
from selfdirect.payments.files import bacs_standard18, payment_reference, payments_csv
from selfdirect.payments.models import (
    DETAILS_WRONG,
    RETURN_REASONS,
    PaymentLine,
    PaymentProblem,
    PaymentRun,
)
from selfdirect.people.models import Person
from selfdirect.refusals import Refused, lost_race_refused

REASON_UNKNOWN = "Choose why the bank sent the payment back"
RETURNED_IN_FUTURE = "The day the bank sent the payment back cannot be in the future"
RETURNED_BEFORE_PAID = "The bank cannot have sent the payment back before it was paid on {day}"
NOTES_NEEDED = "Say what the bank said, in the notes"
PROBLEM_RECORDED = "A problem with this payment is already recorded"
NOT_PAID_HERE = "This run did not make this payment, so there is nothing to send back"
SAME_OFFICER_REPAY = (
    "You recorded this returned payment, so a second finance officer must approve paying it again"
)
PAID_AGAIN_ALREADY = "This payment has already been paid again"
DETAILS_UNCHANGED = (
    "The bank said the account details were wrong, and the payment schedule still has the "
    "same details: put the new details on the schedule first"
)
HOLDER_DIED = (
    "The bank said the account holder has died: the payment is not made again. The team "
    "contacts the family"
)
PERIOD_PAID_MEANWHILE = "This budget has been paid for the period some other way meanwhile"
STOPPED_ALREADY = "This returned payment is already marked not to be paid again"
STOP_REASON_NEEDED = "Say why this payment is not to be paid again"
STOPPED_NOT_REPAID = "This returned payment is marked not to be paid again: {why}"
HOLDER_DIED_CODE = "2"

PROBLEM_TASK_KIND = "payment_problem"
# The named worker contacts the person within this many days of a return.
PROBLEM_TASK_DAYS = 5


class PaymentProblemError(Refused):
    """A payment problem refused by a rule; nothing was written."""


def _day(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def _literal(text: str) -> str:
    """Text put into a message as it is (``notification_send`` fills ``{whose}`` in)."""
    return text.replace("{", "{{").replace("}", "}}")


def who_to_contact(person: Person) -> str:
    """Who the person contacts about a payment, named: the link person on their direct
    payment agreement (else their named worker), and the direct payments team's line."""
    agreement = active_direct_payment(person)
    named = agreement.link_officer if agreement is not None else None
    named = named or person.named_worker
    team = (
        f"the {settings.SELFDIRECT_DP_TEAM_NAME} on {settings.SELFDIRECT_DP_TEAM_PHONE} "
        f"or {settings.SELFDIRECT_DP_TEAM_EMAIL}"
    )
    if named is None:
        return f"Contact {team}."
    return f"Contact {named.get_full_name() or named.get_username()} in {team}."


def _open_claim(line: PaymentLine, run: PaymentRun) -> PeriodPayment | None:
    return (
        PeriodPayment.objects.select_related("payment")
        .filter(
            budget_account_id=line.budget_account_id,
            period_key=line.period_key,
            released_by__isnull=True,
            payment__source_reference=run.reference,
        )
        .first()
    )


def _checked(
    *,
    line: PaymentLine,
    reason: str,
    returned_on: dt.date,
    notes: str,
    today: dt.date,
) -> PeriodPayment:
    """The open claim of the line's payment by its run, or the rule it breaks."""
    if reason not in RETURN_REASONS:
        raise PaymentProblemError(REASON_UNKNOWN, "reason")
    if reason == "X" and not notes.strip():
        raise PaymentProblemError(NOTES_NEEDED, "notes")
    if returned_on > today:
        raise PaymentProblemError(RETURNED_IN_FUTURE, "returned_on")
    run = line.run
    if run.paid_at is not None and returned_on < timezone.localtime(run.paid_at).date():
        raise PaymentProblemError(
            RETURNED_BEFORE_PAID.format(day=_day(timezone.localtime(run.paid_at).date())),
            "returned_on",
        )
    if PaymentProblem.objects.filter(line=line).exists():
        raise PaymentProblemError(PROBLEM_RECORDED, "line")
    claim = _open_claim(line, run)
    if claim is None:
        raise PaymentProblemError(NOT_PAID_HERE, "line")
    return claim


@lost_race_refused(lambda **_: PaymentProblemError(PROBLEM_RECORDED, "line"))
def payment_problem_record(
    *,
    actor: User,
    line: PaymentLine,
    reason: str,
    returned_on: dt.date,
    bank_reference: str = "",
    notes: str = "",
    today: dt.date | None = None,
) -> PaymentProblem:
    """Record that the bank sent a run's payment back: reverse it in the ledger (the period
    may then be paid again, once), tell the person, and give their named worker a task."""
    today = today or timezone.localdate()
    with transaction.atomic():
        line = (
            PaymentLine.objects.select_for_update(of=("self",))
            .select_related("run", "person", "person__named_worker")
            .get(pk=line.pk)
        )
        claim = _checked(
            line=line, reason=reason, returned_on=returned_on, notes=notes, today=today
        )
        words = RETURN_REASONS[reason]
        reversal = transaction_reverse(
            actor=actor,
            original=claim.payment,
            effective_date=returned_on,
            reason=f"returned by the bank: {words}",
        )
        person = line.person
        task = work_item_add(
            person=person,
            title=f"A payment of {pounds(line.amount_pence)} to {line.payee_name} for "
            f"{person.full_name} was sent back by the bank ({words.lower()}): contact them "
            "about their bank details",
            kind=PROBLEM_TASK_KIND,
            for_role=Role.PRACTITIONER,
            due_date=today + dt.timedelta(days=PROBLEM_TASK_DAYS),
        )
        problem = PaymentProblem.objects.create(
            line=line,
            person=person,
            reason=reason,
            returned_on=returned_on,
            amount_pence=line.amount_pence,
            bank_reference=bank_reference.strip()[:40],
            notes=notes.strip(),
            payment=claim.payment,
            reversal=reversal,
            work_item=task,
            recorded_by=actor,
        )
        event_record(
            actor=actor,
            action=Action.CREATE,
            object_type="payment_problem",
            object_id=problem.pk,
            person_id=person.pk,
            summary=f"Recorded a returned payment: {pounds(line.amount_pence)} for "
            f"{line.period_key} ({words}); reversed as transaction {reversal.pk}"[:300],
            changes={"Status": [None, problem.get_status_display()]},
        )
        notification_send(
            actor=actor,
            person=person,
            kind=Message.Kind.PAYMENT_PROBLEM,
            subject="A payment for {whose} support did not go through",
            body=(
                f"The bank sent back the payment of {pounds(line.amount_pence)} for "
                f"{_day(line.period_starts_on)} to {_day(line.period_ends_on)} into the "
                f"account of {_literal(line.payee_name)}. The bank said: {words.lower()}. {{Whose}} "
                "budget does not lose this money: it will be paid again"
                + (" once the bank details are put right" if reason in DETAILS_WRONG else "")
                + ". "
                + _literal(who_to_contact(person))
            ),
            key=f"payment-problem-{problem.pk}",
            link=reverse("money:person", args=[person.pk]),
        )
    return problem


def _repaid_refusal(**_: object) -> PaymentProblemError:
    return PaymentProblemError(PAID_AGAIN_ALREADY)


@lost_race_refused(_repaid_refusal)
def payment_problem_repay(*, actor: User, problem: PaymentProblem) -> PaymentProblem:
    """Pay a returned payment again, for the same period and amount, into the bank details
    on the budget's payment schedule now. Whoever recorded the return prepared this payment;
    a second finance officer approves it (``actor``): both are named on the posting."""
    with transaction.atomic():
        locked = (
            PaymentProblem.objects.select_for_update(of=("self",))
            .select_related("line", "line__schedule", "recorded_by", "person")
            .get(pk=problem.pk)
        )
        if locked.status == PaymentProblem.Status.STOPPED:
            raise PaymentProblemError(STOPPED_NOT_REPAID.format(why=locked.stop_reason))
        if locked.status != PaymentProblem.Status.RETURNED:
            raise PaymentProblemError(PAID_AGAIN_ALREADY)
        if locked.recorded_by_id == actor.pk:
            raise PaymentProblemError(SAME_OFFICER_REPAY, "approved_by")
        if locked.reason == HOLDER_DIED_CODE:
            raise PaymentProblemError(HOLDER_DIED)
        line, schedule = locked.line, locked.line.schedule
        if locked.reason in DETAILS_WRONG and (schedule.sort_code, schedule.account_number) == (
            line.sort_code,
            line.account_number,
        ):
            raise PaymentProblemError(DETAILS_UNCHANGED)
        made = budget_payments_post(
            actor=locked.recorded_by,
            approved_by=actor,
            source_reference=locked.reference,
            payments=[
                BatchPayment(
                    budget_account_id=line.budget_account_id,
                    period_key=line.period_key,
                    funding=tuple(
                        (funding_account(stream).pk, pence)
                        for stream, pence in sorted(line.by_stream.items())
                        if pence > 0
                    ),
                    person_id=line.person_id,
                    effective_date=timezone.localdate(),
                    description=f"Paid again after a bank return: period {line.period_key}",
                )
            ],
        )
        if not made:
            raise PaymentProblemError(PERIOD_PAID_MEANWHILE)
        claim = PeriodPayment.objects.get(
            budget_account_id=line.budget_account_id,
            period_key=line.period_key,
            released_by__isnull=True,
        )
        locked.status = PaymentProblem.Status.PAID_AGAIN
        locked.repayment_id = claim.payment_id
        locked.repaid_by = actor
        locked.repaid_at = timezone.now()
        locked.repaid_payee_name = schedule.payee_name
        locked.repaid_sort_code = schedule.sort_code
        locked.repaid_account_number = schedule.account_number
        locked.repaid_files = _repayment_files(locked)
        locked.save()
        if locked.work_item_id:
            WorkItem.objects.filter(pk=locked.work_item_id).update(status=WorkItem.Status.DONE)
        event_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="payment_problem",
            object_id=locked.pk,
            person_id=locked.person_id,
            summary=f"Approved paying again {pounds(locked.amount_pence)} for "
            f"{line.period_key} (prepared by {locked.recorded_by.get_username()})"[:300],
            changes={
                "Status": [
                    PaymentProblem.Status.RETURNED.label,
                    PaymentProblem.Status.PAID_AGAIN.label,
                ]
            },
        )
        notification_send(
            actor=actor,
            person=locked.person,
            kind=Message.Kind.PAYMENT_PROBLEM,
            subject="The payment for {whose} support has been made again",
            body=(
                f"The payment of {pounds(locked.amount_pence)} for {_day(line.period_starts_on)} "
                f"to {_day(line.period_ends_on)} that the bank sent back has been paid again, "
                f"into the account of {_literal(schedule.payee_name)}. It should arrive within "
                "three working days. " + _literal(who_to_contact(locked.person))
            ),
            key=f"payment-problem-{locked.pk}-paid-again",
            link=reverse("money:person", args=[locked.person_id]),
        )
    return locked


def payment_problem_stop(*, actor: User, problem: PaymentProblem, reason: str) -> PaymentProblem:
    """Mark a returned payment "do not pay again" (the account is closed for good, the
    person has no claim to the period): no payment run picks it up and "pay again" is
    refused. Refused once it is paid again. A run that picked it up but has not paid it yet
    leaves it out when it pays (decision 0055)."""
    if not reason.strip():
        raise PaymentProblemError(STOP_REASON_NEEDED, "reason")
    with transaction.atomic():
        locked = PaymentProblem.objects.select_for_update(of=("self",)).get(pk=problem.pk)
        if locked.status == PaymentProblem.Status.STOPPED:
            raise PaymentProblemError(STOPPED_ALREADY)
        if locked.status != PaymentProblem.Status.RETURNED:
            raise PaymentProblemError(PAID_AGAIN_ALREADY)
        locked.status = PaymentProblem.Status.STOPPED
        locked.stopped_by = actor
        locked.stopped_at = timezone.now()
        locked.stop_reason = reason.strip()
        locked.save(update_fields=["status", "stopped_by", "stopped_at", "stop_reason"])
        event_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="payment_problem",
            object_id=locked.pk,
            person_id=locked.person_id,
            summary=f"Marked a returned payment of {pounds(locked.amount_pence)} not to be "
            f"paid again: {locked.stop_reason}"[:300],
            changes={
                "Status": [
                    PaymentProblem.Status.RETURNED.label,
                    PaymentProblem.Status.STOPPED.label,
                ]
            },
        )
    return locked


# --- returns paid again by the next payment run (decision 0055) ------------------------------


def returns_to_pay_again(*, frequency: str) -> list[PaymentProblem]:
    """The returned payments the next run of ``frequency`` pays again: returned, not paid
    again, not marked "do not pay again" nor the holder's death, not picked up by another
    run, the budget's schedule of this frequency, new bank details on the schedule when the
    bank said they were wrong, and the period not paid meanwhile."""
    found = []
    candidates = (
        PaymentProblem.objects.filter(
            status=PaymentProblem.Status.RETURNED,
            repaid_line__isnull=True,
            line__schedule__frequency=frequency,
        )
        .exclude(reason=HOLDER_DIED_CODE)
        .select_related("line", "line__schedule")
        .order_by("pk")
    )
    for problem in candidates:
        line, schedule = problem.line, problem.line.schedule
        if problem.reason in DETAILS_WRONG and (schedule.sort_code, schedule.account_number) == (
            line.sort_code,
            line.account_number,
        ):
            continue  # waiting for new bank details
        if PeriodPayment.objects.filter(
            budget_account_id=line.budget_account_id,
            period_key=line.period_key,
            released_by__isnull=True,
        ).exists():
            continue  # paid for the period some other way meanwhile
        found.append(problem)
    return found


def repaid_line_working(problem: PaymentProblem) -> list[str]:
    """How a run's line paying a return again is explained in the preview."""
    line = problem.line
    bank = f", bank reference {problem.bank_reference}" if problem.bank_reference else ""
    return [
        f"Paid again after a return: the bank sent back the payment of "
        f"{pounds(problem.amount_pence)} for {_day(line.period_starts_on)} to "
        f"{_day(line.period_ends_on)} on {_day(problem.returned_on)} "
        f"({problem.get_reason_display().lower()}); return {problem.reference}{bank}",
    ]


def returns_still_to_pay(problem_ids: Iterable[int]) -> set[int]:
    """Of these returns, those still to be paid again, under their row locks (a run pays
    them in the same database transaction; "pay again" and "do not pay again" wait)."""
    return set(
        PaymentProblem.objects.select_for_update()
        .filter(pk__in=sorted(set(problem_ids)), status=PaymentProblem.Status.RETURNED)
        .values_list("pk", flat=True)
    )


def returns_paid_by_run(*, run: PaymentRun, line_ids: Iterable[int]) -> int:
    """Mark the returns these lines of ``run`` have just paid again (in the batch's database
    transaction, under the locks of ``returns_still_to_pay``): paid again by the run, the
    worker's task done, audited, and the person told. Returns how many."""
    assert run.approved_by_id is not None
    lines = list(
        PaymentLine.objects.filter(pk__in=list(line_ids), repays__isnull=False)
        .select_related("repays", "repays__person")
        .order_by("pk")
    )
    now = timezone.now()
    for line in lines:
        problem = line.repays
        assert problem is not None
        claim = PeriodPayment.objects.get(
            budget_account_id=line.budget_account_id,
            period_key=line.period_key,
            released_by__isnull=True,
        )
        problem.status = PaymentProblem.Status.PAID_AGAIN
        problem.repayment_id = claim.payment_id
        # The run's approver approved it, unless they recorded the return (then the run's
        # preparer and approver are the two officers, named on the posting).
        problem.repaid_by_id = (
            run.approved_by_id if run.approved_by_id != problem.recorded_by_id else None
        )
        problem.repaid_at = now
        problem.repaid_payee_name = line.payee_name
        problem.repaid_sort_code = line.sort_code
        problem.repaid_account_number = line.account_number
        problem.save(
            update_fields=[
                "status",
                "repayment",
                "repaid_by",
                "repaid_at",
                "repaid_payee_name",
                "repaid_sort_code",
                "repaid_account_number",
            ]
        )
        if problem.work_item_id:
            WorkItem.objects.filter(pk=problem.work_item_id).update(status=WorkItem.Status.DONE)
        event_record(
            actor=run.approved_by,
            action=Action.UPDATE,
            object_type="payment_problem",
            object_id=problem.pk,
            person_id=problem.person_id,
            summary=f"Paid again {pounds(problem.amount_pence)} for {line.period_key} in {run}"[
                :300
            ],
            changes={
                "Status": [
                    PaymentProblem.Status.RETURNED.label,
                    PaymentProblem.Status.PAID_AGAIN.label,
                ]
            },
        )
        notification_send(
            actor=run.approved_by,
            person=problem.person,
            kind=Message.Kind.PAYMENT_PROBLEM,
            subject="The payment for {whose} support has been made again",
            body=(
                f"The payment of {pounds(problem.amount_pence)} for "
                f"{_day(line.period_starts_on)} to {_day(line.period_ends_on)} that the bank "
                f"sent back has been paid again, into the account of "
                f"{_literal(line.payee_name)}. It should arrive within three working days. "
                + _literal(who_to_contact(problem.person))
            ),
            key=f"payment-problem-{problem.pk}-paid-again",
            link=reverse("money:person", args=[problem.person_id]),
        )
    return len(lines)


def _repayment_files(problem: PaymentProblem) -> dict[str, dict[str, str]]:
    """The bank files of one payment made again: the CSV and BACS layouts of the run's
    files, with the new bank details, processed today."""
    line = problem.line
    again = PaymentLine(
        run_id=line.run_id,
        schedule_id=line.schedule_id,
        person_id=line.person_id,
        deployment=line.deployment,
        budget_account_id=line.budget_account_id,
        period_key=line.period_key,
        period_starts_on=line.period_starts_on,
        period_ends_on=line.period_ends_on,
        amount_pence=line.amount_pence,
        payee_name=problem.repaid_payee_name,
        sort_code=problem.repaid_sort_code,
        account_number=problem.repaid_account_number,
        organisation_id=line.organisation_id,
    )
    stem = f"payment-again-{problem.reference}"
    made = {
        "csv": (f"{stem}.csv", payments_csv([again]), "utf-8"),
        "bacs": (
            f"{stem}.txt",
            bacs_standard18(line.run, [again], day=timezone.localdate()),
            "ascii",
        ),
    }
    return {
        kind: {
            "name": name,
            "content": text,
            "sha256": hashlib.sha256(text.encode(encoding)).hexdigest(),
        }
        for kind, (name, text, encoding) in made.items()
    }


# --- the bank's returns report, as a CSV ----------------------------------------------------

RETURN_COLUMNS = ("payment_reference", "amount_pence", "reason_code", "returned_on")
MISSING_COLUMNS = "The first row must name the columns: {missing} {is_are} missing"
NO_ROWS = "The file has no returned payments under its first row"
REQUIRED = "Enter a value"
DATE_FORMAT = "Enter a date as YYYY-MM-DD, like 2026-11-30"
WHOLE_NUMBER = "Enter the amount in pence, as a whole number"
UNKNOWN_REASON = "Enter one of the reason codes: {codes}"
NO_SUCH_PAYMENT = "No payment of this run has this reference and amount"
TWICE_IN_FILE = "This payment is already returned on row {row}"


@dataclass(frozen=True)
class ReturnProblem:
    row: int  # the line of the file (0: the whole file)
    column: str
    message: str


class ReturnsRefused(Exception):
    """The whole file is refused (nothing recorded): every problem, by row and column."""

    def __init__(self, problems: list[ReturnProblem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass(frozen=True)
class _Return:
    row: int
    line: PaymentLine
    reason: str
    returned_on: dt.date
    bank_reference: str


def _returns_parse(run: PaymentRun, text: str, name: str) -> list[_Return]:
    problems: list[ReturnProblem] = []
    try:
        records = list(csv_records(text, name))
    except FileRefused as bad:
        raise ReturnsRefused([ReturnProblem(0, "", str(bad))]) from bad
    if not records:
        raise ReturnsRefused([ReturnProblem(0, "", NO_ROWS)])
    header = [c.strip().lower() for c in records[0][1]]
    missing = [c for c in RETURN_COLUMNS if c not in header]
    if missing:
        raise ReturnsRefused(
            [
                ReturnProblem(
                    1,
                    "",
                    MISSING_COLUMNS.format(
                        missing=", ".join(missing), is_are="is" if len(missing) == 1 else "are"
                    ),
                )
            ]
        )
    by_reference: dict[tuple[str, int], list[PaymentLine]] = {}
    for line in PaymentLine.objects.filter(run=run).select_related("run", "person"):
        by_reference.setdefault((payment_reference(line), line.amount_pence), []).append(line)
    found: list[_Return] = []
    seen: dict[int, int] = {}
    for row_no, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue
        row = {k: v.strip() for k, v in zip(header, cells, strict=False)}
        before = len(problems)
        for column in RETURN_COLUMNS:
            if not row.get(column):
                problems.append(ReturnProblem(row_no, column, REQUIRED))
        if len(problems) > before:
            continue
        amount = row["amount_pence"]
        if not amount.isdigit() or len(amount) > 12:
            problems.append(ReturnProblem(row_no, "amount_pence", WHOLE_NUMBER))
        reason = row["reason_code"].upper()
        if reason not in RETURN_REASONS:
            problems.append(
                ReturnProblem(
                    row_no, "reason_code", UNKNOWN_REASON.format(codes=", ".join(RETURN_REASONS))
                )
            )
        try:
            returned_on = dt.date.fromisoformat(row["returned_on"])
        except ValueError:
            problems.append(ReturnProblem(row_no, "returned_on", DATE_FORMAT))
        if len(problems) > before:
            continue
        lines = by_reference.get((row["payment_reference"].upper(), int(amount)), [])
        if len(lines) != 1:
            problems.append(ReturnProblem(row_no, "payment_reference", NO_SUCH_PAYMENT))
            continue
        if lines[0].pk in seen:
            problems.append(
                ReturnProblem(
                    row_no, "payment_reference", TWICE_IN_FILE.format(row=seen[lines[0].pk])
                )
            )
            continue
        seen[lines[0].pk] = row_no
        found.append(
            _Return(row_no, lines[0], reason, returned_on, row.get("bank_reference", "")[:40])
        )
    if not found and not problems:
        problems.append(ReturnProblem(0, "", NO_ROWS))
    if problems:
        raise ReturnsRefused(problems)
    return found


def returns_import(
    *, actor: User, run: PaymentRun, text: str, name: str = "", today: dt.date | None = None
) -> list[PaymentProblem]:
    """Record every return in the bank's returns file for ``run``, or none: a row the rules
    refuse (already returned, not paid by the run, a day in the future) refuses the file,
    naming its row."""
    returns = _returns_parse(run, text, name)
    made: list[PaymentProblem] = []
    problems: list[ReturnProblem] = []
    with transaction.atomic():  # all or nothing
        for item in returns:
            try:
                made.append(
                    payment_problem_record(
                        actor=actor,
                        line=item.line,
                        reason=item.reason,
                        returned_on=item.returned_on,
                        bank_reference=item.bank_reference,
                        notes="Imported from the bank's returns file"
                        + (f" {name}" if name else ""),
                        today=today,
                    )
                )
            except PaymentProblemError as refused:
                column = {"returned_on": "returned_on", "reason": "reason_code"}.get(
                    refused.field, "payment_reference"
                )
                problems.append(ReturnProblem(item.row, column, str(refused)))
        if problems:
            raise ReturnsRefused(problems)
    return made


# --- reading --------------------------------------------------------------------------------


def problems_of_run(run: PaymentRun) -> list[PaymentProblem]:
    return list(
        PaymentProblem.objects.filter(line__run=run)
        .select_related(
            "line", "person", "recorded_by", "repaid_by", "stopped_by", "repaid_line__run"
        )
        .order_by("-returned_on", "-pk")
    )


def problems_of_person(person: Person) -> list[PaymentProblem]:
    return list(
        PaymentProblem.objects.filter(person=person)
        .select_related("line")
        .order_by("-returned_on", "-pk")
    )


def problem_ids_by_line(lines: Iterable[PaymentLine]) -> dict[int, PaymentProblem]:
    return {
        p.line_id: p for p in PaymentProblem.objects.filter(line__in=[line.pk for line in lines])
    }
