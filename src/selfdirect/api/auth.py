"""API authentication: a bearer token (for systems) or the signed-in session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from selfdirect.access.tokens import api_token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user  # so selectors apply the same rules as for pages
        return user


API_AUTH = [BearerToken(), django_auth]
