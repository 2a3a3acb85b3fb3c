"""manage.py reset_two_factor USERNAME: for someone who has lost their phone and their
recovery codes; their app and codes are removed and they set up again at next sign-in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.access.two_factor import app_device, two_factor_turn_off


class Command(BaseCommand):
    help = "Remove a user's two-factor app and recovery codes (they set up again at next sign-in)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user has the username {username}")
        if app_device(user) is None:
            raise CommandError(f"{username} has not set up two-factor sign-in")
        two_factor_turn_off(actor=None, user=user)
        self.stdout.write(
            f"Removed two-factor sign-in for {username}: they set it up again at their next sign-in."
        )
