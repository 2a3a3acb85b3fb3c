"""'Your money' in Chromium with axe-core (issue 12): a holder with payments reads the
balance, the movements and the surplus note, opens a statement and downloads it; a
representative reads the 'on behalf of' wording; the spending guide and the statement page.
Zero axe violations, and nothing scrolls sideways at 320 px (holders-experience REQ-71)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.access.roles import Role
from selfdirect.ledger import services as ledger
from tests.browser.conftest import assert_accessible, sign_in
from tests.budgets.test_holding import _plan
from tests.portal.test_money import bank_statement


def _fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (page.url, width)


def test_a_holder_reads_their_money_and_downloads_a_statement(
    page: Page, live_server: Any, live_council: Any
) -> None:
    person, finance = live_council.holder_person, live_council.users[Role.FINANCE]
    _plan(live_council)  # £30 a week held as a direct payment
    today = dt.date.today()
    ledger.budget_payment_post(
        actor=finance,
        person=person,
        deployment="direct_payment",
        funding_stream="adult_social_care",
        period_key="P1",
        amount_pence=30_000,
        effective_date=today - dt.timedelta(days=10),
    )
    ledger.invoice_post(
        actor=finance,
        person=person,
        deployment="direct_payment",
        provider=live_council.users[Role.PROVIDER].profile.provider,
        amount_pence=1_250,
        effective_date=today - dt.timedelta(days=3),
        source_reference="INV-9",
    )
    # The person's own bank statement says what is left in the account (£287.50): the
    # surplus note reads it, not what the council has paid in.
    bank_statement(live_council, balance_pence=28_750, on=today - dt.timedelta(days=1))
    sign_in(page, live_server.url, "holder")
    page.get_by_role("link", name="Your money: balance, payments and statements").click()
    expect(page.locator("h1")).to_have_text("Your money")
    for width in (1200, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}/your-money/{person.pk}/")
        expect(page.locator("#balance-direct_payment")).to_contain_text("£287.50")
        expect(page.locator("#movements")).to_contain_text("Paid to Acme Care (invoice INV-9)")
        expect(page.locator("#alert-surplus-direct_payment")).to_contain_text(
            "it is fine to save for something in your plan"
        )
        expect(page.locator("#next-payment")).to_contain_text(
            "once your payment schedule is set up"
        )
        assert_accessible(page)
        _fits(page, width)
        page.get_by_role("link", name="Choose the dates for a statement").click()
        expect(page.locator("#closing")).to_contain_text("£287.50")
        assert_accessible(page)
        _fits(page, width)
        page.goto(f"{live_server.url}/your-money/what-it-can-be-spent-on/")
        expect(page.locator("#spend-taxis")).to_contain_text("Usually yes")
        assert_accessible(page)
        _fits(page, width)
    # A range that cannot be given: the error summary, axe-clean.
    page.goto(
        f"{live_server.url}/your-money/{person.pk}/statement/?start=2026-05-31&end=2026-05-01"
    )
    expect(page).to_have_title("Error: Money: statement – Selfdirect")
    assert_accessible(page)
    page.goto(f"{live_server.url}/your-money/{person.pk}/")
    with page.expect_download() as download:
        page.get_by_role(
            "link", name="Download a statement for the last 3 months (CSV, for a spreadsheet)"
        ).click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Opening balance" in text and "Closing balance" in text and "287.50" in text
    pdf_link = page.get_by_role("link", name="Download a statement for the last 3 months (PDF)")
    pdf = page.request.get(live_server.url + str(pdf_link.get_attribute("href")))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_a_representative_reads_on_behalf_wording(
    page: Page, live_server: Any, live_council: Any
) -> None:
    person, finance = live_council.holder_person, live_council.users[Role.FINANCE]
    ledger.budget_payment_post(
        actor=finance,
        person=person,
        deployment="direct_payment",
        funding_stream="adult_social_care",
        period_key="P1",
        amount_pence=5_000,
        effective_date=dt.date.today(),
    )
    sign_in(page, live_server.url, "representative")
    page.get_by_role("link", name="Ada's money").click()
    for width in (1200, 320):
        page.set_viewport_size({"width": width, "height": 800})
        expect(page.locator("h1")).to_have_text("Ada's money")
        expect(page.locator("#on-behalf")).to_have_text("You are looking on behalf of Ada Holder")
        expect(page.locator("#movements")).to_contain_text("Paid to Ada by the council")
        assert_accessible(page)
        _fits(page, width)
