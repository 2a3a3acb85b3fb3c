"""manage.py create_api_token USERNAME [--name NAME] [--days N]: prints a new API token as
its last line."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from selfdirect.access.tokens import DEFAULT_TOKEN_DAYS, TokenError, api_token_create

DEFAULT_NAME = "Made with manage.py on {date}"


class Command(BaseCommand):
    help = "Issue an API token for a user. The token is shown once: store it safely."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--name",
            default="",
            help="What the token is for, e.g. 'finance system' (default: when it was made).",
        )
        parser.add_argument(
            "--days",
            default=DEFAULT_TOKEN_DAYS,
            type=int,
            help=f"How many days the token works for, 1 to 365 (default {DEFAULT_TOKEN_DAYS}).",
        )

    def handle(self, *args: Any, username: str, name: str, days: int, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user has the username {username}")
        if not user.is_active:
            raise CommandError(f"The user {username} is switched off")
        name = name or DEFAULT_NAME.format(date=f"{timezone.localdate():%-d %B %Y}")
        try:
            token = api_token_create(actor=None, user=user, name=name, days=days)
        except TokenError as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(
            f"API token '{name}' for {username}, working for {days} day{'s' if days != 1 else ''}"
            " (shown once; send it as 'Authorization: Bearer TOKEN'):"
        )
        self.stdout.write(token)
