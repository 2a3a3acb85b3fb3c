"""A provider submits an Individual Service Fund statement from its home page (issue 13,
"Done means"), in Chromium at 320 px: the people it supports and what it delivers, the
statements due, a period ending in the future refused on the end date, the statement sent
and listed; then one person's page and the guide. Zero axe-core violations on every page,
no sideways scrolling."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, assert_reflows, sign_in
from tests.portal.test_provider_pages import START, _isf, _plan


def _check(page: Page) -> None:
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    assert_reflows(page)


def _date(page: Page, legend: str, on: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(on.day))
    group.get_by_label("Month").fill(str(on.month))
    group.get_by_label("Year").fill(str(on.year))


def test_a_provider_sends_a_statement_from_its_home_page(
    page: Page, live_server: Any, live_council: Any
) -> None:
    _isf(live_council, _plan(live_council))
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, live_server.url, "provider")
    _check(page)
    page.get_by_role("link", name="The people you support").click()
    expect(page.locator("h1")).to_have_text("The people you support")
    expect(page.locator("main")).to_contain_text("Home care visits")
    expect(page.locator("main")).to_contain_text("I want to stay living in my own home")
    _check(page)
    page.get_by_role("link", name="Statements to send: 2").click()
    expect(page.locator("h1")).to_have_text("Statements for the budgets you hold")
    _check(page)
    page.get_by_role("link", name=re.compile(f"Send the statement for {START:%-d %B %Y}")).click()
    expect(page.locator("h1")).to_have_text("Send a statement")
    _check(page)
    # A period that ends tomorrow is refused, on the end date, and nothing is sent.
    _date(page, "End of the period", dt.date.today() + dt.timedelta(days=1))
    page.get_by_label("Adult social care: received (£)").fill("140.00")
    page.get_by_label("Adult social care: spent (£)").fill("120.00")
    page.get_by_role("button", name="Send the statement").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The end of the period must be today or in the past"
    )
    _check(page)
    _date(page, "End of the period", START + dt.timedelta(days=27))
    page.get_by_role("button", name="Send the statement").click()
    expect(page.locator("h1")).to_have_text("Statements for the budgets you hold")
    expect(page.locator("main")).to_contain_text("£20.00 paid back to the council")
    expect(page.get_by_role("link", name=re.compile("Send the statement for"))).to_have_count(1)
    _check(page)
    page.get_by_role("link", name="Back to the people you support").click()
    page.get_by_role("link", name="Ada Holder").click()
    expect(page.locator("h1")).to_have_text("What you deliver for Ada Holder")
    _check(page)
    page.get_by_role("link", name="Back to the people you support").click()
    page.get_by_role("link", name="Read the guide for providers").click()
    expect(page.locator("h1")).to_have_text("Guide for providers")
    _check(page)
