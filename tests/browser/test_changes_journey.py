"""A holder asks to switch provider and later reads the decision; a practitioner approves
it (issue 13 "Act on my own budget", issue 14 "Choosing and switching";
holders-experience REQ-38, REQ-39, REQ-14). Chromium at 320 px, axe-core on every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.changes.models import ChangeRequest
from selfdirect.planning.models import LineSwitch
from tests.browser.conftest import assert_accessible, assert_reflows, sign_in
from tests.factories import ProviderFactory
from tests.planning.test_plans import _approved_plan

WIDTH = 320


def _check(page: Page) -> None:
    assert_accessible(page)
    assert_reflows(page)


def _sign_out_and_in(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base_url, username)


def test_req38_holder_asks_to_switch_provider_practitioner_agrees_holder_reads_it(
    page: Page, live_server: Any, live_council: Any
) -> None:
    _approved_plan(live_council)  # a personal assistant by direct payment
    ProviderFactory(name="Kindred Care")
    base = live_server.url
    later = dt.date.today() + dt.timedelta(days=28)
    page.set_viewport_size({"width": WIDTH, "height": 800})

    # The holder asks from their home page.
    sign_in(page, base, "holder")
    _check(page)
    page.get_by_role("link", name="Ask to change a provider or how support is held").click()
    expect(page.locator("h1")).to_have_text("Requests to change support")
    _check(page)
    page.get_by_role("link", name="Ask to change a provider or how support is held").click()
    expect(page.locator("h1")).to_have_text("Ask to change your support")
    _check(page)
    page.get_by_role("button", name="Send the request").click()
    expect(page).to_have_title("Error: Ask to change your support – Selfdirect")
    _check(page)
    page.get_by_label("Personal assistant (Sam").check()
    page.get_by_label("Individual Service Fund held by a provider").check()
    page.get_by_label("New provider (optional)").select_option(label="Kindred Care")
    page.get_by_label("Rushed or shortened visits").check()
    page.get_by_label("In your own words (optional)").fill("I want the same carers each day")
    page.fill("input[name=wanted_from_day]", str(later.day))
    page.fill("input[name=wanted_from_month]", str(later.month))
    page.fill("input[name=wanted_from_year]", str(later.year))
    page.get_by_label("Weeks of notice the current provider needs (optional)").fill("2")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator("#progress")).to_contain_text("Waiting for a decision")
    _check(page)
    page.goto(f"{base}/home/")
    expect(
        page.get_by_role("link", name="Your request to change ‘Personal assistant’")
    ).to_be_visible()
    _check(page)

    # The practitioner decides from the work on their home page.
    _sign_out_and_in(page, base, "practitioner")
    page.get_by_role("link", name="Request to change 'Personal assistant'").click()
    expect(page.locator("h1")).to_have_text("Requests to change support")
    _check(page)
    page.get_by_role("link", name="Personal assistant").click()
    _check(page)
    page.get_by_role("link", name="Decide").click()
    _check(page)
    page.get_by_role("button", name="Record the decision").click()
    expect(page).to_have_title(
        "Error: Decide the request to change Personal assistant – Selfdirect"
    )
    _check(page)
    page.get_by_label("Yes, make the change").check()
    page.get_by_label("Reasons for the decision").fill(
        "Kindred Care has a small team free in the mornings."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#decision")).to_contain_text("Agreed")
    _check(page)
    switch = LineSwitch.objects.get()
    assert (switch.effective_date, switch.to_provider.name) == (later, "Kindred Care")

    # The holder reads the decision and the reasons, from the message.
    _sign_out_and_in(page, base, "holder")
    page.goto(f"{base}/messages/")
    page.get_by_role("link", name="Your change to 'Personal assistant' is agreed").click()
    _check(page)
    request = ChangeRequest.objects.get()
    page.goto(f"{base}/changes/requests/{request.pk}/")
    expect(page.locator("#decision")).to_contain_text(f"{later:%-d %B %Y}")
    expect(page.locator("#decision-reasons")).to_have_text(
        "Kindred Care has a small team free in the mornings."
    )
    _check(page)
