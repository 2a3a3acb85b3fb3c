"""How the budget is held: the set-up forms and a statement, showing their errors, in
Chromium with axe-core (the every-page walk covers the pages as first seen)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.access.records import _fund_agreement, _url
from tests.browser.conftest import assert_accessible, sign_in


def _submit_empty(page: Page, url: str) -> None:
    page.goto(url)
    page.locator("main form button[type=submit]").last.click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page)


def test_holding_forms_with_errors_have_no_axe_violations(
    page: Page, live_server: Any, live_council: Any
) -> None:
    agreement = _fund_agreement(live_council, "holder")
    sign_in(page, live_server.url, "practitioner")
    page.goto(f"{live_server.url}/holding/plans/{agreement.plan_id}/")
    expect(page.locator("h1")).to_have_text("How the budget is held")
    assert_accessible(page)
    for name in ("budgets:direct_payment_new", "budgets:fund_agreement_new"):
        _submit_empty(page, live_server.url + _url(name, live_council, "holder"))
    page.context.clear_cookies()
    sign_in(page, live_server.url, "provider")
    _submit_empty(page, f"{live_server.url}/holding/agreements/{agreement.pk}/statements/new/")
