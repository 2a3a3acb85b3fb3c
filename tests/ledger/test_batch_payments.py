"""budget_payments_post: many payments in one transaction, with the invariants of
budget_payment_post (balanced, claimed once per period, approved by a second person)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.ledger import services as ledger
from selfdirect.ledger.checks import ledger_check
from selfdirect.ledger.models import Posting, Transaction
from tests.factories import second_user

pytestmark = pytest.mark.django_db
APRIL = dt.date(2026, 4, 6)


def _batch(council: Any, amounts: dict[str, int]) -> list[ledger.BatchPayment]:
    asc = ledger.funding_account("adult_social_care").pk
    chc = ledger.funding_account("nhs_chc").pk
    return [
        ledger.BatchPayment(
            budget_account_id=ledger.budget_account(person, "direct_payment").pk,
            period_key="2026-04",
            funding=((asc, amounts[name]), (chc, 100)),
            person_id=person.pk,
            effective_date=APRIL,
        )
        for name, person in (("ada", council.holder_person), ("bea", council.other_person))
    ]


def test_a_batch_pays_each_budget_once_and_balances(council: Any) -> None:
    finance, second = council.users[Role.FINANCE], second_user(council, Role.FINANCE)
    batch = _batch(council, {"ada": 1000, "bea": 2000})
    made = ledger.budget_payments_post(
        actor=finance, approved_by=second, source_reference="PR1", payments=batch
    )
    assert len(made) == 2
    ada = ledger.budget_account(council.holder_person, "direct_payment")
    assert ada.balance_pence == 1100
    assert ledger.funding_account("adult_social_care").balance_pence == -3000
    # The same batch again (a rerun after a crash): nothing is paid twice.
    again = ledger.budget_payments_post(
        actor=finance, approved_by=second, source_reference="PR1", payments=batch
    )
    assert again == []
    assert Transaction.objects.count() == 2 and Posting.objects.count() == 6
    # And the single-payment service agrees the period is paid.
    with pytest.raises(ledger.LedgerError) as refused:
        ledger.budget_payment_post(
            actor=finance,
            person=council.holder_person,
            deployment="direct_payment",
            funding_stream="adult_social_care",
            period_key="2026-04",
            amount_pence=5,
            effective_date=APRIL,
        )
    assert str(refused.value) == ledger.PAID_ALREADY.format(period="2026-04")
    report = ledger_check()
    assert report.balanced and not report.problems


def test_a_batch_needs_a_second_person_and_positive_amounts(council: Any) -> None:
    finance = council.users[Role.FINANCE]
    with pytest.raises(ledger.LedgerError) as refused:
        ledger.budget_payments_post(
            actor=finance,
            approved_by=finance,
            source_reference="PR1",
            payments=_batch(council, {"ada": 1000, "bea": 2000}),
        )
    assert str(refused.value) == ledger.SAME_APPROVER
    with pytest.raises(ledger.LedgerError) as refused:
        ledger.budget_payments_post(
            actor=finance,
            approved_by=second_user(council, Role.FINANCE),
            source_reference="PR1",
            payments=_batch(council, {"ada": 1000, "bea": 0}),
        )
    assert str(refused.value) == ledger.AMOUNT_NOT_POSITIVE
    assert not Transaction.objects.exists()


def test_a_batch_pays_only_into_budget_accounts(council: Any) -> None:
    wrong = ledger.BatchPayment(
        budget_account_id=ledger.bank_account().pk,
        period_key="2026-04",
        funding=((ledger.funding_account("adult_social_care").pk, 100),),
        person_id=council.holder_person.pk,
        effective_date=APRIL,
    )
    with pytest.raises(ledger.LedgerError) as refused:
        ledger.budget_payments_post(
            actor=council.users[Role.FINANCE],
            approved_by=second_user(council, Role.FINANCE),
            source_reference="PR1",
            payments=[wrong],
        )
    assert str(refused.value) == ledger.NOT_A_BUDGET
    assert not Transaction.objects.exists()


def test_after_a_batch_single_postings_take_new_ids(council: Any) -> None:
    """On PostgreSQL the batch takes its transactions' ids from the sequence and writes
    them by COPY: the sequence must stay ahead, so a later single posting (here a
    reversal) gets an id of its own, and each claim names its own payment."""
    from selfdirect.ledger.models import PeriodPayment

    finance, second = council.users[Role.FINANCE], second_user(council, Role.FINANCE)
    made = ledger.budget_payments_post(
        actor=finance,
        approved_by=second,
        source_reference="PR1",
        payments=_batch(council, {"ada": 1000, "bea": 2000}),
    )
    assert len(made) == 2
    claims = {c.budget_account_id: c.payment for c in PeriodPayment.objects.select_related()}
    for payment in made:
        entry = claims[payment.budget_account_id]
        assert entry.budget_account_id == payment.budget_account_id
        assert sum(entry.postings.values_list("amount_pence", flat=True)) == 0
    paid = max(t.pk for t in claims.values())
    reversal = ledger.transaction_reverse(
        actor=finance,
        original=next(iter(claims.values())),
        effective_date=APRIL,
        reason="Paid in error",
    )
    assert reversal.pk > paid
    assert Transaction.objects.count() == 3
    report = ledger_check()
    assert report.balanced and not report.problems


def test_a_batch_skips_open_claims_and_pays_released_ones(council: Any) -> None:
    """Whether a budget is paid is the open claim on its period (decision 0036: on
    PostgreSQL the claim's insert is the check): a reversed payment's period is paid by the
    batch, a period already paid is skipped, a budget twice in the batch is paid once."""
    finance, second = council.users[Role.FINANCE], second_user(council, Role.FINANCE)
    paid = {
        name: ledger.budget_payment_post(
            actor=finance,
            person=person,
            deployment="direct_payment",
            funding_stream="adult_social_care",
            period_key="2026-04",
            amount_pence=700,
            effective_date=APRIL,
            approved_by=second,
        )
        for name, person in (("ada", council.holder_person), ("bea", council.other_person))
    }
    ledger.transaction_reverse(actor=second, original=paid["ada"], effective_date=APRIL)
    ada, bea = _batch(council, {"ada": 1000, "bea": 2000})
    made = ledger.budget_payments_post(
        actor=finance, approved_by=second, source_reference="PR1", payments=[ada, bea, ada]
    )
    assert made == [ada]
    account = ledger.budget_account(council.holder_person, "direct_payment")
    assert account.balance_pence == 1100  # 700 paid, 700 reversed, 1,100 by the batch
    entry = Transaction.objects.get(source_reference="PR1")
    assert entry.budget_account_id == account.pk and entry.claim.budget_account_id == account.pk
    assert sorted(entry.postings.values_list("amount_pence", flat=True)) == [-1000, -100, 1100]
    assert ledger.budget_account(council.other_person, "direct_payment").balance_pence == 700
    report = ledger_check()
    assert report.balanced and not report.problems


def test_a_batch_reads_open_claims_through_the_one_open_claim_index(council: Any) -> None:
    """SQLite reads the batch's open claims through the partial unique index (left to
    itself it read every open claim through the index on released_by_id: a whole-table
    read per batch); PostgreSQL does not read them at all (the claim's insert checks)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    finance, second = council.users[Role.FINANCE], second_user(council, Role.FINANCE)
    with CaptureQueriesContext(connection) as queries:
        ledger.budget_payments_post(
            actor=finance,
            approved_by=second,
            source_reference="PR1",
            payments=_batch(council, {"ada": 1000, "bea": 2000}),
        )
    reads = [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith("INSERT") and "ledger_periodpayment" in q["sql"]
    ]
    if connection.vendor != "sqlite":
        assert reads == []
        return
    assert len(reads) == 1
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + reads[0])
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING INDEX ledger_periodpayment_paid_once" in plan, plan


