"""A payment run's batches paid by two PostgreSQL connections at once (decision 0060): both
work at the same time, every budget is paid once, the ledger balances, and a batch that
fails stops the run with the batches already committed kept, so a rerun pays the rest."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from selfdirect.ledger.checks import ledger_check
from selfdirect.ledger.models import Account, PeriodPayment
from selfdirect.payments import services
from selfdirect.payments.models import PaymentRun
from tests.payments.helpers import two_budget_run


def _run_of_two_budgets(council: Any) -> PaymentRun:
    run, second = two_budget_run(council)
    services.run_approve(actor=second, run=run)
    assert run.lines.count() == 2
    return run


@pytest.mark.postgres
def test_two_connections_pay_a_run_s_batches_at_once_and_each_budget_once(
    committed_council: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _run_of_two_budgets(committed_council)
    # Each batch waits for the other to start: the run finishes only if they work at once.
    together = threading.Barrier(2, timeout=30)
    backends: set[int] = set()
    pay = services._batch_pay

    def both_at_once(*args: Any) -> Any:
        connection.ensure_connection()
        backends.add(connection.connection.info.backend_pid)
        together.wait()
        return pay(*args)

    monkeypatch.setattr(services, "_batch_pay", both_at_once)
    seen: list[tuple[int, int]] = []
    done = services.run_execute(
        run_id=run.pk, batch_size=1, progress=lambda d, t: seen.append((d, t))
    )
    assert len(backends) == 2  # two database connections, not this one
    assert connection.connection is None or connection.connection.info.backend_pid not in backends
    assert (done.paid, done.skipped) == (2, 0)
    assert seen == [(1, 2), (2, 2)]
    assert PeriodPayment.objects.filter(released_by__isnull=True).count() == 2
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.PAID
    # One funding account per stream, opened before the batches (no two made at once).
    assert Account.objects.filter(kind=Account.Kind.COUNCIL_FUNDING).count() == 1
    report = ledger_check()
    assert report.balanced and not report.problems
    assert report.total_paid_pence == done.paid_pence


@pytest.mark.postgres
def test_a_failing_batch_stops_the_run_and_a_rerun_pays_the_rest_once(
    committed_council: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _run_of_two_budgets(committed_council)
    last = max(run.lines.values_list("pk", flat=True))
    pay = services._batch_pay

    def fail_the_last(run_: Any, actor: Any, approver: Any, chunk: list[int], *rest: Any) -> Any:
        if chunk == [last]:
            raise RuntimeError("the database went away")
        return pay(run_, actor, approver, chunk, *rest)

    monkeypatch.setattr(services, "_batch_pay", fail_the_last)
    with pytest.raises(RuntimeError, match="went away"):
        services.run_execute(run_id=run.pk, batch_size=1)
    assert PeriodPayment.objects.count() == 1  # the other batch committed
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.EXECUTING
    monkeypatch.setattr(services, "_batch_pay", pay)
    again = services.run_execute(run_id=run.pk, batch_size=1)
    assert (again.paid, again.skipped) == (1, 1)
    assert PeriodPayment.objects.filter(released_by__isnull=True).count() == 2
    assert ledger_check().balanced


@pytest.mark.postgres
def test_how_many_connections_pay_a_run(
    committed_council: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert services._workers(5) == 2  # the default
    assert services._workers(1) == 1  # one batch: this connection
    monkeypatch.setenv(services.WORKERS_ENV, "3")
    assert services._workers(5) == 3
    assert services._workers(2) == 2  # never more than the batches
    monkeypatch.setenv(services.WORKERS_ENV, "1")
    assert services._workers(5) == 1


@pytest.mark.django_db
def test_inside_a_caller_s_transaction_or_on_sqlite_one_connection_pays(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A test's transaction (as a caller's): other connections could not see its rows.
    monkeypatch.setenv(services.WORKERS_ENV, "4")
    assert connection.in_atomic_block
    assert services._workers(10) == 1


def _first_batch_fails(monkeypatch: pytest.MonkeyPatch, cause: Exception) -> list[str]:
    """Make the first batch's posting fail with a database error raised by ``cause``,
    after it has written (so it is rolled back); the names of the attempts."""
    from django.db import OperationalError

    post = services.staged_payments_post
    calls: list[str] = []

    def fail_once(**kwargs: Any) -> Any:
        posted = post(**kwargs)
        calls.append("posted")
        if len(calls) == 1:
            raise OperationalError(str(cause)) from cause
        return posted

    monkeypatch.setattr(services, "staged_payments_post", fail_once)
    monkeypatch.setenv(services.WORKERS_ENV, "1")
    return calls


@pytest.mark.postgres
def test_a_batch_rolled_back_to_end_a_deadlock_is_tried_again_and_pays_once(
    committed_council: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    run = _run_of_two_budgets(committed_council)
    calls = _first_batch_fails(monkeypatch, psycopg.errors.DeadlockDetected("deadlock detected"))
    done = services.run_execute(run_id=run.pk, batch_size=10)
    assert calls == ["posted", "posted"]
    assert (done.paid, done.skipped) == (2, 0)
    assert PeriodPayment.objects.filter(released_by__isnull=True).count() == 2
    assert ledger_check().balanced


@pytest.mark.postgres
def test_another_database_error_in_a_batch_is_not_tried_again(
    committed_council: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg
    from django.db import OperationalError

    run = _run_of_two_budgets(committed_council)
    calls = _first_batch_fails(monkeypatch, psycopg.errors.AdminShutdown("gone"))
    with pytest.raises(OperationalError):
        services.run_execute(run_id=run.pk, batch_size=10)
    assert calls == ["posted"]  # one attempt, rolled back
    assert PeriodPayment.objects.count() == 0
