"""Where the current change comes from (web, api or command, and the client address),
set once per request by middleware so services need not pass it around."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    channel: str = "command"
    ip_address: str | None = None


_origin: contextvars.ContextVar[Origin] = contextvars.ContextVar("audit_origin", default=Origin())  # noqa: B039 - frozen


def current_origin() -> Origin:
    return _origin.get()


@contextmanager
def origin(channel: str, ip_address: str | None = None) -> Iterator[None]:
    token = _origin.set(Origin(channel=channel, ip_address=ip_address))
    try:
        yield
    finally:
        _origin.reset(token)
