"""The cost-effectiveness plane and acceptability curve in the PDF, drawn by the same SVG
includes as the page: read back from the PDF's own drawing operators (every bootstrap
replication a dot where the page puts it, the ICER marked, the axes through 0), with their
captions and axis labels as text and the table of their figures laid out beside them.

The data set is tests/evaluation/test_ibsen_records.py's ten people (direct payment £100.00
a week, ASCOT 4.57; council-arranged £150.00, ASCOT 2.28)."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from selfdirect.access.roles import Role
from selfdirect.evaluation import costs, ibsen_report
from selfdirect.evaluation.report import report_html
from tests.evaluation.test_ibsen_records import _build

BLUE = (0.113725, 0.439216, 0.721569)  # #1d70b8, the replications' dots
REPLICATION_RADIUS = 1.5
ICER_RADIUS = 6.0


@dataclass(frozen=True)
class Circle:
    x: float
    y: float
    r: float
    fill: tuple[float, ...]
    paint: str


def drawn_circles(pdf: bytes) -> list[Circle]:
    """Every circle the PDF draws: WeasyPrint draws an SVG circle as a path of four Bézier
    curves from (cx + r, cy), in the SVG's own units, painted with the last fill colour."""
    circles = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        lines = page.get_contents().get_data().decode("latin-1").splitlines()
        fill: tuple[float, ...] = ()
        for i, line in enumerate(lines):
            if line.endswith(" rg"):
                fill = tuple(float(v) for v in line.split()[:3])
            elif (
                line.endswith(" m")
                and i + 6 < len(lines)
                and all(lines[i + k].endswith(" c") for k in range(1, 5))
                and lines[i + 5] == "h"
            ):
                x, y = (float(v) for v in line.split()[:2])
                end_x = float(lines[i + 1].split()[4])
                r = round(x - end_x, 3)
                circles.append(Circle(round(x - r, 1), round(y, 1), r, fill, lines[i + 6]))
    return circles


def drawn_polylines(pdf: bytes) -> list[list[tuple[float, float]]]:
    """Every open path of straight lines (m, then l...) the PDF strokes."""
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        lines = page.get_contents().get_data().decode("latin-1").splitlines()
        i = 0
        while i < len(lines):
            if lines[i].endswith(" m"):
                points = [tuple(float(v) for v in lines[i].split()[:2])]
                j = i + 1
                while j < len(lines) and lines[j].endswith(" l"):
                    points.append(tuple(float(v) for v in lines[j].split()[:2]))
                    j += 1
                if len(points) > 2 and j < len(lines) and lines[j] in ("S", "B"):
                    out.append([(round(x, 1), round(y, 1)) for x, y in points])
                i = j
            else:
                i += 1
    return out


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _same(fill: tuple[float, ...], colour: tuple[float, ...]) -> bool:
    return len(fill) == 3 and all(abs(a - b) < 1e-5 for a, b in zip(fill, colour, strict=True))


def _commissioner(council: Any) -> Client:
    client = Client()
    client.force_login(council.users[Role.COMMISSIONER])
    return client


@pytest.mark.django_db
def test_the_pdf_draws_each_plane_and_curve_as_the_page_does(council: Any) -> None:
    _build(council)
    client = _commissioner(council)
    response = client.get(reverse("ibsen:cost_effectiveness_download", kwargs={"fmt": "pdf"}))
    assert response.status_code == 200
    pdf = response.content
    report, results = ibsen_report.cost_effectiveness_for(
        on=timezone.localdate(), source=costs.PLAN, synthetic=False
    )
    assert [r.effect_name for r in results] == [ibsen_report.ASCOT_NAME, ibsen_report.GHQ_REVERSED]
    figures = [f for s in report.sections for f in s.figures]
    planes = [f for f in figures if isinstance(f, ibsen_report.Plane)]
    curves = [f for f in figures if isinstance(f, ibsen_report.Curve)]
    assert len(planes) == len(curves) == 2

    text = pdf_text(pdf)
    # The resamples the report says it drew, and the quadrant table's counts of them.
    shown = int(re.search(r"Bootstrap: ([\d,]+) replications", text)[1].replace(",", ""))
    assert shown == costs.REPLICATIONS
    for name in (ibsen_report.ASCOT_NAME, "GHQ-12"):
        # The plane's caption, its axis labels and its legend; the curve's likewise.
        assert f"Cost-effectiveness plane: {name}" in text
        assert f"Cost-effectiveness acceptability curve: {name}" in text
    assert text.count("Difference in weekly cost (Direct payment - Council-arranged)") == 2
    assert "Difference in ASCOT current score (up: better)" in text
    assert "Difference in GHQ-12 (0-12, reverse-signed: higher is better) (up: better)" in (
        text.replace("\n", " ")
    )
    assert text.count("ICER (point estimate)") == 2
    lines = text.splitlines()
    assert lines.count("Willingness to pay a week for one point") == 2
    assert lines.count("Probability cost-effective") == 2
    assert "Cheaper, better" in text and "Dearer, worse" in text

    circles = drawn_circles(pdf)
    dots = [c for c in circles if c.r == REPLICATION_RADIUS and _same(c.fill, BLUE)]
    # Every replication of both planes is a dot, where the page's SVG puts it.
    assert len(dots) == 2 * shown
    assert Counter((c.x, c.y) for c in dots) == Counter(p for f in planes for p in f.points)
    # Each plane marks its ICER (the point estimate), painted with a white outline.
    icers = [c for c in circles if c.r == ICER_RADIUS and c.paint == "B"]
    assert sorted((c.x, c.y) for c in icers) == sorted(f.icer for f in planes)
    # Direct payment is £50.00 a week cheaper and better on ASCOT: left of and above 0.
    ascot = planes[0]
    assert ascot.icer[0] < ascot.origin[0] and ascot.icer[1] < ascot.origin[1]
    # The axes cross at 0 on both scales.
    assert dict((label, x) for x, label in ascot.x_ticks)["£0"] == ascot.origin[0]
    assert dict((label, y) for y, label in ascot.y_ticks)["0.00"] == ascot.origin[1]
    # Each curve is one stroked line through its 21 points, as on the page.
    polylines = drawn_polylines(pdf)
    for curve in curves:
        wanted = [tuple(float(v) for v in step[1:].split(",")) for step in curve.path.split(" ")]
        assert len(wanted) == 21
        assert wanted in polylines


