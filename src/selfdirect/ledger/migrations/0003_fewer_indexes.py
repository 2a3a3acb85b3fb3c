"""Drop the indexes nothing reads (decision 0036): every payment run inserts into them.

The state changes are the fields' ``db_index=False``. The database change is a plain
DROP INDEX (the same names on SQLite and PostgreSQL): Django's own AlterField would remake
each table on SQLite and lose the immutability triggers of migration 0002."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (index, table, column): each was Django's index for a foreign key.
DROPPED = [
    ("ledger_posting_account_id_964f801d", "ledger_posting", "account_id"),
    ("ledger_transaction_budget_account_id_dbdff430", "ledger_transaction", "budget_account_id"),
    ("ledger_transaction_prepared_by_id_a3dc1dd4", "ledger_transaction", "prepared_by_id"),
    ("ledger_transaction_approved_by_id_975cbe5b", "ledger_transaction", "approved_by_id"),
    (
        "ledger_periodpayment_budget_account_id_3f5aeb49",
        "ledger_periodpayment",
        "budget_account_id",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_immutable_postings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX "{index}" ON "{table}" ("{column}")',
                )
                for index, table, column in DROPPED
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="periodpayment",
                    name="budget_account",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ledger.account",
                    ),
                ),
                migrations.AlterField(
                    model_name="posting",
                    name="account",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="postings",
                        to="ledger.account",
                    ),
                ),
                migrations.AlterField(
                    model_name="transaction",
                    name="approved_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="transaction",
                    name="budget_account",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ledger.account",
                    ),
                ),
                migrations.AlterField(
                    model_name="transaction",
                    name="prepared_by",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        )
    ]
