"""The directory in Chromium with axe-core: a person finds a service by need and postcode
and opens it, signed out; a provider updates its listing and a commissioner approves it.
Every page has no violations and fits 320 px."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.directory.models import ListingChange, Service
from selfdirect.providers.models import Provider
from tests.browser.conftest import assert_accessible, sign_in
from tests.directory.builders import postcode_build, service_build, taxonomy_build


def _check(page: Page) -> None:
    assert_accessible(page)
    for width in (320, 1200):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (page.url, width)
    assert_accessible(page)


def test_a_person_finds_a_service_by_need_and_postcode_and_opens_it(
    page: Page, live_server: Any, live_council: Any
) -> None:
    terms = taxonomy_build()
    postcode_build("DM12AB", "52.100000", "-1.500000")
    service_build(name="Near Morning Care", terms=[terms["care"]])
    service_build(name="Far Morning Care", terms=[terms["care"]], latitude="52.300000")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="find care and support near you").click()
    expect(page.locator("h1")).to_have_text("Find care and support")
    _check(page)
    # A mistake first: the error summary and the inline error.
    page.get_by_label("Postcode").fill("not one")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error: ")
    _check(page)
    page.get_by_label("What do you need help with?").fill("help getting up")
    page.get_by_label("Postcode").fill("dm1 2ab")
    page.get_by_label("Distance").select_option("10")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text("1 service found")
    expect(page.locator("#results")).to_contain_text("0.0 miles away")
    _check(page)
    page.get_by_role("link", name="Near Morning Care").click()
    expect(page.locator("h1")).to_have_text("Near Morning Care")
    expect(page.locator("main")).to_contain_text("£21.50 per hour")
    _check(page)


def test_a_provider_updates_its_listing_and_the_council_approves_it(
    page: Page, live_server: Any, live_council: Any
) -> None:
    service = service_build(provider=Provider.objects.get(name="Acme Care"), name="Acme Mornings")
    sign_in(page, live_server.url, "provider")
    page.get_by_role("link", name="Find support").click()
    page.get_by_role("link", name="Your services in the directory").click()
    expect(page.locator("h1")).to_have_text("Your services in the directory")
    _check(page)
    page.get_by_role("link", name="Change Acme Mornings").click()
    _check(page)
    page.get_by_label("Name of the service").fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error: ")
    _check(page)
    page.get_by_label("Name of the service").fill("Acme Mornings")
    page.get_by_label("Notice for now").fill("Waiting list until March")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert")).to_contain_text("sent to the council")
    expect(page.locator("main")).to_contain_text("Waiting for the council")
    _check(page)
    assert ListingChange.objects.get().status == "waiting"

    page.context.clear_cookies()
    sign_in(page, live_server.url, "commissioner")
    page.get_by_role("link", name="Find support").click()
    page.get_by_role("link", name="Directory changes to check").click()
    expect(page.locator("main")).to_contain_text("Waiting list until March")
    _check(page)
    page.get_by_role("button", name="Approve the change to Acme Mornings", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("The change is approved")
    service.refresh_from_db()
    assert Service.objects.get(pk=service.pk).alert == "Waiting list until March"
