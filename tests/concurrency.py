"""Two real transactions at once, on PostgreSQL: each in its own thread with its own
database connection, both having read what they act on before either writes.

Tests using it are marked ``postgres`` (``make test-sqlite`` leaves them out, ``make
test-postgres`` runs them) and take the ``concurrent_db`` fixture, which fails loudly on
any other database: SQLite has no row locks and serialises whole transactions instead."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from django.db import connection, connections

T = TypeVar("T")


@pytest.fixture
def concurrent_db(transactional_db: Any) -> None:
    """Committed data that other connections can see, on PostgreSQL only."""
    if connection.vendor != "postgresql":
        raise RuntimeError(
            "Tests marked postgres run two real transactions at once and need PostgreSQL: "
            'run them with scripts/with-postgres.sh, or leave them out with -m "not postgres"'
        )


@pytest.fixture
def committed_council(concurrent_db: None) -> Any:
    """The small council of tests/conftest.py, committed so every connection sees it."""
    from tests.conftest import council_build

    return council_build()


def race(load: Callable[[int], T], act: Callable[[int, T], Any], times: int = 2) -> list[Any]:
    """Run ``act`` in ``times`` threads at once. Each thread first loads what it acts on
    (``load``, on its own connection), then waits at a barrier until every thread has loaded,
    then acts. Returns what each act returned, or the exception it raised."""
    barrier = threading.Barrier(times)
    outcomes: list[Any] = [None] * times

    def run(index: int) -> None:
        try:
            loaded = load(index)
            barrier.wait(timeout=30)
            outcomes[index] = act(index, loaded)
        except Exception as raised:  # the refusal (or failure) is the outcome to assert
            outcomes[index] = raised
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a transaction never finished"
    return outcomes


def one_success_one_refusal(outcomes: list[Any], refusal_type: type[Exception]) -> Any:
    """Exactly one act succeeded and the other was refused with ``refusal_type``; returns
    the refusal (to check its text)."""
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1, outcomes
    assert isinstance(refused[0], refusal_type), repr(refused[0])
    return refused[0]
