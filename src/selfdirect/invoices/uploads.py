"""Invoices from a CSV file: every row checked, then every invoice in it recorded in one
transaction, or none of them (a problem names its row and column). The file is read under
the limits of ``selfdirect.file_checks``, like every upload. Format: docs/invoices.md."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction

from selfdirect.file_checks import FileRefused, csv_records
from selfdirect.invoices import parsing
from selfdirect.invoices.models import Invoice
from selfdirect.invoices.services import InvoiceError, LineIn, invoice_submit
from selfdirect.people.models import Person
from selfdirect.providers.models import Provider

COLUMNS = (
    "invoice_number",
    "person_id",
    "period_start",
    "period_end",
    "plan_line_id",
    "units",
    "unit_rate",
)
MISSING_COLUMNS = "The first row must name the columns: {missing} {is_are} missing"
NO_ROWS = "The file has no invoice lines under its first row"
DATE_FORMAT = "Enter a date as YYYY-MM-DD, like 2026-11-30"
WHOLE_NUMBER = "Enter a whole number"
REQUIRED = "Enter a value"
UNKNOWN_PERSON = "No person you support has this id"
SAME_INVOICE_DIFFERS = "Rows of invoice {reference} must give the same {what}"


@dataclass(frozen=True)
class Problem:
    row: int  # the line of the file (0: the whole file)
    column: str
    message: str


@dataclass
class _Draft:
    reference: str
    person_id: int
    period_start: dt.date
    period_end: dt.date
    rows: list[int] = field(default_factory=list)
    lines: list[LineIn] = field(default_factory=list)


class UploadRefused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as bad:
        raise ValueError(DATE_FORMAT) from bad


def _whole(text: str) -> int:
    text = text.strip()
    if not text.isdigit() or len(text) > 10:
        raise ValueError(WHOLE_NUMBER)
    return int(text)


def rows_parse(text: str, name: str) -> list[_Draft]:
    """The invoices a file holds (rows with one invoice number are one invoice), or
    UploadRefused listing every problem found."""
    problems: list[Problem] = []
    header: list[str] | None = None
    drafts: dict[str, _Draft] = {}
    try:
        records = list(csv_records(text, name))
    except FileRefused as bad:
        raise UploadRefused([Problem(0, "", str(bad))]) from bad
    for line_no, cells in records:
        if header is None:
            header = [c.strip().lower() for c in cells]
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise UploadRefused(
                    [
                        Problem(
                            1,
                            "",
                            MISSING_COLUMNS.format(
                                missing=", ".join(missing),
                                is_are="is" if len(missing) == 1 else "are",
                            ),
                        )
                    ]
                )
            continue
        if not any(c.strip() for c in cells):
            continue
        row = dict(zip(header, cells, strict=False))
        values: dict[str, object] = {}
        readers = {
            "invoice_number": lambda t: t.strip() or _raise(REQUIRED),
            "person_id": _whole,
            "period_start": _date,
            "period_end": _date,
            "plan_line_id": _whole,
            "units": parsing.units_hundredths,
            "unit_rate": parsing.rate_pence,
        }
        for column, read in readers.items():
            raw = row.get(column, "")
            if not raw.strip():
                problems.append(Problem(line_no, column, REQUIRED))
                continue
            try:
                values[column] = read(raw)
            except ValueError as bad:
                problems.append(Problem(line_no, column, str(bad)))
        if len(values) < len(readers):
            continue
        reference = str(values["invoice_number"])
        draft = drafts.get(reference)
        if draft is None:
            draft = drafts[reference] = _Draft(
                reference,
                int(values["person_id"]),  # type: ignore[call-overload]
                values["period_start"],  # type: ignore[arg-type]
                values["period_end"],  # type: ignore[arg-type]
            )
        for column, what in (
            ("person_id", "person"),
            ("period_start", "start of the period"),
            ("period_end", "end of the period"),
        ):
            have = {
                "person_id": draft.person_id,
                "period_start": draft.period_start,
                "period_end": draft.period_end,
            }[column]
            if values[column] != have:
                problems.append(
                    Problem(
                        line_no, column, SAME_INVOICE_DIFFERS.format(reference=reference, what=what)
                    )
                )
        draft.rows.append(line_no)
        draft.lines.append(
            LineIn(
                int(values["plan_line_id"]),  # type: ignore[call-overload]
                int(values["units"]),  # type: ignore[call-overload]
                int(values["unit_rate"]),  # type: ignore[call-overload]
                field=f"row {line_no}",
            )
        )
    if header is not None and not drafts and not problems:
        problems.append(Problem(0, "", NO_ROWS))
    if header is None:
        problems.append(Problem(0, "", NO_ROWS))
    if problems:
        raise UploadRefused(problems)
    return list(drafts.values())


def _raise(message: str) -> str:
    raise ValueError(message)


def invoices_upload(
    *, actor: User, provider: Provider, people: object, text: str, name: str
) -> list[Invoice]:
    """Record every invoice in the file, or none: ``people`` are those the actor may send
    invoices for (a queryset of Person)."""
    drafts = rows_parse(text, name)
    allowed = {
        p.pk: p
        for p in Person.objects.filter(
            pk__in=[d.person_id for d in drafts],
            id__in=people.values("pk"),  # type: ignore[attr-defined]
        )
    }
    problems = [
        Problem(d.rows[0], "person_id", UNKNOWN_PERSON)
        for d in drafts
        if d.person_id not in allowed
    ]
    if problems:
        raise UploadRefused(problems)
    made: list[Invoice] = []
    with transaction.atomic():  # all or nothing: a problem in any invoice undoes them all
        for draft in drafts:
            try:
                made.append(
                    invoice_submit(
                        actor=actor,
                        provider=provider,
                        person=allowed[draft.person_id],
                        period_start=draft.period_start,
                        period_end=draft.period_end,
                        reference=draft.reference,
                        lines=draft.lines,
                        source=Invoice.Source.CSV,
                    )
                )
            except InvoiceError as refused:
                problems.append(_where(draft, refused))
        if problems:
            raise UploadRefused(problems)
    return made


def _where(draft: _Draft, refused: InvoiceError) -> Problem:
    """A service refusal placed on the file: the row of the line it names, else the first."""
    column = {
        "reference": "invoice_number",
        "period_end": "period_end",
        "period_start": "period_start",
        "person": "person_id",
    }.get(refused.field, "")
    row = draft.rows[0]
    if refused.field.startswith("row "):
        row, column = int(refused.field[4:]), "plan_line_id"
    return Problem(row, column, str(refused))
