"""Hypothesis: over any sequence of payment runs, reruns, runs cut short part-way (a crash
after some batches) and reversals of payments, no budget is ever paid twice for a period
(at most one payment not reversed per budget and period), a run rerun after a crash pays
exactly what it had not, and the ledger balances."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfdirect.ledger import services as ledger
from selfdirect.ledger.checks import ledger_check
from selfdirect.ledger.models import PeriodPayment, Transaction
from selfdirect.payments import services
from selfdirect.payments.models import PaymentLine, PaymentRun
from tests.payments.helpers import dp_schedule, finance_officers, ma_budget, paid_plan

operations = st.one_of(
    # Pay a run in batches of a size, stopping (a crash) after some batches, or not.
    st.tuples(st.just("run"), st.integers(1, 3), st.none() | st.integers(0, 2)),
    # Reverse a payment (counted back from the newest).
    st.tuples(st.just("reverse"), st.integers(0, 3)),
)


class Crash(Exception):
    pass


def _open_payments() -> Counter[tuple[int, str]]:
    reversed_ids = set(
        Transaction.objects.filter(kind="reversal").values_list("reverses_id", flat=True)
    )
    return Counter(
        (t.budget_account_id, t.period_key)
        for t in Transaction.objects.filter(kind="payment")
        if t.pk not in reversed_ids
    )


def test_no_budget_is_paid_twice_for_a_period(council: Any) -> None:
    # The run is prepared and approved once; each example starts from it (rolled back).
    plan = paid_plan(council)
    dp_schedule(council)
    first, second = finance_officers(council)
    # A second budget in the run: a managed account for day activities (test data).
    ma_budget(council, plan)
    run = services.run_prepare(actor=first, period="2026-04", frequency="four_weekly")
    services.run_approve(actor=second, run=run)
    lines = PaymentLine.objects.filter(run=run).count()
    assert lines == 2

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(ops=st.lists(operations, min_size=1, max_size=8))
    def any_sequence(ops: list[Any]) -> None:
        with transaction.atomic():
            for op in ops:
                if op[0] == "run":
                    _run(run, lines, op[1], op[2])
                else:
                    _reverse(second, op[1])
                assert all(n <= 1 for n in _open_payments().values())
                assert PeriodPayment.objects.filter(released_by__isnull=True).count() == sum(
                    _open_payments().values()
                )
            report = ledger_check()
            assert report.balanced and not report.problems
            transaction.set_rollback(True)

    any_sequence()


def _run(run: PaymentRun, lines: int, batch: int, crash_after: int | None) -> None:
    """Pay the run in batches of ``batch``, crashing after ``crash_after`` batches if given."""
    PaymentRun.objects.filter(pk=run.pk).update(status=PaymentRun.Status.EXECUTING)
    before = sum(_open_payments().values())
    batches = {"n": 0}

    def progress(done: int, total: int) -> None:
        batches["n"] += 1
        if crash_after is not None and batches["n"] > crash_after:
            raise Crash

    try:
        result = services.run_execute(run_id=run.pk, batch_size=batch, progress=progress)
    except Crash:
        return
    # A completed run pays exactly the lines not paid before it.
    assert result.paid + result.skipped == lines
    assert result.paid == lines - before


def _reverse(officer: Any, back: int) -> None:
    payments = list(
        Transaction.objects.filter(kind="payment", reversed_by__isnull=True).order_by("-pk")
    )
    if payments:
        ledger.transaction_reverse(
            actor=officer,
            original=payments[back % len(payments)],
            effective_date=dt.date(2026, 4, 7),
        )
