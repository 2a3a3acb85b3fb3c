"""View guards: sign-in plus a capability from ``access.rules``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from selfdirect.access.selectors import user_can

View = Callable[..., HttpResponse]


def requires(capability: str) -> Callable[[View], View]:
    """Only users with ``capability`` reach the view; others get 403 (signed out: sign-in page)."""

    def decorate(view: View) -> View:
        @wraps(view)
        @login_required
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not user_can(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorate
