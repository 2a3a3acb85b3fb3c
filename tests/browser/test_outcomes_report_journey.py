"""A commissioner opens the POET outcomes report in Chromium, reads its charts and tables,
narrows it to a period (a wrong period shows the error summary) and downloads it as CSV and
as a spreadsheet: zero axe-core violations, and the page works 320 px wide (issue 15, "Done
means")."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from selfdirect.evaluation import synthetic_answers
from tests.browser.conftest import NARROW, assert_accessible, assert_reflows, sign_in
from tests.evaluation.test_outcomes_report import _holder_instrument, _record


def test_a_commissioner_opens_the_outcomes_report_and_downloads_it(
    page: Page, live_server: Any, live_council: Any
) -> None:
    answers = synthetic_answers.holder_answers(120, seed=11)
    _record(_holder_instrument(), answers, timezone.now() - dt.timedelta(days=5))
    dignity = [a for a in answers.items["dignity"] if a not in (None, "NR")]
    positive = round(100 * sum(a in ("4", "5") for a in dignity) / len(dignity), 1)

    sign_in(page, live_server.url, "commissioner")
    page.get_by_role("link", name="Outcomes").first.click()
    expect(page.locator("h1")).to_have_text("Outcomes of personal budgets: budget holders")
    expect(page.get_by_role("img", name="Positive impact by area of life")).to_be_visible()
    expect(page.get_by_role("img", name="Share finding each step difficult")).to_be_visible()
    impact = page.get_by_role("table", name="Difference the budget made, by area of life")
    expect(impact).to_contain_text(f"{positive:.1f}")
    expect(
        page.get_by_role("table", name="Table 6: What the budget is spent on and positive impacts")
    ).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size(NARROW)
    assert_reflows(page)
    assert_accessible(page)

    # A period that ends before it starts: the error summary, and no report.
    page.get_by_role("group", name="From (optional)").get_by_label("Day").fill("1")
    page.get_by_role("group", name="From (optional)").get_by_label("Month").fill("5")
    page.get_by_role("group", name="From (optional)").get_by_label("Year").fill("2026")
    page.get_by_role("group", name="To (optional)").get_by_label("Day").fill("1")
    page.get_by_role("group", name="To (optional)").get_by_label("Month").fill("4")
    page.get_by_role("group", name="To (optional)").get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Show the report").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text(
        "The end of the period must be on or after its start"
    )
    assert_accessible(page)
    assert_reflows(page)

    # Leaving out proxy answers narrows the report; the downloads follow the choice.
    page.goto(f"{live_server.url}/evaluation/outcomes/")
    page.get_by_label("Leave out answers given by someone else").check()
    page.get_by_role("button", name="Show the report").click()
    expect(page.get_by_text("proxy answers left out")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Every table (CSV, one figure a line)").click()
    assert download.value.suggested_filename == "outcomes-holders.csv"
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    total = next(r for r in rows if r[2] == "All responses")
    assert total[4] == str(len(answers.answered_by) - answers.answered_by.count("proxy"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Every table (spreadsheet)").click()
    assert download.value.suggested_filename == "outcomes-holders.xlsx"
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"  # a zip: an .xlsx workbook
