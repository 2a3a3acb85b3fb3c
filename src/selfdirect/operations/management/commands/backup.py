"""manage.py backup [--output PATH]: one archive of the database, the app's files and a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.operations.backups import BackupError, backup_make


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump) and the app's files into one "
        ".tar.gz with a manifest of row counts and SHA-256 hashes. Safe while the site runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Where to write the archive (default var/backups/selfdirect-<UTC time>.tar.gz).",
        )

    def handle(self, *args: Any, output: Path | None, **options: Any) -> None:
        try:
            result = backup_make(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = result.manifest["table_counts"]
        self.stdout.write(
            f"Backed up {len(counts)} tables ({sum(counts.values())} rows) and "
            f"{len(result.manifest['members']) - 1} files to {result.path}"
        )
