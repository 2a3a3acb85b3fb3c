"""Load the instruments shipped in surveys/instruments/ as published version 1.

A later version is a new file (<code>.v2.json) and a new migration that loads it; this
migration names its files so that it always loads the same ones."""

from django.db import migrations
from django.utils import timezone

from selfdirect.surveys.definitions import INSTRUMENTS_DIR, definition_read, instrument_build

FILES = [
    "poet-holder.v1.json",
    "poet-carer.v1.json",
    "ghq-12.v1.json",
    "ascot.v1.json",
    "quality-of-life.v1.json",
    "self-perceived-health.v1.json",
    "satisfaction.v1.json",
]


def load(apps, schema_editor):
    Instrument = apps.get_model("surveys", "Instrument")
    Scale = apps.get_model("surveys", "Scale")
    Item = apps.get_model("surveys", "Item")
    now = timezone.now()
    for name in FILES:
        data = definition_read(INSTRUMENTS_DIR / name)
        if Instrument.objects.filter(code=data["code"], version=data["version"]).exists():
            continue
        instrument_build(
            instrument_model=Instrument,
            scale_model=Scale,
            item_model=Item,
            data=data,
            status="published",
            published_at=now,
        )


def unload(apps, schema_editor):
    Instrument = apps.get_model("surveys", "Instrument")
    codes = [name.rsplit(".v", 1)[0] for name in FILES]
    Instrument.objects.filter(code__in=codes, version=1, responses__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_surveys")]

    operations = [migrations.RunPython(load, unload)]
