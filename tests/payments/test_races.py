"""Two finance officers at once on PostgreSQL (real concurrent transactions): preparing the
same run, starting the same run, and two executions of one run: one wins, the other is
told, and every budget is paid once."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.ledger.checks import ledger_check
from selfdirect.ledger.models import PeriodPayment, Transaction
from selfdirect.payments import services
from selfdirect.payments.models import PaymentRun
from tests.concurrency import one_success_one_refusal, race
from tests.payments.helpers import dp_schedule, finance_officers, paid_plan


@pytest.mark.postgres
def test_two_officers_preparing_the_same_run_make_one(committed_council: Any) -> None:
    council = committed_council
    paid_plan(council)
    dp_schedule(council)
    officers = finance_officers(council)
    outcomes = race(
        lambda _i: None,
        lambda i, _: services.run_prepare(
            actor=officers[i], period="2026-04", frequency="four_weekly"
        ),
    )
    refused = one_success_one_refusal(outcomes, services.PaymentError)
    winner = next(o for o in outcomes if isinstance(o, PaymentRun))
    assert str(refused) == services.RUN_TAKEN.format(
        period="2026-04",
        frequency="every four weeks",
        officer=winner.prepared_by.get_username(),
    )
    assert PaymentRun.objects.count() == 1


@pytest.mark.postgres
def test_two_officers_starting_the_same_run_start_it_once(committed_council: Any) -> None:
    council = committed_council
    paid_plan(council)
    dp_schedule(council)
    first, second = finance_officers(council)
    run = services.run_prepare(actor=first, period="2026-04", frequency="four_weekly")
    services.run_approve(actor=second, run=run)
    officers = [first, second]
    outcomes = race(
        lambda _i: PaymentRun.objects.get(pk=run.pk),
        lambda i, loaded: services.run_execute_start(actor=officers[i], run=loaded),
    )
    refused = one_success_one_refusal(outcomes, services.PaymentError)
    assert str(refused).startswith("This payment run is already being paid (started by ")


@pytest.mark.postgres
def test_two_executions_of_one_run_at_once_pay_each_budget_once(committed_council: Any) -> None:
    council = committed_council
    paid_plan(council)
    dp_schedule(council)
    first, second = finance_officers(council)
    run = services.run_prepare(actor=first, period="2026-04", frequency="four_weekly")
    services.run_approve(actor=second, run=run)
    outcomes = race(lambda _i: None, lambda _i, _: services.run_execute(run_id=run.pk))
    made = [o for o in outcomes if isinstance(o, services.Execution)]
    # Both may finish (the second finds it paid) or the second is refused as paid: either
    # way one payment.
    assert sum(o.paid for o in made) == 1, outcomes
    assert Transaction.objects.filter(kind=Transaction.Kind.PAYMENT).count() == 1
    assert PeriodPayment.objects.count() == 1
    assert ledger_check().balanced
