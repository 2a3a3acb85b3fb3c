"""Bad files get a named error, never a 500 or a traceback, and nothing is imported: a
Windows-1252 CSV, a file named .xlsx that is not one, a 200 KB cell, deeply nested JSON and
a row with more cells than the header — on every upload page and every command that reads
a file."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from selfdirect.access.roles import Role
from selfdirect.assessment.models import QuestionnaireVersion
from selfdirect.file_checks import MAX_CELL_CHARS, MAX_JSON_DEPTH
from selfdirect.people.imports import EXTRA_CELLS, ImportRefused, people_check, rows_read
from selfdirect.people.models import Person

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "docs" / "samples"
RAS = SAMPLES / "ras-example.json"
ANSWERS = (SAMPLES / "ras-answers-example.csv").read_text()
PACKAGES = (SAMPLES / "historic-packages.csv").read_text()

HEADER = "given_name,family_name,date_of_birth\n"
CP1252 = (HEADER + "Zoë,O’Brien,1950-03-27\n").encode("cp1252")
HUGE = (HEADER + "Sam," + "x" * 200_000 + ",1950-03-27\n").encode()
EXTRA = (HEADER + "Sam,Smith,1950-03-27\nAnn,Jones,1960-01-01,surplus\n").encode()
NUL = (HEADER + "Sam,Sm\x00ith,1950-03-27\n").encode()  # found by the file fuzz on PostgreSQL
NOT_XLSX = b"given_name,family_name\nSam,Smith\n"
DEEP = "[" * 5000 + "]" * 5000

NOT_UTF8 = "is not UTF-8 text"
TOO_LONG = f"a cell is longer than {MAX_CELL_CHARS:,} characters"
TOO_DEEP = f"is nested more than {MAX_JSON_DEPTH} levels deep"


def _import_command(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError) as refused:
        call_command("import_people", str(path), stderr=io.StringIO(), stdout=io.StringIO())
    return str(refused.value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("people.csv", CP1252, f"people.csv {NOT_UTF8} (a byte on line 2 is not UTF-8)"),
        ("people.xlsx", NOT_XLSX, "people.xlsx is not an Excel workbook (.xlsx)"),
        ("people.csv", HUGE, f"people.csv, line 2: {TOO_LONG}"),
        ("people.csv", NUL, "people.csv holds a NUL character on line 2"),
    ],
)
def test_import_command_names_the_file_and_imports_nothing(
    tmp_path: Path, council: Any, name: str, data: bytes, message: str
) -> None:
    before = Person.objects.count()
    assert message in _import_command(tmp_path, name, data)
    assert Person.objects.count() == before


@pytest.mark.django_db
def test_cells_beyond_the_header_are_an_error(council: Any) -> None:
    with pytest.raises(ImportRefused) as refused:
        header, rows = rows_read(io.BytesIO(EXTRA), "people.csv")
        people_check(header, rows)
    assert [(e.row, e.message) for e in refused.value.errors] == [
        (3, EXTRA_CELLS.format(cells=4, columns=3))
    ]


@pytest.mark.django_db
def test_a_repeated_column_is_an_error(council: Any) -> None:
    data = b"given_name,family_name,date_of_birth,family_name\nSam,Smith,1950-03-27,Jones\n"
    with pytest.raises(ImportRefused) as refused:
        rows_read(io.BytesIO(data), "people.csv")
    assert [(e.row, e.column) for e in refused.value.errors] == [(1, "family_name")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("people.csv", CP1252, NOT_UTF8),
        ("people.xlsx", NOT_XLSX, "people.xlsx is not an Excel workbook (.xlsx)"),
        ("people.csv", HUGE, TOO_LONG),
        ("people.csv", EXTRA, "cells beyond the header are not allowed"),
    ],
)
def test_import_page_names_the_problem(
    client: Any, council: Any, name: str, data: bytes, message: str
) -> None:
    client.force_login(council.users[Role.ADMIN])
    before = Person.objects.count()
    response = client.post("/people/import/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Person.objects.count() == before


def test_a_command_refusal_exits_non_zero_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "ras.json"
    path.write_bytes(json.dumps({"title": "Zoë"}, ensure_ascii=False).encode("cp1252"))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "selfdirect.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "ras_allocate",
            "--ras",
            str(path),
            "--answers",
            str(path),
            "--out",
            str(tmp_path / "out.csv"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert NOT_UTF8 in done.stderr


def _ras_allocate(tmp_path: Path, ras: str | bytes, answers: str | bytes) -> str:
    ras_path, answers_path = tmp_path / "ras.json", tmp_path / "answers.csv"
    for path, content in ((ras_path, ras), (answers_path, answers)):
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    with pytest.raises(CommandError) as refused:
        call_command(
            "ras_allocate",
            ras=str(ras_path),
            answers=str(answers_path),
            out=str(tmp_path / "out.csv"),
            stdout=io.StringIO(),
        )
    assert not (tmp_path / "out.csv").exists()
    return str(refused.value)


def test_ras_allocate_refuses_bad_files_by_name(tmp_path: Path) -> None:
    ras = RAS.read_text()
    windows = ANSWERS.replace("R001", "Zoë", 1).encode("cp1252")
    assert f"answers.csv {NOT_UTF8} (a byte on line 2" in _ras_allocate(tmp_path, ras, windows)
    huge = ANSWERS.replace("R001", "R" * 200_000, 1)
    assert f"answers.csv: line 2: {TOO_LONG}" in _ras_allocate(tmp_path, ras, huge)
    assert f"The RAS file {TOO_DEEP}" in _ras_allocate(tmp_path, DEEP, ANSWERS)
    assert "ras.json" in _ras_allocate(tmp_path, ras.encode("utf-16"), ANSWERS)


@pytest.mark.django_db
def test_ras_publish_and_calibrate_refuse_bad_files_by_name(tmp_path: Path, council: Any) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text(DEEP)
    with pytest.raises(CommandError, match=TOO_DEEP):
        call_command("ras_publish", ras=str(deep), stdout=io.StringIO())
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"code": "x"}')
    with pytest.raises(CommandError, match=r"wrong\.json: ras\.sections must be a non-empty list"):
        call_command("ras_publish", ras=str(wrong), stdout=io.StringIO())
    packages = tmp_path / "packages.csv"
    packages.write_bytes(PACKAGES.replace("H0001", "Zoë", 1).encode("cp1252"))
    with pytest.raises(CommandError, match=f"packages.csv {NOT_UTF8}"):
        call_command("ras_calibrate", ras=str(RAS), packages=str(packages), stdout=io.StringIO())
    packages.write_text(PACKAGES.replace("H0001", "H" * 200_000, 1))
    with pytest.raises(CommandError, match=TOO_LONG):
        call_command("ras_calibrate", ras=str(RAS), packages=str(packages), stdout=io.StringIO())


def _with_actual(packages: str, value: str) -> str:
    """The packages file with the first person's actual cost replaced."""
    lines = packages.splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("actual_weekly_pence")] = value
    return "\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n"


