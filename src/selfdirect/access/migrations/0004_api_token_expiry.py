"""API tokens get an expiry. Tokens issued before this had none: they expire 90 days after
the migration runs, so the systems using them have time to move to a new one."""

import datetime as dt

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

EXISTING_TOKENS_LAST_DAYS = 90


def _expire_existing(apps, schema_editor):
    ApiToken = apps.get_model("access", "ApiToken")
    expires = timezone.now() + dt.timedelta(days=EXISTING_TOKENS_LAST_DAYS)
    ApiToken.objects.filter(expires_at__isnull=True).update(expires_at=expires)


class Migration(migrations.Migration):

    dependencies = [
        ("access", "0003_profile_sign_off_limit_weekly_pence"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(_expire_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="user",
            field=models.ForeignKey(
                on_delete=models.deletion.CASCADE,
                related_name="api_tokens",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterModelOptions(
            name="apitoken",
            options={"ordering": ["-created_at", "-id"]},
        ),
    ]