def test_a_batch_s_balances_go_in_by_primary_key_in_two_statements(council: Any) -> None:
    """The batch's cached balances go in by two ``UPDATE … FROM`` statements (the budget
    accounts, the funding accounts), each account found by its primary key, and add up
    over batches."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    finance, second = council.users[Role.FINANCE], second_user(council, Role.FINANCE)
    for key in ("2026-05", "2026-06"):
        with CaptureQueriesContext(connection) as queries:
            ledger.budget_payments_post(
                actor=finance,
                approved_by=second,
                source_reference=f"PR-{key}",
                payments=[
                    ledger.BatchPayment(
                        budget_account_id=p.budget_account_id,
                        period_key=key,
                        funding=p.funding,
                        person_id=p.person_id,
                        effective_date=APRIL,
                    )
                    for p in _batch(council, {"ada": 1000, "bea": 2000})
                ],
            )
        updates = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith('UPDATE "LEDGER_ACCOUNT"')
        ]
        assert len(updates) == 2, updates
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for update in updates:
                cursor.execute("EXPLAIN QUERY PLAN " + update)
                plan = " ".join(str(row[-1]) for row in cursor.fetchall())
                assert "SEARCH ledger_account USING INTEGER PRIMARY KEY" in plan, plan
    assert ledger.budget_account(council.holder_person, "direct_payment").balance_pence == 2200
    assert ledger.budget_account(council.other_person, "direct_payment").balance_pence == 4200
    assert ledger.funding_account("nhs_chc").balance_pence == -400
    report = ledger_check()
    assert report.balanced and not report.problems