@pytest.mark.django_db
def test_page_and_pdf_draw_the_same_svg(council: Any) -> None:
    """One include draws each chart: the PDF's SVG is the page's, byte for byte."""
    _build(council)
    page = _commissioner(council).get(reverse("ibsen:cost_effectiveness")).content.decode()
    report, _results = ibsen_report.cost_effectiveness_for(
        on=timezone.localdate(), source=costs.PLAN, synthetic=False
    )
    printed = report_html(report)
    svgs = re.compile(
        r"<svg role=\"img\" aria-labelledby=\"((?:plane|curve)-\d)-title.*?</svg>", re.S
    )
    on_page = {m[1]: m[0] for m in svgs.finditer(page)}
    in_pdf = {m[1]: m[0] for m in svgs.finditer(printed)}
    assert sorted(on_page) == ["curve-0", "curve-1", "plane-0", "plane-1"]
    assert on_page == in_pdf
    # On the page too, each chart has its caption and then the table of its figures.
    plane = page.index('aria-labelledby="plane-0-title')
    caption = page.index("<figcaption", plane)
    table = page.index('aria-label="ASCOT current score: replications by quadrant', plane)
    assert plane < caption < table < page.index('aria-labelledby="curve-0-title')


@pytest.mark.django_db
def test_each_chart_in_the_pdf_has_its_table_beside_it(council: Any) -> None:
    from weasyprint import HTML

    _build(council)
    report, _results = ibsen_report.cost_effectiveness_for(
        on=timezone.localdate(), source=costs.PLAN, synthetic=False
    )
    rows = []
    for number, page in enumerate(HTML(string=report_html(report)).render().pages):
        boxes = page._page_box.descendants()
        for box in boxes:
            element = getattr(box, "element", None)
            if element is not None and element.get("class") == "figure-row":
                parts = {
                    (child.element_tag, child.element.get("class")): child
                    for child in box.children
                    if getattr(child, "element", None) is not None
                }
                rows.append((number, parts[("figure", None)], parts[("div", "beside")]))
    assert len(rows) == 4  # two planes and two curves
    captions = []
    for _number, figure, beside in rows:
        # The table starts to the right of the chart, at the chart's top.
        assert beside.position_x >= figure.position_x + figure.width
        assert beside.position_y == figure.position_y
        table = next(b for b in beside.descendants() if getattr(b, "element_tag", "") == "caption")
        captions.append(table.element.text)
    assert captions == [
        "ASCOT current score: replications by quadrant of the plane",
        "ASCOT current score: acceptability curve",
        f"{ibsen_report.GHQ_REVERSED}: replications by quadrant of the plane",
        f"{ibsen_report.GHQ_REVERSED}: acceptability curve",
    ]


def test_the_plane_marks_the_icer_with_the_axes_through_zero() -> None:
    """A hand-made pair of groups: A costs £10 a week more and scores 1 point higher."""
    rng = np.random.default_rng(1)
    n = 40
    cost = np.concatenate([11_000 + rng.normal(0, 500, n), 10_000 + rng.normal(0, 500, n)])
    effect = np.concatenate([3 + rng.normal(0, 0.5, n), 2 + rng.normal(0, 0.5, n)])
    groups = ["A"] * n + ["B"] * n
    result = costs.cost_effectiveness(cost, effect, groups, a="A", b="B", replications=200)
    plane = ibsen_report.plane(result, slug="p")
    assert len(plane.points) == 200
    half = ibsen_report.PLANE_SIZE / 2
    x_span = 1.05 * max(np.abs(result.delta_costs).max(), abs(result.point.delta_cost_pence))
    y_span = 1.05 * max(np.abs(result.delta_effects).max(), abs(result.point.delta_effect))
    cx = cy = ibsen_report.PLANE_PAD + half
    assert plane.origin == (cx, cy)
    assert plane.icer == (
        round(cx + result.point.delta_cost_pence / x_span * half, 1),
        round(cy - result.point.delta_effect / y_span * half, 1),
    )
    # Dearer and better: right of and above the origin (SVG y grows downwards).
    assert plane.icer[0] > cx and plane.icer[1] < cy
    assert "The ICER, the point estimate, is marked at £" in plane.description
    labels = [label for _x, label in plane.x_ticks]
    assert labels[2] == "£0" and labels[0].startswith("-£") and labels[4].startswith("£")


def test_money_on_the_plane_is_written_as_people_write_it() -> None:
    assert ibsen_report._pounds(-602, 2) == "-£6.02"
    assert ibsen_report._pounds(5600) == "£56"
    assert ibsen_report._pounds(-5600) == "-£56"
    assert ibsen_report._pounds(-0.4) == "£0"


@pytest.mark.django_db
def test_the_outcomes_pdf_captions_its_bar_charts(council: Any) -> None:
    _build(council)
    response = _commissioner(council).get(reverse("ibsen:outcomes_download", kwargs={"fmt": "pdf"}))
    text = pdf_text(response.content)
    assert "GHQ-12 score 4 or more by group" in text
    assert "Mean ASCOT current score by group" in text
