"""Council staff keep the directory, in Chromium with axe-core: a manager adds a service in
full (a mistake is named on its field first), and a person, signed out, then finds it by
need, postcode and opening time; the terms page too. Every page has no violations and
fits 320 px."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.directory.models import Service
from tests.browser.conftest import assert_accessible, assert_reflows, sign_in
from tests.directory.builders import postcode_build, taxonomy_build


def _check(page: Page) -> None:
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_reflows(page)
    assert_accessible(page)
    page.set_viewport_size({"width": 1200, "height": 900})


def test_staff_add_a_service_and_a_person_finds_it(
    page: Page, live_server: Any, live_council: Any
) -> None:
    taxonomy_build()
    postcode_build("DM12AB", "52.100000", "-1.500000")
    postcode_build("DM34CD", "52.110000", "-1.510000")
    sign_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/directory/")
    page.get_by_role("link", name="Services in the directory (council staff)").click()
    expect(page.locator("h1")).to_have_text("Services in the directory")
    _check(page)
    page.get_by_role("link", name="Needs and outcomes (the directory’s terms)").click()
    expect(page.get_by_role("table", name="Terms")).to_contain_text("Getting out and about")
    _check(page)
    page.go_back()
    page.get_by_role("link", name="Add a service").click()
    expect(page.locator("h1")).to_have_text("Add a service")
    _check(page)
    # A mistake first: nothing filled in but the name.
    page.get_by_label("Name of the service").fill("Saturday Friends Club")
    page.get_by_role("button", name="Add the service").click()
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Say what the service does")
    expect(summary).to_contain_text("Choose the organisation that runs the service")
    _check(page)
    page.get_by_label("What the service does").fill("A club for going out on Saturdays.")
    page.get_by_label("Organisation", exact=True).select_option(label="Acme Care")
    page.get_by_label("Getting out and about").check()
    page.get_by_label("Name of the place").fill("Church hall")
    page.get_by_label("Address", exact=True).fill("2 Mill Lane")
    page.locator("#id_postal_code").fill("DM3 4CD")
    page.locator("#id_cost_1_amount").fill("4.50")
    page.locator("#id_cost_1_unit").fill("per session")
    page.get_by_label("Languages staff speak").fill("Polish")
    page.get_by_label("Saturday: opens").fill("10:00")
    page.get_by_label("Saturday: closes").fill("15:30")
    page.get_by_label("Telephone").fill("01632 960555")
    page.get_by_role("button", name="Add the service").click()
    expect(page.locator("h1")).to_have_text("Saturday Friends Club")
    expect(page.locator("main")).to_contain_text("Saturday: 10:00am to 3:30pm")
    expect(page.locator("main")).to_contain_text("£4.50 per session")
    _check(page)
    assert Service.objects.get(name="Saturday Friends Club").status == "active"
    # A person, signed out, finds it by need, postcode and "at weekends, in the morning".
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/directory/")
    page.get_by_label("What do you need help with?").fill("going out")
    page.get_by_label("Postcode").fill("DM1 2AB")
    page.get_by_label("Distance").select_option("3")
    page.locator("summary").filter(has_text="Cost, language and opening times").click()
    page.get_by_label("Open on").select_option("weekend")
    page.get_by_label("Open at").select_option("morning")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text("1 service found")
    expect(page.locator("#results")).to_contain_text("Saturday Friends Club")
    _check(page)
