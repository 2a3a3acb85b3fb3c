"""Each ledger movement posts a balanced transaction between the right accounts, keeps the
cached balances, writes an audit event, and refuses with a named error changing nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.ledger import services as ledger
from selfdirect.ledger.models import Account, LedgerImmutable, PeriodPayment, Posting, Transaction
from selfdirect.ledger.selectors import account_balance
from selfdirect.providers.models import Provider
from tests.factories import second_user

APRIL = dt.date(2026, 4, 6)
MAY = dt.date(2026, 5, 4)
DP, MANAGED, ISF = "direct_payment", "managed_account", "isf"
ASC = "adult_social_care"


def _finance(council: Any) -> Any:
    return council.users[Role.FINANCE]


def _pay(council: Any, *, period: str = "2026-04", amount: int = 100_000, way: str = DP) -> Any:
    return ledger.budget_payment_post(
        actor=_finance(council),
        person=council.holder_person,
        deployment=way,
        funding_stream=ASC,
        period_key=period,
        amount_pence=amount,
        effective_date=APRIL,
    )


def _legs(entry: Transaction) -> dict[str, int]:
    return {str(p.account): p.amount_pence for p in entry.postings.select_related("account")}


def _ledger_state() -> tuple[int, int, list[int]]:
    return (
        Transaction.objects.count(),
        Posting.objects.count(),
        list(Account.objects.order_by("pk").values_list("balance_pence", flat=True)),
    )


def test_a_payment_moves_the_streams_funding_to_the_budget_account(council: Any) -> None:
    entry = _pay(council)
    budget = ledger.budget_account(council.holder_person, DP)
    funding = ledger.funding_account(ASC)
    assert _legs(entry) == {str(funding): -100_000, str(budget): 100_000}
    budget.refresh_from_db()
    assert budget.balance_pence == account_balance(budget) == 100_000
    assert entry.period_key == "2026-04" and entry.budget_account == budget
    event = Event.objects.get(object_type="ledger_transaction", object_id=entry.pk)
    assert event.person_id == council.holder_person.pk
    assert event.summary.startswith("Posted payment of a budget")


def test_a_budget_is_not_paid_twice_for_a_period(council: Any) -> None:
    _pay(council)
    before = _ledger_state()
    with pytest.raises(ledger.LedgerError) as refused:
        _pay(council)
    assert str(refused.value) == ledger.PAID_ALREADY.format(period="2026-04")
    assert refused.value.field == "period_key"
    assert _ledger_state() == before
    # Another period, or another way of holding, is a different payment.
    _pay(council, period="2026-05")
    _pay(council, way=MANAGED)


def test_a_reversed_payment_may_be_paid_again_once(council: Any) -> None:
    first = _pay(council, amount=90_000)
    ledger.transaction_reverse(actor=_finance(council), original=first, effective_date=APRIL)
    again = _pay(council, amount=100_000)
    with pytest.raises(ledger.LedgerError, match="already been paid"):
        _pay(council)
    budget = ledger.budget_account(council.holder_person, DP)
    assert account_balance(budget) == 100_000
    claims = PeriodPayment.objects.filter(budget_account=budget, period_key="2026-04")
    assert claims.filter(released_by__isnull=True).get().payment == again
    assert claims.count() == 2


def test_any_writer_of_a_payment_claims_its_period(council: Any) -> None:
    """Not only budget_payment_post: a payment posted by transaction_post claims it too."""
    _pay(council)
    budget = ledger.budget_account(council.holder_person, DP)
    with pytest.raises(ledger.LedgerError) as refused:
        ledger.transaction_post(
            actor=_finance(council),
            kind=Transaction.Kind.PAYMENT,
            effective_date=APRIL,
            legs=[(ledger.funding_account(ASC), -1), (budget, 1)],
            period_key="2026-04",
            budget=budget,
        )
    assert str(refused.value) == ledger.PAID_ALREADY.format(period="2026-04")
    with pytest.raises(ledger.LedgerError) as refused:
        ledger.transaction_post(
            actor=_finance(council),
            kind=Transaction.Kind.PAYMENT,
            effective_date=APRIL,
            legs=[(ledger.funding_account(ASC), -1), (budget, 1)],
        )
    assert str(refused.value) == ledger.PERIOD_NEEDED
    assert Transaction.objects.count() == 1


def test_the_database_refuses_a_second_open_claim_on_a_period(council: Any) -> None:
    entry = _pay(council)
    budget = ledger.budget_account(council.holder_person, DP)
    other = ledger.transaction_post(
        actor=_finance(council),
        kind=Transaction.Kind.ADJUSTMENT,
        effective_date=APRIL,
        legs=[(ledger.funding_account(ASC), -1), (budget, 1)],
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodPayment.objects.create(budget_account=budget, period_key="2026-04", payment=other)
    assert PeriodPayment.objects.get(budget_account=budget).payment == entry


def test_a_reversal_mirrors_the_original_and_happens_once(council: Any) -> None:
    entry = _pay(council)
    reversal = ledger.transaction_reverse(
        actor=_finance(council), original=entry, effective_date=MAY, reason="wrong amount"
    )
    assert {k: -v for k, v in _legs(entry).items()} == _legs(reversal)
    assert reversal.reverses == entry and "wrong amount" in reversal.description
    assert account_balance(ledger.budget_account(council.holder_person, DP)) == 0
    # On the original's date the money was there; after the reversal's, it is not.
    budget = ledger.budget_account(council.holder_person, DP)
    assert account_balance(budget, on=APRIL) == 100_000
    assert account_balance(budget, on=MAY) == 0
    with pytest.raises(ledger.LedgerError) as refused:
        ledger.transaction_reverse(actor=_finance(council), original=entry, effective_date=MAY)
    assert str(refused.value) == ledger.REVERSED_ALREADY
    with pytest.raises(ledger.LedgerError) as refused:
        ledger.transaction_reverse(actor=_finance(council), original=reversal, effective_date=MAY)
    assert str(refused.value) == ledger.REVERSAL_OF_REVERSAL


def test_the_database_reverses_a_transaction_once(council: Any) -> None:
    entry = _pay(council)
    ledger.transaction_reverse(actor=_finance(council), original=entry, effective_date=MAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Transaction.objects.create(
            kind=Transaction.Kind.REVERSAL,
            effective_date=MAY,
            prepared_by=_finance(council),
            reverses=entry,
        )


def test_contribution_due_and_received(council: Any) -> None:
    person = council.holder_person
    due = ledger.contribution_due_post(
        actor=_finance(council),
        person=person,
        deployment=DP,
        amount_pence=2_500,
        effective_date=APRIL,
    )
    contribution = ledger.contribution_account(person)
    assert _legs(due) == {
        str(contribution): -2_500,
        str(ledger.budget_account(person, DP)): 2_500,
    }
    ledger.contribution_received_post(
        actor=_finance(council), person=person, amount_pence=2_500, effective_date=MAY
    )
    contribution.refresh_from_db()
    assert contribution.balance_pence == 0  # nothing outstanding
    assert account_balance(ledger.bank_account()) == -2_500  # money came in


def test_an_invoice_then_its_payment(council: Any) -> None:
    person, provider = council.holder_person, Provider.objects.get(name="Acme Care")
    _pay(council, way=ISF, amount=50_000)
    finance, second = _finance(council), second_user(council, Role.FINANCE)
    invoice = ledger.invoice_post(
        actor=finance,
        person=person,
        deployment=ISF,
        provider=provider,
        amount_pence=30_000,
        effective_date=APRIL,
        source_reference="INV-1",
        approved_by=second,
    )
    payable = ledger.payable_account(provider)
    assert _legs(invoice) == {
        str(ledger.budget_account(person, ISF)): -30_000,
        str(payable): 30_000,
    }
    assert invoice.approved_by == second and invoice.source_reference == "INV-1"
    with pytest.raises(ledger.LedgerError) as refused:
        ledger.invoice_payment_post(
            actor=finance, provider=provider, amount_pence=30_001, effective_date=MAY
        )
    assert str(refused.value) == ledger.MORE_THAN_OWED.format(provider=provider, owed="£300.00")
    ledger.invoice_payment_post(
        actor=finance, provider=provider, amount_pence=30_000, effective_date=MAY
    )
    assert account_balance(payable) == 0
    assert account_balance(ledger.bank_account()) == 30_000


def test_who_prepared_cannot_approve(council: Any) -> None:
    finance = _finance(council)
    before = _ledger_state()
    with pytest.raises(ledger.LedgerError) as refused:
        ledger.budget_payment_post(
            actor=finance,
            person=council.holder_person,
            deployment=DP,
            funding_stream=ASC,
            period_key="2026-04",
            amount_pence=100,
            effective_date=APRIL,
            approved_by=finance,
        )
    assert str(refused.value) == ledger.SAME_APPROVER and refused.value.field == "approved_by"
    assert _ledger_state()[:2] == before[:2]


def test_a_switch_moves_the_whole_balance_and_keeps_the_history(council: Any) -> None:
    person = council.holder_person
    _pay(council, amount=80_000)
    switch = ledger.holding_switch_post(
        actor=_finance(council),
        person=person,
        from_deployment=DP,
        to_deployment=MANAGED,
        effective_date=MAY,
    )
    old, new = ledger.budget_account(person, DP), ledger.budget_account(person, MANAGED)
    assert _legs(switch) == {str(old): -80_000, str(new): 80_000}
    assert account_balance(old) == 0 and account_balance(new) == 80_000
    assert old.postings.count() == 2  # the payment is still in the old account's history
    with pytest.raises(ledger.LedgerError) as refused:
        ledger.holding_switch_post(
            actor=_finance(council),
            person=person,
            from_deployment=DP,
            to_deployment=MANAGED,
            effective_date=MAY,
        )
    assert str(refused.value) == ledger.NOTHING_HELD.format(account=str(old).lower())
    with pytest.raises(ledger.LedgerError) as refused:
        ledger.holding_switch_post(
            actor=_finance(council),
            person=person,
            from_deployment=MANAGED,
            to_deployment=MANAGED,
            effective_date=MAY,
        )
    assert str(refused.value) == ledger.SAME_WAY


def test_a_recovery_takes_no_more_than_is_held(council: Any) -> None:
    person = council.holder_person
    _pay(council, amount=10_000)
    before = _ledger_state()
    with pytest.raises(ledger.LedgerError) as refused:
        ledger.recovery_post(
            actor=_finance(council),
            person=person,
            deployment=DP,
            amount_pence=10_001,
            effective_date=MAY,
        )
    assert str(refused.value) == ledger.MORE_THAN_HELD.format(
        account=str(ledger.budget_account(person, DP)).lower(), held="£100.00"
    )
    assert _ledger_state() == before
    ledger.recovery_post(
        actor=_finance(council),
        person=person,
        deployment=DP,
        amount_pence=4_000,
        effective_date=MAY,
        source_reference="Decision 7",
    )
    assert account_balance(ledger.recoveries_account(person)) == 4_000
    assert account_balance(ledger.budget_account(person, DP)) == 6_000


@pytest.mark.parametrize("amount", [0, -5])
def test_amounts_must_be_positive(council: Any, amount: int) -> None:
    with pytest.raises(ledger.LedgerError) as refused:
        _pay(council, amount=amount)
    assert str(refused.value) == ledger.AMOUNT_NOT_POSITIVE
    assert Transaction.objects.count() == 0


def test_unknown_way_stream_and_missing_period_are_refused(council: Any) -> None:
    with pytest.raises(ledger.LedgerError, match=ledger.UNKNOWN_WAY):
        _pay(council, way="cash_in_a_tin")
    with pytest.raises(ledger.LedgerError) as refused:
        _pay(council, period=" ")
    assert str(refused.value) == ledger.PERIOD_NEEDED
    with pytest.raises(ledger.LedgerError, match=ledger.UNKNOWN_STREAM):
        ledger.funding_account("pocket_money")
    with pytest.raises(ledger.LedgerError, match=ledger.UNKNOWN_WAY):
        ledger.contribution_due_post(
            actor=_finance(council),
            person=council.holder_person,
            deployment="cash_in_a_tin",
            amount_pence=1,
            effective_date=APRIL,
        )
    assert not Account.objects.exists()  # a refusal opens no account either


def test_transaction_post_refuses_an_unbalanced_transaction(council: Any) -> None:
    funding = ledger.funding_account(ASC)
    budget = ledger.budget_account(council.holder_person, DP)
    with pytest.raises(ledger.LedgerError) as refused:
        ledger.transaction_post(
            actor=_finance(council),
            kind=Transaction.Kind.ADJUSTMENT,
            effective_date=APRIL,
            legs=[(funding, -100), (budget, 99)],
        )
    assert str(refused.value) == ledger.UNBALANCED.format(total="-£0.01")
    with pytest.raises(ledger.LedgerError, match=ledger.NO_POSTINGS):
        ledger.transaction_post(
            actor=_finance(council),
            kind=Transaction.Kind.ADJUSTMENT,
            effective_date=APRIL,
            legs=[(budget, 0)],
        )
    assert Transaction.objects.count() == 0 and Posting.objects.count() == 0


def test_postings_and_transactions_cannot_be_changed_or_removed(council: Any) -> None:
    entry = _pay(council)
    posting = entry.postings.first()
    assert posting is not None
    posting.amount_pence = 1
    with pytest.raises(LedgerImmutable):
        posting.save()
    with pytest.raises(LedgerImmutable):
        posting.delete()
    with pytest.raises(LedgerImmutable):
        entry.delete()
    # Behind the model's back, the database refuses too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.filter(pk=posting.pk).update(amount_pence=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Transaction.objects.filter(pk=entry.pk).update(period_key="2026-05")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_posting WHERE id = %s", [posting.pk])
    assert Posting.objects.get(pk=posting.pk).amount_pence in (100_000, -100_000)


def test_account_keys_are_unique(council: Any) -> None:
    ledger.budget_account(council.holder_person, DP)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(
            kind=Account.Kind.BUDGET, person=council.holder_person, deployment=DP
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(kind=Account.Kind.BUDGET, person=council.holder_person)
