"""Named worker, the manager's queues and the panel in Chromium: each page, each form
showing its errors, at 320 px too, with zero axe-core violations; and a journey from a
budget above the manager's limit through the panel's decision."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.access.records import _url, records_build
from tests.browser.conftest import assert_accessible, sign_in

FORMS = ["people:named_worker", "allocation:refer_to_panel", "allocation:panel_decide"]
PAGES = ["work_queues", "allocation:panel_queue", "allocation:panel_decision"]


def test_pages_and_forms_with_errors_at_full_width_and_320px(
    page: Page, live_server: Any, live_council: Any
) -> None:
    sign_in(page, live_server.url, "manager")
    records = records_build(live_council)["own"]
    urls = [_url(n, live_council, "holder") for n in PAGES + FORMS[:2]]
    urls.append(f"/budgets/{records.panel_waiting.pk}/panel/decide/")
    for width in (1024, 320):
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            page.goto(live_server.url + url)
            expect(page.locator("h1")).to_have_count(1)
            assert_accessible(page)
            if width == 320:
                overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
                assert not overflow, f"{url} scrolls sideways at 320 px"
    page.set_viewport_size({"width": 1024, "height": 900})
    for url in urls[-3:]:
        page.goto(live_server.url + url)
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert page.title().startswith("Error: ")
        assert_accessible(page)


def test_named_worker_then_panel_journey(page: Page, live_server: Any, live_council: Any) -> None:
    from tests.factories import second_user

    second_user(live_council, "manager")
    records = records_build(live_council)["own"]
    sign_in(page, live_server.url, "manager")
    page.goto(live_server.url + _url("people:named_worker", live_council, "holder"))
    page.get_by_label("practitioner").check()
    page.get_by_label("Reason for the allocation").fill("New referral")
    page.get_by_role("button", name="Save the named worker").click()
    expect(page.locator("#named-worker")).to_contain_text("practitioner")
    assert_accessible(page)
    page.goto(live_server.url + "/budgets/panel/")
    page.get_by_role("link", name="Record the decision for Ada Holder").click()
    page.get_by_label("manager", exact=True).check()
    page.get_by_label("second-manager").check()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Not agreed: returned for rework").check()
    page.get_by_label("The panel's reasons").fill("The night care answers need checking.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("h1")).to_have_text("The panel's decision")
    expect(page.locator("main")).to_contain_text("The night care answers need checking.")
    assert_accessible(page)
    assert records.panel_waiting.pk
