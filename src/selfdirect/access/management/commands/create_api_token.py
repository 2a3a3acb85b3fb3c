"""manage.py create_api_token USERNAME [--name NAME]: prints a new API token as its last line."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.access.tokens import api_token_create


class Command(BaseCommand):
    help = "Issue an API token for a user. The token is shown once: store it safely."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--name", default="", help="What the token is for, e.g. 'finance system'."
        )

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user has the username {username}")
        if not user.is_active:
            raise CommandError(f"The user {username} is switched off")
        token = api_token_create(actor=None, user=user, name=name)
        self.stdout.write(
            f"API token for {username} (shown once; send it as 'Authorization: Bearer TOKEN'):"
        )
        self.stdout.write(token)
