"""Chain the audit log: add ``prev_hash`` and ``hash`` and fill them for every event
already written, oldest first, so the whole log is covered from today (decision 0012).

Filling them is an UPDATE, which the append-only triggers of 0002 refuse: the update
trigger is lifted for the backfill and put back in the same transaction (SQLite drops
and recreates it; PostgreSQL disables and re-enables it). ``at`` changes from
``auto_now_add`` to a Python default, which changes nothing in the database."""

import django.utils.timezone
from django.db import migrations, models

from selfdirect.audit.chain import CONTENT, GENESIS, link_hash

BATCH = 5000
SQLITE_NO_UPDATE = """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"""


def backfill(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER audit_event_no_update;")
    elif connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change;")
    event_model = apps.get_model("audit", "Event")
    prev, after = GENESIS, 0
    while True:
        rows = list(
            event_model.objects.filter(id__gt=after)
            .order_by("id")
            .values_list("id", *CONTENT)[:BATCH]
        )
        if not rows:
            break
        updates = []
        for row in rows:
            event_hash = link_hash(prev, dict(zip(CONTENT, row[1:], strict=True)))
            updates.append((prev, event_hash, row[0]))
            prev = event_hash
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE audit_event SET prev_hash = %s, hash = %s WHERE id = %s", updates
            )
        after = rows[-1][0]
    if connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_NO_UPDATE)
    elif connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change;")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_actor_teams_and_export")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="prev_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="event",
            name="hash",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="event",
                    name="at",
                    field=models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, editable=False
                    ),
                )
            ],
        ),
        # Unchaining on the way back needs no UPDATE: the columns are simply dropped.
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
