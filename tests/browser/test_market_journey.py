"""A commissioner opens the market oversight dashboard in Chromium, reads its chart and
tables, chooses a period (a wrong one is named on its field first) and downloads every
table for that period as one CSV file: zero axe-core violations, and the page works 320 px
wide (wide tables scroll inside their own region)."""

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
        "People each provider supports on the last day",
        "Paid into budgets, by way of holding",
        "Paid to providers on their invoices",
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
    # Choose 2025 by typing its dates; a last day before the first is named first.
    for field, value in (("start", ("1", "1", "2025")), ("end", ("31", "12", "2024"))):
        for part, text in zip(("day", "month", "year"), value, strict=True):
            page.locator(f"#id_{field}_{part}").fill(text)
    page.get_by_role("button", name="Show this period").click()
    expect(page).to_have_title("Error: Market oversight – Selfdirect")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The last day must be the same as or after the first day")
    assert_accessible(page)
    page.locator("#id_end_year").fill("2025")
    page.get_by_role("button", name="Show this period").click()
    expect(page.locator("#period-shown")).to_contain_text("from 1 January 2025 to 31 December 2025")
    page.set_viewport_size({"width": 320, "height": 800})
    assert_reflows(page)
    assert_accessible(page)
    page.set_viewport_size({"width": 1200, "height": 900})
    with page.expect_download() as download:
        page.get_by_role("link", name="Download every table (CSV)").click()
    assert download.value.suggested_filename == "market-2025-01-01-to-2025-12-31.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    sections = {r["section"] for r in rows}
    assert {"Spend by provider", "Spend by IBSEN category", "People per provider"} <= sections
    providers = {r["label"] for r in rows if r["section"] == "People per provider"}
    assert providers == {"Acme Care", "Kindred Care"}
    assert rows[0]["section"] == "Period" and rows[0]["label"] == "2025-01-01 to 2025-12-31"
    # The hand-worked council's plan spend for 2025 (tests/market/test_dashboard.py).
    total = next(r for r in rows if r["label"] == "Spend committed in plans")
    assert total["pence"] == "1257643"
