"""Reading RAS definitions (JSON) and answers (CSV) with errors that name the place: the
field path in the JSON, or the line and column in the CSV. No Django.

docs/ras-format.md documents both formats.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from json import decoder
from typing import IO, Any

import numpy as np

from selfdirect.allocation.engine import (
    ALL_GROUPS,
    ARITHMETIC,
    BASIS,
    CARER_APPLIES_TO,
    MAX_OPTIONS,
    METHODS,
    UPLIFT_APPLIES_TO,
    UPLIFT_KINDS,
    CarerAdjustment,
    HoursBand,
    Inputs,
    RasDefinition,
    SectionPoints,
    Uplift,
)
from selfdirect.csv_export import csv_text
from selfdirect.file_checks import FileRefused, csv_records, json_depth_check

TRUE, FALSE = {"1", "y", "yes", "true"}, {"", "0", "n", "no", "false"}
MAX_WEEKLY_PENCE = 10**8  # £1,000,000 a week: far beyond any package, within int64 sums
WEEKLY_PENCE_RULE = "must be a whole number of pence from 0 to 100,000,000"


class RasFileError(ValueError):
    """A file that breaks a rule; the message says where."""


UNKNOWN_KEY = "{where}.{key} is not a key the RAS format knows"
UNKNOWN_KEY_FOR_KIND = "{where}.{key} is not a key the RAS format knows for a {kind} uplift"
RUNNING_ONLY_FOR_FLAGS = (
    '{where}.applies_to may be "running" only for a percent_if_flag uplift: a {kind} uplift '
    "is {what}"
)
# The keys of each object in a RAS file (docs/ras-format.md). Anything else is refused by
# name: a key the format does not know would otherwise be ignored, and the council's
# intent lost without a word.
TOP_KEYS = (
    "code",
    "title",
    "version",
    "questionnaire",
    "method",
    "arithmetic",
    "sections",
    "price_per_point_pence",
    "hours_bands",
    "hourly_rate_pence",
    "uplifts",
    "carer_adjustment",
    "floor_weekly_pence",
    "ceiling_weekly_pence",
    "rounding_pence",
)
SECTION_KEYS = ("id", "points")
CARER_KEYS = ("section", "reason", "reduction_basis_points", "applies_to")
BAND_KEYS = ("min_points", "tenths_of_hours")
UPLIFT_KEYS = ("code", "kind", "reason", "applies_to")
UPLIFT_KIND_KEYS = {
    "weekly_pence": ("section", "by_option"),
    "percent_of_sections": ("section", "by_option", "sections"),
    "percent_if_flag": ("flag", "basis_points"),
}


def _known_keys(data: dict[str, Any], where: str, keys: Iterable[str]) -> None:
    """Refuses the first key (in the file's order) the format does not know here."""
    known = set(keys)
    for key in data:
        if key not in known:
            raise RasFileError(UNKNOWN_KEY.format(where=where, key=key))


def _choice(data: dict[str, Any], key: str, where: str, choices: tuple[str, ...]) -> str:
    """One of ``choices``; left out, the first (today's meaning)."""
    value = data.get(key, choices[0])
    if value not in choices:
        raise RasFileError(f"{where}.{key} must be one of {', '.join(choices)}")
    return str(value)


def _int(
    data: dict[str, Any],
    key: str,
    where: str,
    low: int = 0,
    high: int = 10**9,
    default: int | None = None,
) -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise RasFileError(f"{where}.{key} must be a whole number from {low:,} to {high:,}")
    return value


def _str(data: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or (default is None and not value.strip()):
        raise RasFileError(f"{where}.{key} is required text")
    return value.strip()


def _pairs(
    data: Any, where: str, keys: Iterable[str] | None, low: int, high: int
) -> tuple[tuple[str, int], ...]:
    if not isinstance(data, dict) or not data:
        raise RasFileError(f"{where} must be an object of name: whole number")
    allowed = set(keys) if keys is not None else None
    pairs = []
    for key, value in sorted(data.items()):
        if allowed is not None and key not in allowed:
            raise RasFileError(f"{where}.{key} is not one of {', '.join(sorted(allowed))}")
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise RasFileError(f"{where}.{key} must be a whole number from {low:,} to {high:,}")
        pairs.append((key, value))
    return tuple(pairs)


def ras_parse(data: Any) -> RasDefinition:
    if not isinstance(data, dict):
        raise RasFileError("The RAS file must be a JSON object")
    where = "ras"
    _known_keys(data, where, TOP_KEYS)
    arithmetic = _choice(data, "arithmetic", where, ARITHMETIC)
    method = data.get("method", "points")
    if method not in METHODS:
        raise RasFileError(f"ras.method must be one of {', '.join(METHODS)}")
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise RasFileError("ras.sections must be a non-empty list")
    sections = []
    options_of: dict[str, tuple[str, ...]] = {}
    for i, raw in enumerate(raw_sections):
        swhere = f"ras.sections[{i}]"
        if not isinstance(raw, dict):
            raise RasFileError(f"{swhere} must be an object")
        _known_keys(raw, swhere, SECTION_KEYS)
        section_id = _str(raw, "id", swhere)
        if section_id in options_of:
            raise RasFileError(f"{swhere}.id {section_id!r} is used twice")
        points = _pairs(raw.get("points"), f"{swhere}.points", None, 0, 10_000)
        if len(points) > MAX_OPTIONS:
            raise RasFileError(f"{swhere}.points may have at most {MAX_OPTIONS} options")
        # Options in a canonical order (fewest points first, then by id), so the definition and
        # its hash do not depend on how a JSON store orders an object's keys.
        ordered = sorted(points, key=lambda pair: (pair[1], pair[0]))
        options_of[section_id] = tuple(option for option, _points in ordered)
        sections.append(
            SectionPoints(section_id, options_of[section_id], tuple(p for _o, p in ordered))
        )
    prices = (
        _pairs(data.get("price_per_point_pence"), "ras.price_per_point_pence", None, 0, 100_000)
        if method != "hours"
        else ()
    )
    floor = _int(data, "floor_weekly_pence", where, 0, 10**8)
    ceiling = _int(data, "ceiling_weekly_pence", where, 0, 10**8)
    if ceiling < floor:
        raise RasFileError("ras.ceiling_weekly_pence must not be below ras.floor_weekly_pence")
    rounding = _int(data, "rounding_pence", where, 1, 100, default=1)
    if rounding not in (1, 100):
        raise RasFileError("ras.rounding_pence must be 1 (nearest penny) or 100 (nearest pound)")
    carer = None
    if data.get("carer_adjustment") is not None:
        raw = data["carer_adjustment"]
        cwhere = "ras.carer_adjustment"
        if not isinstance(raw, dict):
            raise RasFileError(f"{cwhere} must be an object")
        _known_keys(raw, cwhere, CARER_KEYS)
        section_id = _str(raw, "section", cwhere)
        if section_id not in options_of:
            raise RasFileError(f"{cwhere}.section {section_id!r} is not one of the sections")
        carer = CarerAdjustment(
            section_id,
            _pairs(
                raw.get("reduction_basis_points"),
                f"{cwhere}.reduction_basis_points",
                options_of[section_id],
                0,
                BASIS,
            ),
            _str(raw, "reason", cwhere),
            _choice(raw, "applies_to", cwhere, CARER_APPLIES_TO),
        )
    uplifts = []
    listed = data.get("uplifts") or []
    if not isinstance(listed, list):
        raise RasFileError("ras.uplifts must be a list")
    for i, raw in enumerate(listed):
        uwhere = f"ras.uplifts[{i}]"
        if not isinstance(raw, dict):
            raise RasFileError(f"{uwhere} must be an object")
        kind = raw.get("kind")
        if kind not in UPLIFT_KINDS:
            _known_keys(
                raw, uwhere, UPLIFT_KEYS + tuple(k for ks in UPLIFT_KIND_KEYS.values() for k in ks)
            )
            raise RasFileError(f"{uwhere}.kind must be one of {', '.join(UPLIFT_KINDS)}")
        for key in raw:
            if key not in UPLIFT_KEYS and key not in UPLIFT_KIND_KEYS[kind]:
                if any(key in keys for keys in UPLIFT_KIND_KEYS.values()):
                    raise RasFileError(
                        UNKNOWN_KEY_FOR_KIND.format(where=uwhere, key=key, kind=kind)
                    )
                raise RasFileError(UNKNOWN_KEY.format(where=uwhere, key=key))
        code, reason = _str(raw, "code", uwhere), _str(raw, "reason", uwhere)
        applies_to = _choice(raw, "applies_to", uwhere, UPLIFT_APPLIES_TO)
        if applies_to == "running" and kind != "percent_if_flag":
            raise RasFileError(
                RUNNING_ONLY_FOR_FLAGS.format(
                    where=uwhere,
                    kind=kind,
                    what="a fixed sum"
                    if kind == "weekly_pence"
                    else "a percentage of the part of the amount its sections' points give",
                )
            )
        if kind == "percent_if_flag":
            uplifts.append(
                Uplift(
                    code,
                    reason,
                    kind,
                    flag=_str(raw, "flag", uwhere),
                    basis_points=_int(raw, "basis_points", uwhere, 0, 10 * BASIS),
                    applies_to=applies_to,
                )
            )
            continue
        section_id = _str(raw, "section", uwhere)
        if section_id not in options_of:
            raise RasFileError(f"{uwhere}.section {section_id!r} is not one of the sections")
        high = 10**7 if kind == "weekly_pence" else 10 * BASIS
        by_option = _pairs(
            raw.get("by_option"), f"{uwhere}.by_option", options_of[section_id], 0, high
        )
        applies = ()
        if kind == "percent_of_sections":
            listed = raw.get("sections")
            if (
                not isinstance(listed, list)
                or not listed
                or any(not isinstance(s, str) or s not in options_of for s in listed)
            ):
                raise RasFileError(f"{uwhere}.sections must list section ids of this RAS")
            applies = tuple(listed)
        uplifts.append(
            Uplift(code, reason, kind, section_id=section_id, by_option=by_option, sections=applies)
        )
    if len({u.code for u in uplifts}) != len(uplifts):
        raise RasFileError("ras.uplifts: each uplift needs its own code")
    bands: tuple[HoursBand, ...] = ()
    rates: tuple[tuple[str, int], ...] = ()
    if method == "hours":
        raw_bands = data.get("hours_bands")
        if not isinstance(raw_bands, list) or not raw_bands:
            raise RasFileError("ras.hours_bands must list bands for method 'hours'")
        for i, b in enumerate(raw_bands):
            if not isinstance(b, dict):
                raise RasFileError(f"ras.hours_bands[{i}] must be an object")
            _known_keys(b, f"ras.hours_bands[{i}]", BAND_KEYS)
        bands = tuple(
            HoursBand(
                _int(b, "min_points", f"ras.hours_bands[{i}]"),
                _int(b, "tenths_of_hours", f"ras.hours_bands[{i}]", 0, 1680),
            )
            for i, b in enumerate(raw_bands)
        )
        if [b.min_points for b in bands] != sorted({b.min_points for b in bands}):
            raise RasFileError("ras.hours_bands must be in rising order of min_points")
        hours = [b.tenths_of_hours for b in bands]
        if hours != sorted(hours):
            raise RasFileError("ras.hours_bands must not give fewer hours for more points")
        rates = _pairs(data.get("hourly_rate_pence"), "ras.hourly_rate_pence", None, 0, 100_000)
    return RasDefinition(
        code=_str(data, "code", where),
        title=_str(data, "title", where),
        version=_int(data, "version", where, 1),
        questionnaire_code=_str(data, "questionnaire", where),
        method=method,
        sections=tuple(sections),
        price_per_point_pence=prices,
        floor_weekly_pence=floor,
        ceiling_weekly_pence=ceiling,
        rounding_pence=rounding,
        carer=carer,
        uplifts=tuple(uplifts),
        hours_bands=bands,
        hourly_rate_pence=rates,
        arithmetic=arithmetic,
    )


def ras_load(handle: IO[str]) -> RasDefinition:
    """A RAS file: errors name the line as well as the field."""
    text = handle.read()
    try:
        json_depth_check(text, "The RAS file")
    except FileRefused as bad:
        raise RasFileError(str(bad)) from bad
    try:
        data = json.loads(text)
    except json.JSONDecodeError as bad:
        raise RasFileError(
            f"The RAS file is not valid JSON: line {bad.lineno}, column {bad.colno}: {bad.msg}"
        ) from bad
    try:
        return ras_parse(data)
    except RasFileError as bad:
        message = str(bad)
        path = message.split(" ", 1)[0].rstrip(":")
        if not path.startswith("ras"):
            raise
        lines = _json_lines(text)
        while path not in lines and ("." in path or "[" in path):
            path = path[: max(path.rfind("."), path.rfind("["))]  # the nearest enclosing field
        raise RasFileError(f"line {lines.get(path, 1)}, {message}") from bad


_scanstring: Callable[[str, int], tuple[str, int]] = decoder.scanstring  # type: ignore[attr-defined]
_SPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null")


def _json_lines(text: str) -> dict[str, int]:
    """The line each value of a (valid) JSON document starts on, by its path as the errors
    name it: ``ras``, ``ras.sections[0].points.none``."""
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    lines: dict[str, int] = {}

    def value(pos: int, path: str) -> int:
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        lines.setdefault(path, bisect.bisect_right(starts, pos))
        opening = text[pos]
        if opening in "{[":
            closing, pos, number = "}" if opening == "{" else "]", pos + 1, 0
            while True:
                pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
                if text[pos] == closing:
                    return pos + 1
                if text[pos] == ",":
                    pos += 1
                    continue
                if opening == "{":
                    key, pos = _scanstring(text, pos + 1)
                    pos = _SPACE.match(text, pos).end() + 1  # type: ignore[union-attr]  # the colon
                    pos = value(pos, f"{path}.{key}")
                else:
                    pos = value(pos, f"{path}[{number}]")
                    number += 1
        if opening == '"':
            return _scanstring(text, pos + 1)[1]
        return _SCALAR.match(text, pos).end()  # type: ignore[union-attr]

    # Only ever given a document json.loads accepted; if it still fails, errors name no line.
    with contextlib.suppress(IndexError, AttributeError, ValueError):
        value(0, "ras")
    return lines


def csv_records_checked(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of CSV text; a broken or oversized cell is a RasFileError."""
    try:
        yield from csv_records(text, "")
    except FileRefused as bad:
        raise RasFileError(str(bad)) from bad


def answers_load(handle: IO[str], ras: RasDefinition) -> tuple[list[str], Inputs]:
    """person_ref, user_group, one column per section (the chosen option's id), optional flag
    columns named after the RAS's flags, and plan_weekly_pence for method "plan"."""
    return answers_read(csv_records_checked(handle.read()), ras)


def answers_read(
    records: Iterable[tuple[int, list[str]]], ras: RasDefinition
) -> tuple[list[str], Inputs]:
    """``answers_load`` over records already split into cells (line number, cells)."""
    reader = iter(records)
    try:
        header = [h.strip() for h in next(reader)[1]]
    except StopIteration as empty:
        raise RasFileError("line 1: the answers file is empty") from empty
    section_ids = [s.section_id for s in ras.sections]
    flags = sorted({u.flag for u in ras.uplifts if u.kind == "percent_if_flag"})
    required = ["person_ref", "user_group", *section_ids] + (
        ["plan_weekly_pence"] if ras.method == "plan" else []
    )
    missing = [c for c in required if c not in header]
    if missing:
        raise RasFileError(
            f"line 1: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        )
    unknown = [c for c in header if c not in required and c not in flags]
    if unknown:
        raise RasFileError(
            f"line 1: unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}"
        )
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        raise RasFileError(f"line 1: column {', '.join(twice)} appears more than once")
    position = {name: header.index(name) for name in header}
    prices = dict(ras.hourly_rate_pence if ras.method == "hours" else ras.price_per_point_pence)
    option_index = [{o: k for k, o in enumerate(s.option_ids)} for s in ras.sections]
    groups: dict[str, int] = {}
    refs: list[str] = []
    rows: list[list[int]] = []
    group_index: list[int] = []
    flag_values: dict[str, list[bool]] = {f: [] for f in flags}
    plan: list[int] = []
    seen: dict[str, int] = {}
    for line_number, record in reader:  # the line the record ends on (a cell may span lines)
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise RasFileError(
                f"line {line_number}: expected {len(header)} fields, found {len(record)}"
            )
        ref = record[position["person_ref"]].strip()
        if not ref:
            raise RasFileError(f"line {line_number}, person_ref: is empty")
        if ref in seen:
            raise RasFileError(f"line {line_number}, person_ref: {ref} is also on line {seen[ref]}")
        seen[ref] = line_number
        group = record[position["user_group"]].strip()
        if group not in prices and ALL_GROUPS not in prices:
            raise RasFileError(
                f"line {line_number}, user_group: {group!r} has no price in this RAS"
            )
        row = []
        for j, section_id in enumerate(section_ids):
            value = record[position[section_id]].strip()
            if value not in option_index[j]:
                raise RasFileError(
                    f"line {line_number}, {section_id}: {value!r} is not one of {', '.join(ras.sections[j].option_ids)}"
                )
            row.append(option_index[j][value])
        for flag in flags:
            value = record[position[flag]].strip().lower() if flag in position else ""
            if value not in TRUE | FALSE:
                raise RasFileError(f"line {line_number}, {flag}: enter yes or no")
            flag_values[flag].append(value in TRUE)
        if ras.method == "plan":
            cost = record[position["plan_weekly_pence"]].strip()
            if not (cost.isascii() and cost.isdigit()) or int(cost) > MAX_WEEKLY_PENCE:
                raise RasFileError(f"line {line_number}, plan_weekly_pence: {WEEKLY_PENCE_RULE}")
            plan.append(int(cost))
        refs.append(ref)
        rows.append(row)
        group_index.append(groups.setdefault(group, len(groups)))
    if not refs:
        raise RasFileError("line 2: the answers file has no people")
    return refs, Inputs(
        options=np.array(
            rows, dtype=np.int8 if max(len(s.option_ids) for s in ras.sections) < 127 else np.int16
        ),
        group_index=np.array(group_index, dtype=np.int16),
        groups=tuple(groups),
        flags={f: np.array(v, dtype=bool) for f, v in flag_values.items()},
        plan_weekly_pence=np.array(plan, dtype=np.int64) if ras.method == "plan" else None,
    )


def result_csv(refs: list[str], engine: Any, result: Any) -> str:
    """The output file: person_ref, total_points, price_per_point_pence, each uplift, the
    carer adjustment, rounding, the bound applied, weekly_pence, annual_pence and the
    allocation method. Written through ``selfdirect.csv_export`` (a reference starting with
    ``=`` cannot run as a formula)."""
    uplift_codes = [u.code for u in engine.ras.uplifts]
    header = [
        "person_ref",
        "total_points",
        "price_per_point_pence",
        "base_weekly_pence",
        *[f"uplift_{c}_pence" for c in uplift_codes],
        "carer_adjustment_pence",
        "rounding_pence",
        "bound",
        "weekly_pence",
        "annual_pence",
        "method",
    ]
    bound_names = {-1: "floor", 0: "", 1: "ceiling"}
    columns = [
        result.total_points,
        result.price_per_point_pence,
        result.base_weekly_pence,
        *[result.uplift_pence[c] for c in uplift_codes],
        result.carer_adjustment_pence,
        result.rounding_pence,
    ]
    return csv_text(
        header,
        (
            [
                ref,
                *[int(c[i]) for c in columns],
                bound_names[int(result.bound[i])],
                int(result.weekly_pence[i]),
                int(result.annual_pence[i]),
                engine.ras.method,
            ]
            for i, ref in enumerate(refs)
        ),
    )


def ras_to_file(ras: RasDefinition) -> dict[str, Any]:
    """The RAS as the JSON document ``ras_parse`` reads (docs/ras-format.md)."""
    data: dict[str, Any] = {
        "code": ras.code,
        "title": ras.title,
        "version": ras.version,
        "questionnaire": ras.questionnaire_code,
        "method": ras.method,
        "sections": [
            {"id": s.section_id, "points": dict(zip(s.option_ids, s.points, strict=True))}
            for s in ras.sections
        ],
        "floor_weekly_pence": ras.floor_weekly_pence,
        "ceiling_weekly_pence": ras.ceiling_weekly_pence,
        "rounding_pence": ras.rounding_pence,
    }
    if ras.arithmetic != ARITHMETIC[0]:  # today's meaning is left out, as old files have it
        data["arithmetic"] = ras.arithmetic
    if ras.price_per_point_pence:
        data["price_per_point_pence"] = dict(ras.price_per_point_pence)
    uplifts = []
    for u in ras.uplifts:
        item: dict[str, Any] = {"code": u.code, "kind": u.kind, "reason": u.reason}
        if u.kind == "percent_if_flag":
            item.update(flag=u.flag, basis_points=u.basis_points)
        else:
            item.update(section=u.section_id, by_option=dict(u.by_option))
            if u.kind == "percent_of_sections":
                item["sections"] = list(u.sections)
        if u.applies_to != UPLIFT_APPLIES_TO[0]:
            item["applies_to"] = u.applies_to
        uplifts.append(item)
    if uplifts:
        data["uplifts"] = uplifts
    if ras.carer is not None:
        data["carer_adjustment"] = {
            "section": ras.carer.section_id,
            "reason": ras.carer.reason,
            "reduction_basis_points": dict(ras.carer.reduction_basis_points),
        }
        if ras.carer.applies_to != CARER_APPLIES_TO[0]:
            data["carer_adjustment"]["applies_to"] = ras.carer.applies_to
    if ras.method == "hours":
        data["hours_bands"] = [
            {"min_points": b.min_points, "tenths_of_hours": b.tenths_of_hours}
            for b in ras.hours_bands
        ]
        data["hourly_rate_pence"] = dict(ras.hourly_rate_pence)
    return data