@pytest.mark.django_db
def test_upload_pages_name_the_problem(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.COMMISSIONER])
    for data, message in (
        (PACKAGES.replace("H0001", "Zoë", 1).encode("cp1252"), NOT_UTF8),
        (PACKAGES.replace("H0001", "H" * 200_000, 1).encode(), TOO_LONG),
        (
            PACKAGES.replace("H0001", '"H0001', 1).encode(),
            "a quoted cell is not closed before the end of the file",
        ),
        (
            _with_actual(PACKAGES, "1" + "0" * 25).encode(),
            "line 2, actual_weekly_pence: must be a whole number of pence from 0 to 100,000,000",
        ),
    ):
        upload = SimpleUploadedFile("packages.csv", data)
        response = client.post("/budgets/calibration/", {"packages": upload})
        assert response.status_code == 200 and message in response.content.decode()
    client.force_login(council.users[Role.ADMIN])
    response = client.post("/admin/ras/", {"ras": SimpleUploadedFile("ras.json", DEEP.encode())})
    assert response.status_code == 200
    assert f"ras.json {TOO_DEEP}" in response.content.decode()
    windows = json.dumps({"title": "Zoë"}, ensure_ascii=False).encode("cp1252")
    response = client.post("/admin/ras/", {"ras": SimpleUploadedFile("ras.json", windows)})
    assert f"ras.json {NOT_UTF8}" in response.content.decode()
    published = QuestionnaireVersion.objects.get(
        questionnaire__code="self-assessment", status="published"
    )
    client.post(f"/admin/questionnaires/versions/{published.pk}/", {"action": "draft"})
    draft = QuestionnaireVersion.objects.get(status="draft")
    before = draft.definition
    response = client.post(
        f"/admin/questionnaires/versions/{draft.pk}/import/",
        {"definition": SimpleUploadedFile("q.json", DEEP.encode())},
    )
    assert response.status_code == 200 and f"q.json {TOO_DEEP}" in response.content.decode()
    draft.refresh_from_db()
    assert draft.definition == before


def _workbook(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_excel_cells_beyond_the_header_or_too_long_are_errors(council: Any) -> None:
    header = ["given_name", "family_name", "date_of_birth"]
    extra = _workbook([header, ["Sam", "Smith", "1950-03-27", "surplus"]])
    with pytest.raises(ImportRefused) as refused:
        rows_read(io.BytesIO(extra), "people.xlsx")
    assert [(e.row, e.message) for e in refused.value.errors] == [
        (2, EXTRA_CELLS.format(cells=4, columns=3))
    ]
    huge = _workbook([header, ["Sam", "x" * 20_000, "1950-03-27"]])
    with pytest.raises(ImportRefused) as refused:
        rows_read(io.BytesIO(huge), "people.xlsx")
    assert TOO_LONG in refused.value.errors[0].message
    assert "people.xlsx, row 2" in refused.value.errors[0].message
