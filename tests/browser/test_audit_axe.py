"""Who has looked at my record, and the data protection officer's pages, in Chromium: zero
axe-core violations, at full width and at 320 px, with errors shown the GOV.UK way."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from selfdirect.audit.services import look_record
from tests.browser.conftest import assert_accessible, sign_in
from tests.jobs import jobs_run_queued


def _check(page: Page, url: str) -> None:
    for width in (1200, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{url} scrolls sideways at {width}px"


def test_holder_sees_who_has_looked(page: Page, live_server: Any, live_council: Any) -> None:
    for _ in range(30):  # two pages of looks
        look_record(
            actor=live_council.users["practitioner"],
            record=live_council.holder_person,
            summary="Support plan version 1",
        )
    sign_in(page, live_server.url, "holder")
    page.get_by_role("link", name="See who has looked at your record").click()
    expect(page.locator("h1")).to_have_text("Who has looked at your record")
    expect(page.locator("main table")).to_contain_text("Practitioner")
    expect(page.locator("main table")).to_contain_text("North team")
    url = page.url
    _check(page, url)
    _check(page, url + "?page=2")
    _check(page, live_server.url + reverse("record_looks_choose"))


def test_representative_sees_who_has_looked(
    page: Page, live_server: Any, live_council: Any
) -> None:
    sign_in(page, live_server.url, "representative")
    page.get_by_role("link", name="See who has looked at Ada Holder's record").click()
    expect(page.locator("h1")).to_have_text("Who has looked at Ada Holder's record")
    assert_accessible(page)


def test_data_protection_officer_pages(page: Page, live_server: Any, live_council: Any) -> None:
    sign_in(page, live_server.url, "dpo")
    assert_accessible(page)
    page.get_by_role("link", name="of a person, for a subject access request").click()
    page.get_by_label("Council reference").fill("P999999")
    page.get_by_role("button", name="Find the person").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "No person has the council reference P999999"
    )
    assert page.title().startswith("Error: ")
    _check(page, page.url)
    page.get_by_label("Council reference").fill(live_council.holder_person.la_person_id)
    page.get_by_role("button", name="Find the person").click()
    expect(page.locator("main")).to_contain_text("Ada Holder")
    _check(page, page.url)
    page.get_by_role("button", name="Export the audit trail").click()
    expect(page.locator("#job-status")).to_have_text("Queued")
    jobs_run_queued()  # the worker's part
    page.get_by_role("link", name="Check again").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download audit-trail-").click()
    assert download.value.suggested_filename.endswith(".csv")
    page.goto(live_server.url + reverse("audit_trail:person"))
    staff = live_server.url + reverse("audit_trail:staff")
    page.goto(staff)
    page.get_by_role("button", name="Find the user").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the username of the member of staff"
    )
    _check(page, page.url)
    page.get_by_label("Username").fill("practitioner")
    page.get_by_role("button", name="Find the user").click()
    _check(page, page.url)
