"""Per-request context and protections: where audit events come from, which responses
browsers and proxies must not keep, and the staff two-factor step after the password."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
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


# Pages a signed-in user may reach before giving their second factor (by URL name); the
# health check answers whoever asks.
BEFORE_CODE = frozenset({"two_factor_verify", "two_factor_recovery", "logout", "healthz"})
BEFORE_SET_UP = frozenset({"two_factor_setup", "logout", "healthz"})
TWO_FACTOR_NEEDED_API = (
    "Two-factor sign-in is not complete for this session: enter your code, or use an API token"
)


class TwoFactorMiddleware:
    """After the password, staff who must use two-factor sign-in (and anyone who has set
    it up) reach no other page until they give a code: those with an app are sent to enter
    its code, those without one to set it up. API calls with a bearer token are not
    affected; API calls on an unfinished session are refused."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        stop = self._stop(request)
        return stop if stop is not None else self.get_response(request)

    def _stop(self, request: HttpRequest) -> HttpResponse | None:
        from selfdirect.access.two_factor import app_device, two_factor_required

        user = request.user
        if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
            return None
        if request.path.startswith(("/static/", "/assets/")):
            return None
        if request.path.startswith("/api/") and request.META.get(
            "HTTP_AUTHORIZATION", ""
        ).startswith("Bearer "):
            return None
        if app_device(user) is not None:
            allowed, target = BEFORE_CODE, "two_factor_verify"
        elif two_factor_required(user):
            allowed, target = BEFORE_SET_UP, "two_factor_setup"
        else:
            return None
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            name = None
        if name in allowed:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": TWO_FACTOR_NEEDED_API}, status=401)
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
