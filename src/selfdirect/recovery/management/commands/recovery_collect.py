"""Take the recovery instalments that have fallen due (after a recorded decision, never
during an appeal). Idempotent: each instalment is recovered once, however often it runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from selfdirect.money import pounds
from selfdirect.recovery.services import recovery_collect


class Command(BaseCommand):
    help = "Recover the instalments of recovery plans that have fallen due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, default=None, help="As if today were YYYY-MM-DD"
        )

    def handle(self, *args: Any, date: dt.date | None, **options: Any) -> None:
        collected, problems = recovery_collect(today=date)
        for problem in problems:
            self.stderr.write(problem)
        total = sum(i.amount_pence for i in collected)
        plural = "" if len(collected) == 1 else "s"
        self.stdout.write(
            f"Recovered {len(collected)} instalment{plural}, {pounds(total)}; "
            f"{len(problems)} could not be taken"
        )
