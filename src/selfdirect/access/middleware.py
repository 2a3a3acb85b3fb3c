"""Per-request context and protections: where audit events come from, which responses
browsers and proxies must not keep, and the staff two-factor step after the password."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from selfdirect.access.client_ip import client_ip
from selfdirect.audit.context import origin

# Downloads that carry people's data whoever asked for them.
PERSONAL_DOWNLOAD_TYPES = ("application/pdf", "text/csv")


class AccessContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        with origin(channel, client_ip(request)):
            return self.get_response(request)


def must_not_be_stored(request: HttpRequest, response: HttpResponse) -> bool:
    """The one rule: every response to a signed-in user, every API response and every
    PDF or CSV download (a shared computer's cache or a proxy must not keep them)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    if request.path.startswith("/api/"):
        return True
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return content_type in PERSONAL_DOWNLOAD_TYPES


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if must_not_be_stored(request, response):
            # "no-store" among Django's never-cache directives (no-cache, must-revalidate, private).
            add_never_cache_headers(response)
        return response
