"""manage.py load_postcodes FILE.csv: postcode centroids from the ONS postcode directory the
council holds (columns pcds, lat, long), all or nothing, with no network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.directory.services import DirectoryRefused, postcodes_load


class Command(BaseCommand):
    help = (
        "Load postcode centroids for distances in the directory from an ONS postcode directory"
        " CSV file: columns pcds, lat and long (others ignored; docs/directory.md). Nothing is"
        " loaded if any row is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A .csv file (UTF-8), like ONSPD's Data/ONSPD_*.csv")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise CommandError(f"Nothing was loaded: {path.name} is not UTF-8 text") from None
        try:
            count = postcodes_load(actor=None, text=text)
        except DirectoryRefused as refused:
            raise CommandError(f"Nothing was loaded: {refused}") from refused
        self.stdout.write(f"Loaded {count} postcode centroids from {path.name}")
