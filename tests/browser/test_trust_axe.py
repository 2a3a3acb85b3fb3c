"""API tokens and role changes in Chromium with axe-core: a user makes a token (shown once)
and revokes it; an administrator asks for a role and a second administrator confirms it;
the pages also at 320 px wide."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.access.models import ApiToken, RoleChange
from selfdirect.access.roles import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import make_user


def _fits(page: Page) -> None:
    """Nothing makes the page itself scroll sideways (wide tables may scroll in their own box)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, f"{page.url}: {width}px wide"  # type: ignore[index]


def test_a_user_makes_and_revokes_a_token(page: Page, live_server: Any, live_council: Any) -> None:
    sign_in(page, live_server.url, "holder")
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Manage your API tokens").click()
    expect(page.locator("h1")).to_have_text("Your API tokens")
    assert_accessible(page)
    page.get_by_role("button", name="Make token").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Name").fill("My spreadsheet")
    page.get_by_label("30 days").check()
    page.get_by_role("button", name="Make token").click()
    expect(page.locator("h1")).to_have_text("Your new API token")
    token = page.locator("#token").input_value()
    assert token[:8] == ApiToken.objects.get(name="My spreadsheet").prefix
    assert_accessible(page)
    page.get_by_role("link", name="Back to your API tokens").click()
    assert token not in page.content()
    page.get_by_role("button", name="Revoke the token My spreadsheet").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been revoked")
    assert_accessible(page)
    assert ApiToken.objects.get(name="My spreadsheet").revoked_at is not None


def test_a_second_administrator_confirms_a_role(
    page: Page, live_server: Any, live_council: Any
) -> None:
    make_user("admin2", [Role.ADMIN])
    planner = live_council.users[Role.PLANNER]
    sign_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/admin/users/{planner.pk}/")
    page.get_by_label("First name").fill("Pat")
    page.get_by_label("Last name").fill("Planner")
    page.get_by_label("Team manager").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Waiting for a second administrator to confirm: Team manager"
    )
    assert_accessible(page)
    page.goto(f"{live_server.url}/admin/role-changes/")
    expect(page.locator("tbody")).to_contain_text("Waiting for a second administrator")
    assert_accessible(page)
    page.goto(f"{live_server.url}/admin/api-tokens/")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, live_server.url, "admin2")
    page.goto(f"{live_server.url}/admin/role-changes/?status=pending")
    page.get_by_role("button", name="Confirm Team manager for planner").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "planner now has the role Team manager"
    )
    assert_accessible(page)
    assert RoleChange.objects.get(role=Role.MANAGER).status == RoleChange.Status.CONFIRMED


def test_trust_pages_at_320_pixels(page: Page, live_server: Any, live_council: Any) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, live_server.url, "admin")
    for path in ("/account/api-tokens/", "/admin/api-tokens/", "/admin/role-changes/"):
        page.goto(live_server.url + path)
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)
        _fits(page)
