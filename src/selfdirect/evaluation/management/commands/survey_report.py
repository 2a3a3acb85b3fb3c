"""manage.py survey_report --survey NAME [--version N] --format json|csv --out FILE

The outcomes report of a POET survey in batch: the same figures as its page
(/evaluation/outcomes/, /evaluation/carers/) and downloads, over one version's consenting
responses, optionally for a period and without proxy answers (docs/evaluation-guide.md)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.evaluation import selectors
from selfdirect.evaluation.report import report_csv, report_dict

NO_REPORT = "There is no outcomes report for the survey {code}: use {codes}"
UNKNOWN_VERSION = "There is no version {version} of the survey {code} in use"
NOT_A_DATE = "{option} must be a date in the form YYYY-MM-DD, not {value!r}"
UNTIL_BEFORE_SINCE = "--until must be on or after --since"


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as bad:
        raise CommandError(NOT_A_DATE.format(option=option, value=value)) from bad


class Command(BaseCommand):
    help = "Write a POET survey's outcomes report as JSON or CSV (docs/evaluation-guide.md)."

    def add_base_argument(self, parser: Any, *args: Any, **kwargs: Any) -> None:
        # --version names the survey's version here, not Django's own version.
        if args != ("--version",):
            super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--survey", required=True, help="The instrument code, e.g. poet-holder")
        parser.add_argument(
            "--version", dest="survey_version", type=int, help="Default: the newest in use"
        )
        parser.add_argument("--format", choices=("json", "csv"), required=True)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--since", help="First day, YYYY-MM-DD")
        parser.add_argument("--until", help="Last day, YYYY-MM-DD")
        parser.add_argument(
            "--exclude-proxy", action="store_true", help="Leave out answers given by proxy"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["survey"]
        if code not in selectors.REPORTS:
            raise CommandError(NO_REPORT.format(code=code, codes=" or ".join(selectors.REPORTS)))
        versions = selectors.instrument_versions(code)
        wanted = options["survey_version"]
        if wanted is None:
            instrument = versions[0] if versions else None
        else:
            instrument = next((v for v in versions if v.version == wanted), None)
            if instrument is None:
                raise CommandError(UNKNOWN_VERSION.format(version=wanted, code=code))
        since = _date(options["since"], "--since")
        until = _date(options["until"], "--until")
        if since and until and until < since:
            raise CommandError(UNTIL_BEFORE_SINCE)
        report = selectors.outcomes_report(
            code, instrument, since=since, until=until, include_proxy=not options["exclude_proxy"]
        )
        out: Path = options["out"]
        text = (
            json.dumps(report_dict(report), ensure_ascii=False, indent=1)
            if options["format"] == "json"
            else report_csv(report)
        )
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}") from error
        tables = sum(len(s.tables) for s in report.sections)
        self.stdout.write(f"Wrote {report.title} ({report.subtitle}) with {tables} tables to {out}")
