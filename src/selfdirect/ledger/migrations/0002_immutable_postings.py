"""Make ledger transactions and postings immutable in the database itself: UPDATE and DELETE
are refused, so a correction can only be a reversing transaction.

As for the audit log (audit 0002), on SQLite a row in ``audit_maintenance`` lets the test
suite's flush delete rows; updates are never allowed. PostgreSQL's TRUNCATE (used by
flush) does not fire row triggers."""

from django.db import migrations

TABLES = ("ledger_transaction", "ledger_posting")


def _sqlite() -> list[str]:
    statements = []
    for table in TABLES:
        statements += [
            f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
               BEGIN SELECT RAISE(ABORT, 'ledger entries are immutable'); END;""",
            f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
               WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
               BEGIN SELECT RAISE(ABORT, 'ledger entries are immutable'); END;""",
        ]
    return statements


def _postgres() -> list[str]:
    statements = [
        """CREATE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'ledger entries are immutable' USING ERRCODE = '23000'; END;
           $$ LANGUAGE plpgsql;"""
    ]
    for table in TABLES:
        statements.append(
            f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
               FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();"""
        )
    return statements


UNDO = {
    "sqlite": [f"DROP TRIGGER {t}_no_{w};" for t in TABLES for w in ("update", "delete")],
    "postgresql": [f"DROP TRIGGER {t}_no_change ON {t};" for t in TABLES]
    + ["DROP FUNCTION ledger_refuse_change();"],
}


def forwards(apps, schema_editor):
    statements = {"sqlite": _sqlite, "postgresql": _postgres}.get(
        schema_editor.connection.vendor, list
    )()
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in UNDO.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_accounts_transactions_postings"), ("audit", "0002_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
