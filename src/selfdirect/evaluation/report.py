"""One shape for every analysis report, and its downloads (decision 0049,
docs/evaluation-guide.md).

A ``Report`` has a title, notes that must travel with its figures ("uses placeholder ASCOT
weights", "cells with fewer than 5 people are suppressed"), and sections; a section has
paragraphs, tables and optional bar charts. Table cells keep numbers as numbers (``int`` or
``float``), so the CSV and the spreadsheet carry the figures themselves, and the page and the
PDF format them with each column's number of decimal places.

The same report is

- a GOV.UK page, through the include ``evaluation/_report.html`` (every table in an
  ``sd-table-scroll`` region, every chart an SVG with a title, a description and the same
  figures in a table);
- a section's scatter and line charts (``Figure``: the cost-effectiveness plane and
  acceptability curve) are drawn by one SVG include each, the same on the page and in the
  PDF, each with its caption and, beside it, the table holding its figures (``blocks``);
- a CSV (``report_csv``): one line per table cell, ``section, table, row, column, value``, the
  notes first, every cell made safe by ``selfdirect.csv_export``;
- a spreadsheet (``report_xlsx``, openpyxl): a sheet of notes, then one sheet per table;
- a PDF (``report_pdf``, WeasyPrint through ``selfdirect.pdf``);
- a JSON-ready dict (``report_dict``) for ``manage.py survey_report --format json``.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.template.loader import render_to_string
from django.utils.text import slugify

from selfdirect.csv_export import csv_text

if TYPE_CHECKING:
    from django.http import HttpResponse

Cell = str | int | float | None

# What a suppressed cell shows, in every format (the ONS convention for "confidential").
SUPPRESSED = "[c]"
CSV_HEADER = ("section", "table", "row", "column", "value")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME_MAX = 31
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")

CHART_WIDTH = 720
CHART_LABEL_WIDTH = 300
CHART_VALUE_SPACE = 90
CHART_BAR_HEIGHT = 26
CHART_ROW = 40


@dataclass(frozen=True)
class Table:
    """A table of figures. The first cell of each row names the row. ``places`` gives, per
    column, the decimal places a float is shown with on the page and in the PDF (``None``:
    shown as it is); the downloads keep the full number."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    places: tuple[int | None, ...] = ()
    notes: tuple[str, ...] = ()
    # False: too long to read on a page (e.g. every odds ratio with its interval and p), so
    # only in the downloads; the page says so.
    on_page: bool = True

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.headers):
                raise ValueError(
                    f"{self.caption}: a row has {len(row)} cells for {len(self.headers)} columns"
                )

    def place(self, column: int) -> int | None:
        return self.places[column] if column < len(self.places) else None

    def numeric_columns(self) -> list[bool]:
        """A column is numeric (right-aligned) when every filled cell in it is a number or
        suppressed, and at least one is a number."""
        result = []
        for c in range(len(self.headers)):
            values = [row[c] for row in self.rows if row[c] not in (None, "", SUPPRESSED)]
            result.append(
                bool(values) and all(isinstance(v, int | float) for v in values) and c > 0
            )
        return result

    def shown(self, column: int, value: Cell) -> str:
        return cell_text(value, self.place(column))

    def display_rows(self) -> list[list[dict[str, Any]]]:
        """The rows as the page and the PDF show them: text and whether it is a number."""
        numeric = self.numeric_columns()
        return [
            [
                {"text": self.shown(c, value), "numeric": numeric[c], "first": c == 0}
                for c, value in enumerate(row)
            ]
            for row in self.rows
        ]

    def display_headers(self) -> list[dict[str, Any]]:
        numeric = self.numeric_columns()
        return [{"text": h, "numeric": numeric[c]} for c, h in enumerate(self.headers)]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    # Geometry, worked out by bar_chart.
    y: int = 0
    width: int = 0


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart; the same figures are always in a table beside it."""

    title: str
    description: str
    bars: tuple[Bar, ...]
    width: int = CHART_WIDTH
    height: int = 0
    label_width: int = CHART_LABEL_WIDTH

    def slug(self) -> str:
        return slugify(self.title)[:60] or "chart"


class Figure(Protocol):
    """A scatter or line chart of a section (e.g. ``ibsen_report.Plane``): its SVG include
    draws it on the page and in the PDF alike, and ``table`` is the caption of the section's
    table that holds the same figures."""

    @property
    def title(self) -> str: ...

    @property
    def description(self) -> str: ...

    @property
    def template(self) -> str: ...

    @property
    def table(self) -> str: ...


@dataclass(frozen=True)
class Block:
    """What the page and the PDF show next: a figure with its table beside it, or a table."""

    figure: Figure | None
    table: Table | None


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    figures: tuple[Figure, ...] = ()

    def page_tables(self) -> list[Table]:
        return [t for t in self.tables if t.on_page]

    def blocks(self) -> list[Block]:
        """The section's tables shown on a page, in order, each figure put beside the table
        of its figures (a figure whose table is not shown comes first, on its own)."""
        tables = self.page_tables()
        captions = {t.caption for t in tables}
        out = [Block(f, None) for f in self.figures if f.table not in captions]
        for table in tables:
            mine = [f for f in self.figures if f.table == table.caption]
            out.extend(Block(f, table if i == len(mine) - 1 else None) for i, f in enumerate(mine))
            if not mine:
                out.append(Block(None, table))
        return out

    def download_only(self) -> list[Table]:
        return [t for t in self.tables if not t.on_page]


@dataclass(frozen=True)
class Report:
    title: str
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = ()
    subtitle: str = ""
    slug: str = field(default="")

    def filename(self, extension: str) -> str:
        return f"{self.slug or slugify(self.title) or 'report'}.{extension}"

    def tables(self) -> list[tuple[Section, Table]]:
        return [(section, table) for section in self.sections for table in section.tables]


def cell_text(value: Cell, places: int | None = None) -> str:
    """A cell as the page shows it: whole numbers with thousands separators, floats to the
    column's places, blanks empty, text as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if math.isinf(value):
            return "infinite" if value > 0 else "minus infinite"
        if places is None:
            return f"{value:,}"
        return f"{value:,.{places}f}"
    return str(value)


