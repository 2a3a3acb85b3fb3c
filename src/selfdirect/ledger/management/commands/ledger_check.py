"""manage.py ledger_check [--json]: checks that every ledger transaction balances, every
cached balance equals its postings and no budget was paid twice for a period; exits 1 when
any check fails, listing the first problems found with their ids."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.ledger.checks import ledger_check
from selfdirect.money import pounds


class Command(BaseCommand):
    help = (
        "Check the ledger: every transaction balances, every cached balance equals its "
        "postings, no budget paid twice for a period. Exits 1 when it does not balance."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help='Print {"balanced": true/false, "total_paid_pence": N, ...} only.',
        )
        parser.add_argument(
            "--limit", type=int, default=20, help="Problems listed at most (default 20)."
        )

    def handle(self, *args: Any, as_json: bool, limit: int, **options: Any) -> None:
        report = ledger_check(limit=max(limit, 1))
        if as_json:
            self.stdout.write(json.dumps(report.as_dict()))
        else:
            self.stdout.write(
                f"{report.transactions} transactions, {report.postings} postings, "
                f"{report.accounts} accounts; paid to budgets: {pounds(report.total_paid_pence)}."
            )
            if report.balanced:
                self.stdout.write("The ledger balances.")
            for problem in report.problems:
                self.stdout.write(f"- {problem.detail}")
        if not report.balanced:
            raise CommandError(
                f"The ledger does not balance: {report.problem_count} problem(s) found.",
                returncode=1,
            )
