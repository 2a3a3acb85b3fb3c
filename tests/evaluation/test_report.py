"""The report shape and its downloads: every figure in the CSV, the spreadsheet and the PDF
equals the report's, numbers stay numbers, and the page shows charts accessibly."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.template.loader import render_to_string
from openpyxl import load_workbook
from pypdf import PdfReader

from selfdirect.evaluation.report import (
    CSV_HEADER,
    SUPPRESSED,
    Report,
    Section,
    Table,
    bar_chart,
    report_csv,
    report_dict,
    report_pdf,
    report_response,
    report_xlsx,
)

OUTCOMES = Table(
    caption="Table 1: Odds ratios by way of holding",
    headers=("Outcome", "People", "Odds ratio", "p"),
    rows=(
        ("Being as independent as you want", 412, 2.3456, 0.0012),
        ("=SUM(A1:A9) dignity", 38, 0.5, 0.41),
        ("Getting the support you need", SUPPRESSED, None, None),
    ),
    places=(None, None, 2, 3),
    notes=("Cells with fewer than 5 people are suppressed ([c]).",),
)
EASE = Table(
    caption="Ease of each step",
    headers=("Step", "Easy (%)"),
    rows=(("Finding out", 61.25), ("Choosing", 48.0)),
    places=(None, 1),
)
REPORT = Report(
    title="Outcomes of personal budgets",
    subtitle="POET holders' survey, version 1",
    notes=("Uses placeholder ASCOT weights.", "Answers from 5 or more people only."),
    sections=(
        Section(heading="Odds ratios", paragraphs=("How it was worked out.",), tables=(OUTCOMES,)),
        Section(
            heading="Process",
            tables=(EASE,),
            charts=(
                bar_chart(
                    title="Share finding each step easy",
                    description="One bar per step.",
                    items=[("Finding out", 61.25), ("Choosing", 48.0)],
                    places=1,
                ),
            ),
        ),
    ),
)


def _figures(report: Report) -> list[tuple[str, str, object, str, object]]:
    out = []
    for section in report.sections:
        for table in section.tables:
            for row in table.rows:
                for header, value in zip(table.headers[1:], row[1:], strict=True):
                    out.append((section.heading, table.caption, row[0], header, value))
    return out


def test_the_csv_has_every_figure_of_the_report_as_a_number() -> None:
    rows = list(csv.reader(io.StringIO(report_csv(REPORT))))
    assert tuple(rows[0]) == CSV_HEADER
    assert rows[1] == ["Notes", "", "", "covers", REPORT.subtitle]
    notes = [r[4] for r in rows[1:] if r[0] == "Notes" and r[3] == "note"]
    assert notes == [*REPORT.notes, *OUTCOMES.notes]
    cells = [r for r in rows[1:] if r[0] != "Notes"]
    expected = _figures(REPORT)
    assert len(cells) == len(expected) == 11
    for got, (section, caption, label, header, value) in zip(cells, expected, strict=True):
        assert got[:4] == [section, caption, str(label).replace("=", "'=", 1), header]
        if isinstance(value, float):
            assert float(got[4]) == value  # the full number, not the page's rounding
        else:
            assert got[4] == ("" if value is None else str(value))


def test_a_formula_in_a_label_is_neutralised_in_the_csv() -> None:
    assert "'=SUM(A1:A9) dignity" in report_csv(REPORT)
    assert "\n=SUM" not in report_csv(REPORT)


def test_the_spreadsheet_has_a_sheet_per_table_with_numbers_as_numbers() -> None:
    book = load_workbook(io.BytesIO(report_xlsx(REPORT)))
    assert book.sheetnames[0] == "About"
    about = [c for row in book["About"].iter_rows(values_only=True) for c in row if c]
    assert REPORT.title in about and "Uses placeholder ASCOT weights." in about
    assert len(book.sheetnames) == 3
    for name, (_, table) in zip(book.sheetnames[1:], REPORT.tables(), strict=True):
        sheet = list(book[name].iter_rows(values_only=True))
        assert sheet[0][0] == table.caption
        assert tuple(sheet[1]) == table.headers
        body = sheet[2 : 2 + len(table.rows)]
        for got, row in zip(body, table.rows, strict=True):
            for g, want in zip(got[1:], row[1:], strict=True):
                assert g == want
                if isinstance(want, int | float):
                    assert isinstance(g, int | float)
    first = list(book[book.sheetnames[1]].iter_rows(values_only=True))
    assert first[3][0] == "'=SUM(A1:A9) dignity"
    assert first[-1][0] == OUTCOMES.notes[0]


def test_the_pdf_shows_every_figure_as_the_page_does() -> None:
    pdf = report_pdf(REPORT)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    for shown in ("2.35", "0.001", "0.50", "0.410", "412", "61.2", "48.0", SUPPRESSED):
        assert shown in text
    assert "Uses placeholder ASCOT weights." in text
    assert "Table 1: Odds ratios by way of holding" in text


def test_the_page_puts_each_table_in_a_scrolling_region_and_each_chart_with_a_title() -> None:
    html = render_to_string("evaluation/_report.html", {"report": REPORT})
    assert html.count('class="sd-table-scroll" role="region"') == 2
    assert (
        '<title id="share-finding-each-step-easy-title">Share finding each step easy</title>'
        in html
    )
    assert '<desc id="share-finding-each-step-easy-desc">One bar per step.</desc>' in html
    assert "61.2%" in html  # the bar's value in words, as well as its length
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2.35</td>' in html
    assert '<th scope="row" class="govuk-table__header">Finding out</th>' in html
    assert "Uses placeholder ASCOT weights." in html


def test_bars_are_proportional_to_their_values() -> None:
    chart = bar_chart(title="T", description="D", items=[("a", 80.0), ("b", 40.0), ("c", 0.0)])
    widths = [b.width for b in chart.bars]
    assert widths[0] == 2 * widths[1] and widths[2] == 0 and widths[0] > 0
    fixed = bar_chart(title="T", description="D", items=[("a", 50.0)], maximum=100.0)
    assert fixed.bars[0].width == widths[0] // 2


def test_the_json_form_keeps_numbers_and_drops_non_finite_ones() -> None:
    report = Report(
        title="R",
        sections=(
            Section(
                heading="S",
                tables=(
                    Table(caption="C", headers=("a", "b"), rows=(("x", float("inf")), ("y", 3))),
                ),
            ),
        ),
    )
    data = json.loads(json.dumps(report_dict(report)))
    assert data["sections"][0]["tables"][0]["rows"] == [["x", None], ["y", 3]]
    assert report_dict(REPORT)["sections"][0]["tables"][0]["rows"][0][2] == 2.3456


def test_a_row_with_the_wrong_number_of_cells_is_refused() -> None:
    with pytest.raises(ValueError, match="2 cells for 3 columns"):
        Table(caption="C", headers=("a", "b", "c"), rows=(("x", 1),))


def test_downloads_are_attachments_named_after_the_report() -> None:
    for fmt, kind in (("csv", "text/csv"), ("xlsx", "spreadsheetml"), ("pdf", "application/pdf")):
        response = report_response(REPORT, fmt)
        assert kind in response["Content-Type"]
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="outcomes-of-personal-budgets.{fmt}"'
        )
