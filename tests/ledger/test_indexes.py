"""The ledger's indexes are the ones decision 0036 lists: each read by something, none
duplicating another's leading column (every payment run inserts into all of them)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

# Indexes by their columns (the primary keys left out), as decision 0036 lists them.
EXPECTED = {
    "ledger_posting": {("account_id", "effective_date"), ("transaction_id",)},
    "ledger_transaction": {("reverses_id",)},
    "ledger_periodpayment": {
        ("budget_account_id", "period_key"),
        ("payment_id",),
        ("released_by_id",),
    },
}


def _indexes(table: str) -> set[tuple[str, ...]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {
        tuple(c["columns"])
        for c in found.values()
        if (c["index"] or c["unique"]) and not c["primary_key"]
    }


@pytest.mark.parametrize("table", sorted(EXPECTED))
def test_the_run_s_tables_have_only_the_indexes_read(table: str) -> None:
    assert _indexes(table) == EXPECTED[table]


def test_the_immutability_triggers_survive_the_index_changes(council: Any) -> None:
    """Migration 0003 drops indexes without remaking tables (which on SQLite would have
    dropped the triggers of migration 0002)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names = {row[0] for row in cursor.fetchall()}
    expected = (
        {
            f"{t}_no_{w}"
            for t in ("ledger_transaction", "ledger_posting")
            for w in ("update", "delete")
        }
        if connection.vendor == "sqlite"
        else {"ledger_transaction_no_change", "ledger_posting_no_change"}
    )
    assert expected <= names


@pytest.mark.postgres
def test_accounts_leave_room_for_balance_updates_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.fail("needs PostgreSQL: run under scripts/with-postgres.sh")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'ledger_account'")
        assert cursor.fetchone()[0] == ["fillfactor=50"]