def bar_chart(
    *,
    title: str,
    description: str,
    items: Sequence[tuple[str, float]],
    unit: str = "%",
    places: int = 0,
    maximum: float | None = None,
) -> Chart:
    """Bars for ``items`` (label, value), scaled to ``maximum`` (default the largest value);
    each bar carries its value as text so the chart reads without colour."""
    top = maximum if maximum is not None else max((v for _, v in items), default=0.0)
    top = top if top > 0 else 1.0
    space = CHART_WIDTH - CHART_LABEL_WIDTH - CHART_VALUE_SPACE
    bars = tuple(
        Bar(
            label=label,
            value=value,
            text=f"{value:,.{places}f}{unit}",
            y=8 + i * CHART_ROW,
            width=max(0, round(max(value, 0.0) * space / top)),
        )
        for i, (label, value) in enumerate(items)
    )
    return Chart(
        title=title,
        description=description,
        bars=bars,
        height=16 + CHART_ROW * len(bars),
    )


def report_rows(report: Report) -> list[tuple[Cell, ...]]:
    """Every figure of the report as ``section, table, row, column, value`` (first what the
    report covers, column ``covers``, and its notes, column ``note``)."""
    out: list[tuple[Cell, ...]] = (
        [("Notes", "", "", "covers", report.subtitle)] if report.subtitle else []
    )
    out.extend(("Notes", "", "", "note", note) for note in report.notes)
    for section, table in report.tables():
        out.extend(("Notes", table.caption, "", "note", note) for note in table.notes)
        for row in table.rows:
            label = row[0]
            for header, value in zip(table.headers[1:], row[1:], strict=True):
                out.append((section.heading, table.caption, label, header, value))
    return out


