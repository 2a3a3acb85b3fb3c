"""manage.py restore PATH [--yes]: put a backup back, checking hashes first and counts after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.operations.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by manage.py backup into the configured database and MEDIA_ROOT. "
        "Refuses a database that holds rows unless --yes is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The archive written by manage.py backup.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace whatever the configured database holds now.",
        )

    def handle(self, *args: Any, path: Path, yes: bool, **options: Any) -> None:
        try:
            manifest = backup_restore(path=path, replace=yes)
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = manifest["table_counts"]
        self.stdout.write(
            f"Restored {len(counts)} tables ({sum(counts.values())} rows, every count checked) "
            f"from the backup made {manifest['created_at']}."
        )
