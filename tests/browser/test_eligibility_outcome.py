"""The eligibility-outcome list on a plan outcome, in Chromium: it offers the outcomes in
the Regulations' words (it was empty), the choice is kept, and the pages pass axe."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in


def test_practitioner_links_an_outcome_to_an_eligibility_outcome(
    page: Page, live_server: Any, live_council: Any
) -> None:
    from tests.planning.test_plans import _draft_plan

    plan = _draft_plan(live_council)
    sign_in(page, live_server.url, "practitioner")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("link", name="Add an outcome").click()
    assert_accessible(page)
    chooser = page.get_by_label("The eligibility outcome it relates to (optional)")
    expect(chooser.locator("option")).to_have_count(19)
    expect(chooser.locator("option").nth(1)).to_have_text("Managing and maintaining nutrition")
    page.get_by_label("What the person wants to achieve, in their own words").fill(
        "I want to cook my own dinner"
    )
    chooser.select_option(label="Being able to make use of the home safely")
    page.get_by_role("button", name="Add outcome").click()
    expect(page.locator("main")).to_contain_text(
        "Eligible need it meets: being able to make use of the home safely"
    )
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page)
    assert plan.outcomes.get().eligibility_outcome == "E"
