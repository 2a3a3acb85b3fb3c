"""Providers get the uuid Open Referral UK names an organization by: added empty, filled
with one new uuid per provider, then made unique and required."""

import uuid

from django.db import migrations, models


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Provider = apps.get_model("providers", "Provider")
    for provider in Provider.objects.filter(oruk_id__isnull=True).only("pk"):
        Provider.objects.filter(pk=provider.pk).update(oruk_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("providers", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="provider",
            name="oruk_id",
            field=models.UUIDField(null=True, verbose_name="Open Referral UK ID"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="provider",
            name="oruk_id",
            field=models.UUIDField(
                default=uuid.uuid4, unique=True, verbose_name="Open Referral UK ID"
            ),
        ),
    ]
