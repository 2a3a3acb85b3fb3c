"""manage.py person_export REF --output DIR: one person's whole record (``record.json`` and
``summary.pdf``) for a subject access request or a move to another council. Audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from selfdirect.pdf import PdfUnavailable
from selfdirect.people.selectors import UNKNOWN_REFERENCE, subject_find
from selfdirect.portal.record_export import person_record_export


class Command(BaseCommand):
    help = (
        "Write one person's whole record as record.json and summary.pdf into a folder, for "
        "a subject access request or a move to another council's system. The export is audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="The person's council reference.")
        parser.add_argument("--output", required=True, help="The folder to write into.")

    def handle(self, *args: Any, reference: str, output: str, **options: Any) -> None:
        person = subject_find(reference=reference)
        if person is None:
            raise CommandError(UNKNOWN_REFERENCE.format(reference=reference.strip()))
        folder = Path(output)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as failed:
            raise CommandError(f"Cannot write {output}: {failed.strerror}") from failed
        # One transaction: if the files cannot be written, the export is not recorded.
        try:
            with transaction.atomic():
                export = person_record_export(actor=None, person=person)
                (folder / "record.json").write_bytes(export.record_json)
                (folder / "summary.pdf").write_bytes(export.summary_pdf)
        except PdfUnavailable as unavailable:
            raise CommandError(str(unavailable)) from unavailable
        except OSError as failed:
            raise CommandError(f"Cannot write {output}: {failed.strerror}") from failed
        self.stderr.write(f"The record of {person.la_person_id} written to {folder}")
