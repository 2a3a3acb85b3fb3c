"""Two finance officers at once on PostgreSQL (real concurrent transactions): the same
budget and period paid twice at once is paid once, the other told; the same transaction
reversed twice at once is reversed once; balances stay equal to postings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.ledger import services as ledger
from selfdirect.ledger.checks import ledger_check
from selfdirect.ledger.models import Transaction
from selfdirect.ledger.selectors import account_balance
from selfdirect.people.models import Person
from tests.concurrency import one_success_one_refusal, race
from tests.factories import second_user

APRIL = dt.date(2026, 4, 6)


@pytest.mark.postgres
def test_two_payments_of_a_budget_for_one_period_at_once_pay_once(committed_council: Any) -> None:
    council = committed_council
    officers = [council.users[Role.FINANCE], second_user(council, Role.FINANCE)]
    outcomes = race(
        lambda _i: Person.objects.get(pk=council.holder_person.pk),
        lambda i, person: ledger.budget_payment_post(
            actor=officers[i],
            person=person,
            deployment="direct_payment",
            funding_stream="adult_social_care",
            period_key="2026-04",
            amount_pence=100_000,
            effective_date=APRIL,
        ),
    )
    refused = one_success_one_refusal(outcomes, ledger.LedgerError)
    assert str(refused) == ledger.PAID_ALREADY.format(period="2026-04")
    assert Transaction.objects.filter(kind=Transaction.Kind.PAYMENT).count() == 1
    budget = ledger.budget_account(council.holder_person, "direct_payment")
    assert budget.balance_pence == account_balance(budget) == 100_000
    assert ledger_check().balanced


@pytest.mark.postgres
def test_payments_into_one_account_at_once_keep_its_balance(committed_council: Any) -> None:
    """Different periods at once: both paid, and the cached balance counts both (row lock)."""
    council = committed_council
    officers = [council.users[Role.FINANCE], second_user(council, Role.FINANCE)]
    ledger.budget_account(council.holder_person, "direct_payment")
    ledger.funding_account("adult_social_care")
    outcomes = race(
        lambda _i: Person.objects.get(pk=council.holder_person.pk),
        lambda i, person: ledger.budget_payment_post(
            actor=officers[i],
            person=person,
            deployment="direct_payment",
            funding_stream="adult_social_care",
            period_key=f"2026-0{i + 4}",
            amount_pence=100_000 + i,
            effective_date=APRIL,
        ),
    )
    assert all(isinstance(o, Transaction) for o in outcomes), outcomes
    budget = ledger.budget_account(council.holder_person, "direct_payment")
    assert budget.balance_pence == account_balance(budget) == 200_001
    assert ledger_check().balanced


@pytest.mark.postgres
def test_two_reversals_of_one_transaction_at_once_reverse_once(committed_council: Any) -> None:
    council = committed_council
    officers = [council.users[Role.FINANCE], second_user(council, Role.FINANCE)]
    payment = ledger.budget_payment_post(
        actor=officers[0],
        person=council.holder_person,
        deployment="direct_payment",
        funding_stream="adult_social_care",
        period_key="2026-04",
        amount_pence=100_000,
        effective_date=APRIL,
    )
    outcomes = race(
        lambda _i: Transaction.objects.get(pk=payment.pk),
        lambda i, original: ledger.transaction_reverse(
            actor=officers[i], original=original, effective_date=APRIL
        ),
    )
    refused = one_success_one_refusal(outcomes, ledger.LedgerError)
    assert str(refused) == ledger.REVERSED_ALREADY
    assert Transaction.objects.filter(kind=Transaction.Kind.REVERSAL).count() == 1
    assert ledger_check().balanced
