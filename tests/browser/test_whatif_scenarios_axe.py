"""The what-if on a draft RAS version and saved scenarios in Chromium: running a draft,
saving (with and without a name), opening, running again and deleting, each page with zero
axe-core violations and usable 320 px wide."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.allocation import services
from tests.access.records import records_build
from tests.browser.conftest import assert_accessible, sign_in


def _fits(page: Page) -> None:
    """Nothing wider than the window: wide tables scroll inside their own region."""
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url
    assert_accessible(page)
    page.set_viewport_size({"width": 1200, "height": 900})


def test_run_a_draft_save_open_run_again_and_delete(
    page: Page, live_server: Any, live_council: Any
) -> None:
    records_build(live_council)  # budgets for the what-if to price
    data = json.loads(services.DEFAULT_RAS.read_text())
    data["price_per_point_pence"]["older_people"] = 400
    draft = services.ras_version_create(actor=live_council.users["admin"], data=data)
    sign_in(page, live_server.url, "commissioner")
    page.goto(f"{live_server.url}/budgets/what-if/")
    assert_accessible(page)
    page.get_by_label("Draft RAS version").select_option(str(draft.pk))
    page.get_by_role("button", name="Run the draft").click()
    expect(page.locator("main")).to_contain_text("against Default Resource Allocation System")
    expect(page.get_by_role("table", name="By ethnicity")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Yearly cost with the changes")
    assert_accessible(page)
    _fits(page)
    page.get_by_role("button", name="Save as a scenario").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the scenario")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Name of the scenario").fill("Older people at £4")
    page.get_by_role("button", name="Save as a scenario").click()
    expect(page.locator("h1")).to_have_text("Older people at £4")
    assert_accessible(page)
    page.get_by_role("link", name="Run it again").click()
    expect(page.locator("main")).to_contain_text("the figures are the same as when it was saved")
    assert_accessible(page)
    _fits(page)
    page.get_by_role("link", name="Back to saved scenarios").click()
    expect(page.get_by_role("link", name="Older people at £4")).to_be_visible()
    assert_accessible(page)
    _fits(page)
    page.get_by_role("link", name="Older people at £4").click()
    page.get_by_role("button", name="Delete ‘Older people at £4’").click()
    expect(page.locator("main")).to_contain_text("‘Older people at £4’ has been deleted")
    expect(page.get_by_role("link", name="Older people at £4")).to_have_count(0)
    assert_accessible(page)
