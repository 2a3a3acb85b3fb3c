"""Running the service: the health check a load balancer asks, and one JSON log line per
request with a request id (decision 0014).

The request line holds the method, the path (with record ids, never a query string), the
status, the time taken and the signed-in user's id: never a name, an NHS number, an email,
search text or form contents. Every other log record (Django's own included) carries the
same request id, so one request's lines can be found together.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# A request id from the proxy is kept only when it looks like one (a UUID, a trace id):
# anything else (too long, spaces, control characters) is replaced by a new one.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Path parts that are secrets, not ids: the password reset link's user and token.
SECRET_URL_ARGUMENTS = frozenset({"uidb64", "token"})
HIDDEN = "-"

request_id_var: ContextVar[str] = ContextVar("request_id", default=HIDDEN)
request_logger = logging.getLogger("selfdirect.request")


class RequestIdFilter(logging.Filter):
    """Adds the request's id to every log record: the record's own request (Django logs a
    404 or a 500 after the middleware has finished), else the current one, else ``-``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or request_id_var.get()
        return True


class JsonLogFormatter(JsonFormatter):
    """python-json-logger's formatter, leaving out the request object Django attaches to
    its records (its text holds the query string) and the code position."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "status_code"])
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


def request_id_from(request: HttpRequest) -> str:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    if REQUEST_ID_PATTERN.fullmatch(given):
        return given
    return uuid.uuid4().hex


def logged_path(request: HttpRequest) -> str:
    """The path, with the parts that are secrets (a password reset token) hidden."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if name in SECRET_URL_ARGUMENTS and value:
                path = path.replace(f"/{value}/", f"/{HIDDEN}/")
    return path


def user_id_of(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return int(user.pk)


class RequestLogMiddleware:
    """First in the list: gives each request its id (from ``X-Request-ID`` when valid),
    echoes it in the response and writes one line when the response is ready."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            level = logging.ERROR if response.status_code >= 500 else logging.INFO
            request_logger.log(
                level,
                "request",
                extra={
                    "method": request.method,
                    "path": logged_path(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user_id_of(request),
                },
            )
            return response
        finally:
            request_id_var.reset(token)
