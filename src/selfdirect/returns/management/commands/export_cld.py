"""Write the NHS England Adult Social Care Client Level Data (CLD) return for a period, and
its validation report of records that cannot be coded (docs/cld.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.returns.cld import SPEC_VERSION, PeriodError, period_parse
from selfdirect.returns.services import cld_return_make


class Command(BaseCommand):
    help = "Write the NHS England Client Level Data return for a period as CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--period", required=True, help="START:END as dates, e.g. 2025-04-01:2026-03-31"
        )
        parser.add_argument("--out", required=True, help="the CSV file to write the return to")
        parser.add_argument(
            "--report", default="", help="the CSV file to write the validation report to"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = period_parse(options["period"])
        except PeriodError as bad:
            raise CommandError(f"--period {options['period']!r}: {bad}") from bad
        result = cld_return_make(period=period)
        _write(Path(options["out"]), result.csv())
        if options["report"]:
            _write(Path(options["report"]), result.report_csv())
        self.stdout.write(
            f"CLD return for {period} ({SPEC_VERSION}): {len(result.rows)} events for "
            f"{len(result.person_ids)} people; {len(result.report)} items cannot be coded"
            + ("" if options["report"] else " (give --report FILE to write them)")
        )


def _write(path: Path, text: str) -> None:
    try:
        path.write_bytes(text.encode("utf-8"))
    except OSError as bad:
        raise CommandError(f"Cannot write {path}: {bad.strerror}") from bad
