"""Carers count and the person's home page in Chromium with axe-core (issue 13, "Done
means": a carer with consent opens the plan and asks for a review; the holder's home shows
an open request). Zero axe violations, and nothing scrolls sideways at 320 px (WCAG 1.4.10,
holders-experience REQ-71)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.access.roles import Role
from selfdirect.allocation.models import Challenge
from selfdirect.planning.models import Review, SupportPlan
from tests.browser.conftest import NARROW, assert_accessible, assert_reflows, sign_in
from tests.budgets.test_holding import _plan


def test_a_consented_carer_opens_the_plan_and_asks_for_a_review(
    page: Page, live_server: Any, live_council: Any
) -> None:
    plan = _plan(live_council)
    SupportPlan.objects.filter(pk=plan.pk).update(
        contingency="If Carl is ill, Acme Care sends a worker for the evening visit."
    )
    sign_in(page, live_server.url, "carer")
    page.set_viewport_size(NARROW)
    expect(page.get_by_role("link", name="Information for carers")).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)
    page.get_by_role("link", name=re.compile(r"^Ada Holder's .*version 1$")).click()
    expect(page.get_by_text("If Carl is ill, Acme Care sends a worker")).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)
    page.get_by_role("link", name="Ask for a review").click()
    # An empty form: the error summary, axe-clean.
    page.get_by_role("button", name="Ask for a review").click()
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)
    assert_reflows(page)
    # The carer's reasons, in the carer's words (issue 13), not staff categories.
    expect(page.get_by_label("Monitoring shows an under- or over-spend")).to_have_count(0)
    page.get_by_label("I can no longer help as I did").check()
    page.get_by_label("Tell us more, in your own words").fill(
        "I have been unwell and cannot help in the evenings"
    )
    page.get_by_role("button", name="Ask for a review").click()
    expect(
        page.get_by_text("(asked for by their carer: “I can no longer help as I did”)")
    ).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)
    review = Review.objects.get(plan=plan, kind="change")
    assert review.asked_as == Review.AskedAs.CARER
    # How the budget is held, without its money's details (decision 0039).
    page.get_by_role(
        "link",
        name="How the budget is held: direct payment, Individual Service Funds and third-party accounts",
    ).click()
    expect(page.locator("h1")).to_have_text("How the budget is held")
    expect(page.get_by_text("Bank and card details, the council's checks")).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)
    page.goto(f"{live_server.url}/carers/")
    expect(page.locator("h1")).to_have_text("Information for carers")
    assert_accessible(page)
    assert_reflows(page)


def test_the_holders_home_shows_an_open_request(
    page: Page, live_server: Any, live_council: Any
) -> None:
    plan = _plan(live_council)
    Challenge.objects.create(
        allocation=plan.allocation,
        ras_version=plan.allocation.ras_version,
        contested_weekly_pence=3000,
        reasons="My needs are higher than the amount allows",
        raised_by=live_council.users[Role.HOLDER],
        respond_by=dt.date(2031, 3, 4),
    )
    sign_in(page, live_server.url, "holder")
    for width in (1200, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}/home/")
        expect(
            page.get_by_role("heading", name="In progress: what you are waiting for")
        ).to_be_visible()
        expect(
            page.get_by_role("link", name="Your request to look again at the budget")
        ).to_be_visible()
        expect(page.get_by_text("By 4 March 2031")).to_be_visible()
        expect(page.get_by_text("Nothing is waiting for you.")).to_have_count(0)
        assert_accessible(page)
        assert_reflows(page)
