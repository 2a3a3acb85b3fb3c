"""manage.py survey_wording_load --instrument CODE FILE.csv [--licence "..."]

Load the question and answer wording a council holds a licence for (ASCOT, GHQ-12 ship
with codes only; format: docs/survey-format.md). It publishes a new version of the
instrument with the same codes; the version in use is never edited. All or nothing: on
any error nothing changes and every error is listed, by row and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.surveys.imports import SurveyImportRefused
from selfdirect.surveys.wording import instrument_wording_load


class Command(BaseCommand):
    help = "Publish a new version of a survey carrying licensed wording from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instrument", required=True, help="The instrument's code")
        parser.add_argument(
            "--licence", default="", help="The licence the council holds for this wording"
        )
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            with path.open(encoding="utf-8-sig", newline="") as file:
                version = instrument_wording_load(
                    actor=None,
                    code=options["instrument"],
                    file=file,
                    licence=options["licence"],
                )
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text") from error
        except SurveyImportRefused as refused:
            raise CommandError("Nothing was loaded:\n" + "\n".join(refused.errors)) from refused
        self.stdout.write(f"Published {version} with the loaded wording")
