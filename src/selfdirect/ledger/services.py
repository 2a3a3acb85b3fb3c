"""Writing to the ledger. ``transaction_post`` is the one function that writes transactions
and postings: it refuses an unbalanced one, locks the accounts it touches (in id order, so
two writers never deadlock) and keeps each account's cached balance in the same database
transaction. The movement services below build balanced transactions on top of it, each
refusing with a named error and writing one audit event.

Money flows from the credited account (negative posting) to the debited one (positive):
see the module docstring of ``ledger.models`` and docs/finance-guide.md."""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, models, transaction
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
    return {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


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
    rule."""
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
    with transaction.atomic():
        account_ids = sorted(
            {p.budget_account_id for p in payments} | {a for p in payments for a, _ in p.funding}
        )
        # Row locks in id order (as transaction_post takes them: no deadlock between writers),
        # read in plain SQL: Django's per-value work on a 10,000-id IN list costs more than
        # the query.
        kinds = dict(_rows_read(Account, ["id", "kind"], "id", account_ids, lock=True))
        for payment in payments:
            if kinds.get(payment.budget_account_id) != Account.Kind.BUDGET:
                raise LedgerError(NOT_A_BUDGET, "budget_account")
            if any(kinds.get(a) != Account.Kind.COUNCIL_FUNDING for a, _ in payment.funding):
                raise LedgerError(UNKNOWN_STREAM, "funding_stream")
        ops = connection.ops
        days: dict[dt.date, Any] = {}
        for payment in payments:
            if payment.effective_date not in days:
                days[payment.effective_date] = ops.adapt_datefield_value(payment.effective_date)
        candidates: list[BatchPayment] = []
        seen: set[tuple[int, str]] = set()
        for payment in payments:
            key = (payment.budget_account_id, payment.period_key)
            if key not in seen:
                seen.add(key)  # a budget twice in one batch is paid once
                candidates.append(payment)
        if connection.vendor == "postgresql":
            # The claim is the check (decision 0036): ids from the table's sequence, then
            # each budget's claim inserted unless an open claim already holds the period
            # (the partial unique index, ON CONFLICT DO NOTHING), and only those claimed paid.
            ids = _ids_take(Transaction, len(candidates))
            won = _claims_insert(candidates, ids)
            paying = [(i, p) for i, p in zip(ids, candidates, strict=True) if i in won]
        else:
            # The open claims, read through the partial unique index of open claims.
            periods = {p.period_key for p in candidates}
            claimed = {
                (account_id, key)
                for account_id, key in _rows_read(
                    PeriodPayment,
                    ["budget_account_id", "period_key"],
                    "budget_account_id",
                    sorted({p.budget_account_id for p in candidates}),
                    where='"released_by_id" IS NULL',
                    # Named: left to itself SQLite reads every open claim through the
                    # one-to-one index on released_by_id (NULL for each open claim).
                    sqlite_index="ledger_periodpayment_paid_once",
                )
                if key in periods
            }
            paying = [
                (0, p) for p in candidates if (p.budget_account_id, p.period_key) not in claimed
            ]
        if not paying:
            return []
        to_pay = [p for _, p in paying]
        now = ops.adapt_datetimefield_value(timezone.now())
        entry_columns = [
            "kind",
            "effective_date",
            "period_key",
            "budget_account_id",
            "source_reference",
            "description",
            "prepared_by_id",
            "approved_by_id",
            "created_at",
        ]
        kind = Transaction.Kind.PAYMENT.value
        entry_rows = [
            (
                kind,
                days[p.effective_date],
                p.period_key,
                p.budget_account_id,
                source_reference,
                p.description[:200],
                actor.pk,
                approved_by.pk,
                now,
            )
            for p in to_pay
        ]
        if connection.vendor == "postgresql":
            entry_ids = [i for i, _ in paying]
            _rows_insert(
                Transaction,
                ["id", *entry_columns],
                [(i, *row) for i, row in zip(entry_ids, entry_rows, strict=True)],
            )
        else:
            entry_ids = _rows_insert(Transaction, entry_columns, entry_rows, returning=True)
        postings: list[tuple[int, int, int, Any]] = []
        change: dict[int, int] = defaultdict(int)
        for entry_id, p in zip(entry_ids, to_pay, strict=True):
            day = days[p.effective_date]
            amount = 0
            for funding_id, pence in p.funding:
                postings.append((entry_id, funding_id, -pence, day))
                change[funding_id] -= pence
                amount += pence
            postings.append((entry_id, p.budget_account_id, amount, day))
            change[p.budget_account_id] += amount
        _rows_insert(
            Posting, ["transaction_id", "account_id", "amount_pence", "effective_date"], postings
        )
        if connection.vendor != "postgresql":
            _rows_insert(
                PeriodPayment,
                ["budget_account_id", "period_key", "payment_id"],
                [
                    (p.budget_account_id, p.period_key, entry_id)
                    for entry_id, p in zip(entry_ids, to_pay, strict=True)
                ],
            )
        _balances_add(change)
        total = sum(p.amount_pence for p in to_pay)
        event_record(
            actor=actor,
            action=Action.CREATE,
            object_type="ledger_payments",
            object_id=f"{entry_ids[0]}-{entry_ids[-1]}"[:40],
            summary=f"Posted {len(to_pay)} payments of {pounds(total)} for {source_reference}"[
                :300
            ],
            changes={"Approved by": [None, approved_by.get_username()]},
        )
    return to_pay


def _rows_insert(
    model: type[models.Model],
    columns: list[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning: bool = False,
    chunk: int = 1000,
) -> list[int]:
    """Insert rows (values already adapted for the database): on PostgreSQL (without
    ``returning``) by one COPY; otherwise in multi-row INSERTs of ``chunk`` rows, and with
    ``returning`` the new ids in the rows' order (RETURNING, on PostgreSQL and on SQLite
    3.35 or later, as Django's own bulk_create relies on)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    if connection.vendor == "postgresql" and not returning:
        # COPY: no SQL text to build or parse per row (psycopg's client-side parsing of a
        # 9,000-placeholder INSERT cost more than the server's insert).
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return []
    sqlite = connection.vendor == "sqlite"
    # SQLite: its own "?" placeholders, given straight to the sqlite3 cursor (Django's
    # wrapper rewrites every "%s" of each 4,000-placeholder statement with a regex).
    one = "(" + ", ".join(["?" if sqlite else "%s"] * len(columns)) + ")"
    ids: list[int] = []
    with connection.cursor() as cursor:
        execute = (
            functools.partial(sqlite3.Cursor.execute, cursor.cursor) if sqlite else cursor.execute
        )
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            # Table and column names come from the models, never from input.
            values = ", ".join([one] * len(part))
            sql = f"INSERT INTO {table} ({names}) VALUES {values}"  # noqa: S608
            params: list[Any] = [value for row in part for value in row]
            if returning:
                found = execute(sql + " RETURNING " + quote("id"), params)
                ids.extend(int(row[0]) for row in (found if sqlite else cursor).fetchall())
            else:
                execute(sql, params)
    return ids


def _rows_read(
    model: type[models.Model],
    columns: list[str],
    key: str,
    values: Sequence[Any],
    *,
    lock: bool = False,
    where: str = "",
    sqlite_index: str = "",
    chunk: int = 900,
) -> list[tuple[Any, ...]]:
    """Rows whose ``key`` is one of ``values`` (and that meet the fixed SQL condition
    ``where``, if given), in plain SQL, ``chunk`` values a query (and under row locks, in
    key order, where the database has them); on SQLite through ``sqlite_index`` if named."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    extra = f" AND {where}" if where else ""
    sqlite = connection.vendor == "sqlite"
    indexed = f" INDEXED BY {quote(sqlite_index)}" if sqlite_index and sqlite else ""
    locking = " ORDER BY 1 FOR UPDATE" if lock and connection.features.has_select_for_update else ""
    found: list[tuple[Any, ...]] = []
    if connection.vendor == "postgresql":
        # One query with the values as one array parameter.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {names} FROM {table} WHERE {quote(key)} = ANY(%s){extra}{locking}",  # noqa: S608
                [list(values)],
            )
            return [tuple(row) for row in cursor.fetchall()]
    with connection.cursor() as cursor:
        for start in range(0, len(values), chunk):
            part = list(values[start : start + chunk])
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(
                f"SELECT {names} FROM {table}{indexed} "  # noqa: S608
                f"WHERE {quote(key)} IN ({marks}){extra}{locking}",
                part,
            )
            found.extend(tuple(row) for row in cursor.fetchall())
    return found


def _balances_add(change: dict[int, int]) -> None:
    """Add each amount to its account's cached balance (under the caller's row locks)."""
    table = connection.ops.quote_name(Account._meta.db_table)
    items = [(account_id, amount) for account_id, amount in sorted(change.items()) if amount]
    if connection.vendor == "postgresql":
        # One statement for the batch, the ids and amounts as two array parameters (a round
        # trip per account, or a long VALUES list to parse, is most of the cost there).
        if items:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} AS a SET balance_pence = a.balance_pence + v.amount "  # noqa: S608
                    "FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, amount) WHERE a.id = v.id",
                    [[i for i, _ in items], [amount for _, amount in items]],
                )
        return
    if connection.vendor == "sqlite" and items:
        # One statement for up to 8,000 accounts (a batch's), ``UPDATE … FROM (VALUES …)``
        # (SQLite 3.33 or later): each account found by its primary key (the plan is
        # pinned by tests/ledger/test_batch_payments.py). Given straight to the sqlite3
        # cursor with its own "?" placeholders, as ``_rows_insert`` does.
        with connection.cursor() as cursor:
            for start in range(0, len(items), BALANCES_AT_ONCE):
                part = items[start : start + BALANCES_AT_ONCE]
                cursor.cursor.execute(balances_sql(len(part)), [v for item in part for v in item])
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET balance_pence = balance_pence + %s WHERE id = %s",  # noqa: S608
            [(amount, account_id) for account_id, amount in items],
        )


# SQLite allows 32,766 parameters a statement: two for each account.
BALANCES_AT_ONCE = 8000


def balances_sql(count: int) -> str:
    """SQLite's one statement adding ``count`` (account id, amount) pairs to the cached
    balances."""
    table = connection.ops.quote_name(Account._meta.db_table)
    values = ", ".join(["(?, ?)"] * count)
    return (
        f"UPDATE {table} AS a SET balance_pence = a.balance_pence + v.amount "  # noqa: S608
        f"FROM (SELECT column1 AS id, column2 AS amount FROM (VALUES {values})) AS v "
        "WHERE a.id = v.id"
    )


def _claims_insert(payments: Sequence[BatchPayment], ids: Sequence[int]) -> set[int]:
    """Insert each payment's claim on its period, naming its transaction's id, unless an
    open claim holds that budget and period (PostgreSQL, one statement); the ids of the
    claims inserted. The transactions follow in the same database transaction (the
    foreign key is checked at commit)."""
    table = connection.ops.quote_name(PeriodPayment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (budget_account_id, period_key, payment_id) "  # noqa: S608
            "SELECT * FROM unnest(%s::bigint[], %s::varchar[], %s::bigint[]) "
            "ON CONFLICT (budget_account_id, period_key) WHERE released_by_id IS NULL "
            "DO NOTHING RETURNING payment_id",
            [[p.budget_account_id for p in payments], [p.period_key for p in payments], list(ids)],
        )
        return {int(row[0]) for row in cursor.fetchall()}


def _ids_take(model: type[models.Model], count: int) -> list[int]:
    """``count`` new ids from the table's own sequence (PostgreSQL), in one query: rows
    inserted with them by COPY keep the sequence ahead of every id used."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        # The sequence's name looked up once, not once a row.
        cursor.execute(
            "SELECT pg_get_serial_sequence(%s, 'id')", [connection.ops.quote_name(table)]
        )
        sequence = cursor.fetchone()[0]
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count]
        )
        return sorted(int(row[0]) for row in cursor.fetchall())
