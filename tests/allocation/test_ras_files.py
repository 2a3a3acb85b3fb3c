"""RAS and answers files: the documented example, and errors that name line and field."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from selfdirect.allocation.ras_file import RasFileError, answers_load, ras_parse

DOCS = Path(__file__).resolve().parents[2] / "docs" / "samples"
RAS_JSON = json.loads((DOCS / "ras-example.json").read_text())


def test_documented_example_produces_the_documented_amounts(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    call_command(
        "ras_allocate",
        ras=str(DOCS / "ras-example.json"),
        answers=str(DOCS / "ras-answers-example.csv"),
        out=str(out),
        stdout=io.StringIO(),
    )
    rows = {r["person_ref"]: r for r in csv.DictReader(out.open())}
    # The figures docs/ras-format.md walks through.
    assert (
        rows["R001"]["total_points"],
        rows["R001"]["carer_adjustment_pence"],
        rows["R001"]["weekly_pence"],
    ) == ("28", "-1848", "7400")
    assert (
        rows["R002"]["uplift_night_care_pence"],
        rows["R002"]["uplift_agency_rate_pence"],
        rows["R002"]["weekly_pence"],
    ) == ("90000", "4788", "126700")
    assert (
        rows["R003"]["uplift_two_workers_pence"],
        rows["R003"]["uplift_rural_pence"],
        rows["R003"]["weekly_pence"],
        rows["R003"]["annual_pence"],
    ) == ("15840", "1944", "75100", "3905200")


def _answers(text: str) -> Any:
    return answers_load(io.StringIO(text), ras_parse(RAS_JSON))


def _good_line(ref: str = "A1", group: str = "older_people") -> list[str]:
    return [ref, group, *[next(iter(s["points"])) for s in RAS_JSON["sections"]], "no", "no"]


HEADER = ["person_ref", "user_group", *[s["id"] for s in RAS_JSON["sections"]], "rural", "agency"]


def _csv(*lines: list[str]) -> str:
    return "\n".join(",".join(line) for line in (HEADER, *lines)) + "\n"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([_good_line(), _good_line()], "line 3, person_ref: A1 is also on line 2"),
        ([_good_line(group="martians")], "line 2, user_group: 'martians' has no price in this RAS"),
        (
            [[*_good_line()[:2], "lots", *_good_line()[3:]]],
            "line 2, nutrition: 'lots' is not one of none, some, most, all",
        ),
        ([[*_good_line()[:-1], "perhaps"]], "line 2, agency: enter yes or no"),
        ([_good_line()[:-2]], "line 2: expected 22 fields, found 20"),
        ([], "line 2: the answers file has no people"),
    ],
)
def test_bad_answers_name_the_line_and_field(lines: list[list[str]], message: str) -> None:
    with pytest.raises(RasFileError) as error:
        _answers(_csv(*lines))
    assert str(error.value) == message


def test_missing_and_unknown_columns() -> None:
    with pytest.raises(RasFileError, match="line 1: missing columns nutrition, hygiene"):
        _answers("person_ref,user_group\nA,older_people\n")
    with pytest.raises(RasFileError, match="line 1: unknown column colour"):
        _answers(",".join([*HEADER, "colour"]) + "\n")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.update(method="magic"), "ras.method must be one of points, hours, plan"),
        (
            lambda r: r["sections"][1].update(id=r["sections"][0]["id"]),
            "ras.sections[1].id 'nutrition' is used twice",
        ),
        (
            lambda r: r["sections"][0]["points"].update(none=-1),
            "ras.sections[0].points.none must be a whole number from 0 to 10,000",
        ),
        (
            lambda r: r.update(ceiling_weekly_pence=1),
            "ras.ceiling_weekly_pence must not be below ras.floor_weekly_pence",
        ),
        (
            lambda r: r.update(rounding_pence=5),
            "ras.rounding_pence must be 1 (nearest penny) or 100 (nearest pound)",
        ),
        (
            lambda r: r["carer_adjustment"]["reduction_basis_points"].update(willing_able=20000),
            "ras.carer_adjustment.reduction_basis_points.willing_able must be a whole number from 0 to 10,000",
        ),
        (
            lambda r: r["uplifts"][0].update(section="nowhere"),
            "ras.uplifts[0].section 'nowhere' is not one of the sections",
        ),
        (
            lambda r: r["uplifts"][1].update(sections=["nowhere"]),
            r"ras.uplifts[1].sections must list section ids of this RAS",
        ),
    ],
)
def test_bad_ras_files_name_the_field(change: Any, message: str) -> None:
    data = json.loads(json.dumps(RAS_JSON))
    change(data)
    with pytest.raises(RasFileError) as error:
        ras_parse(data)
    assert str(error.value) == message


def test_command_writes_nothing_for_a_bad_file(tmp_path: Path) -> None:
    answers = tmp_path / "answers.csv"
    answers.write_text(_csv(_good_line(), _good_line(ref="A2", group="martians")))
    out = tmp_path / "out.csv"
    with pytest.raises(
        CommandError, match="line 3, user_group: 'martians' has no price in this RAS"
    ):
        call_command(
            "ras_allocate", ras=str(DOCS / "ras-example.json"), answers=str(answers), out=str(out)
        )
    assert not out.exists()
    bad_json = tmp_path / "ras.json"
    bad_json.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON: line 1, column 2"):
        call_command("ras_allocate", ras=str(bad_json), answers=str(answers), out=str(out))
    assert not out.exists()
