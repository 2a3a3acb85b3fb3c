"""What every API router does the same way: the capability check, pages' forms fed from
JSON, their errors in ninja's 422 shape, and paging."""

from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest
from ninja.errors import HttpError, ValidationError

from selfdirect.access.decorators import capability_refused
from selfdirect.access.selectors import user_can

MAX_PAGE_SIZE = 100


def require(request: HttpRequest, capability: str) -> None:
    if not user_can(request.user, capability):
        match = request.resolver_match
        capability_refused(request, capability, dict(match.kwargs) if match else {})
        raise HttpError(403, "Your role does not allow this")


def problem(field: str, message: str, where: str = "body") -> ValidationError:
    """One message at one field, in the shape ninja uses for its own 422s."""
    return ValidationError(
        [{"loc": [where, field or "__all__"], "msg": message, "type": "value_error"}]
    )


def form_errors(form: BaseForm, names: dict[str, str] | None = None) -> ValidationError:
    """The form's messages, each at the API's name for the field (names: form -> API)."""
    names = names or {}
    return ValidationError(
        [
            {"loc": ["body", names.get(name, name)], "msg": str(message), "type": "value_error"}
            for name, messages in form.errors.items()
            for message in messages
        ]
    )


def form_data(values: dict[str, Any], names: dict[str, str] | None = None) -> dict[str, Any]:
    """JSON values as a submitted form's: text, "on" for a ticked box, lists kept, dates in
    ISO form; keyed by the form's names (names: form -> API)."""
    by_api_name = {api: form for form, api in (names or {}).items()}
    data: dict[str, Any] = {}
    for name, value in values.items():
        key = by_api_name.get(name, name)
        if isinstance(value, bool):
            data[key] = "on" if value else ""
        elif value is None:
            data[key] = ""
        elif isinstance(value, list):
            data[key] = [str(v) for v in value]
        elif hasattr(value, "isoformat"):
            data[key] = value.isoformat()
        else:
            data[key] = str(value)
    return data


def page_of(items: QuerySet[Any], page: int, page_size: int) -> tuple[list[Any], int, int]:
    """(the page's items, how many in all, how many pages); 422 for a page out of range."""
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise problem("page_size", f"page_size must be from 1 to {MAX_PAGE_SIZE}", "query")
    count = items.count()
    pages = max(1, math.ceil(count / page_size))
    if not 1 <= page <= pages:
        raise problem("page", f"page must be from 1 to {pages}", "query")
    return list(items[(page - 1) * page_size : page * page_size]), count, pages
