"""manage.py import_people FILE.csv|FILE.xlsx: all or nothing, every error listed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from selfdirect.people.imports import ImportRefused, people_check, people_import, rows_read


class Command(BaseCommand):
    help = "Import people from a CSV or Excel file (docs/import-format.md). Nothing is imported if any row is wrong."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file.")
        parser.add_argument(
            "--as-user", default="", help="The username recorded in the audit log as importing."
        )
        parser.add_argument(
            "--check", action="store_true", help="Check the file and report, but import nothing."
        )

    def handle(self, *args: Any, file: str, as_user: str, check: bool, **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        actor = None
        if as_user:
            actor = User.objects.filter(username=as_user).first()
            if actor is None:
                raise CommandError(f"No user has the username {as_user}")
        started = time.perf_counter()
        try:
            with path.open("rb") as handle:
                header, rows = rows_read(handle, path.name)
            with Progress(
                TextColumn("Checking rows"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                disable=not self.stdout.isatty(),
            ) as bar:
                task = bar.add_task("check", total=len(rows))
                people = people_check(header, rows, tick=lambda n: bar.advance(task, n))
        except ImportRefused as refused:
            for error in refused.errors:
                where = f"row {error.row}" + (f", column {error.column}" if error.column else "")
                self.stderr.write(f"{where}: {error.message}" if error.row else error.message)
            first = refused.errors[0]
            raise CommandError(
                f"Nothing was imported: {len(refused.errors)} problem(s) in {path.name}"
                + ("" if len(refused.errors) > 1 or first.row else f": {first.message}")
            ) from refused
        if check:
            self.stdout.write(
                f"{len(people)} rows are ready to import; nothing was imported (--check)."
            )
            return
        count = people_import(actor=actor, people=people, source=path.name)
        self.stdout.write(
            f"Imported {count} people from {path.name} in {time.perf_counter() - started:.1f} s"
        )
