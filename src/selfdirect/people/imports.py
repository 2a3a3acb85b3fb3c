"""Bringing people in from a legacy system: a CSV or Excel file, checked row by row with the
same rules as the pages (``PersonForm``), imported all or nothing.

docs/import-format.md describes the columns; ``IMPORT_COLUMNS`` is that list in code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from selfdirect.access.models import Team
from selfdirect.access.selectors import acting_user
from selfdirect.audit.models import Action, Event
from selfdirect.audit.services import event_record, events_record_bulk
from selfdirect.file_checks import (
    CELL_TOO_LONG,
    MAX_CELL_CHARS,
    MAX_UPLOAD_BYTES,
    TOO_BIG,
    FileRefused,
    csv_records,
    text_decode,
)
from selfdirect.forms_gov import posted
from selfdirect.operations.jobs import (
    JobRefused,
    Progress,
    job_files_dir,
    job_kind_register,
    job_start,
    job_succeed,
)
from selfdirect.operations.models import Job
from selfdirect.people.forms import PERSON_DEFAULTS, PERSON_FIELDS, PersonForm
from selfdirect.people.models import Person
from selfdirect.people.services import search_name_for

FILE_TOO_BIG = TOO_BIG
SELECT_A_FILE = "Select a CSV or Excel file"
WRONG_TYPE = "The selected file must be a CSV or an Excel (.xlsx) file"
EMPTY_FILE = "The file has no rows of people"
NOT_XLSX = "{name} is not an Excel workbook (.xlsx): save it from Excel as .xlsx, or as CSV UTF-8"
EXTRA_CELLS = (
    "This row has {cells} cells but the header names {columns} columns: "
    "cells beyond the header are not allowed"
)
REPEATED_COLUMN = "{name}: these columns appear more than once in the header"
BLANK_COLUMN = "{name}: column {column} of the header is blank"

REQUIRED_COLUMNS = ("given_name", "family_name", "date_of_birth")
IMPORT_COLUMNS = ("la_person_id", *[f for f in PERSON_FIELDS if f != "team"], "team")
BOOLEAN_COLUMNS = frozenset({"needs_easy_read", "needs_large_print", "needs_bsl"})
DATE_COLUMNS = frozenset({"date_of_birth", "date_of_death"})


# Columns left blank take the model's default (for example "Not known" for gender).
DEFAULTED = PERSON_DEFAULTS
_TRUE = {"y", "yes", "true", "1"}
_FALSE = {"", "n", "no", "false", "0"}


@dataclass(frozen=True)
class RowError:
    row: int  # as the user counts it: the header is row 1
    column: str
    message: str


class ImportRefused(Exception):
    """The file cannot be imported; ``errors`` lists every problem."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s) found")
        self.errors = errors


def _choice_lookup() -> dict[str, dict[str, str]]:
    """For each code-list column: stored value or label (any case) -> stored value."""
    lookup: dict[str, dict[str, str]] = {}
    for name in PERSON_FIELDS:
        field = Person._meta.get_field(name)
        choices = getattr(field, "choices", None)
        if choices:
            table: dict[str, str] = {}
            for value, label in choices:
                table[str(value).strip().lower()] = str(value)
                table[str(label).strip().lower()] = str(value)
            lookup[name] = table
    return lookup


def _records_checked(
    name: str, header: list[str], records: Iterable[tuple[int, list[str]]]
) -> list[dict[str, str]]:
    """Each non-blank record as column -> text; cells beyond the header are an error."""
    errors: list[RowError] = []
    rows = []
    for row_number, cells in records:
        if not any(cells):
            continue
        if any(cells[len(header) :]):
            errors.append(
                RowError(
                    row_number,
                    "",
                    EXTRA_CELLS.format(cells=len(cells), columns=len(header)),
                )
            )
            continue
        rows.append(dict(zip(header, cells, strict=False)))
    if errors:
        raise ImportRefused(errors)
    return rows


