"""Signing in and searching, as a user would: keyboard only, checked by axe-core."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, assert_accessible, sign_in


def test_start_and_sign_in_pages_are_accessible(
    page: Page, live_server: Any, live_council: Any
) -> None:
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-directed support")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Sign in – Selfdirect")
    assert_accessible(page)


def test_wrong_password_shows_error_summary(
    page: Page, live_server: Any, live_council: Any
) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("practitioner")
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Error: Sign in – Selfdirect")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct username and password")
    # GOV.UK Frontend moves focus to the error summary.
    expect(summary).to_be_focused()
    assert_accessible(page)


def test_keyboard_only_sign_in_and_search(page: Page, live_server: Any, live_council: Any) -> None:
    page.goto(live_server.url + "/accounts/login/")
    # The first Tab reaches the skip link; follow it, then tab to the fields.
    page.keyboard.press("Tab")
    expect(page.locator(".govuk-skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_label("Username").focus()
    page.keyboard.type("practitioner")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/home/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(live_server.url + "/people/")
    search = page.get_by_label("Search by name, NHS number, postcode or date of birth")
    search.focus()
    page.keyboard.type("holder")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("1 person found for ‘holder’")
    link = page.get_by_role("link", name="Holder, Ada")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Holder")
    assert_accessible(page)


def test_sign_in_lands_on_own_home(page: Page, live_server: Any, live_council: Any) -> None:
    sign_in(page, live_server.url, "holder")
    expect(
        page.get_by_role(
            "link", name="See your details, the people who support you and your consents"
        )
    ).to_be_visible()
    assert_accessible(page)
