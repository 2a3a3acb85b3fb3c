"""Changing payments: schedules, and a payment run's life (prepare, approve, execute).

A run is keyed by (period, frequency): preparing it twice is refused by name (and by a
database constraint when two officers press the button at once). Execution pays each
line's budget through ``ledger.services.budget_payments_post`` in batches, each batch its
own database transaction; the ledger's claim on (budget, period) makes a batch run again
after a crash pay only what it had not. So running a run twice pays once, and a run killed
mid-way and run again pays every budget exactly once (docs/payments.md, decision 0029)."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import queue
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.ledger.models import Account
from selfdirect.ledger.services import (
    STAGE,
    STAGE_LEGS,
    STREAMS,
    Posted,
    batch_stage,
    funding_account,
    staged_payments_post,
)
from selfdirect.money import pounds
from selfdirect.payments import files
from selfdirect.payments.dues import FOUR_WEEKLY, MONTHLY, PERIOD_WEEKS
from selfdirect.payments.models import (
    PAID_WAYS,
    ContributionCharge,
    PaymentFile,
    PaymentLine,
    PaymentRun,
    PaymentSchedule,
)
from selfdirect.payments.problems import (
    repaid_line_working,
    returns_paid_by_run,
    returns_still_to_pay,
    returns_to_pay_again,
)
from selfdirect.payments.selectors import dues_for_month, lines_paid, unscheduled_charges_for_month
from selfdirect.people.models import Person
from selfdirect.providers.models import Provider
from selfdirect.refusals import Refused, lost_race_refused

PERIOD_FORMAT = "Enter the period as a year and month, like 2026-04"
FREQUENCY_UNKNOWN = "Choose how often the budget is paid"
WAY_NOT_PAID = "Choose a way of holding that is paid by the council: {ways}"
SORT_CODE_FORMAT = "Enter a sort code of 6 digits, like 309430"
ACCOUNT_NUMBER_FORMAT = "Enter an account number of 8 digits"
PAYEE_NEEDED = "Enter the name on the bank account"
ENDS_BEFORE_START = "The last day paid must be on or after the first"
RUN_TAKEN = "The payment run for {period} ({frequency}) has already been prepared by {officer}"
SAME_OFFICER = "You prepared this payment run, so a second finance officer must approve it"
NOT_PREPARED = "This payment run is {status}: only a prepared run can be approved"
NOT_APPROVED = "This payment run is {status}: only an approved run can be paid"
RUN_STARTED = "This payment run is already being paid (started by {officer}): see its progress"
NOTHING_TO_PAY = "Nothing is due for {period} ({frequency}): there is no run to prepare"
NOT_PAID_YET = "This payment run is {status}: its bank files are made once it is paid"
FILES_MADE = "The bank files of this payment run are already made: download them below"
FILES_BEING_MADE = "The bank files of this payment run are being made: refresh this page soon"

BATCH_SIZE = 5000
# A test hook (the crash test): after this many batches have committed, say so on stderr
# and wait, so the test can kill the process mid-run.
PAUSE_AFTER_ENV = "SELFDIRECT_PAYMENT_RUN_PAUSE_AFTER_BATCH"
# How many database connections pay a run's batches at once on PostgreSQL (decision 0060).
# PostgreSQL's code for a transaction rolled back to end a deadlock, and how many times a
# batch is tried when it is.
DEADLOCK = "40P01"
DEADLOCK_TRIES = 3
WORKERS_ENV = "SELFDIRECT_PAYMENT_RUN_WORKERS"


class PaymentError(Refused):
    """A payment change refused by a rule; nothing was written."""


def period_parse(period: str) -> dt.date:
    """'2026-04' -> 1 April 2026, or refused."""
    if not re.fullmatch(r"\d{4}-\d{2}", period or ""):
        raise PaymentError(PERIOD_FORMAT, "period")
    try:
        return dt.date(int(period[:4]), int(period[5:]), 1)
    except ValueError as wrong:
        raise PaymentError(PERIOD_FORMAT, "period") from wrong


def _frequency(frequency: str) -> str:
    if frequency not in PERIOD_WEEKS:
        raise PaymentError(FREQUENCY_UNKNOWN, "frequency")
    return frequency


# --- schedules ------------------------------------------------------------------------------


@transaction.atomic
def schedule_set(
    *,
    actor: User,
    person: Person,
    deployment: str,
    frequency: str,
    anchor_date: dt.date,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    payee_name: str,
    sort_code: str,
    account_number: str,
    agreement_id: int | None = None,
    organisation: Provider | None = None,
) -> PaymentSchedule:
    """Set how one budget is paid (creating its schedule, or changing it)."""
    if deployment not in PAID_WAYS:
        raise PaymentError(
            WAY_NOT_PAID.format(ways=", ".join(w.lower() for w in PAID_WAYS.values())),
            "deployment",
        )
    _frequency(frequency)
    sort_code = re.sub(r"[\s-]", "", sort_code or "")
    account_number = re.sub(r"\s", "", account_number or "")
    if not re.fullmatch(r"\d{6}", sort_code):
        raise PaymentError(SORT_CODE_FORMAT, "sort_code")
    if not re.fullmatch(r"\d{8}", account_number):
        raise PaymentError(ACCOUNT_NUMBER_FORMAT, "account_number")
    if not payee_name.strip():
        raise PaymentError(PAYEE_NEEDED, "payee_name")
    if ends_on is not None and ends_on < starts_on:
        raise PaymentError(ENDS_BEFORE_START, "ends_on")
    fields = {
        "frequency": frequency,
        "anchor_date": anchor_date,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "payee_name": payee_name.strip()[:120],
        "sort_code": sort_code,
        "account_number": account_number,
        "agreement_id": agreement_id,
        "organisation": organisation,
    }
    existing = (
        PaymentSchedule.objects.select_for_update()
        .filter(person=person, deployment=deployment)
        .first()
    )
    before = (
        {k: str(getattr(existing, k)) for k in fields if k != "organisation"} if existing else {}
    )
    if existing is None:
        schedule = PaymentSchedule.objects.create(
            person=person, deployment=deployment, created_by=actor, **fields
        )
    else:
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.save()
        schedule = existing
    after = {k: str(getattr(schedule, k)) for k in fields if k != "organisation"}
    event_record(
        actor=actor,
        action=Action.CREATE if existing is None else Action.UPDATE,
        object_type="payment_schedule",
        object_id=schedule.pk,
        person_id=person.pk,
        summary=f"Set the payment schedule: {schedule}"[:300],
        changes={
            k: [before.get(k), v]
            for k, v in after.items()
            if before.get(k) != v and k not in ("sort_code", "account_number")
        },
    )
    return schedule


# --- runs -----------------------------------------------------------------------------------


def _run_taken(**kwargs: object) -> PaymentError:
    period, frequency = str(kwargs.get("period", "")), str(kwargs.get("frequency", ""))
    run = PaymentRun.objects.filter(period=period, frequency=frequency).first()
    officer = run.prepared_by.get_full_name() or run.prepared_by.get_username() if run else ""
    return PaymentError(
        RUN_TAKEN.format(period=period, frequency=_frequency_words(frequency), officer=officer),
        "period",
    )


def _frequency_words(frequency: str) -> str:
    return {FOUR_WEEKLY: "every four weeks", MONTHLY: "monthly"}.get(frequency, frequency)


def budget_accounts_for(keys: Iterable[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """The budget account id for each (person id, way of holding), opened in bulk if new."""
    wanted = set(keys)
    found: dict[tuple[int, str], int] = {}
    people = {p for p, _ in wanted}
    ways = {w for _, w in wanted}

    def read() -> None:
        rows = Account.objects.filter(
            kind=Account.Kind.BUDGET, person_id__in=people, deployment__in=ways
        ).values_list("person_id", "deployment", "pk")
        for person_id, way, pk in rows:
            if (person_id, way) in wanted:
                found[(person_id, way)] = pk

    read()
    missing = wanted - set(found)
    if missing:
        Account.objects.bulk_create(
            [
                Account(kind=Account.Kind.BUDGET, person_id=p, deployment=w)
                for p, w in sorted(missing)
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        read()
    return found


@lost_race_refused(_run_taken)
def run_prepare(*, actor: User, period: str, frequency: str) -> PaymentRun:
    """Prepare the run for a month's periods of one frequency: one line per budget and
    period with what is due and why (the preview). Nothing is paid yet."""
    month = period_parse(period)
    _frequency(frequency)
    if PaymentRun.objects.filter(period=period, frequency=frequency).exists():
        raise _run_taken(period=period, frequency=frequency)
    everything = dues_for_month(month=month, frequency=frequency, with_nothing_paid=True)
    dues = [d for d in everything if d.due.total_pence > 0]
    charged = [d for d in everything if d.due.contribution_invoiced_pence > 0]
    # Periods the bank sent back, paid again with this run unless paid meanwhile (0055).
    returns = returns_to_pay_again(frequency=frequency)
    # People with no payment schedule (council-commissioned services only): their
    # contribution for the calendar month, charged by the month's first run (0055).
    unscheduled = unscheduled_charges_for_month(month=month)
    if not dues and not charged and not returns and not unscheduled:
        raise PaymentError(
            NOTHING_TO_PAY.format(period=period, frequency=_frequency_words(frequency)), "period"
        )
    with transaction.atomic():
        run = PaymentRun.objects.create(period=period, frequency=frequency, prepared_by=actor)
        accounts = budget_accounts_for((d.schedule.person_id, d.schedule.deployment) for d in dues)
        lines = [
            PaymentLine(
                run=run,
                schedule=d.schedule,
                person_id=d.schedule.person_id,
                deployment=d.schedule.deployment,
                budget_account_id=accounts[(d.schedule.person_id, d.schedule.deployment)],
                period_key=d.period.key,
                period_starts_on=d.period.starts_on,
                period_ends_on=d.period.ends_on,
                amount_pence=d.due.total_pence,
                one_off_pence=d.due.one_off_pence,
                by_stream=d.due.total_by_stream,
                contribution_deducted_pence=d.due.contribution_deducted_pence,
                contribution_invoiced_pence=d.due.contribution_invoiced_pence,
                working=d.due.working,
                payee_name=d.schedule.payee_name,
                sort_code=d.schedule.sort_code,
                account_number=d.schedule.account_number,
                organisation_id=d.schedule.organisation_id,
            )
            for d in dues
        ]
        taken = {(line.budget_account_id, line.period_key) for line in lines}
        for problem in returns:
            returned, schedule = problem.line, problem.line.schedule
            if (returned.budget_account_id, returned.period_key) in taken:
                continue
            taken.add((returned.budget_account_id, returned.period_key))
            # The same period, amount and streams, into the schedule's bank details now.
            lines.append(
                PaymentLine(
                    run=run,
                    schedule=schedule,
                    person_id=returned.person_id,
                    deployment=returned.deployment,
                    budget_account_id=returned.budget_account_id,
                    period_key=returned.period_key,
                    period_starts_on=returned.period_starts_on,
                    period_ends_on=returned.period_ends_on,
                    amount_pence=returned.amount_pence,
                    one_off_pence=returned.one_off_pence,
                    by_stream=returned.by_stream,
                    working=repaid_line_working(problem),
                    payee_name=schedule.payee_name,
                    sort_code=schedule.sort_code,
                    account_number=schedule.account_number,
                    organisation_id=schedule.organisation_id,
                    repays=problem,
                )
            )
        PaymentLine.objects.bulk_create(lines, batch_size=2000)
        ContributionCharge.objects.bulk_create(
            [
                ContributionCharge(
                    run=run,
                    schedule=d.schedule,
                    person_id=d.schedule.person_id,
                    deployment=d.schedule.deployment,
                    period_key=d.period.key,
                    period_starts_on=d.period.starts_on,
                    period_ends_on=d.period.ends_on,
                    amount_pence=d.due.contribution_invoiced_pence,
                )
                for d in charged
            ],
            batch_size=2000,
        )
        # A run of the other frequency prepared at the same moment may charge the same
        # month: the constraint keeps one charge, and this run leaves it to that one.
        ContributionCharge.objects.bulk_create(
            [
                ContributionCharge(
                    run=run,
                    schedule=None,
                    person_id=u.person_id,
                    deployment=u.deployment,
                    period_key=u.period.key,
                    period_starts_on=u.period.starts_on,
                    period_ends_on=u.period.ends_on,
                    amount_pence=u.pence,
                )
                for u in unscheduled
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        run.line_count = len(lines)
        run.total_pence = sum(line.amount_pence for line in lines)
        run.save(update_fields=["line_count", "total_pence"])
        event_record(
            actor=actor,
            action=Action.CREATE,
            object_type="payment_run",
            object_id=run.pk,
            summary=f"Prepared {run}: {run.line_count} payments, {pounds(run.total_pence)}",
        )
    return run


def _locked_run(run_id: int) -> PaymentRun:
    return PaymentRun.objects.select_for_update().select_related("prepared_by").get(pk=run_id)


@transaction.atomic
def run_approve(*, actor: User, run: PaymentRun) -> PaymentRun:
    """The second finance officer approves the prepared run (under a row lock, so two
    approvals or an approval racing another change see each other: decision 0007)."""
    locked = _locked_run(run.pk)
    if locked.status != PaymentRun.Status.PREPARED:
        raise PaymentError(NOT_PREPARED.format(status=locked.get_status_display().lower()))
    if locked.prepared_by_id == actor.pk:
        raise PaymentError(SAME_OFFICER, "approved_by")
    locked.status = PaymentRun.Status.APPROVED
    locked.approved_by = actor
    locked.approved_at = timezone.now()
    locked.save(update_fields=["status", "approved_by", "approved_at"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="payment_run",
        object_id=locked.pk,
        summary=f"Approved {locked}: {locked.line_count} payments, {pounds(locked.total_pence)}",
        changes={"Status": ["prepared", "approved"]},
    )
    return locked


@transaction.atomic
def run_execute_start(*, actor: User, run: PaymentRun) -> PaymentRun:
    """Start paying an approved run as a background job. Two officers pressing at once:
    the first (under the row lock) starts it; the second is told it is already started."""
    from selfdirect.operations.jobs import job_start
    from selfdirect.operations.models import ACTIVE
    from selfdirect.payments.jobs import PAYMENT_RUN

    locked = _locked_run(run.pk)
    running = locked.job is not None and locked.job.status in ACTIVE
    if locked.status == PaymentRun.Status.EXECUTING and running:
        starter = locked.job.started_by if locked.job else None
        raise PaymentError(
            RUN_STARTED.format(officer=starter.get_full_name() or starter.get_username())
            if starter
            else RUN_STARTED.format(officer="another officer")
        )
    # An approved run, or one whose paying stopped part-way (its job failed): paying it
    # again pays only the budgets not yet paid.
    if locked.status not in (PaymentRun.Status.APPROVED, PaymentRun.Status.EXECUTING):
        raise PaymentError(NOT_APPROVED.format(status=locked.get_status_display().lower()))
    job = job_start(
        actor=actor,
        kind=PAYMENT_RUN,
        title=f"Pay {locked}",
        params={"run_id": locked.pk},
    )
    before = str(locked.status)
    locked.status = PaymentRun.Status.EXECUTING
    locked.job = job
    locked.save(update_fields=["status", "job"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="payment_run",
        object_id=locked.pk,
        summary=f"Started paying {locked} (job {job.pk})",
        changes={"Status": [before, "executing"]},
    )
    return locked


@dataclass(frozen=True)
class Execution:
    paid: int
    skipped: int
    paid_pence: int


Progress = Callable[[int, int], None]


def _lines_repaying(run: PaymentRun) -> dict[int, int]:
    """The run's lines that pay a bank return again (line id -> return): a few, read once
    through the one-to-one index of the lines repaying a return (``repays_id > 0``: SQLite
    reads no index for ``IS NOT NULL``; ``run_id + 0`` keeps both planners off the index of
    the run's lines, which would read every line of the run)."""
    table = connection.ops.quote_name(PaymentLine._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, repays_id FROM {table} WHERE repays_id > 0 AND run_id + 0 = %s",  # noqa: S608
            [run.pk],
        )
        return {int(line): int(problem) for line, problem in cursor.fetchall()}


def _batch_stage_lines(
    run: PaymentRun, chunk: list[int], repaying: dict[int, int]
) -> dict[int, int]:
    """Stage a batch of the run's lines (ids ``chunk``, in order) for the ledger
    (``ledger.services.batch_stage``) in plain SQL, ``INSERT … SELECT`` from the lines: no
    line passes through Python (decision 0057). A line repaying a return (``repaying``, the
    run's) is staged only if the return is still to be paid again (under its row lock).
    Each line's streams become its funding legs, by stream code and its funding account if
    it has one (the ledger opens the others). Returns the batch's lines that repay a return
    (line id -> return)."""
    first, last = chunk[0], chunk[-1]
    table = connection.ops.quote_name(PaymentLine._meta.db_table)
    accounts = connection.ops.quote_name(Account._meta.db_table)
    repays = {line: problem for line, problem in repaying.items() if first <= line <= last}
    still = sorted(returns_still_to_pay(repays.values())) if repays else []
    batch_stage()
    repaid = (
        "l.repays_id IS NULL"
        if not still
        else f"(l.repays_id IS NULL OR l.repays_id IN ({', '.join(['%s'] * len(still))}))"
    )
    description = (
        "substr('Payment run ' || %s || ': ' || CASE WHEN l.repays_id IS NULL THEN '' "
        "ELSE 'paid again after a bank return (PP' || CAST(l.repays_id AS varchar(20)) || '), ' "
        "END || 'period ' || l.period_key, 1, 200)"
    )
    postgresql = connection.vendor == "postgresql"
    streams = (
        "jsonb_each_text(l.by_stream) AS j(key, value)"
        if postgresql
        else "json_each(l.by_stream) AS j"
    )
    pence = "CAST(j.value AS bigint)"
    # Each payment's number in the batch (from 1, in the lines' order). When the batch's
    # lines are every id from first to last and all are staged (nearly always: a run's
    # lines are made together), the number is the id's place in that range; otherwise
    # counted by a window (a sort of the batch: about 40% of this statement on SQLite).
    # In the lines' order: PostgreSQL gives each staged row its transaction id as it is
    # written, and a scan of the lines returns them as they lie on disk, not by id.
    if len(chunk) == last - first + 1 and len(still) == len(repays):
        seq, numbered = "l.id - %s + 1", [first]
    else:
        seq, numbered = "row_number() OVER (ORDER BY l.id)", []
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {STAGE} (seq, line_key, budget_account_id, period_key, "  # noqa: S608
            f"effective_date, description) SELECT {seq}, l.id, "
            f"l.budget_account_id, l.period_key, l.period_starts_on, {description} "
            f"FROM {table} l WHERE l.id >= %s AND l.id <= %s AND l.run_id + 0 = %s "
            f"AND {repaid} ORDER BY l.id",
            [*numbered, run.period, first, last, run.pk, *still],
        )
        cursor.execute(
            f"INSERT INTO {STAGE_LEGS} (seq, stream, account_id, pence) "  # noqa: S608
            f"SELECT s.seq, j.key, a.id, {pence} FROM {STAGE} s "
            f"JOIN {table} l ON l.id = s.line_key CROSS JOIN {streams} "
            f"LEFT JOIN {accounts} a ON a.kind = 'council_funding' AND a.funding_stream = j.key "
            f"WHERE {pence} > 0"
        )
    return repays


def _batch_pay(
    run: PaymentRun, actor: User, approver: User, chunk: list[int], repaying: dict[int, int]
) -> Posted:
    """Pay one batch of the run's lines (ids ``chunk``, in order) in a database
    transaction of its own (``repaying``: the run's lines paying a return again). A batch
    PostgreSQL chose as a deadlock's victim (a payment made by hand into one of its
    accounts at that moment, which locks the funding account first) rolled back whole,
    so it is tried again, up to ``DEADLOCK_TRIES`` times; inside a caller's transaction
    it cannot be."""
    tries = 1 if connection.in_atomic_block else DEADLOCK_TRIES
    for attempt in range(1, tries + 1):
        try:
            with transaction.atomic():
                repays = _batch_stage_lines(run, chunk, repaying)
                posted = staged_payments_post(
                    actor=actor, approved_by=approver, source_reference=run.reference
                )
                if repays:
                    done = set(posted.keys)
                    returns_paid_by_run(run=run, line_ids=[line for line in repays if line in done])
            return posted
        except OperationalError as error:
            if attempt == tries or getattr(error.__cause__, "sqlstate", None) != DEADLOCK:
                raise
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _workers(batches: int) -> int:
    """How many database connections pay a run's batches at once: on PostgreSQL, with
    more than one batch and outside a caller's transaction (whose uncommitted rows other
    connections cannot see), ``SELFDIRECT_PAYMENT_RUN_WORKERS`` (default 2); else one."""
    if connection.vendor != "postgresql" or connection.in_atomic_block or batches < 2:
        return 1
    return max(1, min(batches, int(os.environ.get(WORKERS_ENV) or 2)))


def _funding_accounts_open(run: PaymentRun) -> None:
    """Open (commit) the funding account of each stream the run's lines name, before its
    batches are paid at once: two batches each opening one would wait on each other's
    new row (PostgreSQL only: one scan of the run's lines)."""
    table = connection.ops.quote_name(PaymentLine._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT jsonb_object_keys(by_stream) FROM {table} WHERE run_id = %s",  # noqa: S608
            [run.pk],
        )
        streams = sorted(stream for (stream,) in cursor.fetchall())
    for stream in streams:
        if stream in STREAMS:
            funding_account(stream)


def _pause(number: int) -> None:
    """The crash test's hook: say the run has paused after batch ``number``, and wait."""
    print(f"paused after batch {number}", file=sys.stderr, flush=True)
    time.sleep(120)


def _batches_paid(
    run: PaymentRun, actor: User, approver: User, chunks: list[list[int]], pause_after: int
) -> Iterator[tuple[list[int], Posted]]:
    """Pay the batches, yielding each (its line ids, what it paid) as it commits: one by
    one in this connection, or (``_workers``) by threads each with a connection of its own
    taking the next batch (decision 0060). A batch that fails stops the others taking
    more and is raised here; the batches committed stay paid (a rerun pays the rest).
    ``pause_after`` (the crash test's hook, 0 for none): once that many batches have
    committed, and no more, pause (``_pause``)."""
    repaying = _lines_repaying(run)
    workers = _workers(len(chunks))
    if workers == 1:
        for number, chunk in enumerate(chunks, start=1):
            yield chunk, _batch_pay(run, actor, approver, chunk, repaying)
            if number == pause_after:
                _pause(number)
        return
    _funding_accounts_open(run)
    todo: queue.SimpleQueue[tuple[int, list[int]]] = queue.SimpleQueue()
    for number, chunk in enumerate(chunks, start=1):
        todo.put((number, chunk))
    results: queue.SimpleQueue[tuple[list[int], Posted | BaseException]] = queue.SimpleQueue()
    stop = threading.Event()
    resume = threading.Event()

    def work() -> None:
        try:
            while not stop.is_set():
                try:
                    number, chunk = todo.get_nowait()
                except queue.Empty:
                    return
                if pause_after and number > pause_after:
                    resume.wait()
                    if stop.is_set():
                        return
                try:
                    results.put((chunk, _batch_pay(run, actor, approver, chunk, repaying)))
                except BaseException as error:  # handed to the caller, raised there
                    stop.set()
                    results.put((chunk, error))
                    return
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    try:
        for number in range(1, len(chunks) + 1):
            chunk, outcome = results.get()
            if isinstance(outcome, BaseException):
                raise outcome
            yield chunk, outcome
            if number == pause_after:
                _pause(number)
                resume.set()
    finally:
        stop.set()
        resume.set()
        for thread in threads:
            thread.join()


def run_execute(
    *,
    run_id: int,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    on_finish: Callable[[Execution], None] | None = None,
) -> Execution:
    """Pay an approved (or half-paid) run, batch by batch: the one code path of the job and
    of ``manage.py payment_run --execute``. Each batch commits on its own; a budget already
    paid for the period is skipped by the ledger, so this may be run again after a crash.
    ``on_finish`` runs inside the last transaction (the job marks itself done there)."""
    with transaction.atomic():
        run = _locked_run(run_id)
        if run.status not in (PaymentRun.Status.APPROVED, PaymentRun.Status.EXECUTING):
            raise PaymentError(NOT_APPROVED.format(status=run.get_status_display().lower()))
        if run.status == PaymentRun.Status.APPROVED:
            run.status = PaymentRun.Status.EXECUTING
            run.save(update_fields=["status"])
    assert run.approved_by is not None
    approver = run.approved_by
    actor = run.prepared_by
    if connection.vendor == "sqlite":
        # Room for the ledger's indexes in this connection's page cache (128 MiB): a run's
        # postings land all over the account index, and the default 2 MiB cache thrashes.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -131072")
            # The ledger's staging tables in memory (decision 0057). Changing this drops
            # the connection's temporary tables, which the first batch makes again; SQLite
            # refuses it inside a transaction (a caller's, or a test's), left as it is then.
            if not connection.in_atomic_block:
                cursor.execute("PRAGMA temp_store = MEMORY")
    ids = list(PaymentLine.objects.filter(run=run).order_by("pk").values_list("pk", flat=True))
    total = len(ids)
    chunks = [ids[start : start + batch_size] for start in range(0, total, batch_size)]
    paid = skipped = paid_pence = done = 0
    pause_after = int(os.environ.get(PAUSE_AFTER_ENV) or 0)
    # The objects alive now (Django's, the caller's) are left out of the garbage
    # collector's full passes while the run allocates its short-lived, acyclic rows: a
    # full pass over a large process, about once a batch, was a tenth of the run
    # (profiled at 20,000 budgets; decision 0055). Put back however the run ends.
    gc.freeze()
    try:
        for chunk, posted in _batches_paid(run, actor, approver, chunks, pause_after):
            paid += len(posted.keys)
            skipped += len(chunk) - len(posted.keys)
            paid_pence += posted.pence
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    finally:
        gc.unfreeze()
    result = Execution(paid=paid, skipped=skipped, paid_pence=paid_pence)
    with transaction.atomic():
        PaymentRun.objects.filter(pk=run.pk).update(
            status=PaymentRun.Status.PAID, paid_at=timezone.now()
        )
        event_record(
            actor=approver,
            action=Action.UPDATE,
            object_type="payment_run",
            object_id=run.pk,
            summary=f"Paid {run}: {paid} payments of {pounds(paid_pence)} now"
            + (f"; {skipped} already paid" if skipped else ""),
            changes={"Status": ["executing", "paid"]},
        )
        _files_job_start(actor=approver, run=run)
        if ContributionCharge.objects.filter(run=run, posted__isnull=True).exists():
            _contributions_job_start(actor=approver, run=run)
        if on_finish is not None:
            on_finish(result)
    return result


# --- bank files -----------------------------------------------------------------------------

# How each file is encoded when stored and served (its checksum is of these bytes).
FILE_ENCODING = {PaymentFile.Kind.CSV: "utf-8", PaymentFile.Kind.BACS: "ascii"}
FILE_CONTENT_TYPE = {
    PaymentFile.Kind.CSV: "text/csv; charset=utf-8",
    PaymentFile.Kind.BACS: "text/plain; charset=us-ascii",
}


def file_bytes(payment_file: PaymentFile) -> bytes:
    return payment_file.content.encode(FILE_ENCODING[PaymentFile.Kind(payment_file.kind)])


def files_content(run: PaymentRun) -> dict[str, tuple[str, str, int, int]]:
    """The run's bank files as they would be made now, from the ledger's record of what the
    run paid: kind -> (name, text, payment count, total pence). The same ledger gives the
    same bytes."""
    lines = list(lines_paid(run))
    count, total = len(lines), sum(line.amount_pence for line in lines)
    return {
        PaymentFile.Kind.CSV: (
            files.file_name(run, "csv"),
            files.payments_csv(lines),
            count,
            total,
        ),
        PaymentFile.Kind.BACS: (
            files.file_name(run, "txt"),
            files.bacs_standard18(run, lines),
            count,
            total,
        ),
    }


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run_files_make(*, run: PaymentRun, job_id: int | None = None) -> list[PaymentFile]:
    """Make and keep a paid run's bank files, once: called again (a retried job, a second
    job) it gives back the files already kept, unchanged. One database transaction (the
    caller's, if any), under the run's row lock, so a crash keeps nothing and two makers
    make one set."""
    with transaction.atomic():
        locked = _locked_run(run.pk)
        if locked.status != PaymentRun.Status.PAID:
            raise PaymentError(NOT_PAID_YET.format(status=locked.get_status_display().lower()))
        kept = list(PaymentFile.objects.filter(run=locked).order_by("kind"))
        if kept:
            return kept
        made = [
            PaymentFile.objects.create(
                run=locked,
                kind=kind,
                name=name,
                content=text,
                sha256=sha256_of(text.encode(FILE_ENCODING[PaymentFile.Kind(kind)])),
                payment_count=count,
                total_pence=total,
                job_id=job_id,
            )
            for kind, (name, text, count, total) in sorted(files_content(locked).items())
        ]
        event_record(
            actor=None,
            action=Action.CREATE,
            object_type="payment_run",
            object_id=locked.pk,
            summary=f"Made the bank files of {locked}: {made[0].payment_count} payments, "
            f"{pounds(made[0].total_pence)}",
            changes={f.get_kind_display(): [None, f"sha256 {f.sha256}"] for f in made},
        )
    return made


def _files_job_start(*, actor: User, run: PaymentRun) -> None:
    from selfdirect.operations.jobs import job_start
    from selfdirect.payments.jobs import PAYMENT_FILES

    job_start(
        actor=actor,
        kind=PAYMENT_FILES,
        title=f"Make the bank files of {run}",
        params={"run_id": run.pk},
    )


@transaction.atomic
def run_files_start(*, actor: User, run: PaymentRun) -> None:
    """Start making a paid run's bank files as a background job (paying a run starts it;
    this is for a run whose job failed). Refused if they are made or being made."""
    from selfdirect.operations.models import ACTIVE, Job
    from selfdirect.payments.jobs import PAYMENT_FILES

    locked = _locked_run(run.pk)
    if locked.status != PaymentRun.Status.PAID:
        raise PaymentError(NOT_PAID_YET.format(status=locked.get_status_display().lower()))
    if PaymentFile.objects.filter(run=locked).exists():
        raise PaymentError(FILES_MADE)
    if Job.objects.filter(kind=PAYMENT_FILES, params__run_id=locked.pk, status__in=ACTIVE).exists():
        raise PaymentError(FILES_BEING_MADE)
    _files_job_start(actor=actor, run=locked)


def month_frequencies(frequency: str | None) -> list[str]:
    return [_frequency(frequency)] if frequency else [FOUR_WEEKLY, MONTHLY]


# --- contributions invoiced -----------------------------------------------------------------


def _contributions_job_start(*, actor: User, run: PaymentRun) -> None:
    from selfdirect.operations.jobs import job_start
    from selfdirect.payments.jobs import PAYMENT_CONTRIBUTIONS

    job_start(
        actor=actor,
        kind=PAYMENT_CONTRIBUTIONS,
        title=f"Post the contributions invoiced with {run}",
        params={"run_id": run.pk},
    )


def run_contributions_post(
    *, run_id: int, batch_size: int = 500, progress: Progress | None = None
) -> tuple[int, int]:
    """Post the contributions a paid run invoices (contribution due, decision 0037), batch
    by batch, each its own database transaction: a charge is marked with its posting in the
    same transaction, so a rerun after a crash posts only what was not. Returns (posted
    now, pence)."""
    from selfdirect.ledger.services import contribution_invoiced_post

    run = PaymentRun.objects.select_related("approved_by").get(pk=run_id)
    if run.status != PaymentRun.Status.PAID:
        raise PaymentError(NOT_PAID_YET.format(status=run.get_status_display().lower()))
    assert run.approved_by is not None
    ids = list(
        ContributionCharge.objects.filter(run=run, posted__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    posted = pence = 0
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            charges = (
                ContributionCharge.objects.select_for_update(of=("self",))
                .select_related("person")
                .filter(pk__in=ids[start : start + batch_size], posted__isnull=True)
                .order_by("pk")
            )
            for charge in charges:
                charge.posted = contribution_invoiced_post(
                    actor=run.approved_by,
                    person=charge.person,
                    amount_pence=charge.amount_pence,
                    effective_date=charge.period_starts_on,
                    source_reference=charge.reference,
                )
                charge.save(update_fields=["posted"])
                posted += 1
                pence += charge.amount_pence
        if progress is not None:
            progress(min(start + batch_size, len(ids)), len(ids))
    return posted, pence
