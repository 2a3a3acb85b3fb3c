"""``manage.py payment_run --period YYYY-MM [--frequency F] [--execute]``: a month's payment
runs from the command line, through the same services as the pages and the job.

Without --execute: a preview (who, how much, why) and nothing is written. With --execute:
an approved run is paid (or a half-paid one finished); a run not yet prepared is prepared
by --prepared-by and approved by --approved-by, two different finance officers (the
services refuse one officer doing both), then paid. Decision 0029."""

from __future__ import annotations

import sys
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.access.roles import Role
from selfdirect.access.selectors import roles_of
from selfdirect.money import pounds
from selfdirect.payments import services
from selfdirect.payments.models import PaymentRun
from selfdirect.payments.selectors import dues_for_month

NOT_FINANCE = "{username} is not a finance officer"
NEEDS_OFFICERS = (
    "The run for {period} ({frequency}) is not prepared: give --prepared-by and --approved-by, "
    "two different finance officers"
)
NOT_YET_APPROVED = (
    "The run for {period} ({frequency}) is prepared but not approved: give --approved-by, "
    "a finance officer who did not prepare it"
)


def progress_bar(done: int, total: int, width: int = 30) -> None:
    filled = width * done // total if total else width
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


class Command(BaseCommand):
    help = "Preview or pay a month's payment runs (docs/payments.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="the month, like 2026-04")
        parser.add_argument("--frequency", choices=["four_weekly", "monthly"])
        parser.add_argument("--execute", action="store_true", help="pay (default: preview)")
        parser.add_argument("--prepared-by", help="username of the officer preparing the run")
        parser.add_argument("--approved-by", help="username of the second officer approving")
        parser.add_argument("--batch-size", type=int, default=services.BATCH_SIZE)
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        period = options["period"]
        try:
            month = services.period_parse(period)
            frequencies = services.month_frequencies(options["frequency"])
        except services.PaymentError as refused:
            raise CommandError(str(refused)) from refused
        for frequency in frequencies:
            if options["execute"]:
                self._execute(period, frequency, options)
            else:
                self._preview(month, frequency)

    def _officer(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None or Role.FINANCE not in roles_of(user):
            raise CommandError(NOT_FINANCE.format(username=username))
        return user

    def _preview(self, month: Any, frequency: str) -> None:
        dues = dues_for_month(month=month, frequency=frequency)
        self.stdout.write(f"Preview: {frequency}, {month:%B %Y}: nothing is paid")
        for d in dues:
            self.stdout.write(
                f"  {d.schedule.person_id} {d.schedule.deployment} {d.period.key}: "
                f"{pounds(d.due.total_pence)} to {d.schedule.payee_name}"
            )
            for words in d.due.working:
                self.stdout.write(f"      {words}")
        total = sum(d.due.total_pence for d in dues)
        self.stdout.write(f"{len(dues)} payments, {pounds(total)}")

    def _execute(self, period: str, frequency: str, options: dict[str, Any]) -> None:
        run = PaymentRun.objects.filter(period=period, frequency=frequency).first()
        preparer = self._officer(options["prepared_by"])
        approver = self._officer(options["approved_by"])
        try:
            if run is None:
                if preparer is None or approver is None:
                    raise CommandError(NEEDS_OFFICERS.format(period=period, frequency=frequency))
                try:
                    run = services.run_prepare(actor=preparer, period=period, frequency=frequency)
                except services.PaymentError as refused:
                    if "Nothing is due" in str(refused):
                        self.stdout.write(str(refused))
                        return
                    raise
            if run.status == PaymentRun.Status.PREPARED:
                if approver is None:
                    raise CommandError(NOT_YET_APPROVED.format(period=period, frequency=frequency))
                run = services.run_approve(actor=approver, run=run)
            if run.status == PaymentRun.Status.PAID:
                self.stdout.write(f"{run} is already paid: nothing to do")
                return
            result = services.run_execute(
                run_id=run.pk,
                progress=None if options["quiet"] else progress_bar,
                batch_size=options["batch_size"],
            )
        except services.PaymentError as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(
            f"{run}: paid {result.paid} budgets, {pounds(result.paid_pence)}"
            + (f"; {result.skipped} already paid" if result.skipped else "")
        )
