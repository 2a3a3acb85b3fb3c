"""manage.py ras_allocate: the worked example in docs/ras-format.md is what the command
produces; a bad file names the line and field and writes nothing."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SAMPLES = DOCS / "samples"
RAS_FILE = SAMPLES / "ras-example.json"
ANSWERS_FILE = SAMPLES / "ras-answers-example.csv"


def _run(
    tmp_path: Path, ras: Path = RAS_FILE, answers: Path = ANSWERS_FILE
) -> list[dict[str, str]]:
    out = tmp_path / "out.csv"
    stdout = io.StringIO()
    call_command("ras_allocate", ras=str(ras), answers=str(answers), out=str(out), stdout=stdout)
    assert "Priced" in stdout.getvalue()
    with out.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _pence(pounds: str) -> int:
    whole, pence = pounds.lstrip("£").replace(",", "").split(".")
    return int(whole) * 100 + int(pence)


def test_the_documented_worked_example_is_what_the_command_produces(tmp_path: Path) -> None:
    rows = {r["person_ref"]: r for r in _run(tmp_path)}
    # The table in docs/ras-format.md: | R001 | … | **£74.00** | £3,848.00 |
    documented = re.findall(
        r"^\| (R\d+) \| .* \| \*\*(£[\d,]+\.\d\d)\*\* \| (£[\d,]+\.\d\d) \|$",
        (DOCS / "ras-format.md").read_text(),
        flags=re.MULTILINE,
    )
    assert [ref for ref, _w, _y in documented] == list(rows) == ["R001", "R002", "R003"]
    for ref, weekly, yearly in documented:
        assert int(rows[ref]["weekly_pence"]) == _pence(weekly)
        assert int(rows[ref]["annual_pence"]) == _pence(yearly)
    # And the steps the table walks through.
    assert (
        rows["R001"]["total_points"],
        rows["R001"]["base_weekly_pence"],
        rows["R001"]["carer_adjustment_pence"],
        rows["R001"]["rounding_pence"],
    ) == ("28", "9240", "-1848", "8")
    assert (
        rows["R002"]["base_weekly_pence"],
        rows["R002"]["uplift_night_care_pence"],
        rows["R002"]["uplift_agency_rate_pence"],
        rows["R002"]["carer_adjustment_pence"],
    ) == ("31920", "90000", "4788", "0")
    assert (
        rows["R003"]["uplift_night_care_pence"],
        rows["R003"]["uplift_two_workers_pence"],
        rows["R003"]["uplift_rural_pence"],
        rows["R003"]["uplift_agency_rate_pence"],
    ) == ("35000", "15840", "1944", "2916")
    assert {r["method"] for r in rows.values()} == {"points"}
    assert {r["bound"] for r in rows.values()} == {""}


def test_hours_and_plan_methods(tmp_path: Path) -> None:
    data = json.loads(RAS_FILE.read_text())
    hours = tmp_path / "hours.json"
    hours.write_text(
        json.dumps(
            {
                **data,
                "method": "hours",
                "hours_bands": [
                    {"min_points": 0, "tenths_of_hours": 0},
                    {"min_points": 25, "tenths_of_hours": 75},
                ],
                "hourly_rate_pence": {"*": 2200},
                "carer_adjustment": None,
                "rounding_pence": 1,
            }
        )
    )
    rows = _run(tmp_path, ras=hours)
    # R001 has 28 points: 7.5 hours at £22.00 = £165.00.
    assert (rows[0]["method"], rows[0]["weekly_pence"]) == ("hours", "16500")
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({**data, "method": "plan", "rounding_pence": 1}))
    answers = tmp_path / "answers.csv"
    lines = ANSWERS_FILE.read_text().splitlines()
    answers.write_text(
        "\n".join([f"{lines[0]},plan_weekly_pence", f"{lines[1]},10000", f"{lines[3]},500000"])
        + "\n"
    )
    rows = _run(tmp_path, ras=plan, answers=answers)
    # R001: no uplifts, a carer willing and able: 20% less. R003: over the ceiling.
    assert [(r["person_ref"], r["weekly_pence"], r["bound"]) for r in rows] == [
        ("R001", "8000", ""),
        ("R003", "150000", "ceiling"),
    ]


@pytest.mark.parametrize(
    ("ras_text", "answers_text", "message"),
    [
        (
            RAS_FILE.read_text().replace('"section": "night_care"', '"section": "nowhere"'),
            ANSWERS_FILE.read_text(),
            "ras.json: line 179, ras.uplifts[0].section 'nowhere' is not one of the sections",
        ),
        (
            "{not json",
            ANSWERS_FILE.read_text(),
            "ras.json: The RAS file is not valid JSON: line 1, column 2",
        ),
        (
            RAS_FILE.read_text(),
            ANSWERS_FILE.read_text().replace("R003,physical_disability", "R003,martians"),
            "answers.csv: line 4, user_group: 'martians' has no price in this RAS",
        ),
        (
            RAS_FILE.read_text(),
            ANSWERS_FILE.read_text().replace(
                "R002,learning_disability,most", "R002,learning_disability,loads"
            ),
            "answers.csv: line 3, nutrition: 'loads' is not one of none, some, most, all",
        ),
    ],
)
def test_a_bad_file_names_the_line_and_field_and_writes_nothing(
    tmp_path: Path, ras_text: str, answers_text: str, message: str
) -> None:
    ras, answers, out = tmp_path / "ras.json", tmp_path / "answers.csv", tmp_path / "out.csv"
    ras.write_text(ras_text)
    answers.write_text(answers_text)
    out.write_text("an earlier run\n")
    with pytest.raises(CommandError) as error:
        call_command("ras_allocate", ras=str(ras), answers=str(answers), out=str(out))
    assert str(error.value).replace(str(tmp_path) + "/", "").startswith(message)
    assert out.read_text() == "an earlier run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.csv", "out.csv", "ras.json"]


def test_missing_files(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    with pytest.raises(CommandError, match="No RAS file at"):
        call_command(
            "ras_allocate", ras=str(tmp_path / "x.json"), answers=str(ANSWERS_FILE), out=str(out)
        )
    with pytest.raises(CommandError, match="No answers file at"):
        call_command(
            "ras_allocate", ras=str(RAS_FILE), answers=str(tmp_path / "x.csv"), out=str(out)
        )
    assert not out.exists()