def _header_checked(name: str, header: list[str]) -> list[str]:
    twice = sorted({h for h in header if h and header.count(h) > 1})
    if twice:
        raise ImportRefused([RowError(1, ", ".join(twice), REPEATED_COLUMN.format(name=name))])
    while header and not header[-1]:
        header.pop()  # blank cells at the end of the header row are not columns
    if "" in header:
        raise ImportRefused(
            [RowError(1, "", BLANK_COLUMN.format(name=name, column=header.index("") + 1))]
        )
    return header


def _xlsx_cell(value: Any, name: str, row_number: int) -> str:
    text = (
        ""
        if value is None
        else value.date().isoformat()
        if isinstance(value, dt.datetime)
        else value.isoformat()
        if isinstance(value, dt.date)
        else str(value).strip()
    )
    if len(text) > MAX_CELL_CHARS:
        raise ImportRefused(
            [
                RowError(
                    row_number,
                    "",
                    CELL_TOO_LONG.format(where=f"{name}, row {row_number}", limit=MAX_CELL_CHARS),
                )
            ]
        )
    return text


def rows_read(upload: IO[bytes], filename: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of a CSV (UTF-8, with or without BOM) or .xlsx file, as text.
    A file that cannot be read is ImportRefused naming the file and the row."""
    name = filename.lower()
    if name.endswith(".csv"):
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise ImportRefused([RowError(0, "", f"{filename}: {FILE_TOO_BIG}")])
        try:
            records = [
                (number, [c.strip() for c in cells])
                for number, cells in csv_records(text_decode(data, filename), filename)
            ]
        except FileRefused as bad:
            raise ImportRefused([RowError(0, "", str(bad))]) from bad
        if not records:
            return [], []
        header = _header_checked(filename, records[0][1])
        return header, _records_checked(filename, header, records[1:])
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(upload, read_only=True, data_only=True)
        except Exception as bad:  # openpyxl raises many kinds for a bad file
            raise ImportRefused([RowError(0, "", NOT_XLSX.format(name=filename))]) from bad
        try:
            sheet = workbook.worksheets[0]
            values = sheet.iter_rows(values_only=True)
            try:
                first = next(values)
            except StopIteration:
                return [], []
            header = _header_checked(filename, [_xlsx_cell(h, filename, 1) for h in first])
            rows = _records_checked(
                filename,
                header,
                (
                    (number, [_xlsx_cell(v, filename, number) for v in record])
                    for number, record in enumerate(values, start=2)
                ),
            )
        except ImportRefused:
            raise
        except Exception as bad:  # a damaged sheet inside a good zip
            raise ImportRefused([RowError(0, "", NOT_XLSX.format(name=filename))]) from bad
        finally:
            workbook.close()
        return header, rows
    raise ImportRefused([RowError(0, "", WRONG_TYPE)])


class _RowForm(PersonForm):
    """``PersonForm`` for one row after another: the same field rules, without the per-row
    database checks (uniqueness is checked for the whole file at once; the one table
    constraint, death after birth, is also a rule of the form)."""

    def _post_clean(self) -> None:
        return None

    def check(self, data: dict[str, Any]) -> bool:
        # Re-binding one form is much faster than building one per row (Django deep-copies
        # every field for each new form).
        self.data = data
        self._errors = None
        return self.is_valid()


def _date(value: str) -> str:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return value  # the form will say it is not a real date


def people_header_check(header: list[str], rows: list[dict[str, str]]) -> None:
    """The file's columns, and that it has rows: ImportRefused at once if not (quick, so the
    upload page answers it before any job is started)."""
    errors: list[RowError] = []
    unknown = [h for h in header if h not in IMPORT_COLUMNS]
    if unknown:
        errors.append(
            RowError(
                1,
                ", ".join(unknown),
                f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}",
            )
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        errors.append(
            RowError(
                1,
                ", ".join(missing),
                f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}",
            )
        )
    if errors:
        raise ImportRefused(errors)
    if not rows:
        raise ImportRefused([RowError(2, "", EMPTY_FILE)])


def people_check(
    header: list[str], rows: list[dict[str, str]], *, tick: Callable[[int], None] | None = None
) -> list[Person]:
    """Every row checked; unsaved Person objects if all are good, else ImportRefused with every error."""
    people_header_check(header, rows)
    errors: list[RowError] = []
    choices = _choice_lookup()
    teams = {t.code.lower(): t for t in Team.objects.all()}
    people: list[Person] = []
    form = _RowForm(data={}, check_unique=False)
    form.fields.pop("team")
    seen_nhs: dict[str, int] = {}
    seen_refs: dict[str, int] = {}
    for offset, raw in enumerate(rows):
        row_number = offset + 2
        data: dict[str, Any] = {}
        for column, value in raw.items():
            if column in BOOLEAN_COLUMNS:
                low = value.lower()
                if low not in _TRUE | _FALSE:
                    errors.append(RowError(row_number, column, "Enter yes or no"))
                data[column] = "on" if low in _TRUE else ""
            elif column in DATE_COLUMNS and value:
                data[column] = _date(value)
            elif column in choices and value:
                data[column] = choices[column].get(value.lower(), value)
            else:
                data[column] = value
        for name in DEFAULTED:
            if not data.get(name):
                data[name] = DEFAULTED[name]
        valid = form.check(data)
        if not valid:
            for column, messages_ in form.errors.items():
                errors.extend(
                    RowError(row_number, column if column != "__all__" else "", str(m))
                    for m in messages_
                )
        team = None
        team_code = raw.get("team", "").lower()
        if team_code:
            team = teams.get(team_code)
            if team is None:
                errors.append(RowError(row_number, "team", f"No team has the code {raw['team']}"))
        ref = raw.get("la_person_id", "").upper()
        if ref:
            if ref in seen_refs:
                errors.append(
                    RowError(
                        row_number,
                        "la_person_id",
                        f"The reference {ref} is also on row {seen_refs[ref]}",
                    )
                )
            seen_refs.setdefault(ref, row_number)
        if valid:
            nhs = form.cleaned_data.get("nhs_number")
            if nhs:
                if nhs in seen_nhs:
                    errors.append(
                        RowError(
                            row_number,
                            "nhs_number",
                            f"The NHS number is also on row {seen_nhs[nhs]}",
                        )
                    )
                seen_nhs.setdefault(nhs, row_number)
            person = Person(
                **{k: v for k, v in form.cleaned_data.items() if k in PERSON_FIELDS},
                team=team,
                la_person_id=ref,
            )
            person.search_name = search_name_for(person.given_name, person.family_name)
            people.append(person)
        if tick is not None:
            tick(1)
    for clash in Person.objects.filter(nhs_number__in=list(seen_nhs)).values_list(
        "nhs_number", flat=True
    ):
        errors.append(
            RowError(
                seen_nhs[str(clash)], "nhs_number", "Another person already has this NHS number"
            )
        )
    for clash in Person.objects.filter(la_person_id__in=list(seen_refs)).values_list(
        "la_person_id", flat=True
    ):
        errors.append(
            RowError(
                seen_refs[clash],
                "la_person_id",
                f"A person with the reference {clash} already exists",
            )
        )
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: (e.row, e.column)))
    return people


@transaction.atomic
def people_import(*, actor: User | None, people: Iterable[Person], source: str) -> int:
    """Save checked people in one transaction, with an audit event for each and one for the import."""
    people = list(people)
    last = Person.objects.filter(la_person_id__startswith="P").aggregate(m=Max("la_person_id"))["m"]
    number = int(last[1:]) if last and last[1:].isdigit() else 0
    taken = {p.la_person_id for p in people if p.la_person_id}
    for person in people:
        if not person.la_person_id:
            number += 1
            while f"P{number:06d}" in taken:
                number += 1
            person.la_person_id = f"P{number:06d}"
    Person.objects.bulk_create(people, batch_size=2000)
    actor_fields = {
        "actor": actor,
        "actor_username": actor.get_username() if actor else "",
        "actor_roles": ",".join(actor.profile.roles) if actor and hasattr(actor, "profile") else "",
    }
    events_record_bulk(
        [
            Event(
                action=Action.IMPORT,
                object_type="person",
                object_id=str(p.pk),
                person_id=p.pk,
                summary=f"Imported the record of {p.full_name} from {source}"[:300],
                **actor_fields,
            )
            for p in people
        ]
    )
    event_record(
        actor=actor,
        action=Action.IMPORT,
        object_type="person_import",
        summary=f"Imported {len(people)} people from {source}",
    )
    return len(people)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV or Excel (.xlsx) file with one person a row.",
        error_messages={"required": SELECT_A_FILE, "empty": EMPTY_FILE},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(WRONG_TYPE)
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(FILE_TOO_BIG)
        return upload


def person_import_page(request: HttpRequest) -> HttpResponse:
    """The administrators' upload page (the view checks the capability). The file is read
    at once (a file that cannot be read is answered on this page); checking every row and
    importing runs as a background job, whose page lists the rows' problems (decision 0017)."""
    form = ImportForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
    )
    errors: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            people_header_check(*rows_read(upload.file, upload.name))
        except ImportRefused as refused:
            errors = refused.errors
        else:
            upload.file.seek(0)
            job = people_import_start(
                actor=acting_user(request.user), data=upload.file.read(), filename=upload.name
            )
            return redirect("jobs:detail", job_id=job.pk)
    return render(
        request,
        "people/import.html",
        {
            "nav": "import",
            "form": form,
            "errors": errors,
            "has_errors": bool(errors),
            "columns": IMPORT_COLUMNS,
            "required": REQUIRED_COLUMNS,
        },
    )


