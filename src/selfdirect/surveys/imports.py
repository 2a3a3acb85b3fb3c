"""Import of responses collected elsewhere, from CSV (format: docs/survey-format.md).
All or nothing: every row is checked first; one error anywhere and nothing is recorded.
Each error names its row (as a spreadsheet numbers it: the header is row 1) and column."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from typing import IO, Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.people.models import Person
from selfdirect.surveys.models import Instrument, Item, Response
from selfdirect.surveys.services import (
    NOT_OPEN,
    SurveyRefused,
    instrument_items,
    response_record,
    response_refusals,
)

FIXED_COLUMNS = ("reference", "person", "answered_by", "submitted_on", "consent_to_report")
REQUIRED_COLUMNS = ("answered_by", "submitted_on")
MULTI_SEPARATOR = ";"

UNKNOWN_COLUMN = "{column} is not a question in {instrument}"
MISSING_COLUMN = "The file has no {column} column"
DUPLICATE_COLUMN = "{column} appears more than once"
NO_ROWS = "The file has no responses"
BAD_DATE = "Enter the date as YYYY-MM-DD"
BAD_CONSENT = "Enter yes or no"
UNKNOWN_PERSON = "No person has the council reference {value}"
REFERENCE_TWICE = "Reference {value} is also on row {row}"
WRONG_WIDTH = "The row has {found} cells; the header has {expected}"


class SurveyImportRefused(SurveyRefused):
    def __init__(self, errors: list[str]) -> None:
        super().__init__(errors[0] if len(errors) == 1 else f"{len(errors)} errors", field="")
        self.errors = errors


def _error(row: int, column: str, message: str) -> str:
    return f"Row {row}, column {column}: {message}"


def _submitted(value: str) -> dt.datetime:
    day = dt.date.fromisoformat(value.strip())
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def responses_import(
    *, actor: User | None, instrument: Instrument, file: IO[str]
) -> list[Response]:
    """Record every row of the CSV ``file`` as a response to ``instrument``, or none:
    SurveyImportRefused lists every error found."""
    if instrument.status != Instrument.Status.PUBLISHED:
        raise SurveyImportRefused([NOT_OPEN])
    reader = csv.reader(file)
    header = [h.strip() for h in next(reader, [])]
    items = instrument_items(instrument)
    errors: list[str] = []
    for column in REQUIRED_COLUMNS:
        if column not in header:
            errors.append(_error(1, column, MISSING_COLUMN.format(column=column)))
    for n, column in enumerate(header):
        if column in header[:n]:
            errors.append(_error(1, column, DUPLICATE_COLUMN.format(column=column)))
        elif column not in FIXED_COLUMNS and column not in items:
            name = f"{instrument.code} version {instrument.version}"
            errors.append(_error(1, column, UNKNOWN_COLUMN.format(column=column, instrument=name)))
    if errors:
        raise SurveyImportRefused(errors)
    rows = [(n, row) for n, row in enumerate(reader, start=2) if any(c.strip() for c in row)]
    if not rows:
        raise SurveyImportRefused([NO_ROWS])
    people = _people(header, rows)
    planned: list[dict[str, Any]] = []
    references: dict[str, int] = {}
    for number, row in rows:
        if len(row) != len(header):
            found, expected = len(row), len(header)
            errors.append(f"Row {number}: " + WRONG_WIDTH.format(found=found, expected=expected))
            continue
        planned_row, row_errors = _row(instrument, items, header, number, row, people)
        reference = planned_row.get("reference", "")
        if reference and reference in references:
            row_errors.append(
                _error(
                    number,
                    "reference",
                    REFERENCE_TWICE.format(value=reference, row=references[reference]),
                )
            )
        references.setdefault(reference, number)
        errors += row_errors
        planned.append(planned_row)
    if errors:
        raise SurveyImportRefused(errors)
    with transaction.atomic():
        recorded = [
            response_record(actor=actor, instrument=instrument, items=items, **planned_row)
            for planned_row in planned
        ]
        event_record(
            actor=actor,
            action=Action.IMPORT,
            object_type="survey_instrument",
            object_id=instrument.pk,
            summary=f"Imported {len(recorded)} responses to {instrument.name} "
            f"version {instrument.version}",
        )
    return recorded


def _people(header: list[str], rows: Iterable[tuple[int, list[str]]]) -> dict[str, Person]:
    if "person" not in header:
        return {}
    at = header.index("person")
    wanted = {row[at].strip() for _, row in rows if len(row) > at and row[at].strip()}
    return {p.la_person_id: p for p in Person.objects.filter(la_person_id__in=wanted)}


def _row(
    instrument: Instrument,
    items: dict[str, Item],
    header: list[str],
    number: int,
    row: list[str],
    people: dict[str, Person],
) -> tuple[dict[str, Any], list[str]]:
    cells = {column: cell.strip() for column, cell in zip(header, row, strict=True)}
    errors: list[str] = []
    submitted_at = timezone.now()
    try:
        submitted_at = _submitted(cells["submitted_on"])
    except ValueError:
        errors.append(_error(number, "submitted_on", BAD_DATE))
    consent = cells.get("consent_to_report", "").lower() or "yes"
    if consent not in ("yes", "no"):
        errors.append(_error(number, "consent_to_report", BAD_CONSENT))
    person = None
    if cells.get("person"):
        person = people.get(cells["person"])
        if person is None:
            errors.append(_error(number, "person", UNKNOWN_PERSON.format(value=cells["person"])))
    answers = {
        code: [v for v in value.split(MULTI_SEPARATOR)]
        if items[code].kind == Item.Kind.MULTI
        else value
        for code, value in cells.items()
        if code in items
    }
    answered_by, reference = cells["answered_by"], cells.get("reference", "")
    channel = str(Response.Channel.IMPORT)
    planned = {
        "person": person,
        "answered_by": answered_by,
        "channel": channel,
        "reference": reference,
        "submitted_at": submitted_at,
        "consent_to_report": consent == "yes",
        "answers": answers,
    }
    for field, message in response_refusals(
        instrument=instrument,
        items=items,
        answered_by=answered_by,
        channel=channel,
        reference=reference,
        submitted_at=submitted_at,
        answers=answers,
    ):
        if field == "submitted_at" and any("submitted_on" in e for e in errors):
            continue
        column = {"submitted_at": "submitted_on", "answers": "(all questions)"}.get(field, field)
        # The error already names the column; the item's own name need not come twice.
        errors.append(_error(number, column, message.removeprefix(f"{field}: ")))
    return planned, errors
