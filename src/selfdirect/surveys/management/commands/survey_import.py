"""manage.py survey_import --instrument CODE --version N FILE.csv

Record responses collected elsewhere (format: docs/survey-format.md). All or nothing:
on any error nothing is recorded and every error is listed, by row and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.surveys.imports import SurveyImportRefused, responses_import
from selfdirect.surveys.models import Instrument

UNKNOWN_INSTRUMENT = "There is no survey {code} version {version}"


class Command(BaseCommand):
    help = "Import survey responses from a CSV file (docs/survey-format.md): all or nothing."

    def add_base_argument(self, parser: Any, *args: Any, **kwargs: Any) -> None:
        # --version names the instrument's version here, not Django's own version.
        if args != ("--version",):
            super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instrument", required=True, help="The instrument's code")
        parser.add_argument("--version", dest="instrument_version", type=int, required=True)
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        code, version = options["instrument"], options["instrument_version"]
        instrument = Instrument.objects.filter(code=code, version=version).first()
        if instrument is None:
            raise CommandError(UNKNOWN_INSTRUMENT.format(code=code, version=version))
        path: Path = options["file"]
        try:
            with path.open(encoding="utf-8-sig", newline="") as file:
                recorded = responses_import(actor=None, instrument=instrument, file=file)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text") from error
        except SurveyImportRefused as refused:
            raise CommandError("Nothing was imported:\n" + "\n".join(refused.errors)) from refused
        self.stdout.write(f"Imported {len(recorded)} responses to {instrument}")
