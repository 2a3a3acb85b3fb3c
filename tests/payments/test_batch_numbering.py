"""A batch's payments are numbered from one in the order of their lines, so their ledger
transactions take consecutive ids in that order, on both databases: also when the
batch's line ids have a gap (another run's lines made between them), when they are
numbered by counting rather than by their place in the range."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.ledger.checks import ledger_check
from selfdirect.ledger.models import Transaction
from selfdirect.payments import services
from selfdirect.payments.models import PaymentLine
from tests.payments.helpers import two_budget_run

pytestmark = pytest.mark.django_db


def _pay(run: Any, approver: Any) -> Any:
    services.run_approve(actor=approver, run=run)
    return services.run_execute(run_id=run.pk, batch_size=10)


def _paid_in_line_order(lower: Any, upper: Any) -> None:
    paid = dict(Transaction.objects.filter(kind="payment").values_list("budget_account_id", "pk"))
    assert paid[lower.budget_account_id] + 1 == paid[upper.budget_account_id]


@pytest.mark.parametrize("gap", [0, 4])
def test_a_batch_s_payments_take_consecutive_ids_in_line_order(council: Any, gap: int) -> None:
    run, second = two_budget_run(council)
    lower, upper = run.lines.order_by("pk")
    if gap:
        PaymentLine.objects.filter(pk=upper.pk).update(id=upper.pk + gap)
    done = _pay(run, second)
    assert (done.paid, done.skipped) == (2, 0)
    _paid_in_line_order(lower, upper)
    assert ledger_check().balanced


def test_the_ids_follow_the_lines_order_not_their_order_on_disk(council: Any) -> None:
    """PostgreSQL gives a staged payment its transaction id as the row is written, so the
    rows must be staged in the lines' order: here the lines lie on disk in reverse order
    (the later one rewritten first) and are read by a plain scan, as a table with dead
    rows is (a seed then gave another ledger on PostgreSQL than on SQLite)."""
    from django.db import connection

    run, second = two_budget_run(council)
    lower, upper = run.lines.order_by("pk")
    for line in (upper, lower):
        PaymentLine.objects.filter(pk=line.pk).update(period_key=line.period_key)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for scan in ("indexscan", "bitmapscan", "indexonlyscan"):
                cursor.execute(f"SET LOCAL enable_{scan} = off")
            cursor.execute("SELECT id FROM payments_paymentline WHERE run_id + 0 = %s", [run.pk])
            on_disk = [pk for (pk,) in cursor.fetchall()]
        assert on_disk == [upper.pk, lower.pk]
    _pay(run, second)
    _paid_in_line_order(lower, upper)
