"""Loading the wording a council holds a licence for (ASCOT, GHQ-12: they ship with codes
only) from CSV (format: docs/survey-format.md, "Licensed wording").

The instrument in use is never edited: the wording goes into a NEW published version with
the same item and option codes, so responses to earlier versions still analyse together
(the analysis reads answers by code). All or nothing: every row is checked first; one error
anywhere and nothing changes. Each error names its row (the header is row 1) and column."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.surveys.definitions import definition_check, instrument_build, instrument_definition
from selfdirect.surveys.imports import SurveyImportRefused
from selfdirect.surveys.models import Instrument, Item, Scale
from selfdirect.surveys.services import instrument_publish

COLUMNS = (
    "instrument",
    "item_code",
    "question_text",
    "question_easy_read",
    "option_code",
    "option_text",
    "option_easy_read",
)
REQUIRED_COLUMNS = ("instrument", "item_code", "question_text", "option_code", "option_text")
TEXT_LIMIT = 500

WORDING_NO_PUBLISHED = "{code} has no published version to load wording for"
WORDING_MISSING_COLUMN = "The file has no {column} column"
WORDING_UNKNOWN_COLUMN = "{column} is not a column of a wording file"
WORDING_NO_ROWS = "The file has no rows"
WORDING_WRONG_INSTRUMENT = "This row is for {found}, not {code}"
WORDING_UNKNOWN_ITEM = "{item} is not a question in {code}"
WORDING_EMPTY_TEXT = "Enter the {what}"
WORDING_TEXT_TOO_LONG = "Use {limit} characters or fewer"
WORDING_QUESTION_DIFFERS = "{item} has different question text on row {row}"
WORDING_UNKNOWN_OPTION = "{option} is not an answer to {item} ({codes})"
WORDING_OPTION_TWICE = "{item}: answer {option} is also on row {row}"
WORDING_NO_OPTIONS_HERE = "{item} takes a number or text: leave the option columns empty"
WORDING_MISSING_OPTION = "{item} has no wording for answer {option}"
WORDING_MISSING_ITEM = "The file has no rows for {item}"


def _error(row: int | None, column: str, message: str) -> str:
    where = f"Row {row}, column {column}" if row is not None else f"Column {column}"
    return f"{where}: {message}"


@dataclass
class _Wording:
    row: int
    text: str = ""
    easy_read: str = ""
    # option code -> (row, text, easy-read text)
    options: dict[str, tuple[int, str, str]] = field(default_factory=dict)


def _read(
    instrument: Instrument, rows: Iterable[list[str]]
) -> tuple[dict[str, _Wording], list[str]]:
    """The wording per item code, and every error (empty when the file is right)."""
    iterator = iter(rows)
    header = [h.strip() for h in next(iterator, [])]
    errors = [
        _error(1, c, WORDING_UNKNOWN_COLUMN.format(column=c)) for c in header if c not in COLUMNS
    ]
    errors += [
        _error(1, c, WORDING_MISSING_COLUMN.format(column=c))
        for c in REQUIRED_COLUMNS
        if c not in header
    ]
    if errors:
        return {}, errors
    items = {i.code: i for i in instrument.items.select_related("scale").order_by("position")}
    found: dict[str, _Wording] = {}
    seen_rows = False
    for number, cells in enumerate(iterator, start=2):
        if not any(c.strip() for c in cells):
            continue
        seen_rows = True
        row = {c: (cells[n].strip() if n < len(cells) else "") for n, c in enumerate(header)}
        if row["instrument"] != instrument.code:
            errors.append(
                _error(
                    number,
                    "instrument",
                    WORDING_WRONG_INSTRUMENT.format(
                        found=row["instrument"] or "no instrument", code=instrument.code
                    ),
                )
            )
            continue
        code = row["item_code"]
        item = items.get(code)
        if item is None:
            errors.append(
                _error(
                    number,
                    "item_code",
                    WORDING_UNKNOWN_ITEM.format(item=code or "(empty)", code=instrument.code),
                )
            )
            continue
        wording = found.get(code)
        question, easy = row["question_text"], row.get("question_easy_read", "")
        if wording is None:
            wording = found[code] = _Wording(row=number, text=question, easy_read=easy)
            if not question:
                errors.append(
                    _error(number, "question_text", WORDING_EMPTY_TEXT.format(what="question text"))
                )
        elif question and question != wording.text:
            errors.append(
                _error(
                    number, "question_text", WORDING_QUESTION_DIFFERS.format(item=code, row=number)
                )
            )
        for column, value in (("question_text", question), ("question_easy_read", easy)):
            if len(value) > TEXT_LIMIT:
                errors.append(
                    _error(number, column, WORDING_TEXT_TOO_LONG.format(limit=TEXT_LIMIT))
                )
        option = row["option_code"]
        if item.scale is None:
            if option or row["option_text"]:
                errors.append(
                    _error(number, "option_code", WORDING_NO_OPTIONS_HERE.format(item=code))
                )
            continue
        codes = item.scale.codes
        if option not in codes:
            errors.append(
                _error(
                    number,
                    "option_code",
                    WORDING_UNKNOWN_OPTION.format(
                        option=option or "(empty)", item=code, codes=", ".join(codes)
                    ),
                )
            )
            continue
        if option in wording.options:
            errors.append(
                _error(
                    number,
                    "option_code",
                    WORDING_OPTION_TWICE.format(
                        item=code, option=option, row=wording.options[option][0]
                    ),
                )
            )
            continue
        if not row["option_text"]:
            errors.append(
                _error(number, "option_text", WORDING_EMPTY_TEXT.format(what="answer text"))
            )
        wording.options[option] = (number, row["option_text"], row.get("option_easy_read", ""))
    if not seen_rows:
        return {}, [_error(2, "item_code", WORDING_NO_ROWS)]
    for code, item in items.items():
        wording = found.get(code)
        if wording is None:
            errors.append(_error(None, "item_code", WORDING_MISSING_ITEM.format(item=code)))
        elif item.scale is not None:
            errors += [
                _error(
                    wording.row, "option_code", WORDING_MISSING_OPTION.format(item=code, option=o)
                )
                for o in item.scale.codes
                if o not in wording.options
            ]
    return found, errors


def _options(scale_options: list[dict[str, Any]], wording: _Wording) -> list[dict[str, Any]]:
    options = []
    for option in scale_options:
        _row, text, easy = wording.options[str(option["code"])]
        entry: dict[str, Any] = {"code": option["code"], "label": text}
        if easy:
            entry["easy_read"] = easy
        options.append(entry)
    return options


def _definition(source: Instrument, found: dict[str, _Wording], licence: str) -> dict[str, Any]:
    """The source's definition with the loaded wording. Items sharing a scale keep sharing
    it when the file gives them the same answer wording; otherwise each gets its own scale
    (named "<scale>-<item>") with the same option codes."""
    data = instrument_definition(source)
    scales = {s["code"]: s for s in data["scales"]}
    users: dict[str, list[dict[str, Any]]] = {}
    for item in data["items"]:
        wording = found[item["code"]]
        item["text"] = wording.text
        item.pop("easy_read", None)
        if wording.easy_read:
            item["easy_read"] = wording.easy_read
        if item.get("scale"):
            users.setdefault(item["scale"], []).append(item)
    new_scales = []
    for code, scale in scales.items():
        items = users.get(code, [])
        worded = [(item, _options(scale["options"], found[item["code"]])) for item in items]
        if not worded or all(options == worded[0][1] for _item, options in worded):
            new_scales.append({**scale, "options": worded[0][1] if worded else scale["options"]})
            continue
        for item, options in worded:
            own = f"{code}-{item['code']}"[:60]
            new_scales.append(
                {"code": own, "name": f"{scale['name']}: {item['code']}", "options": options}
            )
            item["scale"] = own
    data["scales"] = new_scales
    latest = Instrument.objects.filter(code=source.code).aggregate(n=Max("version"))["n"]
    data["version"] = (latest or 0) + 1
    data["wording_loaded"] = True
    data["wording_licence"] = licence
    return definition_check(data)


@transaction.atomic
def instrument_wording_load(
    *, actor: User | None, code: str, file: IO[str], licence: str = ""
) -> Instrument:
    """Publish a new version of instrument ``code`` carrying the wording in ``file``, with
    the same codes; the version in use retires (its responses stay and still analyse with
    the new ones). Refuses with every error, by row and column, and changes nothing."""
    source = (
        Instrument.objects.select_for_update()
        .filter(code=code, status=Instrument.Status.PUBLISHED)
        .first()
    )
    if source is None:
        raise SurveyImportRefused([WORDING_NO_PUBLISHED.format(code=code)])
    found, errors = _read(source, csv.reader(file))
    if errors:
        raise SurveyImportRefused(errors)
    data = _definition(source, found, licence.strip())
    draft: Instrument = instrument_build(
        instrument_model=Instrument,
        scale_model=Scale,
        item_model=Item,
        data=data,
        status=Instrument.Status.DRAFT,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="survey_instrument",
        object_id=draft.pk,
        summary=(
            f"Loaded wording for {draft.name} as version {draft.version} "
            f"(codes as version {source.version})"
        ),
        changes={
            "Licence": [None, draft.wording_licence or "(none named)"],
            "Items worded": [None, len(found)],
            "From version": [None, source.version],
        },
    )
    return instrument_publish(actor=actor, instrument=draft)
