"""Each RAS version is bound to the questionnaire version it prices: expand (nullable),
backfill (the version of its questionnaire in force today, else its newest published one,
else its newest), contract (required). Reversible: the column is dropped again."""

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models


def bind(apps, schema_editor):
    RasVersion = apps.get_model("allocation", "RasVersion")
    QuestionnaireVersion = apps.get_model("assessment", "QuestionnaireVersion")
    today = dt.date.today()
    for ras in RasVersion.objects.filter(questionnaire_version__isnull=True):
        versions = QuestionnaireVersion.objects.filter(questionnaire_id=ras.questionnaire_id)
        bound = (
            versions.filter(status="published", effective_from__lte=today)
            .order_by("-effective_from", "-number")
            .first()
            or versions.filter(status="published").order_by("-effective_from", "-number").first()
            or versions.order_by("-number").first()
        )
        ras.questionnaire_version_id = bound.pk
        ras.save(update_fields=["questionnaire_version"])


class Migration(migrations.Migration):
    dependencies = [
        ("allocation", "0006_challenge_channel_and_who_asked"),
        ("assessment", "0002_one_version_per_date"),
    ]

    operations = [
        migrations.AddField(
            model_name="rasversion",
            name="questionnaire_version",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ras_versions",
                to="assessment.questionnaireversion",
            ),
        ),
        migrations.RunPython(bind, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="rasversion",
            name="questionnaire_version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ras_versions",
                to="assessment.questionnaireversion",
            ),
        ),
    ]
