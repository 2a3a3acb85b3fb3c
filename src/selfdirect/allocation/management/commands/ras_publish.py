"""manage.py ras_publish --ras RAS.json --effective-from YYYY-MM-DD [--as-user USERNAME]

Adds the file as a new version of its RAS, published from the date given (never editing
a version that exists). Without --effective-from it is added as a draft."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.allocation.ras_file import RasFileError
from selfdirect.allocation.services import AllocationError, ras_version_create
from selfdirect.file_checks import FileRefused, file_read_text, json_parse


class Command(BaseCommand):
    help = "Add a RAS file as a new version, published from a date (or as a draft)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ras", required=True)
        parser.add_argument(
            "--effective-from", default="", help="YYYY-MM-DD; leave out for a draft."
        )
        parser.add_argument("--as-user", default="", help="The username recorded in the audit log.")

    def handle(
        self, *args: Any, ras: str, effective_from: str, as_user: str, **options: Any
    ) -> None:
        actor = User.objects.filter(username=as_user).first() if as_user else None
        if as_user and actor is None:
            raise CommandError(f"No user has the username {as_user}")
        try:
            when = dt.date.fromisoformat(effective_from) if effective_from else None
        except ValueError as bad:
            raise CommandError("--effective-from must be a date like 2027-04-01") from bad
        try:
            data = json_parse(file_read_text(ras), ras)
            version = ras_version_create(actor=actor, data=data, effective_from=when)
        except (FileNotFoundError, IsADirectoryError) as missing:
            raise CommandError(f"No file at {ras}") from missing
        except FileRefused as bad:
            raise CommandError(str(bad)) from bad
        except (RasFileError, AllocationError) as bad:
            raise CommandError(f"{ras}: {bad}") from bad
        self.stdout.write(
            f"{version}: {version.get_status_display().lower()}"
            f"{f' from {when:%d %B %Y}' if when else ''} ({version.content_hash[:12]})"
        )
