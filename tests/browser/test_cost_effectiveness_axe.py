"""A commissioner opens the IBSEN outcomes report and the cost-effectiveness report in
Chromium, on the council's own answers and on the synthetic demonstration data: zero
axe-core violations, the charts are named images, and the pages work 320 px wide (wide
tables scroll inside their own region)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, assert_reflows, sign_in
from tests.evaluation.test_ibsen_records import _build


def _check(page: Page) -> None:
    page.set_viewport_size({"width": 1200, "height": 900})
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_reflows(page)
    assert_accessible(page)
    page.set_viewport_size({"width": 1200, "height": 900})


def test_a_commissioner_reads_the_ibsen_and_cost_effectiveness_reports(
    page: Page, live_server: Any, live_council: Any
) -> None:
    _build(live_council)
    sign_in(page, live_server.url, "commissioner")
    page.goto(f"{live_server.url}/evaluation/ibsen/")
    expect(page.locator("h1")).to_have_text("IBSEN outcomes by group")
    expect(page.get_by_text("placeholder preference weights")).to_be_visible()
    expect(page.get_by_role("img", name="Mean ASCOT current score by group")).to_be_visible()
    expect(
        page.get_by_role(
            "table",
            name="IBSEN measures by direct payment or council-arranged: all answers",
        )
    ).to_contain_text("ASCOT current score")
    _check(page)

    page.goto(f"{live_server.url}/evaluation/cost-effectiveness/")
    expect(page.locator("h1")).to_have_text("Cost-effectiveness by way of holding")
    expect(page.get_by_text("Direct payment dominates").first).to_be_visible()
    expect(
        page.get_by_role("img", name="Cost-effectiveness plane: ASCOT current score")
    ).to_be_visible()
    expect(
        page.get_by_role("img", name="Cost-effectiveness acceptability curve: ASCOT current score")
    ).to_be_visible()
    expect(
        page.get_by_role("table", name="ASCOT current score: acceptability curve")
    ).to_be_visible()
    _check(page)

    page.get_by_role("link", name="Show demonstration figures from synthetic data").click()
    expect(page.get_by_text("These are demonstration figures from synthetic data")).to_be_visible()
    expect(
        page.get_by_role("table", name="ASCOT current score: replications by quadrant of the plane")
    ).to_contain_text("Cheaper and better")
    _check(page)
