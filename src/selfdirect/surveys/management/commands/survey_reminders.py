"""manage.py survey_reminders

Remind people invited by message to an open survey campaign who have not answered or
declined: at most one reminder per invitation per the campaign's interval, however often it
runs (run it daily from cron or the council's scheduler). People invited by letter get a
reminder letter that their team manager prints from the campaign page; the command says how
many are due (docs/surveys.md "Reminders")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from selfdirect.surveys.campaigns import reminder_letters_due_count, reminders_send


class Command(BaseCommand):
    help = "Remind people who have not yet answered an open survey campaign (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send()
        self.stdout.write(f"Survey reminders sent: {sent}")
        letters = reminder_letters_due_count()
        self.stdout.write(
            f"Survey reminder letters due, for team managers to print from the campaign "
            f"page: {letters}"
        )
