"""manage.py oruk_import FILE.json: services in Open Referral UK 3.0 JSON, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.directory.oruk import OrukRefused
from selfdirect.directory.services import oruk_import


class Command(BaseCommand):
    help = (
        "Import directory services from an Open Referral UK 3.0 JSON file: a list of services,"
        " a page of them (its 'contents') or one service (docs/directory.md). Nothing is"
        " imported if any record is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A .json file (UTF-8).")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            document = json.loads(path.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as wrong:
            raise CommandError(f"Nothing was imported: {path.name} is not JSON ({wrong})") from None
        try:
            saved = oruk_import(actor=None, document=document)
        except OrukRefused as refused:
            raise CommandError(f"Nothing was imported: {refused}") from refused
        self.stdout.write(f"Imported {len(saved)} services from {path.name}")
