"""A provider sends an invoice on the page and finance approves it, in Chromium with
axe-core: every page of the journey has no violations and fits 320 px."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.invoices.models import Invoice
from tests.browser.conftest import assert_accessible, sign_in
from tests.budgets.test_holding import _plan


def _check(page: Page) -> None:
    assert_accessible(page)
    for width in (320, 1200):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (page.url, width)
    assert_accessible(page)


def _dates(page: Page, prefix: str, on: dt.date) -> None:
    page.fill(f'input[name="{prefix}_day"]', str(on.day))
    page.fill(f'input[name="{prefix}_month"]', str(on.month))
    page.fill(f'input[name="{prefix}_year"]', str(on.year))


def test_a_provider_sends_an_invoice_and_finance_approves_it(
    page: Page, live_server: Any, live_council: Any
) -> None:
    plan = _plan(live_council)
    home = plan.lines.get(description="Home care")
    today = dt.date.today()
    sign_in(page, live_server.url, "provider")
    page.goto(f"{live_server.url}/invoices/")
    expect(page.locator("h1")).to_have_text("Invoices")
    _check(page)
    page.get_by_role("link", name="Send an invoice").click()
    page.select_option('select[name="person"]', str(plan.person.pk))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_contain_text("Invoice for")
    _check(page)
    # A mistake first: the error summary and the inline error.
    page.get_by_role("button", name="Send the invoice").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error: ")
    _check(page)
    page.fill('input[name="reference"]', "ACME-77")
    _dates(page, "period_start", today - dt.timedelta(days=27))
    _dates(page, "period_end", today)
    page.fill(f'input[name="units_{home.pk}"]', "4")
    page.fill(f'input[name="rate_{home.pk}"]', "20.00")
    page.get_by_role("button", name="Send the invoice").click()
    expect(page.locator("h1")).to_have_text("Invoice ACME-77")
    expect(page.locator("main")).to_contain_text("Every check passed")
    _check(page)
    page.context.clear_cookies()
    sign_in(page, live_server.url, "finance")
    page.goto(f"{live_server.url}/invoices/")
    page.get_by_role("link", name="ACME-77").click()
    _check(page)
    page.get_by_role("link", name="Approve").click()
    expect(page.locator("h1")).to_have_text("Approve invoice ACME-77")
    _check(page)
    page.get_by_role("button", name="Approve the invoice").click()
    expect(page.locator("main")).to_contain_text("Approved")
    _check(page)
    assert Invoice.objects.get(reference="ACME-77").status == "approved"
