"""Make the audit log append-only in the database itself: UPDATE and DELETE are refused.

On SQLite a row in ``audit_maintenance`` (a table outside Django's models) lets an
operator purge events past their retention period, and lets the test suite's flush
between browser tests run; PostgreSQL's TRUNCATE (used by flush) does not fire row
triggers, so there the rule is absolute for row changes."""

from django.db import migrations

SQLITE = [
    "CREATE TABLE audit_maintenance (reason TEXT NOT NULL);",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
       WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
]
POSTGRES = [
    """CREATE FUNCTION audit_event_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = '23000'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
       FOR EACH ROW EXECUTE FUNCTION audit_event_refuse();""",
]
UNDO = {
    "sqlite": [
        "DROP TRIGGER audit_event_no_update;",
        "DROP TRIGGER audit_event_no_delete;",
        "DROP TABLE audit_maintenance;",
    ],
    "postgresql": ["DROP TRIGGER audit_event_no_change ON audit_event;", "DROP FUNCTION audit_event_refuse();"],
}


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in UNDO.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
