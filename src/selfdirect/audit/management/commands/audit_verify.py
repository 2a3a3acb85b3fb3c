"""manage.py audit_verify [--json]: checks the audit log's hash chain, event by event in id
order, and exits 1 naming the first event that was changed, removed or slipped in."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.audit.chain import verify


class Command(BaseCommand):
    help = (
        "Check that no audit event was changed or removed since it was written (run it "
        "after restoring a backup too). Exits 1 at the first broken link."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help='Print {"events": N, "verified": true/false, "first_bad_id": ...} only.',
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=5000,
            help="Events read from the database at a time (default 5000).",
        )

    def handle(self, *args: Any, as_json: bool, chunk_size: int, **options: Any) -> None:
        verdict = verify(chunk_size=max(chunk_size, 1))
        if as_json:
            self.stdout.write(json.dumps(verdict.as_dict()))
        elif verdict.verified:
            self.stdout.write(f"Verified {verdict.events} audit events: the chain is whole.")
            if verdict.starts_after:
                self.stdout.write(
                    "The oldest events were purged; the chain starts after hash "
                    f"{verdict.starts_after}."
                )
            if verdict.last_id is not None:
                self.stdout.write(
                    f"Newest event {verdict.last_id}, hash {verdict.last_hash} "
                    "(keep it: a later run must still reach it)."
                )
        if not verdict.verified:
            raise CommandError(
                f"The audit log has been tampered with at event {verdict.first_bad_id}: "
                f"{verdict.problem}",
                returncode=1,
            )
