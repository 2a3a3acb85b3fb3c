"""Deciding a request to look again with a new amount, and the pages that link the
letters, in Chromium: the decision form with its errors at 1024 and 320 px, the budget page
showing what changed, the person's home and the assessment with their letters; zero
axe-core violations and no sideways scrolling at 320 px."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.access.records import records_build
from tests.browser.conftest import assert_accessible, sign_in


def _check(page: Page, url: str, *, reflows: bool = True) -> None:
    for width in (1024, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)
        if width == 320 and reflows:
            overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            assert not overflow, f"{url} scrolls sideways at 320 px"


def test_decide_with_a_new_amount_then_the_letters_are_linked(
    page: Page, live_server: Any, live_council: Any
) -> None:
    records = records_build(live_council)["own"]
    allocation, challenge = records.allocation, records.challenge
    allocation.status, allocation.agreed_weekly_pence = "approved", 2000
    allocation.save(update_fields=["status", "agreed_weekly_pence"])
    challenge.proposed_weekly_pence = 5000
    challenge.save(update_fields=["proposed_weekly_pence"])
    sign_in(page, live_server.url, "manager")
    url = f"{live_server.url}/budgets/challenges/{challenge.pk}/decide/"
    _check(page, url)

    for width in (1024, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        page.get_by_label("Partly upheld", exact=True).check()
        page.get_by_label("New weekly amount, if upheld or partly upheld").fill("60.00")
        page.get_by_label("Explain the decision").fill("Some night care was missed.")
        page.get_by_role("button", name="Record the decision").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "A partly upheld request gives an amount between the £20.00 a week asked about "
            "and the £50.00 a week asked for"
        )
        assert page.title().startswith("Error: ")
        assert_accessible(page)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow

    page.get_by_label("New weekly amount, if upheld or partly upheld").fill("30.00")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("main")).to_contain_text(
        "The personal budget went from £20.00 to £30.00 a week"
    )
    expect(page.get_by_role("link", name="Download the decision letter")).to_have_count(2)
    _check(page, page.url)

    page.context.clear_cookies()
    sign_in(page, live_server.url, "holder")
    _check(page, live_server.url + "/home/")
    expect(page.locator("main")).to_contain_text("Decisions on your requests to look again")
    # The assessment's answers table scrolls in its own region, so the page reflows.
    _check(page, f"{live_server.url}/assessments/{records.decided_assessment.pk}/")
    expect(
        page.get_by_role("link", name="Download the eligibility decision letter")
    ).to_be_visible()
