"""Calibration: fitted prices, fit statistics and outliers, on the documented sample."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from selfdirect.access.roles import Role
from selfdirect.allocation.calibration import calibrate, packages_load
from selfdirect.allocation.engine import Engine
from selfdirect.allocation.ras_file import RasFileError, ras_parse, ras_to_file

DOCS = Path(__file__).resolve().parents[2] / "docs" / "samples"
RAS = ras_parse(json.loads((DOCS / "ras-example.json").read_text()))
SAMPLE = (DOCS / "historic-packages.csv").read_text()


def test_exact_costs_recover_the_prices_that_made_them() -> None:
    truth = replace(
        RAS,
        price_per_point_pence=(
            ("learning_disability", 450),
            ("mental_health", 280),
            ("older_people", 350),
            ("physical_disability", 380),
        ),
        rounding_pence=1,
    )
    refs, inputs, _actual = packages_load(SAMPLE, RAS)
    exact = Engine(truth).allocate(inputs).weekly_pence
    result = calibrate(RAS, refs, inputs, exact)
    fitted = dict(result.fitted.price_per_point_pence)
    for group, price in truth.price_per_point_pence:
        assert abs(fitted[group] - price) <= 1, group  # only the floor can pull a penny
    assert all(f.outliers == 0 and f.r_squared in ("1.00", "0.99") for f in result.fits)


def test_documented_sample_fit_and_outliers() -> None:
    refs, inputs, actual = packages_load(SAMPLE, RAS)
    result = calibrate(RAS, refs, inputs, actual)
    by_group = {f.group: f for f in result.fits}
    assert {
        g: (f.people, f.price_fitted_pence, f.r_squared, f.median_abs_percent_error, f.outliers)
        for g, f in by_group.items()
    } == {
        "older_people": (70, 369, "0.77", "8.73%", 2),
        "physical_disability": (60, 397, "0.88", "6.24%", 1),
        "learning_disability": (45, 437, "0.97", "7.49%", 1),
        "mental_health": (25, 290, "0.99", "10.71%", 0),
    }
    # The four packages planted at three times their cost are the outliers found.
    planted = {f"H{i + 1:04d}" for i in range(200) if i % 50 == 7}
    assert {r for r, o in zip(result.refs, result.outlier, strict=True) if o} == planted
    assert result.fitted.version == RAS.version + 1


def test_the_fitted_ras_round_trips_through_the_file_format(tmp_path: Path) -> None:
    out = tmp_path / "fitted.json"
    call_command(
        "ras_calibrate",
        ras=str(DOCS / "ras-example.json"),
        packages=str(DOCS / "historic-packages.csv"),
        out=str(out),
        stdout=io.StringIO(),
    )
    fitted = ras_parse(json.loads(out.read_text()))
    assert dict(fitted.price_per_point_pence)["older_people"] == 369
    assert ras_parse(ras_to_file(RAS)).content_hash == RAS.content_hash


def test_bad_packages_name_the_line() -> None:
    with pytest.raises(RasFileError, match="line 1: missing column actual_weekly_pence"):
        packages_load("person_ref,user_group\n", RAS)
    lines = SAMPLE.splitlines()
    broken = "\n".join([lines[0], lines[1].rsplit(",", 1)[0] + ",lots"])
    with pytest.raises(
        RasFileError, match="line 2, actual_weekly_pence: must be a whole number of pence"
    ):
        packages_load(broken, RAS)
    assert np.array_equal(
        packages_load(SAMPLE, RAS)[2][:1], np.array([int(lines[1].rsplit(",", 1)[1])])
    )


@pytest.mark.django_db
def test_calibration_page_for_commissioners(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.COMMISSIONER])
    assert (
        "Select a CSV file of packages" in client.post("/budgets/calibration/", {}).content.decode()
    )
    upload = SimpleUploadedFile("packages.csv", SAMPLE.encode(), content_type="text/csv")
    page = client.post("/budgets/calibration/", {"packages": upload}).content.decode()
    assert "Fit by user group" in page and "£3.69" in page and "8.73%" in page
    assert "H0008" in page  # an outlier, listed
    client.force_login(council.users[Role.PRACTITIONER])
    assert client.get("/budgets/calibration/").status_code == 403
