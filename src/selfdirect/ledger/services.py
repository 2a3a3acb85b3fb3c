"""Writing to the ledger. ``transaction_post`` is the one function that writes transactions
and postings: it refuses an unbalanced one, locks the accounts it touches (in id order, so
two writers never deadlock) and keeps each account's cached balance in the same database
transaction. The movement services below build balanced transactions on top of it, each
refusing with a named error and writing one audit event.

Money flows from the credited account (negative posting) to the debited one (positive):
see the module docstring of ``ledger.models`` and docs/finance-guide.md."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.ledger.models import Account, PeriodPayment, Posting, Transaction
from selfdirect.money import pounds
from selfdirect.people.models import Person
from selfdirect.planning.streams import DEPLOYMENTS, SHIPPED
from selfdirect.providers.models import Provider
from selfdirect.refusals import Refused, lost_race_refused

NO_POSTINGS = "A transaction needs at least two postings"
ZERO_POSTING = "A posting cannot be of £0"
UNBALANCED = "The postings must add up to zero: they add up to {total}"
AMOUNT_NOT_POSITIVE = "Enter an amount of more than £0"
PERIOD_NEEDED = "Enter the period this payment is for"
PAID_ALREADY = "This budget has already been paid for the period {period}"
UNKNOWN_WAY = "Choose a way of holding the budget"
UNKNOWN_STREAM = "Choose a funding stream"
SAME_WAY = "Choose a different way of holding to switch to"
NOTHING_HELD = "There is nothing in the {account} to move"
MORE_THAN_HELD = "The amount is more than the {account} holds ({held})"
MORE_THAN_OWED = "The payment is more than is owed to {provider} ({owed})"
REVERSED_ALREADY = "This transaction has already been reversed"
REVERSAL_OF_REVERSAL = "A reversal cannot itself be reversed: record the movement again"
SAME_APPROVER = "The person who prepared a transaction cannot approve it"
CHANGED_MEANWHILE = "The ledger changed while this was being posted: try again"

STREAMS = frozenset(r.code for r in SHIPPED)


class LedgerError(Refused):
    """A ledger movement refused by a rule; nothing was written."""


Leg = tuple[Account, int]


# Accounts: opened on first use, one per natural key (database constraints).


def funding_account(stream: str) -> Account:
    if stream not in STREAMS:
        raise LedgerError(UNKNOWN_STREAM, "funding_stream")
    account, _ = Account.objects.get_or_create(
        kind=Account.Kind.COUNCIL_FUNDING, funding_stream=stream
    )
    return account


def budget_account(person: Person, deployment: str) -> Account:
    if deployment not in DEPLOYMENTS:
        raise LedgerError(UNKNOWN_WAY, "deployment")
    account, _ = Account.objects.get_or_create(
        kind=Account.Kind.BUDGET, person=person, deployment=deployment
    )
    return account


def payable_account(provider: Provider) -> Account:
    account, _ = Account.objects.get_or_create(
        kind=Account.Kind.PROVIDER_PAYABLE, provider=provider
    )
    return account


def contribution_account(person: Person) -> Account:
    account, _ = Account.objects.get_or_create(kind=Account.Kind.CONTRIBUTION, person=person)
    return account


def recoveries_account(person: Person) -> Account:
    account, _ = Account.objects.get_or_create(kind=Account.Kind.RECOVERIES, person=person)
    return account


def bank_account() -> Account:
    account, _ = Account.objects.get_or_create(kind=Account.Kind.BANK)
    return account


def _locked(accounts: Sequence[Account]) -> dict[int, Account]:
    """The accounts re-read under a row lock, in id order (no deadlock between writers)."""
    ids = sorted({a.pk for a in accounts})
    return {
        a.pk: a
        for a in Account.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")
    }


def _positive(amount_pence: int) -> None:
    if not isinstance(amount_pence, int) or isinstance(amount_pence, bool) or amount_pence <= 0:
        raise LedgerError(AMOUNT_NOT_POSITIVE, "amount_pence")


def _lost_race(**kwargs: object) -> LedgerError:
    """What a writer that lost a race on a database constraint is told."""
    if kwargs.get("reverses") is not None:
        return LedgerError(REVERSED_ALREADY, "original")
    if kwargs.get("kind") == Transaction.Kind.PAYMENT:
        return LedgerError(PAID_ALREADY.format(period=kwargs.get("period_key", "")), "period_key")
    return LedgerError(CHANGED_MEANWHILE)


@lost_race_refused(_lost_race)
def transaction_post(
    *,
    actor: User,
    kind: str,
    effective_date: dt.date,
    legs: Sequence[Leg],
    period_key: str = "",
    budget: Account | None = None,
    source_reference: str = "",
    description: str = "",
    approved_by: User | None = None,
    reverses: Transaction | None = None,
    person_id: int | None = None,
) -> Transaction:
    """Write one balanced transaction: its postings, the accounts' cached balances, for a
    payment its claim on the period, and an audit event, all in one database transaction
    (the caller's, if it has one)."""
    if len(legs) < 2:
        raise LedgerError(NO_POSTINGS, "legs")
    if any(not isinstance(amount, int) or amount == 0 for _, amount in legs):
        raise LedgerError(ZERO_POSTING, "legs")
    total = sum(amount for _, amount in legs)
    if total != 0:
        raise LedgerError(UNBALANCED.format(total=pounds(total)), "legs")
    if approved_by is not None and approved_by.pk == actor.pk:
        raise LedgerError(SAME_APPROVER, "approved_by")
    is_payment = kind == Transaction.Kind.PAYMENT
    if is_payment and (budget is None or not period_key.strip()):
        raise LedgerError(PERIOD_NEEDED, "period_key")
    with transaction.atomic():
        _locked([account for account, _ in legs])
        if (
            is_payment
            and PeriodPayment.objects.filter(
                budget_account=budget, period_key=period_key, released_by__isnull=True
            ).exists()
        ):
            raise LedgerError(PAID_ALREADY.format(period=period_key), "period_key")
        entry = Transaction.objects.create(
            kind=kind,
            effective_date=effective_date,
            period_key=period_key,
            budget_account=budget,
            source_reference=source_reference,
            description=description,
            prepared_by=actor,
            approved_by=approved_by,
            reverses=reverses,
        )
        Posting.objects.bulk_create(
            Posting(
                transaction=entry,
                account=account,
                amount_pence=amount,
                effective_date=effective_date,
            )
            for account, amount in legs
        )
        if is_payment and budget is not None:
            # The claim on the period (one open claim per budget and period: a constraint).
            PeriodPayment.objects.create(
                budget_account=budget, period_key=period_key, payment=entry
            )
        change: dict[int, int] = defaultdict(int)
        for account, amount in legs:
            change[account.pk] += amount
        for account_id, amount in change.items():
            if amount:
                Account.objects.filter(pk=account_id).update(
                    balance_pence=F("balance_pence") + amount
                )
        event_record(
            actor=actor,
            action=Action.CREATE,
            object_type="ledger_transaction",
            object_id=entry.pk,
            person_id=person_id,
            summary=(
                f"Posted {entry.get_kind_display().lower()} {entry.pk}"
                + (f": {description}" if description else "")
            )[:300],
            changes={str(account): [None, pounds(amount)] for account, amount in legs},
        )
    return entry


def budget_payment_post(
    *,
    actor: User,
    person: Person,
    deployment: str,
    funding_stream: str,
    period_key: str,
    amount_pence: int,
    effective_date: dt.date,
    approved_by: User | None = None,
    source_reference: str = "",
) -> Transaction:
    """Pay a budget for a period: the stream's funding moves to the budget account (once
    for the period: ``transaction_post`` claims it)."""
    _positive(amount_pence)
    if not period_key.strip():
        raise LedgerError(PERIOD_NEEDED, "period_key")
    with transaction.atomic():
        funding = funding_account(funding_stream)
        budget = budget_account(person, deployment)
        return transaction_post(
            actor=actor,
            kind=Transaction.Kind.PAYMENT,
            effective_date=effective_date,
            legs=[(funding, -amount_pence), (budget, amount_pence)],
            period_key=period_key,
            budget=budget,
            source_reference=source_reference,
            description=f"{pounds(amount_pence)} for {period_key} to {budget}",
            approved_by=approved_by,
            person_id=person.pk,
        )


def contribution_due_post(
    *,
    actor: User,
    person: Person,
    deployment: str,
    amount_pence: int,
    effective_date: dt.date,
    source_reference: str = "",
) -> Transaction:
    """The person's assessed contribution, due into their budget account."""
    _positive(amount_pence)
    with transaction.atomic():
        contribution, budget = contribution_account(person), budget_account(person, deployment)
        return transaction_post(
            actor=actor,
            kind=Transaction.Kind.CONTRIBUTION_DUE,
            effective_date=effective_date,
            legs=[(contribution, -amount_pence), (budget, amount_pence)],
            source_reference=source_reference,
            description=f"{pounds(amount_pence)} contribution due to {budget}",
            person_id=person.pk,
        )


def contribution_invoiced_post(
    *,
    actor: User,
    person: Person,
    amount_pence: int,
    effective_date: dt.date,
    funding_stream: str = "adult_social_care",
    source_reference: str = "",
) -> Transaction:
    """A contribution the council invoices the person for (above their direct payment, or
    towards support it pays gross): now owed by the person (their contribution account,
    credited) towards what the council's funding paid (the stream's account, debited).
    No budget account moves: the money paid for the budget is unchanged (decision 0037)."""
    _positive(amount_pence)
    with transaction.atomic():
        contribution, funding = contribution_account(person), funding_account(funding_stream)
        return transaction_post(
            actor=actor,
            kind=Transaction.Kind.CONTRIBUTION_DUE,
            effective_date=effective_date,
            legs=[(contribution, -amount_pence), (funding, amount_pence)],
            source_reference=source_reference,
            description=f"{pounds(amount_pence)} contribution invoiced to {person}",
            person_id=person.pk,
        )


def contribution_received_post(
    *,
    actor: User,
    person: Person,
    amount_pence: int,
    effective_date: dt.date,
    source_reference: str = "",
) -> Transaction:
    """The person's contribution received into the council's bank."""
    _positive(amount_pence)
    with transaction.atomic():
        bank, contribution = bank_account(), contribution_account(person)
        return transaction_post(
            actor=actor,
            kind=Transaction.Kind.CONTRIBUTION_RECEIVED,
            effective_date=effective_date,
            legs=[(bank, -amount_pence), (contribution, amount_pence)],
            source_reference=source_reference,
            description=f"{pounds(amount_pence)} contribution received from {person}",
            person_id=person.pk,
        )


def invoice_post(
    *,
    actor: User,
    person: Person,
    deployment: str,
    provider: Provider,
    amount_pence: int,
    effective_date: dt.date,
    source_reference: str = "",
    approved_by: User | None = None,
) -> Transaction:
    """A provider's invoice for the person's support: now owed to the provider."""
    _positive(amount_pence)
    with transaction.atomic():
        budget, payable = budget_account(person, deployment), payable_account(provider)
        return transaction_post(
            actor=actor,
            kind=Transaction.Kind.INVOICE,
            effective_date=effective_date,
            legs=[(budget, -amount_pence), (payable, amount_pence)],
            source_reference=source_reference,
            description=f"{pounds(amount_pence)} invoiced by {provider}",
            approved_by=approved_by,
            person_id=person.pk,
        )


def invoice_payment_post(
    *,
    actor: User,
    provider: Provider,
    amount_pence: int,
    effective_date: dt.date,
    source_reference: str = "",
    approved_by: User | None = None,
) -> Transaction:
    """Pay a provider what it is owed, out through the council's bank."""
    _positive(amount_pence)
    with transaction.atomic():
        payable, bank = payable_account(provider), bank_account()
        owed = _locked([payable])[payable.pk].balance_pence
        if amount_pence > owed:
            raise LedgerError(
                MORE_THAN_OWED.format(provider=provider, owed=pounds(owed)), "amount_pence"
            )
        return transaction_post(
            actor=actor,
            kind=Transaction.Kind.INVOICE_PAYMENT,
            effective_date=effective_date,
            legs=[(payable, -amount_pence), (bank, amount_pence)],
            source_reference=source_reference,
            description=f"{pounds(amount_pence)} paid to {provider}",
            approved_by=approved_by,
        )


def _take(account: Account, amount_pence: int | None) -> int:
    """What may be moved out of ``account`` (locked by the caller): all it holds when no
    amount is given, else the amount if it holds that much."""
    held = account.balance_pence
    if amount_pence is None:
        if held <= 0:
            raise LedgerError(NOTHING_HELD.format(account=str(account).lower()), "amount_pence")
        return held
    _positive(amount_pence)
    if amount_pence > held:
        raise LedgerError(
            MORE_THAN_HELD.format(account=str(account).lower(), held=pounds(held)), "amount_pence"
        )
    return amount_pence


def holding_switch_post(
    *,
    actor: User,
    person: Person,
    from_deployment: str,
    to_deployment: str,
    effective_date: dt.date,
    amount_pence: int | None = None,
    source_reference: str = "",
) -> Transaction:
    """Move a budget's balance (all of it unless an amount is given) from one way of holding
    to another; both accounts keep their history."""
    if from_deployment == to_deployment:
        raise LedgerError(SAME_WAY, "to_deployment")
    with transaction.atomic():
        source = budget_account(person, from_deployment)
        target = budget_account(person, to_deployment)
        amount = _take(_locked([source, target])[source.pk], amount_pence)
        return transaction_post(
            actor=actor,
            kind=Transaction.Kind.SWITCH,
            effective_date=effective_date,
            legs=[(source, -amount), (target, amount)],
            source_reference=source_reference,
            description=f"{pounds(amount)} moved from {DEPLOYMENTS[from_deployment].lower()} "
            f"to {DEPLOYMENTS[to_deployment].lower()}",
            person_id=person.pk,
        )


def recovery_post(
    *,
    actor: User,
    person: Person,
    deployment: str,
    amount_pence: int,
    effective_date: dt.date,
    source_reference: str = "",
    approved_by: User | None = None,
) -> Transaction:
    """Recover money from a budget account (after a recorded decision: the source document)."""
    with transaction.atomic():
        budget, recovered = budget_account(person, deployment), recoveries_account(person)
        amount = _take(_locked([budget, recovered])[budget.pk], amount_pence)
        return transaction_post(
            actor=actor,
            kind=Transaction.Kind.RECOVERY,
            effective_date=effective_date,
            legs=[(budget, -amount), (recovered, amount)],
            source_reference=source_reference,
            description=f"{pounds(amount)} recovered from {budget}",
            approved_by=approved_by,
            person_id=person.pk,
        )


def _reversed_refusal(**_kwargs: object) -> LedgerError:
    return LedgerError(REVERSED_ALREADY, "original")


@lost_race_refused(_reversed_refusal)
def transaction_reverse(
    *,
    actor: User,
    original: Transaction,
    effective_date: dt.date,
    reason: str = "",
) -> Transaction:
    """Correct a transaction by its mirror image (every posting negated); a payment's period
    may then be paid again. A transaction is reversed once (database constraint)."""
    if original.kind == Transaction.Kind.REVERSAL:
        raise LedgerError(REVERSAL_OF_REVERSAL, "original")
    with transaction.atomic():
        postings = list(original.postings.select_related("account", "account__person"))
        _locked([p.account for p in postings])
        if Transaction.objects.filter(reverses=original).exists():
            raise _reversed_refusal()
        person_ids = {p.account.person_id for p in postings if p.account.person_id}
        reversal = transaction_post(
            actor=actor,
            kind=Transaction.Kind.REVERSAL,
            effective_date=effective_date,
            legs=[(p.account, -p.amount_pence) for p in postings],
            reverses=original,
            source_reference=original.source_reference,
            description=f"Reverses {original.get_kind_display().lower()} {original.pk}"
            + (f": {reason}" if reason else ""),
            person_id=next(iter(person_ids)) if len(person_ids) == 1 else None,
        )
        PeriodPayment.objects.filter(payment=original, released_by__isnull=True).update(
            released_by=reversal
        )
    return reversal


# Many payments at once (a payment run): the same invariants as ``transaction_post`` and
# ``budget_payment_post``, written in bulk so a run of 100,000 budgets takes seconds.

NOT_A_BUDGET = "A payment must be into a budget account"
APPROVER_NEEDED = "A payment run's payments need the second officer who approved them"


@dataclass(frozen=True)
class BatchPayment:
    """One budget's payment for a period: ``funding`` is (funding account id, pence) for
    each stream paying it; the budget account receives their sum."""

    budget_account_id: int
    period_key: str
    funding: tuple[tuple[int, int], ...]
    person_id: int
    effective_date: dt.date
    description: str = ""

    @property
    def amount_pence(self) -> int:
        return sum(pence for _, pence in self.funding)


def budget_payments_post(
    *,
    actor: User,
    approved_by: User,
    source_reference: str,
    payments: Sequence[BatchPayment],
) -> list[BatchPayment]:
    """Pay many budgets in one database transaction (the caller's, if it has one): for each
    payment a balanced transaction (funding streams credited, the budget account debited),
    its postings, its claim on the period and the accounts' cached balances, and one audit
    event for the batch. A budget already paid for the period (an open claim) is skipped,
    not paid twice: so a batch run again after a crash pays only what it had not. Returns
    the payments made. Refuses the whole batch (nothing written) if any payment breaks a
    rule. The payments are staged (``batch_stage``) and posted by ``staged_payments_post``,
    the one writer of a payment run's payments (decision 0057)."""
    if approved_by.pk == actor.pk:
        raise LedgerError(SAME_APPROVER, "approved_by")
    for payment in payments:
        if not payment.period_key.strip():
            raise LedgerError(PERIOD_NEEDED, "period_key")
        if not payment.funding or any(
            not isinstance(p, int) or isinstance(p, bool) or p <= 0 for _, p in payment.funding
        ):
            raise LedgerError(AMOUNT_NOT_POSITIVE, "amount_pence")
    if not payments:
        return []
    seen: set[tuple[int, str]] = set()
    candidates: list[BatchPayment] = []
    for payment in payments:
        key = (payment.budget_account_id, payment.period_key)
        if key not in seen:
            seen.add(key)  # a budget twice in one batch is paid once
            candidates.append(payment)
    payments = candidates
    with transaction.atomic():
        batch_stage()
        adapt = connection.ops.adapt_datefield_value
        _rows_insert_plain(
            STAGE,
            ["seq", "line_key", "budget_account_id", "period_key", "effective_date", "description"],
            [
                (
                    number,
                    number,
                    p.budget_account_id,
                    p.period_key,
                    adapt(p.effective_date),
                    p.description[:200],
                )
                for number, p in enumerate(payments, start=1)
            ],
        )
        _rows_insert_plain(
            STAGE_LEGS,
            ["seq", "account_id", "pence"],
            [
                (number, account_id, pence)
                for number, p in enumerate(payments, start=1)
                for account_id, pence in p.funding
            ],
        )
        posted = staged_payments_post(
            actor=actor, approved_by=approved_by, source_reference=source_reference
        )
    return [payments[key - 1] for key in posted.keys]


# The staging tables of a batch of payments (decision 0057): temporary tables of the
# connection, emptied by ``batch_stage`` at the start of each batch and rolled back with
# it. A caller stages one row a payment (``STAGE``: its number ``seq`` from 1, a key of
# the caller's own, the budget account, period, date and description) and one row a
# funding leg (``STAGE_LEGS``: the payment's ``seq``, and the funding account's id or
# its stream's code, and the pence), by plain SQL (a payment run's ``INSERT … SELECT``
# from its lines) or by ``budget_payments_post``.
STAGE = "ledger_stage_payment"
STAGE_LEGS = "ledger_stage_leg"
_STAGE_DDL = (
    f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (seq {{seq_type}} PRIMARY KEY, line_key bigint NOT "
    "NULL, budget_account_id bigint NOT NULL, period_key varchar(20) NOT NULL, "
    "effective_date date NOT NULL, description varchar(200) NOT NULL, amount bigint, "
    "tx_id bigint{tx_id_default}){on_commit}",
    f"CREATE TEMP TABLE IF NOT EXISTS {STAGE_LEGS} (seq bigint NOT NULL, account_id bigint, "
    "stream varchar(30) NOT NULL DEFAULT '', pence bigint NOT NULL){on_commit}",
    f"CREATE INDEX IF NOT EXISTS {STAGE_LEGS}_seq ON {STAGE_LEGS} (seq)",
)


def _stage_ddl() -> list[str]:
    """The staging tables' DDL for this database. On PostgreSQL the rows go at each commit
    (``ON COMMIT DELETE ROWS``: a truncation, where a ``DELETE`` left every batch's rows
    dead in a table no autovacuum visits, so each batch read more than the last), and each
    payment takes its transaction's id from the transactions' sequence as it is staged, in
    the order it is staged (no second pass over the staged rows to give the ids)."""
    if connection.vendor != "postgresql":
        # SQLite: the payment's number is the table's rowid (an INTEGER PRIMARY KEY is;
        # a bigint one is a second index to write and search).
        return [
            ddl.format(seq_type="INTEGER", tx_id_default="", on_commit="") for ddl in _STAGE_DDL
        ]
    sequence = getattr(connection, "_selfdirect_tx_sequence", None)
    if sequence is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [Transaction._meta.db_table])
            sequence = cursor.fetchone()[0]
        connection._selfdirect_tx_sequence = sequence  # type: ignore[attr-defined]
    default = f" DEFAULT nextval('{sequence}'::regclass)"
    return [
        ddl.format(seq_type="bigint", tx_id_default=default, on_commit=" ON COMMIT DELETE ROWS")
        for ddl in _STAGE_DDL
    ]


def batch_stage() -> None:
    """Make the staging tables if this connection has none, and empty them (in the
    caller's database transaction, the batch's)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # For this batch's transaction only: each staged row finds its account, line
            # and claim by an index. Left to itself PostgreSQL hash-joined the 2,000 staged
            # rows with a scan of the whole account table, once per statement, which made
            # a run of 100,000 budgets slower with every batch (decision 0057).
            cursor.execute("SET LOCAL enable_hashjoin = off")
            cursor.execute("SET LOCAL enable_mergejoin = off")
        for statement in _stage_ddl():
            cursor.execute(statement)
        cursor.execute(f"DELETE FROM {STAGE}")  # noqa: S608
        cursor.execute(f"DELETE FROM {STAGE_LEGS}")  # noqa: S608


@dataclass(frozen=True)
class Posted:
    """What ``staged_payments_post`` paid: the callers' keys of the payments made (in
    their order), and the pence paid in all."""

    keys: list[int]
    pence: int


def _one(cursor: Any, sql: str, params: Sequence[Any] = ()) -> Any:
    cursor.execute(sql, list(params))
    return cursor.fetchone()[0]


def staged_payments_post(*, actor: User, approved_by: User, source_reference: str) -> Posted:
    """Post the staged payments (``batch_stage``) in the caller's database transaction,
    each as a balanced transaction of its own, in set-based SQL: no payment's rows pass
    through Python. The rules of ``budget_payments_post`` are checked over the whole batch
    first (refused, nothing written, if any payment breaks one): a period named, each leg
    more than £0 from a council funding account, every payment into a budget account.
    A budget already paid for the period (an open claim) is not paid again; a caller stages
    each budget and period once (twice, the claims' unique index refuses the batch on
    SQLite; PostgreSQL pays the first). The accounts are locked in id order (PostgreSQL), and
    their cached balances move by the batch's postings; one audit event for the batch."""
    if approved_by.pk == actor.pk:
        raise LedgerError(SAME_APPROVER, "approved_by")
    postgresql = connection.vendor == "postgresql"
    quote = connection.ops.quote_name
    accounts = quote(Account._meta.db_table)
    entries = quote(Transaction._meta.db_table)
    claims = quote(PeriodPayment._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        # Legs staged by stream: their funding accounts (opened on first use; a few).
        streams = [
            (stream, funding_account(stream).pk)
            for (stream,) in _all(
                cursor,
                f"SELECT DISTINCT stream FROM {STAGE_LEGS} WHERE account_id IS NULL "  # noqa: S608
                "ORDER BY stream",
            )
        ]
        if streams:
            cursor.execute(
                f"UPDATE {STAGE_LEGS} SET account_id = CASE stream "  # noqa: S608
                + " ".join(["WHEN %s THEN %s"] * len(streams))
                + " END WHERE account_id IS NULL",
                [value for pair in streams for value in pair],
            )
        if postgresql:
            # The budget accounts' rows locked now, in id order; the funding accounts' (a
            # few, in every batch) only before their balances move, last: so batches paid
            # at once wait for each other only there (decision 0060).
            cursor.execute(
                f"SELECT count(*) FROM (SELECT id FROM {accounts} WHERE id IN "  # noqa: S608
                f"(SELECT budget_account_id FROM {STAGE}) ORDER BY id FOR NO KEY UPDATE) AS locked"
            )
        # Each payment's amount, the sum of its legs (none: NULL, refused below), and its
        # transaction's id: on PostgreSQL taken from the sequence as it was staged (the
        # staging table's default, ``_stage_ddl``); on SQLite after the highest id ever
        # given (AUTOINCREMENT never reuses one), read under the write lock held from BEGIN
        # (transaction_mode IMMEDIATE), so no other writer takes ids meanwhile. The ids
        # follow the payments' order (seq) on both databases, so a seed gives the same
        # ledger on either.
        if postgresql:
            given = ""
            start: list[Any] = []
        else:
            given = f", tx_id = %s + {STAGE}.seq"
            start = [
                _one(cursor, _HIGHEST_ID_SQL.format(entries=entries), [Transaction._meta.db_table])
            ]
        cursor.execute(
            f"UPDATE {STAGE} SET amount = v.amount{given} FROM (SELECT seq, "  # noqa: S608
            f"sum(pence) AS amount FROM {STAGE_LEGS} GROUP BY seq) AS v "
            f"WHERE v.seq = {STAGE}.seq",
            start,
        )
        # The rules, over the whole batch in one statement, each answered in this order.
        nameless, legless, not_positive, not_budget, not_funding = _one_row(
            cursor,
            f"SELECT (SELECT count(*) FROM {STAGE} WHERE trim(period_key) = ''), "  # noqa: S608
            f"(SELECT count(*) FROM {STAGE} WHERE amount IS NULL), "
            f"(SELECT count(*) FROM {STAGE_LEGS} WHERE pence <= 0), "
            f"(SELECT count(*) FROM {STAGE} s WHERE NOT EXISTS (SELECT 1 FROM {accounts} a "
            "WHERE a.id = s.budget_account_id AND a.kind = 'budget')), "
            f"(SELECT count(*) FROM (SELECT DISTINCT account_id FROM {STAGE_LEGS}) g "
            f"WHERE NOT EXISTS (SELECT 1 FROM {accounts} a WHERE a.id = g.account_id "
            "AND a.kind = 'council_funding'))",
        )
        if nameless:
            raise LedgerError(PERIOD_NEEDED, "period_key")
        if legless or not_positive:
            raise LedgerError(AMOUNT_NOT_POSITIVE, "amount_pence")
        if not_budget:
            raise LedgerError(NOT_A_BUDGET, "budget_account")
        if not_funding:
            raise LedgerError(UNKNOWN_STREAM, "funding_stream")
        if postgresql:
            # The claim is the check (decision 0036): each payment's claim inserted unless an
            # open claim holds the period (the partial unique index), and only the payments
            # claimed are paid.
            cursor.execute(
                f"INSERT INTO {claims} (budget_account_id, period_key, payment_id) "  # noqa: S608
                f"SELECT budget_account_id, period_key, tx_id FROM {STAGE} ORDER BY seq "
                "ON CONFLICT (budget_account_id, period_key) WHERE released_by_id IS NULL "
                "DO NOTHING"
            )
            claimed = cursor.rowcount
            if claimed != _one(cursor, f"SELECT count(*) FROM {STAGE}"):  # noqa: S608
                cursor.execute(
                    f"DELETE FROM {STAGE} s WHERE NOT EXISTS (SELECT 1 FROM {claims} c "  # noqa: S608
                    "WHERE c.payment_id = s.tx_id)"
                )
                _legs_of_staged_only(cursor)
        else:
            # The open claims, read through the partial unique index of open claims (left
            # to itself SQLite takes the one-to-one index on released_by_id, NULL for each
            # open claim, and reads every open claim); under the write lock, as above.
            cursor.execute(
                f"DELETE FROM {STAGE} WHERE EXISTS (SELECT 1 FROM {claims} c "  # noqa: S608
                "INDEXED BY ledger_periodpayment_paid_once WHERE c.released_by_id IS NULL "
                f"AND c.budget_account_id = {STAGE}.budget_account_id "
                f"AND c.period_key = {STAGE}.period_key)"
            )
            if cursor.rowcount:
                _legs_of_staged_only(cursor)
        count, pence, first, last_id = _one_row(
            cursor,
            f"SELECT count(*), coalesce(sum(amount), 0), min(tx_id), max(tx_id) FROM {STAGE}",  # noqa: S608
        )
        if not count:
            return Posted(keys=[], pence=0)
        ops = connection.ops
        cursor.execute(
            f"INSERT INTO {entries} (id, kind, effective_date, period_key, "  # noqa: S608
            "budget_account_id, source_reference, description, prepared_by_id, "
            "approved_by_id, created_at) SELECT tx_id, %s, effective_date, period_key, "
            f"budget_account_id, %s, description, %s, %s, %s FROM {STAGE} ORDER BY seq",
            [
                Transaction.Kind.PAYMENT.value,
                source_reference,
                actor.pk,
                approved_by.pk,
                ops.adapt_datetimefield_value(timezone.now()),
            ],
        )
        if not postgresql:
            cursor.execute(
                f"INSERT INTO {claims} (budget_account_id, period_key, payment_id) "  # noqa: S608
                f"SELECT budget_account_id, period_key, tx_id FROM {STAGE} ORDER BY seq"
            )
        # The funding legs (credits), then each budget account's debit of their sum: in
        # each transaction the credits come first, as ``transaction_post`` writes them.
        postings = quote(Posting._meta.db_table)
        cursor.execute(
            f"INSERT INTO {postings} (transaction_id, account_id, amount_pence, "  # noqa: S608
            "effective_date) SELECT s.tx_id, g.account_id, -g.pence, s.effective_date "
            f"FROM {STAGE} s JOIN {STAGE_LEGS} g ON g.seq = s.seq ORDER BY s.seq, g.stream"
        )
        cursor.execute(
            f"INSERT INTO {postings} (transaction_id, account_id, amount_pence, "  # noqa: S608
            "effective_date) SELECT tx_id, budget_account_id, amount, effective_date "
            f"FROM {STAGE} ORDER BY seq"
        )
        # The cached balances, each account found by its primary key: one statement for
        # the budget accounts, one for the funding accounts (a few; on PostgreSQL their
        # rows are locked first, in id order).
        for moves in (
            f"SELECT budget_account_id AS account_id, sum(amount) AS amount FROM {STAGE} "  # noqa: S608
            "GROUP BY budget_account_id",
            f"SELECT account_id, -sum(pence) AS amount FROM {STAGE_LEGS} GROUP BY account_id",  # noqa: S608
        ):
            if postgresql and STAGE_LEGS in moves:
                # The foreign keys of what this batch wrote checked now, not at commit (then
                # deferred again, as Django makes them): the funding rows locked next are
                # held only for the batch's last statements, not for those checks.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT id FROM {accounts} WHERE id IN "  # noqa: S608
                    f"(SELECT account_id FROM {STAGE_LEGS}) ORDER BY id FOR NO KEY UPDATE) AS locked"
                )
            cursor.execute(
                f"UPDATE {accounts} SET balance_pence = balance_pence + v.amount "  # noqa: S608
                f"FROM ({moves}) AS v WHERE {accounts}.id = v.account_id"
            )
        keys = [int(k) for (k,) in _all(cursor, f"SELECT line_key FROM {STAGE} ORDER BY seq")]  # noqa: S608
        event_record(
            actor=actor,
            action=Action.CREATE,
            object_type="ledger_payments",
            object_id=f"{first}-{last_id}"[:40],
            summary=f"Posted {count} payments of {pounds(int(pence))} for {source_reference}"[:300],
            changes={"Approved by": [None, approved_by.get_username()]},
        )
    return Posted(keys=keys, pence=int(pence))


# SQLite: the highest transaction id ever given (AUTOINCREMENT's record, or the table's).
_HIGHEST_ID_SQL = (
    "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
    "coalesce((SELECT max(id) FROM {entries}), 0))"
)


def _legs_of_staged_only(cursor: Any) -> None:
    """Drop the legs of payments no longer staged (paid already)."""
    cursor.execute(
        f"DELETE FROM {STAGE_LEGS} WHERE seq NOT IN (SELECT seq FROM {STAGE})"  # noqa: S608
    )


def _one_row(cursor: Any, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...]:
    cursor.execute(sql, list(params))
    return tuple(cursor.fetchone())


def _all(cursor: Any, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    cursor.execute(sql, list(params))
    return [tuple(row) for row in cursor.fetchall()]


def _rows_insert_plain(table: str, columns: list[str], rows: Sequence[Sequence[Any]]) -> None:
    """Rows into a staging table, in multi-row INSERTs (a few payments, from Python)."""
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            part = rows[start : start + 1000]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608
                + ", ".join([one] * len(part)),
                [value for row in part for value in row],
            )
