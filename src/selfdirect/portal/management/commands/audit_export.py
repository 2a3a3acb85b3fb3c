"""manage.py audit_export --person REF | --user NAME [--output FILE]: the audit trail of one
person (subject access) or one user as CSV, to a file or standard output. Audited."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.audit.exports import audit_trail_export_person, audit_trail_export_user
from selfdirect.audit.selectors import staff_find
from selfdirect.people.selectors import UNKNOWN_REFERENCE, subject_find

UNKNOWN_USER = "No user has the username {username}"
ONE_OF = "Give either --person REF or --user NAME"


class Command(BaseCommand):
    help = (
        "Export the audit trail of one person (every event about them: a subject access "
        "request) or of one user (every event by them) as CSV. The export is itself audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--person", default="", help="The person's council reference.")
        parser.add_argument("--user", default="", help="The user's username.")
        parser.add_argument("--output", default="", help="A file to write (default: stdout).")

    def handle(self, *args: Any, person: str, user: str, output: str, **options: Any) -> None:
        if bool(person) == bool(user):
            raise CommandError(ONE_OF)
        subject = subject_find(reference=person) if person else None
        staff = staff_find(username=user) if user else None
        if person and subject is None:
            raise CommandError(UNKNOWN_REFERENCE.format(reference=person))
        if user and staff is None:
            raise CommandError(UNKNOWN_USER.format(username=user))
        try:
            out = open(output, "w", newline="", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
        except OSError as failed:
            raise CommandError(f"Cannot write {output}: {failed.strerror}") from failed
        try:
            if subject is not None:
                count = audit_trail_export_person(actor=None, person=subject, out=out)
            else:
                assert staff is not None
                count = audit_trail_export_user(actor=None, user=staff, out=out)
        finally:
            if output:
                out.close()
        if output:
            self.stderr.write(f"{count} events written to {output}")
