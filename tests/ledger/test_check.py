"""manage.py ledger_check: balanced when the services wrote everything; catches a posting
edited behind the app's back, an unbalanced transaction inserted directly, a cached balance
that drifted, and a budget paid twice for a period."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from selfdirect.access.roles import Role
from selfdirect.ledger import services as ledger
from selfdirect.ledger.models import Account, PeriodPayment, Posting, Transaction
from tests.ledger.test_services import APRIL, ASC, DP, _pay


def _check(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("ledger_check", *args, stdout=out)
    except CommandError as failed:
        return failed.returncode, out.getvalue() + str(failed)
    return 0, out.getvalue()


def _report() -> tuple[int, dict[str, Any]]:
    code, out = _check("--json")
    return code, json.loads(out.splitlines()[0])


def _books(council: Any) -> Transaction:
    """A few movements of every kind, through the services."""
    finance = council.users[Role.FINANCE]
    first = _pay(council, amount=100_000)
    _pay(council, period="2026-05", amount=100_000)
    ledger.transaction_reverse(actor=finance, original=first, effective_date=APRIL)
    _pay(council, amount=95_000)
    ledger.holding_switch_post(
        actor=finance,
        person=council.holder_person,
        from_deployment=DP,
        to_deployment="managed_account",
        amount_pence=20_000,
        effective_date=APRIL,
    )
    return first


def _untriggered(sql: str, params: list[Any]) -> None:
    """Run ``sql`` as someone with the database's keys would: triggers dropped for it.
    (DDL is transactional on both engines: the test's rollback puts them back.)"""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks
            cursor.execute("ALTER TABLE ledger_posting DISABLE TRIGGER ledger_posting_no_change")
        else:
            cursor.execute("DROP TRIGGER ledger_posting_no_update")
        cursor.execute(sql, params)


def test_a_ledger_written_by_the_services_balances(council: Any) -> None:
    _books(council)
    code, report = _report()
    assert code == 0
    assert report["balanced"] is True
    assert report["total_paid_pence"] == 195_000  # the reversed payment is not counted
    assert report["transactions"] == 5 and report["problems"] == []
    code, text = _check()
    assert code == 0 and "The ledger balances." in text and "£1,950.00" in text


def test_an_empty_ledger_balances(db: Any) -> None:
    assert _report() == (
        0,
        {
            "balanced": True,
            "total_paid_pence": 0,
            "transactions": 0,
            "postings": 0,
            "accounts": 0,
            "problem_count": 0,
            "problems": [],
        },
    )


def test_a_posting_edited_behind_the_apps_back_is_caught(council: Any) -> None:
    _books(council)
    budget = ledger.budget_account(council.holder_person, DP)
    posting = Posting.objects.filter(account=budget, amount_pence=95_000).get()
    _untriggered("UPDATE ledger_posting SET amount_pence = 96000 WHERE id = %s", [posting.pk])
    code, report = _report()
    assert code == 1 and report["balanced"] is False
    kinds = {(p["kind"], p["id"]) for p in report["problems"]}
    assert ("unbalanced", posting.transaction_id) in kinds
    assert ("balance_mismatch", budget.pk) in kinds
    code, text = _check()
    assert code == 1
    assert f"Transaction {posting.transaction_id}: postings add up to 1000p, not 0" in text
    assert "The ledger does not balance" in text


def test_an_unbalanced_transaction_inserted_directly_is_caught(council: Any) -> None:
    _books(council)
    budget = ledger.budget_account(council.holder_person, DP)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_transaction (kind, effective_date, period_key, "
            "source_reference, description, prepared_by_id, created_at) "
            "VALUES ('adjustment', '2026-04-06', '', '', '', %s, '2026-04-06 00:00:00+00')",
            [council.users[Role.FINANCE].pk],
        )
    entry = Transaction.objects.latest("id")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_posting (transaction_id, account_id, amount_pence, "
            "effective_date) VALUES (%s, %s, 500, '2026-04-06')",
            [entry.pk, budget.pk],
        )
    code, report = _report()
    assert code == 1
    kinds = {(p["kind"], p["id"]) for p in report["problems"]}
    assert ("unbalanced", entry.pk) in kinds
    assert ("empty", entry.pk) in kinds  # one leg is no transaction
    assert ("balance_mismatch", budget.pk) in kinds


def test_a_drifted_cached_balance_is_caught(council: Any) -> None:
    _books(council)
    funding = ledger.funding_account(ASC)
    Account.objects.filter(pk=funding.pk).update(balance_pence=0)
    code, report = _report()
    assert code == 1
    assert report["problems"] == [
        {
            "kind": "balance_mismatch",
            "id": funding.pk,
            "detail": f"Account {funding.pk}: cached balance 0p, postings -195000p",
        }
    ]


def test_a_budget_paid_twice_for_a_period_is_caught(council: Any) -> None:
    first = _pay(council)
    budget = ledger.budget_account(council.holder_person, DP)
    # The first payment's claim on the period released behind the app's back (no reversal).
    PeriodPayment.objects.filter(payment=first).update(released_by=first)
    _pay(council)
    code, report = _report()
    assert code == 1
    assert report["problems"][0]["kind"] == "paid_twice"
    assert report["problems"][0]["id"] == budget.pk


@pytest.mark.parametrize("limit", ["1"])
def test_the_problem_list_is_limited_but_counted(council: Any, limit: str) -> None:
    _books(council)
    Account.objects.update(balance_pence=7)
    code, out = _check("--json", "--limit", limit)
    report = json.loads(out.splitlines()[0])
    assert code == 1
    assert len(report["problems"]) == 1 and report["problem_count"] == Account.objects.count()
