"""Co-writing the plan in Chromium with axe-core (issue 13, "Done means": a representative
co-writes the plan). The representative suggests an outcome and support with its cost;
the practitioner sees them beside the plan, adds one with a change and answers the other;
the representative reads both answers. Zero axe violations, and nothing scrolls sideways
at 320 px (WCAG 1.4.10). REQ-18, REQ-31; SCIE-16."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.planning.models import PlanProposal
from tests.browser.conftest import NARROW, assert_accessible, assert_reflows, sign_in


def _check(page: Page) -> None:
    assert_accessible(page)
    assert_reflows(page)


def test_a_representative_co_writes_the_plan(
    page: Page, live_server: Any, live_council: Any
) -> None:
    from tests.planning.test_plans import _draft_plan

    plan = _draft_plan(live_council)
    page.set_viewport_size(NARROW)

    # The representative suggests what Ada wants to achieve, and support with a cost.
    sign_in(page, live_server.url, "representative")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("link", name="Suggest what Ada wants to achieve, in your own words").click()
    page.get_by_label("What does Ada want to achieve?").fill("Ada wants to swim on Fridays again")
    page.get_by_role("button", name="Send to your worker").click()
    expect(page.get_by_role("alert")).to_contain_text("Your suggestion has been sent")
    page.get_by_role("link", name="Suggest support and what it costs").click()
    page.get_by_role("button", name="Send to your worker").click()
    expect(page).to_have_title(re.compile("^Error: "))
    _check(page)
    page.get_by_label("What support would you like?").fill("A personal assistant at the pool")
    page.get_by_label("Who would give it? (optional)").fill("Sam")
    page.get_by_label("an hour").check()
    page.get_by_label("What does each one cost, in pounds? (optional)").fill("15")
    page.get_by_label("How many a week? (optional)").fill("2")
    page.get_by_role("button", name="Send to your worker").click()
    table = page.locator("table[data-proposals]")
    expect(table).to_contain_text("A personal assistant at the pool")
    expect(table).to_contain_text("Cost: £30.00 a week")
    expect(table).to_contain_text("Waiting for the worker")
    _check(page)

    # The practitioner sees them beside the plan; adds the support with a change.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "practitioner")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    expect(page.locator("table[data-proposals]")).to_contain_text("Ada wants to swim")
    _check(page)
    page.get_by_role("link", name="Add to the plan : A personal assistant at the pool").click()
    expect(page.get_by_label("What it is")).to_have_value("A personal assistant at the pool")
    _check(page)
    page.get_by_label("Kind of support").select_option("personal_assistant")
    page.get_by_label("Cost of each unit (£)").fill("16.50")
    page.get_by_label("Paid for by").select_option("adult_social_care")
    page.locator("input[name=deployment][value=direct_payment]").check()
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.get_by_role("alert")).to_contain_text("The suggestion has been added")
    # And answers the outcome with a reason.
    page.get_by_role("link", name="Answer : Ada wants to swim on Fridays again").click()
    page.get_by_role("button", name="Send the answer").click()
    expect(page).to_have_title(re.compile("^Error: "))
    _check(page)
    page.get_by_label("Why it is not being added to the plan").fill(
        "Swimming is already in the plan, as the personal assistant at the pool."
    )
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Your answer has been sent")
    _check(page)

    # The representative reads both answers beside what they wrote.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "representative")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    table = page.locator("table[data-proposals]")
    expect(table).to_contain_text("Added to the plan with changes")
    expect(table).to_contain_text("£33.00 a week")
    expect(table).to_contain_text("Swimming is already in the plan")
    _check(page)
    assert sorted(PlanProposal.objects.values_list("status", flat=True)) == [
        "answered",
        "changed",
    ]
