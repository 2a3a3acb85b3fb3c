"""Publishing from a date in the past in Chromium: the refusal without a reason, the
request, and a second administrator confirming it, each page with zero axe-core violations
and usable 320 px wide."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.allocation import services
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import make_user


def _fits(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url
    assert_accessible(page)
    page.set_viewport_size({"width": 1200, "height": 900})


def _past_date(page: Page) -> None:
    page.get_by_label("Day").fill("6")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2020")


def test_a_ras_dated_in_the_past_waits_for_a_second_administrator(
    page: Page, live_server: Any, live_council: Any
) -> None:
    draft = services.ras_version_create(
        actor=None, data=json.loads(services.DEFAULT_RAS.read_text())
    )
    make_user("second-admin", ["admin"])
    sign_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/admin/ras/{draft.pk}/")
    _past_date(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("a second administrator")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    _past_date(page)
    page.get_by_label("If the date is in the past, why").fill("Uprating agreed in January")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("h1")).to_have_text("RAS versions dated in the past")
    expect(page.locator("main")).to_contain_text("Another administrator must decide")
    assert_accessible(page)
    _fits(page)
    page.context.clear_cookies()
    sign_in(page, live_server.url, "second-admin")
    page.goto(f"{live_server.url}/admin/ras/dated-in-the-past/")
    page.get_by_role("button", name=f"Confirm publishing {draft}").click()
    expect(page.locator("main")).to_contain_text("has been published from 6 January 2020")
    assert_accessible(page)


def test_the_questionnaire_requests_page(page: Page, live_server: Any, live_council: Any) -> None:
    sign_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/admin/questionnaires/dated-in-the-past/")
    expect(page.locator("h1")).to_have_text("Questionnaire versions dated in the past")
    assert_accessible(page)
    _fits(page)
