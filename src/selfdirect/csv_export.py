"""Every CSV Selfdirect writes goes through here, so no cell can run as a formula when the
file is opened in a spreadsheet (OWASP's CSV injection advice).

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a single
quote in front. Numbers written as numbers (``int``, ``Decimal``) are left alone, so
``-1200`` pence stays a number; money written as text (``"-£12.00"``) is text and gets the
quote. See docs/security.md.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as it may go into a CSV cell: numbers as they are, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


def csv_write(handle: Any, header: Sequence[str], rows: Iterable[Iterable[Any]]) -> int:
    """Write the header and rows to an open text handle, every cell made safe; returns how
    many rows there were after the header."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(safe_row(header))
    count = 0
    for row in rows:
        writer.writerow(safe_row(row))
        count += 1
    return count


def csv_text(header: Sequence[str], rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    csv_write(out, header, rows)
    return out.getvalue()


def csv_download(filename: str) -> HttpResponse:
    """An empty CSV download named ``filename``, to write rows into (UTF-8 with a byte-order
    mark, which Excel needs to read anything but ASCII correctly)."""
    from django.http import HttpResponse  # here, so file formats can use csv_text without Django

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Iterable[Any]]
) -> HttpResponse:
    """A download of the rows as ``filename``."""
    response = csv_download(filename)
    csv_write(response, header, rows)
    return response
