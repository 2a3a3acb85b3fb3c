"""staged_payments_post: a batch staged in SQL (as a payment run stages its lines) is
posted with the rules of budget_payments_post checked over the whole batch in SQL, so a
staged batch that breaks one is refused whole, naming the field, and writes nothing
(decision 0057)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.ledger import services as ledger
from selfdirect.ledger.checks import ledger_check
from selfdirect.ledger.models import Account, PeriodPayment, Posting, Transaction
from tests.factories import second_user

pytestmark = pytest.mark.django_db
APRIL = dt.date(2026, 4, 6)


def _stage(payments: list[tuple[int, str]], legs: list[tuple[int, int | None, str, int]]) -> None:
    """Stage (budget account, period) payments numbered from 1, and (seq, funding account
    or None, stream, pence) legs."""
    ledger.batch_stage()
    day = connection.ops.adapt_datefield_value(APRIL)
    ledger._rows_insert_plain(
        ledger.STAGE,
        ["seq", "line_key", "budget_account_id", "period_key", "effective_date", "description"],
        [
            (n, 100 + n, account, period, day, f"Staged {n}")
            for n, (account, period) in enumerate(payments, start=1)
        ],
    )
    ledger._rows_insert_plain(ledger.STAGE_LEGS, ["seq", "account_id", "stream", "pence"], legs)


def _post(council: Any) -> ledger.Posted:
    finance, second = council.users[Role.FINANCE], second_user(council, Role.FINANCE)
    return ledger.staged_payments_post(actor=finance, approved_by=second, source_reference="PR9")


def test_a_staged_batch_by_stream_code_opens_the_stream_and_pays_each_budget(
    council: Any,
) -> None:
    ada = ledger.budget_account(council.holder_person, "direct_payment").pk
    bea = ledger.budget_account(council.other_person, "managed_account").pk
    assert not Account.objects.filter(kind="council_funding", funding_stream="nhs_chc").exists()
    _stage(
        [(ada, "2026-04"), (bea, "2026-04")],
        [(1, None, "adult_social_care", 1000), (1, None, "nhs_chc", 250), (2, None, "nhs_chc", 40)],
    )
    posted = _post(council)
    assert posted.keys == [101, 102] and posted.pence == 1290
    assert ledger.budget_account(council.holder_person, "direct_payment").balance_pence == 1250
    assert ledger.funding_account("nhs_chc").balance_pence == -290
    ada_payment = Transaction.objects.get(budget_account_id=ada)
    # Credits first, then the budget's debit of their sum, all on the period's first day.
    assert [p.amount_pence for p in ada_payment.postings.order_by("pk")] == [-1000, -250, 1250]
    assert {p.effective_date for p in ada_payment.postings.all()} == {APRIL}
    assert ada_payment.approved_by == second_user(council, Role.FINANCE)
    assert ada_payment.source_reference == "PR9" and ada_payment.description == "Staged 1"
    assert PeriodPayment.objects.get(budget_account_id=ada).payment == ada_payment
    assert Event.objects.filter(object_type="ledger_payments").count() == 1
    report = ledger_check()
    assert report.balanced and not report.problems
    # Staged again (a rerun after a crash): nothing paid twice.
    _stage([(ada, "2026-04"), (bea, "2026-05")], [(1, None, "nhs_chc", 5), (2, None, "nhs_chc", 7)])
    again = _post(council)
    assert again.keys == [102] and again.pence == 7
    assert Transaction.objects.count() == 3


@pytest.mark.parametrize(
    "case, message, field",
    [
        ("blank period", ledger.PERIOD_NEEDED, "period_key"),
        ("no legs", ledger.AMOUNT_NOT_POSITIVE, "amount_pence"),
        ("zero leg", ledger.AMOUNT_NOT_POSITIVE, "amount_pence"),
        ("negative leg", ledger.AMOUNT_NOT_POSITIVE, "amount_pence"),
        ("into a funding account", ledger.NOT_A_BUDGET, "budget_account"),
        ("funded from a budget", ledger.UNKNOWN_STREAM, "funding_stream"),
        ("unknown stream", ledger.UNKNOWN_STREAM, "funding_stream"),
    ],
)
def test_a_staged_batch_breaking_a_rule_is_refused_whole_and_writes_nothing(
    council: Any, case: str, message: str, field: str
) -> None:
    ada = ledger.budget_account(council.holder_person, "direct_payment").pk
    bea = ledger.budget_account(council.other_person, "direct_payment").pk
    asc = ledger.funding_account("adult_social_care").pk
    good = (1, asc, "", 1000)
    second: tuple[int, int | None, str, int] = (2, asc, "", 500)
    payments = [(ada, "2026-04"), (bea, "2026-04")]
    legs = [good, second]
    if case == "blank period":
        payments[1] = (bea, "  ")
    elif case == "no legs":
        legs = [good]
    elif case == "zero leg":
        legs = [good, (2, asc, "", 0)]
    elif case == "negative leg":
        legs = [good, (2, asc, "", -500)]
    elif case == "into a funding account":
        payments[1] = (asc, "2026-04")
    elif case == "funded from a budget":
        legs = [good, (2, ada, "", 500)]
    else:
        legs = [good, (2, None, "not_a_stream", 500)]
    _stage(payments, legs)
    before = (Transaction.objects.count(), Posting.objects.count(), PeriodPayment.objects.count())
    with pytest.raises(ledger.LedgerError) as refused:
        _post(council)
    assert str(refused.value) == message and refused.value.field == field
    after = (Transaction.objects.count(), Posting.objects.count(), PeriodPayment.objects.count())
    assert after == before
    assert ledger.budget_account(council.holder_person, "direct_payment").balance_pence == 0
    assert ledger.funding_account("adult_social_care").balance_pence == 0
