"""manage.py generate_demo --people N --seed S [--if-empty]: a reproducible demo council."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from selfdirect.demo.generator import demo_council_build
from selfdirect.demo.money import MONEY_PEOPLE
from selfdirect.people.models import Person

MAX_PEOPLE = 100_000
REFUSED_IN_PRODUCTION = (
    "Demo data cannot be generated in production (SELFDIRECT_ENV=production): "
    "the demo's accounts share one published password."
)


class Command(BaseCommand):
    help = "Build a reproducible demo council of N people (teams, staff, carers, representatives, providers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people",
            type=int,
            default=2000,
            help="How many people with care and support (1 to 100,000).",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="The same seed always gives the same council."
        )
        parser.add_argument(
            "--money-people",
            type=int,
            default=MONEY_PEOPLE,
            help="A year of payment schedules and paid runs for the first N people "
            f"(default {MONEY_PEOPLE:,}; 0 for none).",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if the database already has people."
        )

    def handle(
        self,
        *args: Any,
        people: int,
        seed: int,
        if_empty: bool,
        money_people: int = MONEY_PEOPLE,
        **options: Any,
    ) -> None:
        if settings.PRODUCTION:
            raise CommandError(REFUSED_IN_PRODUCTION)
        if not 1 <= people <= MAX_PEOPLE:
            raise CommandError(f"--people must be from 1 to {MAX_PEOPLE:,}")
        existing = Person.objects.count()
        if existing:
            if if_empty:
                self.stdout.write(
                    f"The database already has {existing:,} people: keeping the council as it is."
                )
                return
            raise CommandError(
                f"The database already has {existing:,} people. Use a new database (for example delete var/ or "
                "set DATABASE_URL) to build a demo council."
            )
        started = time.perf_counter()
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,}"),
            TimeElapsedColumn(),
            disable=not self.stdout.isatty(),
        ) as bar:
            tasks: dict[str, Any] = {}

            def tick(stage: str, n: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=None)
                bar.advance(tasks[stage], n)

            summary = demo_council_build(
                people=people, seed=seed, progress=tick, money_people=money_people
            )
        # Fresh statistics for the query planner after a bulk load (SQLite and PostgreSQL):
        # without them SQLite walks every review to find one team's.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started
        self.stdout.write(f"Built the demo council (seed {seed}) in {seconds:.1f} s:")
        for name, count in summary.counts.items():
            self.stdout.write(f"  {count:>8,} {name}")
