"""manage.py ras_calibrate --ras RAS.json --packages PACKAGES.csv [--out FITTED.json]"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.allocation.calibration import calibrate, packages_load
from selfdirect.allocation.ras_file import RasFileError, ras_load, ras_to_file
from selfdirect.file_checks import FileRefused, file_read_text
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
            definition = ras_load(io.StringIO(file_read_text(ras)))
        except (FileNotFoundError, IsADirectoryError) as missing:
            raise CommandError(f"No file at {ras}") from missing
        except FileRefused as bad:
            raise CommandError(str(bad)) from bad
        except RasFileError as bad:
            raise CommandError(f"{ras}: {bad}") from bad
        try:
            refs, inputs, actual = packages_load(file_read_text(packages), definition)
            result = calibrate(definition, refs, inputs, actual)
        except (FileNotFoundError, IsADirectoryError) as missing:
            raise CommandError(f"No file at {packages}") from missing
        except FileRefused as bad:
            raise CommandError(str(bad)) from bad
        except RasFileError as bad:
            raise CommandError(f"{packages}: {bad}") from bad
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
