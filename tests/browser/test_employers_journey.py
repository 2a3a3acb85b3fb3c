"""A holder adds a PA and sees the true cost against their budget (issue 14), in Chromium
with axe-core: every page of the journey has zero violations and fits 320 px; then the
timesheet is entered and approved, and the what-if and a refused form are checked too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import NARROW, WIDE, assert_accessible, assert_reflows, sign_in
from tests.budgets.test_holding import _plan


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


def test_a_holder_adds_a_pa_and_sees_the_true_cost_against_their_budget(
    page: Page, live_server: Any, live_council: Any
) -> None:
    person = live_council.holder_person
    _plan(live_council)  # a £74 budget; £30 a week for a personal assistant, by direct payment
    sign_in(page, live_server.url, "holder")
    page.goto(f"{live_server.url}/your-money/{person.pk}/")
    page.get_by_role(
        "link", name="Keep your PAs' records and see what employing a PA really costs"
    ).click()
    expect(page.locator("h1")).to_have_text("Your personal assistants")
    _check(page)

    page.get_by_role("button", name="Add a personal assistant").click()
    _check(page)
    page.get_by_role("button", name="Add the personal assistant").click()  # nothing filled in
    expect(page).to_have_title("Error: Add a personal assistant – Selfdirect")
    _check(page)
    page.get_by_label("Name of the personal assistant").fill("Sam Carter")
    page.get_by_label("What they do").fill("Personal care in the morning")
    page.get_by_label("Hours a week").fill("10")
    page.get_by_label("Hourly rate, in pounds").fill("13.00")
    _date(page, "Date they started", dt.date(2025, 6, 2))
    page.get_by_role("button", name="Add the personal assistant").click()
    expect(page.locator("#assistants")).to_contain_text("10 hours a week at £13.00 an hour")
    expect(page.locator("#against-plan")).to_contain_text(
        "£125.98 a week more than the plan has for personal assistants"
    )
    _check(page)

    page.get_by_role("link", name="See the working, set against your budget").click()
    expect(page.locator("h1")).to_have_text("What employing your PAs really costs")
    expect(page.locator("#total")).to_contain_text("£155.98 a week")
    expect(page.locator("#against-budget")).to_contain_text("£81.98 a week over")
    expect(page.locator("#against-direct-payment")).to_contain_text("£125.98 a week over")
    _check(page)
    page.get_by_label("Hourly rate, in pounds").fill("12.50")
    page.get_by_label("Hours a week").fill("37.5")
    page.get_by_role("button", name="Work it out").click()
    expect(page.locator("#working")).to_contain_text("A new personal assistant")
    _check(page)

    page.goto(f"{live_server.url}/employers/people/{person.pk}/timesheets/new")
    _check(page)
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday() + 7)
    _date(page, "First day of the week", monday)
    page.get_by_label("Hours worked that week").fill("10")
    page.get_by_role("button", name="Enter the timesheet").click()
    expect(page.locator("#timesheets")).to_contain_text("£130.00")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#timesheets")).to_contain_text("Approved")
    _check(page)
    page.goto(f"{live_server.url}/your-money/{person.pk}/")
    expect(page.locator("#pa-spend")).to_contain_text("£130.00")
    _check(page)
