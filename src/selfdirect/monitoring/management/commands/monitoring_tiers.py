"""The monitoring tier table: list its versions, or add one from a later date (a version
never changes once saved). Amounts in whole pounds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.money import pounds
from selfdirect.monitoring.models import TierTable
from selfdirect.monitoring.services import MonitoringError, tier_table_add


class Command(BaseCommand):
    help = "List the monitoring tier table's versions, or add one (--from and the amounts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from", dest="effective_from", help="YYYY-MM-DD: the new version starts"
        )
        parser.add_argument("--light-below", type=int, help="light touch under this a year (£)")
        parser.add_argument("--full-from", type=int, help="full audit from this a year (£)")
        parser.add_argument("--light-item", type=int, default=50, help="£: flagged from (light)")
        parser.add_argument(
            "--middle-item", type=int, default=20, help="£: flagged from (quarterly)"
        )
        parser.add_argument("--full-item", type=int, default=0, help="£: flagged from (full audit)")
        parser.add_argument("--source", default="", help="the council's decision, in words")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["effective_from"]:
            self._add(options)
        for version in TierTable.objects.order_by("effective_from"):
            self.stdout.write(
                f"{version.effective_from.isoformat()}: light touch under "
                f"{pounds(version.light_below_yearly_pence)}, full audit from "
                f"{pounds(version.full_from_yearly_pence)} ({version.source})"
            )

    def _add(self, options: dict[str, Any]) -> None:
        try:
            starts = dt.date.fromisoformat(options["effective_from"])
        except ValueError as bad:
            raise CommandError("--from must be a date written YYYY-MM-DD") from bad
        if options["light_below"] is None or options["full_from"] is None:
            raise CommandError("Give --light-below and --full-from (whole pounds a year)")
        if not options["source"].strip():
            raise CommandError("Give --source: the council's decision that set the tiers")
        amounts = [
            options[k]
            for k in ("light_below", "full_from", "light_item", "middle_item", "full_item")
        ]
        if any(a < 0 for a in amounts):
            raise CommandError("Amounts must be 0 or more")
        try:
            tier_table_add(
                actor=None,
                fields={
                    "effective_from": starts,
                    "light_below_yearly_pence": options["light_below"] * 100,
                    "full_from_yearly_pence": options["full_from"] * 100,
                    "light_small_item_pence": options["light_item"] * 100,
                    "middle_small_item_pence": options["middle_item"] * 100,
                    "full_small_item_pence": options["full_item"] * 100,
                    "source": options["source"].strip()[:200],
                },
            )
        except MonitoringError as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(f"Added the tiers from {starts:%-d %B %Y}")
