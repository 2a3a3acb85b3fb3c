"""manage.py ras_calibrate --ras RAS.json --packages PACKAGES.csv [--out FITTED.json]"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.allocation.calibration import calibrate, packages_load
from selfdirect.allocation.ras_file import RasFileError, ras_load, ras_to_file
from selfdirect.money import pounds


class Command(BaseCommand):
    help = (
        "Fit the RAS's price per point for each user group to existing packages and report the fit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ras", required=True)
        parser.add_argument(
            "--packages",
            required=True,
            help="Answers as for ras_allocate, plus actual_weekly_pence.",
        )
        parser.add_argument(
            "--out", default="", help="Write the RAS with the fitted prices here (JSON)."
        )

    def handle(self, *args: Any, ras: str, packages: str, out: str, **options: Any) -> None:
        try:
            with Path(ras).open(encoding="utf-8") as handle:
                definition = ras_load(handle)
            refs, inputs, actual = packages_load(
                Path(packages).read_text(encoding="utf-8-sig"), definition
            )
            result = calibrate(definition, refs, inputs, actual)
        except FileNotFoundError as missing:
            raise CommandError(f"No file at {missing.filename}") from missing
        except RasFileError as bad:
            raise CommandError(str(bad)) from bad
        self.stdout.write(
            f"{'user group':22} {'people':>6} {'price now':>10} {'fitted':>8} {'R²':>6} {'median error':>13} {'outliers':>8}"
        )
        for fit in result.fits:
            self.stdout.write(
                f"{fit.group:22} {fit.people:6} {pounds(fit.price_before_pence):>10} {pounds(fit.price_fitted_pence):>8} "
                f"{fit.r_squared:>6} {fit.median_abs_percent_error:>13} {fit.outliers:8}"
            )
        if out:
            Path(out).write_text(
                json.dumps(ras_to_file(result.fitted), indent=2) + "\n", encoding="utf-8"
            )
            self.stdout.write(f"Wrote the RAS with the fitted prices to {out}")
