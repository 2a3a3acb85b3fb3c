"""Commissioners get aggregates only: the what-if download is figures by group, not a row a
person, and counts from 1 to the threshold less one are suppressed on the what-if and
calibration pages and in the download, with secondary suppression so totals give none away."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from selfdirect.access.roles import Role
from selfdirect.allocation.disclosure import SUPPRESSED, counts_suppress, fewer_than
from tests.allocation.test_allocations import _agree

FEWER = fewer_than(5)
PARAMS = {
    "price_older_people": "4.00",
    "price_physical_disability": "3.60",
    "price_learning_disability": "4.20",
    "price_mental_health": "3.00",
    "price_carer": "2.50",
    "floor": "20.00",
    "ceiling": "1500.00",
    "carer_reduction": "20",
}


def test_primary_and_secondary_suppression_down_a_column() -> None:
    table = counts_suppress([[2], [10], [7], [0]], 5)
    # 2 is small; with only it hidden, the total less 10 and 7 would give it: 7 goes too.
    assert table.cells == [[FEWER], [10], [SUPPRESSED], [0]]


def test_parts_of_a_row_are_suppressed_together() -> None:
    # people, gained, lost, unchanged: 3 lost would follow from 20 - 9 - 8.
    table = counts_suppress([[20, 9, 3, 8], [40, 20, 10, 10]], 5, parts=(1, 2, 3))
    assert table.cells[0] == [20, 9, FEWER, SUPPRESSED]
    # Down the column the lost count 3 is alone: 10 is hidden too, then that row's parts.
    assert table.hidden(1, 2)
    assert sum(table.hidden(1, c) for c in (1, 2, 3)) >= 2


def test_threshold_one_suppresses_nothing_and_zero_is_shown() -> None:
    assert counts_suppress([[1, 0], [3, 1]], 1).cells == [[1, 0], [3, 1]]
    assert counts_suppress([[0], [12]], 5).cells == [[0], [12]]


@pytest.mark.django_db
def test_whatif_download_is_aggregates_with_small_counts_suppressed(
    client: Any, council: Any
) -> None:
    from selfdirect.allocation import services

    services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )
    client.force_login(council.users[Role.COMMISSIONER])
    page = client.get("/budgets/what-if/", PARAMS).content.decode()
    assert f"The effect on {FEWER} people" in page
    assert "£74.00" not in page and "£90.00" not in page  # one person's amounts
    download = client.get("/budgets/what-if/", {**PARAMS, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert {r["dimension"] for r in rows} == {
        "Everyone",
        "User group",
        "Age band",
        "Sex",
        "Ethnicity",
        "Primary support reason",
        "Change",
    }
    assert "row" not in rows[0]  # no row a person
    everyone = rows[0]
    assert (everyone["people"], everyone["current_weekly_pence"]) == (FEWER, SUPPRESSED)
    for row in rows:
        assert "7400" not in row.values() and "9000" not in row.values()
        assert "384800" not in row.values() and "468000" not in row.values()  # nor a year
        assert row["people"] in {"0", FEWER, SUPPRESSED}


@pytest.mark.django_db
def test_calibration_page_suppresses_small_groups(client: Any, council: Any, settings: Any) -> None:
    settings.SELFDIRECT_SMALL_COUNT_THRESHOLD = 30  # mental health has 25 people in the sample
    sample = Path(__file__).resolve().parents[2] / "docs" / "samples" / "historic-packages.csv"
    client.force_login(council.users[Role.COMMISSIONER])
    upload = SimpleUploadedFile("packages.csv", sample.read_bytes(), content_type="text/csv")
    page = client.post("/budgets/calibration/", {"packages": upload}).content.decode()
    assert "fewer than 30" in page
    assert ">25<" not in page
