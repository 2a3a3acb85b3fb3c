"""What every API router does the same way: the capability check, pages' forms fed from
JSON, their errors in ninja's 422 shape, paging, and the strict input types every request
schema uses (docs/api.md, "What the API refuses")."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import AfterValidator, Strict
from pydantic_core import PydanticCustomError

from selfdirect.access.decorators import capability_refused
from selfdirect.access.selectors import user_can

MAX_PAGE_SIZE = 100
MAX_ID = 2_147_483_647  # the largest id a record can have on every database
MAX_TEXT = 4000  # the longest free text the pages take
MAX_LIST_ITEMS = 20
LATEST_DATE = dt.date(2100, 12, 31)
DATE_TOO_LATE = "Enter a date no later than 31 December 2100"
NOTHING_TO_CHANGE = "Send at least one field to change"

# Whole numbers are JSON numbers, never true/false or "12" (pydantic strict mode).
Id = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]


def _date_text(value: str) -> str:
    """Dates as YYYY-MM-DD; a real date past LATEST_DATE is refused here, anything else the
    page's form judges (so the messages match the pages')."""
    try:
        when = dt.date.fromisoformat(value)
    except ValueError:
        return value
    if when > LATEST_DATE:
        raise PydanticCustomError("date_too_late", DATE_TOO_LATE)
    return value


DateText = Annotated[
    str,
    Field(max_length=10, description="YYYY-MM-DD, no later than 2100-12-31"),
    AfterValidator(_date_text),
]
ShortText = Annotated[str, Field(max_length=MAX_TEXT)]


def text(form: type[BaseForm], name: str, default: Any = "") -> Any:
    """A text field whose documented maxLength is what the page takes: the form field's
    max_length, else the model field's, else MAX_TEXT."""
    field = getattr(form, "base_fields", {}).get(name)
    limit = getattr(field, "max_length", None)
    model = getattr(getattr(form, "_meta", None), "model", None)
    if limit is None and model is not None:
        try:
            limit = getattr(model._meta.get_field(name), "max_length", None)
        except FieldDoesNotExist:
            limit = None
    return Field(default, max_length=limit or MAX_TEXT)


class ErrorOut(Schema):
    """401, 403, 404 and 400 (a body that is not JSON): one message."""

    detail: str


class ProblemOut(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationOut(Schema):
    """422: every problem, each at its field (``loc``: where, then the field's name)."""

    detail: list[ProblemOut]


ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationOut,
}


def responses(ok: Any, status: int = 200) -> dict[int, Any]:
    """A route's responses: the success and every refusal it can give."""
    return {status: ok, **ERRORS}


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
