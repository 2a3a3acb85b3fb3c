"""A commissioner opens the market oversight dashboard in Chromium, reads its chart and
tables and downloads every table as one CSV file: zero axe-core violations, and the page
works 320 px wide (wide tables scroll inside their own region)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, assert_reflows, sign_in
from tests.market.test_dashboard import _market_build


def test_a_commissioner_reads_the_market_and_downloads_its_tables(
    page: Page, live_server: Any, live_council: Any
) -> None:
    _market_build(live_council)  # plans in force this year, providers and searches
    sign_in(page, live_server.url, "commissioner")
    page.get_by_role("link", name="Market oversight").click()
    expect(page.locator("h1")).to_have_text("Market oversight")
    expect(page.get_by_role("img", name="Spend by IBSEN category")).to_be_visible()
    for name in (
        "Spend by IBSEN category",
        "Spend by provider",
        "Spend by way of holding",
        "People each provider supports now",
        "Reasons for switching",
        "Searches that found few services",
    ):
        expect(page.get_by_role("table", name=name)).to_be_visible()
    expect(page.get_by_role("table", name="Spend by provider")).to_contain_text("Kindred Care")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_reflows(page)
    assert_accessible(page)
    page.set_viewport_size({"width": 1200, "height": 900})
    with page.expect_download() as download:
        page.get_by_role("link", name="Download every table (CSV)").click()
    assert download.value.suggested_filename.startswith("market-")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    sections = {r["section"] for r in rows}
    assert {"Spend by provider", "Spend by IBSEN category", "People per provider"} <= sections
    providers = {r["label"] for r in rows if r["section"] == "People per provider"}
    assert providers == {"Acme Care", "Kindred Care"}
