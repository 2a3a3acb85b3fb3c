"""The client's address, as far as the council's own reverse proxies say (decision 0009).

With ``SELFDIRECT_TRUSTED_PROXY_COUNT = 0`` (the default) the address is the connection's
own, and any X-Forwarded-For header is ignored: anyone can write one. With N trusted
proxies in front, each appends the address it saw to X-Forwarded-For, so the client is the
N-th entry from the right; entries further left were written by the client and are not
believed. Sign-in throttling (django-axes) and the audit log both use this function.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    count = int(getattr(settings, "SELFDIRECT_TRUSTED_PROXY_COUNT", 0))
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        # Not through the whole chain of proxies: only the connection's address is known.
        return remote
    return _valid(forwarded[-count]) or remote
