"""Remind PA employers whose employer's liability insurance runs out soon: run it daily
(cron, or the council's scheduler). Each policy is reminded about once, however often it
runs; a policy already renewed is not reminded about."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from selfdirect.employers.selectors import insurance_due_for_reminder, reminder_days
from selfdirect.employers.services import insurance_remind


class Command(BaseCommand):
    help = "Remind PA employers that their employer's liability insurance runs out soon."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="remind this many days ahead (default SELFDIRECT_PA_INSURANCE_REMINDER_DAYS)",
        )
        parser.add_argument("--today", default="", help="run as on this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = dt.date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as bad:
            raise CommandError("--today must be a date like 2026-12-07") from bad
        today = today or timezone.localdate()
        days = options["days"] if options["days"] is not None else reminder_days()
        if days < 0:
            raise CommandError("--days must be 0 or more")
        sent = sum(
            insurance_remind(policy=policy, today=today)
            for policy in insurance_due_for_reminder(today, days)
        )
        self.stdout.write(f"Reminded PA employers about their insurance: {sent} reminders sent")
