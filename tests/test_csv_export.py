"""Every CSV the product writes neutralises cells that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from selfdirect.csv_export import csv_response, csv_text, safe_cell

SAMPLES = Path(__file__).resolve().parents[1] / "docs" / "samples"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 1234", "'+44 1234"),
        ("-£12.00", "'-£12.00"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Older people", "Older people"),
        ("", ""),
        (None, ""),
        (-1200, -1200),
        (Decimal("-12.00"), Decimal("-12.00")),
    ],
)
def test_safe_cell_quotes_text_that_starts_like_a_formula(value: object, written: object) -> None:
    assert safe_cell(value) == written


def test_csv_text_and_response_make_every_cell_safe() -> None:
    text = csv_text(["a", "=b"], [["=1+1", -5]])
    assert list(csv.reader(io.StringIO(text))) == [["a", "'=b"], ["'=1+1", "-5"]]
    response = csv_response("x.csv", ["a"], [["@x"]])
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.content.decode("utf-8-sig").splitlines() == ["a", "'@x"]


def test_ras_allocate_output_neutralises_a_reference_like_a_formula(tmp_path: Path) -> None:
    answers = (SAMPLES / "ras-answers-example.csv").read_text().replace("R001", "=1+2", 1)
    source, out = tmp_path / "answers.csv", tmp_path / "out.csv"
    source.write_text(answers)
    call_command(
        "ras_allocate",
        ras=str(SAMPLES / "ras-example.json"),
        answers=str(source),
        out=str(out),
        stdout=io.StringIO(),
    )
    refs = [row["person_ref"] for row in csv.DictReader(out.open(newline=""))]
    assert refs[0] == "'=1+2"
