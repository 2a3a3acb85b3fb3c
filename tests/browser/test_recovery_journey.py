"""A surplus case from letter to the person's explanation, a decision and instalments, in
Chromium at 320 px wide, with axe-core on every page on the way."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.recovery.models import RecoveryCase
from tests.browser.conftest import assert_accessible, sign_in
from tests.recovery.cases import with_surplus

WIDTH = 320


def _check(page: Page) -> None:
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url


def _sign_out_and_in(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base_url, username)


def test_a_surplus_case_from_letter_to_explanation_decision_and_instalments(
    page: Page, live_server: Any, live_council: Any
) -> None:
    with_surplus(live_council)
    person = live_council.holder_person
    base = live_server.url
    page.set_viewport_size({"width": WIDTH, "height": 800})

    # Finance opens the case from the person's page, with the ledger balance, and writes.
    sign_in(page, base, "finance")
    page.goto(f"{base}/people/{person.pk}/")
    page.get_by_role("link", name="Start a recovery case").click()
    expect(page.locator("h1")).to_have_text("Start a recovery case")
    _check(page)
    page.get_by_role("button", name="Open the case").click()
    expect(page.locator("h1")).to_have_text("Recovery case")
    expect(page.locator("#working")).to_contain_text("£160.00")
    _check(page)
    page.get_by_role("button", name="Send the letter").click()
    expect(page.locator("#timeline")).to_contain_text("Letter sent")
    _check(page)
    case = RecoveryCase.objects.get()

    # The holder reads it in plain words and explains.
    _sign_out_and_in(page, base, "holder")
    page.get_by_role("link", name="Your direct payment account has more money").click()
    expect(page.locator("h1")).to_have_text("Money in your direct payment account")
    _check(page)
    page.get_by_role("link", name="Tell us why the money is there").click()
    _check(page)
    page.get_by_role("button", name="Send the explanation").click()
    expect(page).to_have_title("Error: Tell us why the money is there – Selfdirect")
    _check(page)
    page.get_by_label("Saving for a planned holiday or short break").check()
    page.get_by_label("Why is the money there?").fill("A week in Whitby with my PA in June")
    page.get_by_role("button", name="Send the explanation").click()
    expect(page.locator(".govuk-inset-text").first).to_contain_text("Thank you for explaining")
    _check(page)

    # Another finance officer decides part, and sets three monthly instalments.
    _sign_out_and_in(page, base, "finance2")
    page.get_by_role("link", name="Open recovery cases").click()
    _check(page)
    page.get_by_role("link", name=person.full_name).click()
    page.get_by_role("link", name="Decide").click()
    _check(page)
    page.get_by_label("Recover part of the surplus").check()
    page.get_by_label("Amount to recover (£), if recovering part").fill("60")
    page.get_by_label("Reasons").fill("£100 is kept for the planned holiday")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#summary")).to_contain_text("£60.00")
    _check(page)
    page.get_by_role("link", name="Set the recovery plan").click()
    _check(page)
    page.get_by_label("Monthly instalments").check()
    page.get_by_label("How many payments or instalments").fill("3")
    first = dt.date.today() + dt.timedelta(days=30)
    page.fill("input[name=first_due_on_day]", str(first.day))
    page.fill("input[name=first_due_on_month]", str(first.month))
    page.fill("input[name=first_due_on_year]", str(first.year))
    page.get_by_role("button", name="Set the plan").click()
    expect(page.locator("#instalments")).to_contain_text("£20.00")
    _check(page)
    case.refresh_from_db()
    assert case.status == "recovering"
    assert sum(case.instalments.values_list("amount_pence", flat=True)) == 6000
