"""A list look becomes one chained event plus one slim ``Listed`` row per person shown
(decision 0056). The new table is append-only like ``audit_event`` (migration 0002): on
SQLite UPDATE is refused and DELETE too unless ``audit_maintenance`` has a row (an
operator's retention purge, the test suite's flush); on PostgreSQL both are refused by
the same function as the events' (TRUNCATE, used by flush, fires no row trigger).

List looks written before keep their old shape (one event per person, ``person`` set),
which every reader still finds; nothing is rewritten."""

import django.db.models.deletion
from django.db import migrations, models

SQLITE = [
    """CREATE TRIGGER audit_listed_no_update BEFORE UPDATE ON audit_listed
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER audit_listed_no_delete BEFORE DELETE ON audit_listed
       WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
]
POSTGRES = [
    """CREATE TRIGGER audit_listed_no_change BEFORE UPDATE OR DELETE ON audit_listed
       FOR EACH ROW EXECUTE FUNCTION audit_event_refuse();""",
]
UNDO = {
    "sqlite": ["DROP TRIGGER audit_listed_no_update;", "DROP TRIGGER audit_listed_no_delete;"],
    "postgresql": ["DROP TRIGGER audit_listed_no_change ON audit_listed;"],
}


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in UNDO.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_hash_chain"),
        ("people", "0004_caseload_carer_and_consent_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="Listed",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="audit.event",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="people.person",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["person", "event"], name="audit_listed_person_event")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("event", "person"), name="audit_listed_event_person"
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
