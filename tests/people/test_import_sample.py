"""The sample file in the docs imports as documented."""

from pathlib import Path
from typing import Any

import pytest

from selfdirect.people.imports import people_check, rows_read

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "people-import-sample.csv"


@pytest.mark.django_db
def test_documented_sample_file_is_valid(council: Any) -> None:
    with SAMPLE.open("rb") as handle:
        header, rows = rows_read(handle, SAMPLE.name)
    people = people_check(header, rows)
    assert [(p.family_name, p.user_group, p.needs_large_print) for p in people] == [
        ("Marsh", "older_people", True),
        ("Okafor", "learning_disability", False),
    ]
