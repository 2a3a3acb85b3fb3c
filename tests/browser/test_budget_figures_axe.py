"""Issue 11's plan pages in Chromium with axe-core: a line and an outcome changed and
removed in a draft (with their errors), the assessed contribution recorded (with errors),
a review recorded in full (with errors) and read back to staff and to the person, at full
width and at 320 px."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.planning import services
from selfdirect.planning.models import Review
from tests.browser.conftest import assert_accessible, sign_in


def _fits(page: Page) -> None:
    """Nothing wider than the window: no sideways scrolling at 320 px."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_draft_is_edited_and_a_review_recorded_in_full(
    page: Page, live_server: Any, live_council: Any
) -> None:
    from tests.planning.test_plan_editing import _plan_with_line

    plan, _outcome, line = _plan_with_line(live_council)
    sign_in(page, live_server.url, "practitioner")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    assert_accessible(page)

    # Change a line; a bad number shows the GOV.UK error summary.
    page.get_by_role("link", name="Change Personal assistant").click()
    expect(page.locator("h1")).to_have_text("Change costed support")
    assert_accessible(page)
    page.get_by_label("How many units a week").fill("lots")
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("How many units a week").fill("4")
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator("h1")).to_have_text("Support plan")
    line.refresh_from_db()
    assert line.quantity_hundredths == 400

    # Removing the outcome the line meets, with no other outcome: refused, naming the line.
    page.get_by_role("link", name="Remove the outcome").click()
    assert_accessible(page)
    page.get_by_role("button", name="Remove").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "‘Personal assistant’ meets this outcome"
    )
    assert_accessible(page)

    # The assessed contribution, with its errors, then recorded.
    page.goto(f"{live_server.url}/plans/people/{plan.person_id}/contribution/")
    assert_accessible(page)
    page.get_by_role("button", name="Record the contribution").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)

    # A review recorded in full on the approved plan.
    services.plan_submit(actor=live_council.users["practitioner"], plan=plan)
    services.plan_approve(actor=live_council.users["manager"], plan=plan)
    review = Review.objects.get(plan=plan, kind="light_touch")
    page.goto(f"{live_server.url}/plans/reviews/{review.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select how the review was held")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("By video call").check()
    page.get_by_label("Who took part").fill("Ada Holder, the person\nCarl Carer, her husband")
    page.get_by_label("The person's views, in their own words").fill("Swimming is going well.")
    page.get_by_label("Partly met").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator("h1")).to_have_text(review.get_kind_display())
    expect(page.locator("main")).to_contain_text("Carl Carer (her husband)")
    assert_accessible(page)
    review.refresh_from_db()
    assert review.status == "done" and review.method == "video"
    assert review.next_review_on == dt.date.today() + dt.timedelta(days=365)

    # The person reads it back, also at 320 px.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, live_server.url, "holder")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("link", name=review.get_kind_display()).click()
    expect(page.locator("main")).to_contain_text("Swimming is going well.")
    assert_accessible(page)
    _fits(page)