def report_csv(report: Report) -> str:
    return csv_text(CSV_HEADER, report_rows(report))


def _sheet_name(index: int, caption: str, used: set[str]) -> str:
    base = SHEET_NAME_BAD.sub(" ", f"{index} {caption}").strip()[:SHEET_NAME_MAX]
    name = base
    n = 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def _xlsx_value(value: Cell) -> Any:
    from selfdirect.csv_export import safe_cell

    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return cell_text(value)
    return safe_cell(value)


def report_xlsx(report: Report) -> bytes:
    """A workbook: the sheet "About" (title, notes, the list of tables), then one sheet per
    table with its caption, headers and rows, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    about = book.active
    assert about is not None  # a new workbook has one sheet
    about.title = "About"
    about.append([report.title])
    about["A1"].font = Font(bold=True, size=14)
    if report.subtitle:
        about.append([report.subtitle])
    about.append([])
    about.append(["Notes"])
    for note in report.notes:
        about.append([_xlsx_value(note)])
    about.append([])
    about.append(["Sheet", "Section", "Table"])
    used = {"about"}
    for index, (section, table) in enumerate(report.tables(), start=1):
        name = _sheet_name(index, table.caption, used)
        about.append([name, _xlsx_value(section.heading), _xlsx_value(table.caption)])
        sheet = book.create_sheet(name)
        sheet.append([_xlsx_value(table.caption)])
        sheet["A1"].font = Font(bold=True)
        sheet.append([_xlsx_value(h) for h in table.headers])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_xlsx_value(v) for v in row])
        for note in table.notes:
            sheet.append([_xlsx_value(note)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_html(report: Report) -> str:
    """The printable page the PDF is made from."""
    return render_to_string("evaluation/report_pdf.html", {"report": report})


def report_pdf(report: Report) -> bytes:
    from selfdirect.pdf import pdf_from_html

    return pdf_from_html(report_html(report))


def _json_cell(value: Cell) -> Cell:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def report_dict(report: Report) -> dict[str, Any]:
    """The report as plain data for JSON (non-finite numbers become null)."""
    return {
        "title": report.title,
        "subtitle": report.subtitle,
        "notes": list(report.notes),
        "sections": [
            {
                "heading": section.heading,
                "paragraphs": list(section.paragraphs),
                "tables": [
                    {
                        "caption": table.caption,
                        "headers": list(table.headers),
                        "rows": [[_json_cell(v) for v in row] for row in table.rows],
                        "notes": list(table.notes),
                    }
                    for table in section.tables
                ],
            }
            for section in report.sections
        ],
    }


DOWNLOAD_FORMATS = ("csv", "xlsx", "pdf")


def report_response(report: Report, fmt: str) -> HttpResponse:
    """The report downloaded as ``fmt`` (one of DOWNLOAD_FORMATS). Without WeasyPrint's
    system libraries the PDF answers 503 with a plain message, never a 500."""
    from django.http import HttpResponse

    from selfdirect.csv_export import csv_download
    from selfdirect.pdf import PdfUnavailable, pdf_response, pdf_unavailable_response

    if fmt == "csv":
        response = csv_download(report.filename("csv"))
        response.write(report_csv(report))
        return response
    if fmt == "xlsx":
        response = HttpResponse(report_xlsx(report), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{report.filename("xlsx")}"'
        return response
    if fmt == "pdf":
        try:
            pdf = report_pdf(report)
        except PdfUnavailable as unavailable:
            return pdf_unavailable_response(unavailable)
        response = pdf_response(pdf, report.filename("pdf"))
        response["Content-Disposition"] = f'attachment; filename="{report.filename("pdf")}"'
        return response
    raise ValueError(f"No download format {fmt!r}")
