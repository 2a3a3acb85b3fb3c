"""Importing people from a legacy system: all or nothing, every error named by row and column."""

from __future__ import annotations

import csv
import io
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.people import codes
from selfdirect.people.imports import ImportRefused, people_check, rows_read
from selfdirect.people.models import Person
from selfdirect.people.validation import NHS_NUMBER_INVALID
from tests.factories import nhs_number_for
from tests.jobs import jobs_run_queued

pytestmark = pytest.mark.django_db

HEADER = [
    "la_person_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "nhs_number",
    "gender",
    "postcode",
    "user_group",
    "primary_support_reason",
    "needs_easy_read",
    "team",
]


def _row(n: int, **changes: str) -> dict[str, str]:
    row = {
        "la_person_id": f"L{n:06d}",
        "given_name": "Sam",
        "family_name": f"Import{n}",
        "date_of_birth": "1950-03-27",
        "nhs_number": nhs_number_for(500_000 + n),
        "gender": "Female",
        "postcode": "sw1a 1aa",
        "user_group": "Older people",
        "primary_support_reason": "Physical Support: Personal care support",
        "needs_easy_read": "no",
        "team": "team-x",
    }
    return {**row, **changes}


def _csv(rows: list[dict[str, str]], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def team_x(council: Any) -> Any:
    from tests.factories import TeamFactory

    return TeamFactory(code="team-x", name="Team X")


def test_good_csv_imports_every_row_with_audit(tmp_path: Path, council: Any, team_x: Any) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(
        _csv(
            [
                _row(1),
                _row(
                    2,
                    la_person_id="",
                    gender="2",
                    needs_easy_read="yes",
                    date_of_birth="14/03/1948",
                ),
            ]
        )
    )
    out = StringIO()
    call_command("import_people", str(path), "--as-user", "admin", stdout=out)
    assert "Imported 2 people from people.csv" in out.getvalue()
    first = Person.objects.get(la_person_id="L000001")
    assert (first.gender, first.user_group, first.postcode, first.team) == (
        "2",
        codes.UserGroup.OLDER,
        "SW1A 1AA",
        team_x,
    )
    second = Person.objects.get(family_name="Import2")
    assert second.la_person_id.startswith("P") and second.needs_easy_read
    assert str(second.date_of_birth) == "1948-03-14"
    assert second.search_name == "import2 sam"
    event = Event.objects.get(person=first, action=Action.IMPORT)
    assert event.actor_username == "admin" and event.channel == "command"
    assert Event.objects.filter(
        object_type="person_import", summary="Imported 2 people from people.csv"
    ).exists()


def test_one_bad_file_lists_every_error_and_imports_nothing(
    tmp_path: Path, council: Any, team_x: Any
) -> None:
    before = Person.objects.count()
    rows = [
        _row(1),
        _row(2, nhs_number="943 476 5918"),
        _row(3, date_of_birth="31/02/1950"),
        _row(4, user_group="Martians"),
        _row(5, family_name=""),
        _row(6, team="nowhere"),
        _row(7, needs_easy_read="perhaps"),
        _row(8, nhs_number=nhs_number_for(500_001)),
        _row(9, la_person_id="L000001"),
    ]
    path = tmp_path / "bad.csv"
    path.write_bytes(_csv(rows))
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 8 problem"):
        call_command("import_people", str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert f"row 3, column nhs_number: {NHS_NUMBER_INVALID}" in lines
    assert (
        "row 4, column date_of_birth: Date of birth must be a real date in the form YYYY-MM-DD"
        in lines
    )
    assert "row 5, column user_group: Select a valid user group" in lines
    assert "row 6, column family_name: Enter last name" in lines
    assert "row 7, column team: No team has the code nowhere" in lines
    assert "row 8, column needs_easy_read: Enter yes or no" in lines
    assert "row 9, column nhs_number: The NHS number is also on row 2" in lines
    assert "row 10, column la_person_id: The reference L000001 is also on row 2" in lines
    assert Person.objects.count() == before


def test_clashes_with_people_already_recorded(council: Any, team_x: Any) -> None:
    existing = council.holder_person
    with pytest.raises(ImportRefused) as refused:
        people_check(
            HEADER, [_row(1, nhs_number=existing.nhs_number, la_person_id=existing.la_person_id)]
        )
    assert {(e.row, e.column, e.message) for e in refused.value.errors} == {
        (2, "nhs_number", "Another person already has this NHS number"),
        (2, "la_person_id", f"A person with the reference {existing.la_person_id} already exists"),
    }


def test_unknown_and_missing_columns(council: Any) -> None:
    with pytest.raises(ImportRefused) as refused:
        people_check(
            ["given_name", "surname", "dob"],
            [{"given_name": "A", "surname": "B", "dob": "2000-01-01"}],
        )
    messages = [e.message for e in refused.value.errors]
    assert messages == [
        "Unknown columns: surname, dob",
        "Missing columns: family_name, date_of_birth",
    ]


def test_excel_files_import(council: Any, team_x: Any) -> None:
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    row = _row(1)
    row["date_of_birth"] = dt.datetime(1950, 3, 27)  # type: ignore[assignment]
    sheet.append([row[h] for h in HEADER])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    header, rows = rows_read(buffer, "people.xlsx")
    people = people_check(header, rows)
    assert str(people[0].date_of_birth) == "1950-03-27"


def test_upload_page_for_administrators_only(client: Any, council: Any, team_x: Any) -> None:
    client.force_login(council.users[Role.PRACTITIONER])
    assert client.get("/people/import/").status_code == 403
    client.force_login(council.users[Role.ADMIN])
    page = client.post("/people/import/", {}).content.decode()
    assert "Select a CSV or Excel file" in page
    wrong = SimpleUploadedFile("people.pdf", b"%PDF", content_type="application/pdf")
    assert (
        "The selected file must be a CSV or an Excel (.xlsx) file"
        in client.post("/people/import/", {"file": wrong}).content.decode()
    )
    bad = SimpleUploadedFile(
        "bad.csv", _csv([_row(1), _row(2, family_name="")]), content_type="text/csv"
    )
    started = client.post("/people/import/", {"file": bad})
    assert started.status_code == 302 and started["Location"].startswith("/jobs/")
    jobs_run_queued()
    page = client.get(started["Location"]).content.decode()
    assert "1 problem found in bad.csv: nothing was imported" in page
    assert "Enter last name" in page and "family_name" in page
    assert not Person.objects.filter(family_name__startswith="Import").exists()
    good = SimpleUploadedFile("good.csv", _csv([_row(1), _row(2)]), content_type="text/csv")
    started = client.post("/people/import/", {"file": good})
    jobs_run_queued()
    page = client.get(started["Location"]).content.decode()
    assert "2 people imported from good.csv" in page
    assert Person.objects.filter(family_name__startswith="Import").count() == 2


MUTATIONS = {
    "given_name": "",
    "date_of_birth": "next tuesday",
    "nhs_number": "123",
    "gender": "sometimes",
    "postcode": "NOT A POSTCODE",
    "team": "no-such-team",
    "needs_easy_read": "maybe",
}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(bad_row=st.integers(min_value=0, max_value=4), column=st.sampled_from(sorted(MUTATIONS)))
def test_any_bad_row_leaves_the_database_unchanged(
    council: Any, team_x: Any, bad_row: int, column: str
) -> None:
    rows = [_row(n) for n in range(5)]
    rows[bad_row][column] = MUTATIONS[column]
    before = Person.objects.count()
    with pytest.raises(ImportRefused) as refused:
        people_check(HEADER, rows)
    assert [(e.row, e.column) for e in refused.value.errors] == [(bad_row + 2, column)]
    assert Person.objects.count() == before
