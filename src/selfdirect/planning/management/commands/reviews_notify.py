"""Tell people whose review is coming up: run it daily (cron, or the council's scheduler).
Running it again the same day tells no one twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from selfdirect.planning.services import REVIEW_NOTICE_DAYS, reviews_due_notify


class Command(BaseCommand):
    help = "Tell people (and those who act for them) that their review is due soon."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=REVIEW_NOTICE_DAYS,
            help=f"tell people this many days ahead (default {REVIEW_NOTICE_DAYS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        written = reviews_due_notify(today=timezone.localdate(), within_days=options["days"])
        self.stdout.write(f"Told people about reviews due soon: {written} messages written")
