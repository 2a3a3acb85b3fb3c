"""A change that a rule refuses, and how a page tells the user about an action it ran."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


class Refused(ValueError):
    """A change refused by a rule; the message is shown to the user as it is, and ``field``
    names what was wrong (empty when it is the whole change)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def require_post(request: HttpRequest) -> None:
    """Actions change things, so they answer POST only."""
    if request.method != "POST":
        raise PermissionDenied


def run_and_tell(request: HttpRequest, run: Callable[[], Any], done: str) -> bool:
    """Run an action; tell the user it was done, or why a rule refused it."""
    try:
        run()
    except Refused as refused:
        messages.error(request, str(refused))
        return False
    messages.success(request, done)
    return True
