"""The limits every file Selfdirect reads is held to, and the readers that enforce them with
a message naming the file, line or field (never a traceback). No Django.

Uploads on the pages and the management commands both use these, so a file refused on one
is refused on the other with the same words. docs/security.md lists the limits.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # 20 MB: about 100,000 rows of people
MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // (1024 * 1024)
MAX_CELL_CHARS = 10_000  # longer than any field Selfdirect stores
MAX_JSON_DEPTH = 20  # RAS and questionnaire files need 5 levels

TOO_BIG = f"The file must be smaller than {MAX_UPLOAD_MB} MB"
NOT_UTF8 = (
    "{name} is not UTF-8 text (a byte on line {line} is not UTF-8): "
    'save it as "CSV UTF-8" or "UTF-8" and try again'
)
NUL_BYTE = "{name} holds a NUL character on line {line}: it is not a text file, or it is damaged"
CELL_TOO_LONG = "{where}: a cell is longer than {limit:,} characters, the most a cell may hold"
TOO_DEEP = "{name} is nested more than {limit} levels deep, the most a file may be"
NOT_JSON = "{name} is not valid JSON: line {line}, column {column}: {problem}"


class FileRefused(ValueError):
    """A file that cannot be read; the message names the file and the place."""


def text_decode(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark at the start is dropped), else FileRefused naming the line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        line = data[: bad.start].count(b"\n") + 1
        raise FileRefused(NOT_UTF8.format(name=name, line=line)) from bad
    # No text file holds one, and PostgreSQL cannot store one in a text column.
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FileRefused(NUL_BYTE.format(name=name, line=line))
    return text


def upload_read_text(upload: Any, name: str) -> str:
    """An uploaded file as UTF-8 text, no larger than MAX_UPLOAD_BYTES."""
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise FileRefused(f"{name}: {TOO_BIG}")
    return text_decode(data, name)


def file_read_text(path: Any) -> str:
    """A file named on a command line as UTF-8 text (no size limit: the operator chose it).
    A missing file is FileNotFoundError, for the command to say so."""
    with open(path, "rb") as handle:
        data = handle.read()
    return text_decode(data, str(path))


def _place(name: str, line: int) -> str:
    return f"{name}, line {line}" if name else f"line {line}"


def csv_records(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for each record of CSV text; a cell longer than MAX_CELL_CHARS or a
    broken quote is FileRefused naming the line (and the file, if ``name`` is given). The line
    is where the record ends."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as bad:
            problem = str(bad)
            if "field larger than field limit" in problem:
                raise FileRefused(
                    CELL_TOO_LONG.format(where=_place(name, reader.line_num), limit=MAX_CELL_CHARS)
                ) from bad
            if "unexpected end of data" in problem:
                problem = "a quoted cell is not closed before the end of the file"
            raise FileRefused(f"{_place(name, reader.line_num)}: {problem}") from bad
        for cell in record:
            if len(cell) > MAX_CELL_CHARS:
                raise FileRefused(
                    CELL_TOO_LONG.format(where=_place(name, reader.line_num), limit=MAX_CELL_CHARS)
                )
        yield reader.line_num, record


def json_depth_check(text: str, name: str) -> None:
    """FileRefused if brackets nest deeper than MAX_JSON_DEPTH (counted outside strings, before
    parsing, so a hostile file never reaches the recursive parser)."""
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise FileRefused(TOO_DEEP.format(name=name, limit=MAX_JSON_DEPTH))
        elif ch in "]}":
            depth -= 1


def json_parse(text: str, name: str) -> Any:
    """A JSON document no deeper than MAX_JSON_DEPTH, else FileRefused naming the place."""
    json_depth_check(text, name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as bad:
        raise FileRefused(
            NOT_JSON.format(name=name, line=bad.lineno, column=bad.colno, problem=bad.msg)
        ) from bad
