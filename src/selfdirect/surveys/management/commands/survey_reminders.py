"""manage.py survey_reminders

Remind people invited to an open survey campaign who have not answered or declined: at
most one reminder per invitation per the campaign's interval, however often it runs (run
it daily from cron or the council's scheduler)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from selfdirect.surveys.campaigns import reminders_send


class Command(BaseCommand):
    help = "Remind people who have not yet answered an open survey campaign (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send()
        self.stdout.write(f"Survey reminders sent: {sent}")