# The import as a background job: the upload is kept under the job files folder by its
# content's hash, so the job (and a retry of it) reads the very bytes that were uploaded.

PEOPLE_IMPORT = "people_import"
UPLOAD_GONE = "The uploaded file is no longer kept, so nothing was imported. Upload it again."


def people_import_start(*, actor: User, data: bytes, filename: str) -> Job:
    """Keep the uploaded file and queue its import (the same file uploaded again while its
    import is queued or running gives the same job)."""
    digest = hashlib.sha256(data).hexdigest()
    folder = job_files_dir() / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    stored = folder / f"{digest}{suffix}"
    if not stored.exists():
        partial = folder / f".partial-{digest}"
        partial.write_bytes(data)
        partial.replace(stored)
    return job_start(
        actor=actor,
        kind=PEOPLE_IMPORT,
        title=f"Import people from {filename}"[:200],
        params={"upload": f"uploads/{stored.name}", "source": filename},
        key=hashlib.sha256(f"{PEOPLE_IMPORT}:{actor.pk}:{digest}".encode()).hexdigest(),
    )


def people_import_run(job: Job, progress: Progress) -> None:
    """Check every row (progress as it goes), then import all of them and mark the job done
    in one transaction: a crash imports nothing, and the retry imports every row once."""
    source = str(job.params.get("source", "the file"))
    path = job_files_dir() / str(job.params.get("upload", ""))
    if not path.is_file():
        raise JobRefused(UPLOAD_GONE)
    try:
        header, rows = rows_read(io.BytesIO(path.read_bytes()), source)
        done = 0

        def tick(count: int) -> None:
            nonlocal done
            done += count
            progress.set(done, len(rows))

        people = people_check(header, rows, tick=tick)
    except ImportRefused as refused:
        raise JobRefused(
            f"{len(refused.errors)} problem{'s' if len(refused.errors) != 1 else ''} found in "
            f"{source}: nothing was imported. Correct the file and upload it again.",
            [{"row": e.row, "column": e.column, "message": e.message} for e in refused.errors],
        ) from refused
    with transaction.atomic():
        count = people_import(actor=job.started_by, people=people, source=source)
        job_succeed(
            job=job,
            summary=f"{count} {'person' if count == 1 else 'people'} imported from {source}",
        )


def register() -> None:
    job_kind_register(PEOPLE_IMPORT, people_import_run)
