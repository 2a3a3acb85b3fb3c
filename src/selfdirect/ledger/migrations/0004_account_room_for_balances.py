"""Leave half of each page of ledger_account free (PostgreSQL; decision 0036), so that
updating an account's cached balance can write the new row version on the same page (a
"heap-only tuple" update): then none of the table's nine indexes is written, as none of
them holds the balance. A payment run updates every budget account it pays; with full
pages each update wrote a new entry into every index. Applies to pages written from now
on (``VACUUM FULL ledger_account`` repacks an existing table). Nothing to do on SQLite."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE ledger_account SET (fillfactor = 50)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE ledger_account RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_fewer_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
