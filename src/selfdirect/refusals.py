"""A change that a rule refuses, and how a page tells the user about an action it ran."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpRequest


class Refused(ValueError):
    """A change refused by a rule; the message is shown to the user as it is, and ``field``
    names what was wrong (empty when it is the whole change)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


P = ParamSpec("P")
R = TypeVar("R")


def lost_race_refused(
    refusal: Callable[..., Refused],
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A service whose database constraint stopped a change another request made first
    (a lost race) refuses as it would have had it seen that change: the same friendly
    refusal (``refusal`` is given the service's keyword arguments), never a 500. Put it
    outside ``transaction.atomic`` so the transaction (or savepoint) is rolled back before
    the refusal is raised."""

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(service)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return service(*args, **kwargs)
            except IntegrityError as lost:
                raise refusal(**kwargs) from lost

        return run

    return decorate


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


def run_on_form(
    form: Any,
    run: Callable[[], Any],
    field_of: Callable[[Any, str], str | None] | None = None,
) -> bool:
    """Run a service for a valid form: True when it was done; when a rule refused it, the
    refusal goes on the form against the field it names (or the form as a whole), so the
    page is shown again with it, and False. ``field_of(form, name)`` maps a name the service
    uses to the form's own field, where they differ."""
    try:
        run()
    except Refused as refused:
        name = getattr(refused, "field", None) or None
        if name and field_of is not None:
            name = field_of(form, name)
        form.add_error(name, str(refused))
        return False
    return True
