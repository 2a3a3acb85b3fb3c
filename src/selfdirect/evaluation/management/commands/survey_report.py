"""manage.py survey_report --survey NAME [options] --format json|csv --out FILE

A report page's download in batch (docs/evaluation-guide.md). For a POET survey
(poet-holder, poet-carer) the outcomes report of /evaluation/outcomes/ or /evaluation/carers/,
over one version's consenting responses, optionally for a period and without proxy answers.
For ``ibsen`` the IBSEN outcomes by group (/evaluation/ibsen/, ``--grouping``); for
``cost-effectiveness`` that report (``--source plan|ledger``; for the ledger ``--since`` and
``--until`` choose the period, default the page's 12 weeks). ``--synthetic`` gives the
demonstration figures. The CSV is byte for byte the page's CSV download."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from selfdirect.evaluation import cohort, costs, ibsen_report, selectors
from selfdirect.evaluation.report import Report, report_csv, report_dict

IBSEN = "ibsen"
COST_EFFECTIVENESS = "cost-effectiveness"
NO_REPORT = "There is no outcomes report for the survey {code}: use {codes}"
DOES_NOT_APPLY = "{option} does not apply to the {code} report"
PERIOD_NEEDS_LEDGER = (
    "--since and --until choose the ledger's period: use them with --source ledger"
)
OPTION_KEYS = {
    "--version": "survey_version",
    "--since": "since",
    "--until": "until",
    "--exclude-proxy": "exclude_proxy",
    "--grouping": "grouping",
    "--source": "source",
    "--synthetic": "synthetic",
}
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
        parser.add_argument(
            "--survey",
            required=True,
            help="poet-holder, poet-carer, ibsen or cost-effectiveness",
        )
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
        parser.add_argument(
            "--grouping", choices=tuple(cohort.GROUPINGS), help="ibsen: default holding"
        )
        parser.add_argument(
            "--source", choices=tuple(costs.SOURCES), help="cost-effectiveness: default plan"
        )
        parser.add_argument(
            "--synthetic", action="store_true", help="ibsen, cost-effectiveness: synthetic data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["survey"]
        codes = (*selectors.REPORTS, IBSEN, COST_EFFECTIVENESS)
        if code not in codes:
            raise CommandError(NO_REPORT.format(code=code, codes=", ".join(codes)))
        since = _date(options["since"], "--since")
        until = _date(options["until"], "--until")
        if since and until and until < since:
            raise CommandError(UNTIL_BEFORE_SINCE)
        report = (
            self._poet(code, options, since, until)
            if code in selectors.REPORTS
            else self._ibsen(code, options, since, until)
        )
        self._write(report, options)

    def _refuse(self, code: str, options: dict[str, Any], *names: str) -> None:
        for name in names:
            if options[OPTION_KEYS[name]]:
                raise CommandError(DOES_NOT_APPLY.format(option=name, code=code))

    def _ibsen(
        self, code: str, options: dict[str, Any], since: dt.date | None, until: dt.date | None
    ) -> Report:
        today = timezone.localdate()
        if code == IBSEN:
            self._refuse(
                code, options, "--version", "--since", "--until", "--exclude-proxy", "--source"
            )
            return ibsen_report.outcomes_for(
                on=today,
                grouping=options["grouping"] or cohort.HOLDING,
                synthetic=options["synthetic"],
            )
        self._refuse(code, options, "--version", "--exclude-proxy", "--grouping")
        source = options["source"] or costs.PLAN
        period = None
        if since or until:
            if source != costs.LEDGER:
                raise CommandError(PERIOD_NEEDS_LEDGER)
            end = until or today
            start = since or ibsen_report.ledger_period(end)[0]
            if end < start:
                raise CommandError(UNTIL_BEFORE_SINCE)
            period = (start, end)
        report, _results = ibsen_report.cost_effectiveness_for(
            on=today, source=source, synthetic=options["synthetic"], period=period
        )
        return report

    def _poet(
        self, code: str, options: dict[str, Any], since: dt.date | None, until: dt.date | None
    ) -> Report:
        self._refuse(code, options, "--grouping", "--source", "--synthetic")
        versions = selectors.instrument_versions(code)
        wanted = options["survey_version"]
        if wanted is None:
            instrument = versions[0] if versions else None
        else:
            instrument = next((v for v in versions if v.version == wanted), None)
            if instrument is None:
                raise CommandError(UNKNOWN_VERSION.format(version=wanted, code=code))
        return selectors.outcomes_report(
            code, instrument, since=since, until=until, include_proxy=not options["exclude_proxy"]
        )

    def _write(self, report: Report, options: dict[str, Any]) -> None:
        out: Path = options["out"]
        # The CSV as the page downloads it: UTF-8 with a byte-order mark (csv_download).
        text = (
            json.dumps(report_dict(report), ensure_ascii=False, indent=1)
            if options["format"] == "json"
            else "\ufeff" + report_csv(report)
        )
        try:
            out.write_bytes(text.encode("utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}") from error
        tables = sum(len(s.tables) for s in report.sections)
        self.stdout.write(f"Wrote {report.title} ({report.subtitle}) with {tables} tables to {out}")
