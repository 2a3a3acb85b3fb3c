"""RAS files (JSON) and answers files (CSV): read into the engine's dataclasses and arrays,
and every error names the line and the field."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from selfdirect.allocation.engine import Engine
from selfdirect.allocation.ras_file import (
    RasFileError,
    answers_load,
    ras_load,
    ras_parse,
    ras_to_file,
    result_csv,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "samples"
RAS_TEXT = (DOCS / "ras-example.json").read_text()
RAS_JSON = json.loads(RAS_TEXT)
RAS = ras_parse(RAS_JSON)
HEADER = ["person_ref", "user_group", *[s["id"] for s in RAS_JSON["sections"]], "rural", "agency"]


def _answers(text: str, ras: Any = RAS) -> Any:
    return answers_load(io.StringIO(text), ras)


def _good_line(ref: str = "A1", group: str = "older_people") -> list[str]:
    return [ref, group, *[next(iter(s["points"])) for s in RAS_JSON["sections"]], "no", "no"]


def _csv(*lines: list[str], header: list[str] = HEADER) -> str:
    return "\n".join(",".join(line) for line in (header, *lines)) + "\n"


# The answers file.


def test_answers_become_option_numbers_groups_and_flags() -> None:
    first = _good_line()
    second = _good_line("A2", "learning_disability")
    second[2] = "all"  # nutrition
    second[-2] = "yes"  # rural
    refs, inputs = _answers(_csv(first, [], second))  # the blank line is skipped
    assert refs == ["A1", "A2"]
    nutrition = RAS.sections[0]
    assert inputs.options.shape == (2, len(RAS.sections))
    assert nutrition.option_ids[inputs.options[1, 0]] == "all"
    assert inputs.groups == ("older_people", "learning_disability")
    assert inputs.group_index.tolist() == [0, 1]
    assert inputs.flags["rural"].tolist() == [False, True]
    assert inputs.flags["agency"].tolist() == [False, False]
    assert inputs.plan_weekly_pence is None


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([_good_line(), _good_line()], "line 3, person_ref: A1 is also on line 2"),
        ([_good_line(ref=" ")], "line 2, person_ref: is empty"),
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


def test_a_quoted_cell_over_two_lines_does_not_confuse_the_line_numbers() -> None:
    first = _good_line()
    first[0] = '"A\n1"'
    with pytest.raises(RasFileError) as error:
        _answers(_csv(first, _good_line(group="martians")))
    assert str(error.value) == "line 4, user_group: 'martians' has no price in this RAS"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: the answers file is empty"),
        ("person_ref,user_group\nA,older_people\n", "line 1: missing columns nutrition, hygiene"),
        (",".join([*HEADER, "colour"]) + "\n", "line 1: unknown column colour"),
        (",".join([*HEADER, "rural"]) + "\n", "line 1: column rural appears more than once"),
    ],
)
def test_bad_headers(text: str, message: str) -> None:
    with pytest.raises(RasFileError) as error:
        _answers(text)
    assert str(error.value).startswith(message)


def test_flag_columns_may_be_left_out_and_mean_no() -> None:
    _refs, inputs = _answers(_csv(_good_line()[:-2], header=HEADER[:-2]))
    assert inputs.flags["rural"].tolist() == [False]


def test_hours_and_plan_methods_read_their_own_columns() -> None:
    hours = ras_parse(
        {
            **RAS_JSON,
            "method": "hours",
            "hours_bands": [{"min_points": 0, "tenths_of_hours": 10}],
            "hourly_rate_pence": {"older_people": 0},
        }
    )
    _refs, inputs = _answers(_csv(_good_line()), hours)  # a rate of 0 is still a rate
    with pytest.raises(RasFileError, match="line 2, user_group: 'mental_health' has no price"):
        _answers(_csv(_good_line(group="mental_health")), hours)
    plan = ras_parse({**RAS_JSON, "method": "plan"})
    header = [*HEADER, "plan_weekly_pence"]
    _refs, inputs = _answers(_csv([*_good_line(), "12345"], header=header), plan)
    assert inputs.plan_weekly_pence is not None and inputs.plan_weekly_pence.tolist() == [12345]
    for bad in ("12.50", "-1", "²"):
        with pytest.raises(RasFileError) as error:
            _answers(_csv([*_good_line(), bad], header=header), plan)
        assert str(error.value) == (
            "line 2, plan_weekly_pence: must be a whole number of pence from 0 to 100,000,000"
        )
    with pytest.raises(RasFileError, match="line 1: missing column plan_weekly_pence"):
        _answers(_csv(_good_line()), plan)


# The RAS file.


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.update(method="magic"), "ras.method must be one of points, hours, plan"),
        (lambda r: r.update(sections=[]), "ras.sections must be a non-empty list"),
        (
            lambda r: r["sections"][1].update(id=r["sections"][0]["id"]),
            "ras.sections[1].id 'nutrition' is used twice",
        ),
        (
            lambda r: r["sections"][0]["points"].update(none=-1),
            "ras.sections[0].points.none must be a whole number from 0 to 10,000",
        ),
        (
            lambda r: r["sections"][0].update(points={f"o{k}": 0 for k in range(257)}),
            "ras.sections[0].points may have at most 256 options",
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
            "ras.uplifts[1].sections must list section ids of this RAS",
        ),
        (
            lambda r: r["uplifts"][1].update(code="night_care"),
            "ras.uplifts: each uplift needs its own code",
        ),
        (
            lambda r: r.update(
                method="hours",
                hours_bands=[
                    {"min_points": 0, "tenths_of_hours": 50},
                    {"min_points": 10, "tenths_of_hours": 40},
                ],
                hourly_rate_pence={"*": 2000},
            ),
            "ras.hours_bands must not give fewer hours for more points",
        ),
    ],
)
def test_bad_ras_files_name_the_field(change: Any, message: str) -> None:
    data = json.loads(RAS_TEXT)
    change(data)
    with pytest.raises(RasFileError) as error:
        ras_parse(data)
    assert str(error.value) == message


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            '"section": "night_care"',
            '"section": "nowhere"',
            '"section": "nowhere"',
            "ras.uplifts[0].section 'nowhere' is not one of the sections",
        ),
        (
            '"most_nights": 10,',
            '"most_nights": -10,',
            '"most_nights": -10,',
            "ras.sections[11].points.most_nights must be a whole number from 0 to 10,000",
        ),
        (
            '"rounding_pence": 100',
            '"rounding_pence": 5',
            '"rounding_pence": 5',
            "ras.rounding_pence must be 1 (nearest penny) or 100 (nearest pound)",
        ),
        # A missing field: the line of the object it is missing from.
        (
            '"basis_points": 1000,\n      "reason": "Travel time in rural areas adds 10%."',
            '"reason": "Travel time in rural areas adds 10%."',
            '"code": "rural"',
            "ras.uplifts[2].basis_points must be a whole number from 0 to 100,000",
        ),
        # A key the format does not know: its own line.
        (
            '"reason": "Travel time in rural areas adds 10%."',
            '"why": "Travel time in rural areas adds 10%."',
            '"why": "Travel time',
            "ras.uplifts[2].why is not a key the RAS format knows",
        ),
    ],
)
def test_a_ras_file_names_the_line_as_well_as_the_field(
    old: str, new: str, where: str, message: str
) -> None:
    assert old in RAS_TEXT
    text = RAS_TEXT.replace(old, new, 1)
    with pytest.raises(RasFileError) as error:
        ras_load(io.StringIO(text))
    line = _line_of(text, where) - (1 if where == '"code": "rural"' else 0)
    assert str(error.value) == f"line {line}, {message}"


def test_a_ras_file_that_is_not_json_or_not_an_object() -> None:
    with pytest.raises(RasFileError) as error:
        ras_load(io.StringIO('{\n  "code": "x",\n  oops\n}'))
    assert str(error.value) == (
        "The RAS file is not valid JSON: line 3, column 3: Expecting property name enclosed in double quotes"
    )
    with pytest.raises(RasFileError) as error:
        ras_load(io.StringIO("[1, 2]"))
    assert str(error.value) == "The RAS file must be a JSON object"


def test_the_ras_file_round_trips_to_the_same_definition_and_hash() -> None:
    again = ras_parse(json.loads(json.dumps(ras_to_file(RAS), sort_keys=True)))
    assert again == RAS and again.content_hash == RAS.content_hash
    # Key order in the stored JSON does not matter (PostgreSQL reorders object keys).
    shuffled = json.loads(RAS_TEXT)
    for section in shuffled["sections"]:
        section["points"] = dict(reversed(list(section["points"].items())))
    assert ras_parse(shuffled).content_hash == RAS.content_hash
    assert json.dumps(ras_to_file(RAS), sort_keys=True) == json.dumps(
        ras_to_file(ras_parse(shuffled)), sort_keys=True
    )


def test_the_output_has_a_column_for_each_step_and_the_method() -> None:
    refs, inputs = _answers(_csv(_good_line()))
    engine = Engine(RAS)
    rows = list(csv.DictReader(io.StringIO(result_csv(refs, engine, engine.allocate(inputs)))))
    assert list(rows[0]) == [
        "person_ref",
        "total_points",
        "price_per_point_pence",
        "base_weekly_pence",
        "uplift_night_care_pence",
        "uplift_two_workers_pence",
        "uplift_rural_pence",
        "uplift_agency_rate_pence",
        "carer_adjustment_pence",
        "rounding_pence",
        "bound",
        "weekly_pence",
        "annual_pence",
        "method",
    ]
    assert rows[0]["bound"] == "floor" and rows[0]["weekly_pence"] == str(RAS.floor_weekly_pence)
    assert rows[0]["method"] == "points"
    assert np.int64(rows[0]["annual_pence"]) == RAS.floor_weekly_pence * 52
