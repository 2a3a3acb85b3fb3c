"""A PA enters their own timesheet on the private link the holder gave them, and the holder
sends one back and approves the next (issue 14, decision 0054); finance adds a tax year's
rates for the true cost. In Chromium with axe-core: every page has zero violations and
fits 320 px."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import NARROW, WIDE, assert_accessible, assert_reflows, sign_in
from tests.employers.conftest import add_pa


def _check(page: Page) -> None:
    for size in (WIDE, NARROW):
        page.set_viewport_size(size)
        assert_accessible(page)
        assert_reflows(page)
    page.set_viewport_size(WIDE)


def _date(page: Page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_pa_enters_a_timesheet_on_their_link_and_the_holder_approves_it(
    page: Page, browser: Browser, live_server: Any, live_council: Any
) -> None:
    person = live_council.holder_person
    pa = add_pa(live_council)  # Sam Carter, £13.00 an hour
    sign_in(page, live_server.url, "holder")
    page.goto(f"{live_server.url}/employers/assistants/{pa.pk}/")
    page.get_by_role("link", name="Give Sam Carter a link to enter their own timesheets").click()
    expect(page.locator("h1")).to_have_text("A timesheet link for Sam Carter")
    _check(page)
    page.get_by_role("button", name="Make a new link for Sam Carter").click()
    expect(page.locator("h1")).to_have_text("The timesheet link for Sam Carter")
    _check(page)
    address = page.locator("#pa-link").input_value().strip()
    assert address.startswith(f"{live_server.url}/employers/pa/")

    # The PA, signed out, in a browser of their own.
    context = browser.new_context(viewport=WIDE)
    pa_page = context.new_page()
    pa_page.set_default_timeout(10_000)
    try:
        pa_page.goto(address)
        expect(pa_page.locator("h1")).to_have_text(f"Your hours for {person.given_name}")
        expect(pa_page.locator("body")).not_to_contain_text(person.family_name)
        _check(pa_page)
        pa_page.get_by_role("button", name="Send the timesheet").click()  # nothing filled in
        expect(pa_page).to_have_title(f"Error: Your hours for {person.given_name} – Selfdirect")
        _check(pa_page)
        monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday() + 7)
        _date(pa_page, "First day of the week", monday)
        pa_page.get_by_label("Hours you worked that week").fill("40")
        pa_page.get_by_role("button", name="Send the timesheet").click()
        expect(pa_page.locator("#your-timesheets")).to_contain_text("Waiting for approval")
        _check(pa_page)

        # The holder sends it back with the reason.
        page.goto(f"{live_server.url}/employers/people/{person.pk}/")
        expect(page.locator("#timesheets")).to_contain_text("Entered by Sam Carter")
        expect(page.locator("#timesheets")).to_contain_text("£520.00")
        _check(page)
        page.get_by_role("link", name="Send back").click()
        expect(page.locator("h1")).to_have_text("Send the timesheet back")
        page.get_by_role("button", name="Send it back to Sam Carter").click()  # no reason
        expect(page).to_have_title("Error: Send the timesheet back – Selfdirect")
        _check(page)
        page.get_by_label("Why are you sending it back?").fill("You worked 10 hours that week")
        page.get_by_role("button", name="Send it back to Sam Carter").click()
        expect(page.locator("#timesheets")).to_contain_text("Sent back")

        # The PA reads why, and sends the week again.
        pa_page.reload()
        expect(pa_page.locator("#your-timesheets")).to_contain_text("You worked 10 hours that week")
        _date(pa_page, "First day of the week", monday)
        pa_page.get_by_label("Hours you worked that week").fill("10")
        pa_page.get_by_role("button", name="Send the timesheet").click()
        expect(pa_page.locator("#your-timesheets")).to_contain_text("Waiting for approval")
    finally:
        context.close()

    page.reload()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#timesheets")).to_contain_text("Approved")
    expect(page.locator("#expected-spend")).to_contain_text("£130.00 of pay")
    _check(page)


def test_finance_adds_the_next_tax_years_rates(
    page: Page, live_server: Any, live_council: Any
) -> None:
    sign_in(page, live_server.url, "finance")
    page.goto(f"{live_server.url}/employers/rates/")
    expect(page.locator("h1")).to_have_text("Rates for the true cost of employing a PA")
    expect(page.locator("body")).to_contain_text("NOT YET CHECKED")
    _check(page)
    _date(page, "The rates start on", dt.date(2026, 4, 6))  # not after the latest
    page.get_by_role("button", name="Add the rates").click()
    expect(page).to_have_title("Error: Rates for the true cost of employing a PA – Selfdirect")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The rates must start after the latest rates, which start on 6 April 2026"
    )
    _check(page)
    _date(page, "The rates start on", dt.date(2027, 4, 6))
    page.get_by_label("National Living Wage (21 and over), pounds an hour").fill("13.20")
    page.get_by_role("button", name="Add the rates").click()
    expect(page.locator("#rates-2027-04-06")).to_have_text("2027/28, from 6 April 2027")
    _check(page)
