"""Draw a quarter's random sample for monitoring (the same as finance's button): once per
quarter; run again, it prints the sample already drawn."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from selfdirect.monitoring.models import SampleMember
from selfdirect.monitoring.services import MonitoringError, sample_draw
from selfdirect.monitoring.tiers import quarter_of


class Command(BaseCommand):
    help = "Draw the quarter's random sample of direct payments to check (once a quarter)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quarter", help="like 2026-Q2 (default: this quarter)")
        parser.add_argument("--seed", type=int, help="the seed (default: a random one, recorded)")
        parser.add_argument(
            "--size", type=int, help="how many people (default: SELFDIRECT_MONITORING_SAMPLE_SIZE)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        quarter = options["quarter"] or quarter_of(timezone.localdate())
        if options["size"] is not None and options["size"] < 0:
            raise CommandError("--size must be 0 or more")
        try:
            sample, drawn = sample_draw(
                actor=None, quarter=quarter, seed=options["seed"], size=options["size"]
            )
        except MonitoringError as refused:
            raise CommandError(str(refused)) from refused
        members = SampleMember.objects.filter(sample=sample).select_related("person")
        self.stdout.write(
            f"{'Drew' if drawn else 'Already drawn:'} the random sample for {sample.quarter}: "
            f"{members.count()} of {sample.population_count} people, seed {sample.seed}"
        )
        for member in members:
            self.stdout.write(f"{member.person.la_person_id}\t{member.person.full_name}")
