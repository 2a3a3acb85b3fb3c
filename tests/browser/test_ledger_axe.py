"""The person's ledger page, and the person page linking to it, in Chromium with axe-core,
at full width and at 320 px."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.access.roles import Role
from selfdirect.ledger import services as ledger
from tests.browser.conftest import assert_accessible, sign_in


def test_the_ledger_page_has_no_axe_violations_and_fits_320px(
    page: Page, live_server: Any, live_council: Any
) -> None:
    person, finance = live_council.holder_person, live_council.users[Role.FINANCE]
    payment = ledger.budget_payment_post(
        actor=finance,
        person=person,
        deployment="direct_payment",
        funding_stream="adult_social_care",
        period_key="2026-04",
        amount_pence=123_456,
        effective_date=dt.date(2026, 4, 6),
    )
    ledger.transaction_reverse(actor=finance, original=payment, effective_date=dt.date(2026, 4, 7))
    sign_in(page, live_server.url, "finance")
    for width in (1200, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}/ledger/people/{person.pk}/")
        expect(page.locator("h1")).to_have_text("Ledger")
        expect(page.locator(f"#transaction-{payment.pk}")).to_contain_text("£1,234.56")
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        # The person page's Money section, with the balances, links to it.
        page.goto(f"{live_server.url}/people/{person.pk}/")
        page.get_by_role("link", name="Ledger: every payment and movement").click()
        expect(page.locator("h1")).to_have_text("Ledger")
        page.go_back()
        assert_accessible(page)
