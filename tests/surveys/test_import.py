"""manage.py survey_import: a good file records every row; a bad one records nothing and
names each error's row and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from selfdirect.audit.models import Action, Event
from selfdirect.surveys.models import Answer, Response

pytestmark = pytest.mark.django_db


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "returns.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _import(path: Path, code: str = "poet-holder", version: int = 1) -> None:
    call_command("survey_import", "--instrument", code, "--version", str(version), str(path))


def test_a_good_file_records_every_row(council: Any, tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "reference,person,answered_by,submitted_on,consent_to_report,dignity,plan_help,"
        "worked_well\n"
        f"R1,{council.holder_person.la_person_id},with_help,2026-11-02,yes,4,council;family_friends,"
        '"My PA, mostly"\n'
        "R2,,proxy,2026-11-03,no,NR,,\n",
    )
    _import(path)

    first, second = Response.objects.order_by("reference")
    assert (first.person, first.answered_by, first.channel) == (
        council.holder_person,
        "with_help",
        "import",
    )
    assert first.submitted_at.date().isoformat() == "2026-11-02"
    assert sorted(first.answers.values_list("item__code", "value")) == [
        ("dignity", "4"),
        ("plan_help", "council"),
        ("plan_help", "family_friends"),
        ("worked_well", "My PA, mostly"),
    ]
    assert second.person is None and second.consent_to_report is False
    assert list(second.answers.values_list("value", flat=True)) == ["NR"]
    assert Event.objects.filter(action=Action.IMPORT, object_type="survey_instrument").count() == 1


def test_a_bad_file_records_nothing_and_names_row_and_column(council: Any, tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "reference,person,answered_by,submitted_on,ghq01,ghq02\n"
        "G1,,self,2026-11-02,0,1\n"
        "G2,NOBODY,self,2026-11-02,4,1\n"
        "G1,,robot,02/11/2026,0,\n",
    )
    with pytest.raises(CommandError) as refused:
        _import(path, code="ghq-12")

    message = str(refused.value)
    assert message.startswith("Nothing was imported:")
    assert "Row 3, column person: No person has the council reference NOBODY" in message
    assert "Row 3, column ghq01: '4' is not one of its answers (0, 1, 2, 3)" in message
    assert "Row 4, column answered_by: Say who answered: self, with_help or proxy" in message
    assert "Row 4, column submitted_on: Enter the date as YYYY-MM-DD" in message
    assert "Row 4, column reference: Reference G1 is also on row 2" in message
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not Event.objects.filter(object_type__startswith="survey").exists()


def test_an_unknown_column_is_named_before_any_row(council: Any, tmp_path: Path) -> None:
    path = _file(tmp_path, "answered_by,submitted_on,happiness\nself,2026-11-02,5\n")
    with pytest.raises(CommandError, match="Row 1, column happiness: happiness is not a question"):
        _import(path)
    assert not Response.objects.exists()


def test_an_unknown_instrument_or_version_is_named(tmp_path: Path) -> None:
    path = _file(tmp_path, "answered_by,submitted_on\n")
    with pytest.raises(CommandError, match="There is no survey poet-holder version 9"):
        _import(path, version=9)
