"""manage.py ras_allocate --ras RAS.json --answers ANSWERS.csv --out OUT.csv

Prices every person in the answers file with the RAS (any method, either arithmetic, and
uplifts on the base or the running amount); a bad file gets a message naming the line and
field, and nothing is written.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.allocation.engine import Engine
from selfdirect.allocation.ras_file import RasFileError, answers_load, ras_load, result_csv
from selfdirect.file_checks import FileRefused, file_read_text


class Command(BaseCommand):
    help = "Work out indicative budgets for a file of answers with a RAS file (docs/ras-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ras", required=True, help="The RAS definition (JSON).")
        parser.add_argument("--answers", required=True, help="One row per person (CSV).")
        parser.add_argument("--out", required=True, help="Where to write the results (CSV).")

    def handle(self, *args: Any, ras: str, answers: str, out: str, **options: Any) -> None:
        started = time.perf_counter()
        try:
            definition = ras_load(io.StringIO(file_read_text(ras)))
        except (FileNotFoundError, IsADirectoryError) as missing:
            raise CommandError(f"No RAS file at {ras}") from missing
        except FileRefused as bad:
            raise CommandError(str(bad)) from bad
        except RasFileError as bad:
            raise CommandError(f"{ras}: {bad}") from bad
        try:
            refs, inputs = answers_load(io.StringIO(file_read_text(answers)), definition)
        except (FileNotFoundError, IsADirectoryError) as missing:
            raise CommandError(f"No answers file at {answers}") from missing
        except FileRefused as bad:
            raise CommandError(str(bad)) from bad
        except RasFileError as bad:
            raise CommandError(f"{answers}: {bad}") from bad
        try:
            engine = Engine(definition)
            result = engine.allocate(inputs)
        except ValueError as bad:  # the files passed their checks, so this is the engine's limit
            raise CommandError(f"{ras}: {bad}") from bad
        target = Path(out)
        # Write to a temporary file and rename, so a failure never leaves half a file.
        fd, temporary = tempfile.mkstemp(
            dir=target.parent if str(target.parent) else ".", prefix=".ras-", suffix=".csv"
        )
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(result_csv(refs, engine, result))
        os.replace(temporary, target)
        self.stdout.write(
            f"Priced {len(refs):,} people with {definition.title} version {definition.version} "
            f"(method {definition.method}, {definition.arithmetic} arithmetic, "
            f"{definition.content_hash[:12]}) in {time.perf_counter() - started:.2f} s: {target}"
        )
