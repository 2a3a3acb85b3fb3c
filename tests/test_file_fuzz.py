"""Any bytes at all, given as a people import, a RAS file, an answers file or a packages file,
end in the file format's own refusal (or a result), never another exception."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfdirect.allocation.calibration import calibrate, packages_load
from selfdirect.allocation.ras_file import RasFileError, answers_load, ras_load
from selfdirect.file_checks import FileRefused, text_decode
from selfdirect.people.imports import ImportRefused, people_check, rows_read

SAMPLES = Path(__file__).resolve().parents[1] / "docs" / "samples"
RAS = ras_load(io.StringIO((SAMPLES / "ras-example.json").read_text()))
ANSWERS = (SAMPLES / "ras-answers-example.csv").read_text()
PEOPLE = (SAMPLES / "people-import-sample.csv").read_text()


# Bytes near a real file: the sample with a slice replaced by arbitrary bytes or text.
def _mangled(sample: str) -> st.SearchStrategy[bytes]:
    data = sample.encode()
    noise = st.one_of(
        st.binary(max_size=40),
        st.text(alphabet=st.sampled_from(',"\n\r\t=;{}[]é\x00 a1-'), max_size=40).map(str.encode),
    )
    return st.tuples(st.integers(0, len(data)), st.integers(0, 40), noise).map(
        lambda t: data[: t[0]] + t[2] + data[t[0] + t[1] :]
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_mangled(PEOPLE), name=st.sampled_from(["people.csv", "people.xlsx"]))
@pytest.mark.django_db
def test_people_import_refuses_or_reads_anything(council: Any, data: bytes, name: str) -> None:
    try:
        header, rows = rows_read(io.BytesIO(data), name)
        people_check(header, rows)
    except ImportRefused:
        pass


@settings(max_examples=80, deadline=None)
@given(data=_mangled(ANSWERS))
def test_answers_and_packages_refuse_or_read_anything(data: bytes) -> None:
    try:
        text = text_decode(data, "answers.csv")
    except FileRefused:
        return
    with contextlib.suppress(RasFileError):
        answers_load(io.StringIO(text), RAS)
    packages = text.replace("\n", ",100\n").replace("agency,100", "agency,actual_weekly_pence", 1)
    with contextlib.suppress(RasFileError):
        calibrate(RAS, *packages_load(packages, RAS))


@settings(max_examples=80, deadline=None)
@given(data=_mangled((SAMPLES / "ras-example.json").read_text()))
def test_ras_files_refuse_or_read_anything(data: bytes) -> None:
    with contextlib.suppress(FileRefused, RasFileError):
        ras_load(io.StringIO(text_decode(data, "ras.json")))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=12,
)


def _replaced(document: Any, path: list[Any], value: Any) -> Any:
    """A copy of the JSON document with the value at ``path`` (as far as it goes) replaced."""
    if not path or not isinstance(document, dict | list):
        return value
    key, rest = path[0], path[1:]
    if isinstance(document, dict):
        key = key if key in document else next(iter(document), None)
        if key is None:
            return value
        return {**document, key: _replaced(document[key], rest, value)}
    if not document:
        return value
    index = key % len(document) if isinstance(key, int) else 0
    return [*document[:index], _replaced(document[index], rest, value), *document[index + 1 :]]


@settings(max_examples=150, deadline=None)
@given(
    path=st.lists(
        st.one_of(
            st.integers(0, 30),
            st.sampled_from(
                [
                    "sections",
                    "options",
                    "points",
                    "trigger",
                    "bolt_on_for",
                    "uplifts",
                    "carer_adjustment",
                    "hours_bands",
                    "kind",
                ]
            ),
        ),
        max_size=4,
    ),
    value=_JSON,
)
def test_any_json_value_anywhere_is_a_named_refusal(path: list[Any], value: Any) -> None:
    from selfdirect.allocation.ras_file import ras_parse, ras_to_file
    from selfdirect.assessment.questionnaire import (
        DefinitionError,
        default_definition,
        definition_parse,
    )

    with contextlib.suppress(RasFileError):
        ras_parse(_replaced(ras_to_file(RAS), path, value))
    with contextlib.suppress(DefinitionError):
        definition_parse(_replaced(default_definition("self-assessment"), path, value))


def _uplift_on_sections(document: Any) -> None:
    section = document["sections"][0]
    document["uplifts"].append(
        {
            "kind": "percent_of_sections",
            "code": "x",
            "reason": "r",
            "section": section["id"],
            "by_option": {next(iter(section["points"])): 1},
            "sections": [[1]],
        }
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # Found by the property above: each was a TypeError (a 500 on upload).
        (lambda d: d.update(uplifts=True), "ras.uplifts must be a list"),
        (_uplift_on_sections, "].sections must list section ids of this RAS"),
    ],
)
def test_wrong_shapes_in_a_ras_file_are_named_refusals(change: Any, message: str) -> None:
    from selfdirect.allocation.ras_file import ras_parse, ras_to_file

    document = ras_to_file(RAS)
    document.setdefault("uplifts", [])
    change(document)
    with pytest.raises(RasFileError) as refused:
        ras_parse(document)
    assert message in str(refused.value)
