"""The planning journey of issue 5 in Chromium, with axe-core on every page: a practitioner
and the person write a plan with three lines funded by two streams, it goes over budget
and a manager signs it off, the budget is held as a mix of direct payment and Individual
Service Fund, a line switches to a new provider mid-month, the review falls due, and the
person sees all of it in the portal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.planning.models import Review, SupportPlan
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import ProviderFactory


def _fill_date(page: Page, group: str, when: dt.date) -> None:
    box = page.get_by_role("group", name=group)
    box.get_by_label("Day").fill(str(when.day))
    box.get_by_label("Month").fill(str(when.month))
    box.get_by_label("Year").fill(str(when.year))


def test_plan_written_together_signed_off_held_two_ways_switched_and_reviewed(
    page: Page, live_server: Any, live_council: Any
) -> None:
    from tests.planning.test_plans import _approved_budget

    allocation = _approved_budget(live_council)  # £74.00 a week
    new_provider = ProviderFactory(name="Riverside Day Opportunities")
    today = dt.date.today()

    # The practitioner starts the plan, having explained every way of holding the budget.
    sign_in(page, live_server.url, "practitioner")
    page.goto(f"{live_server.url}/budgets/{allocation.pk}/")
    page.get_by_role("link", name="Start a support plan").click()
    page.get_by_label("Support plan", exact=True).check()
    page.get_by_label("The person", exact=True).check()
    _fill_date(page, "Start date", today)
    page.get_by_label("Direct payment").check()
    page.get_by_role("button", name="Start the plan").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("not yet offered: managed account held by the council")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    for way in (
        "Managed account held by the council",
        "Individual Service Fund held by a provider",
        "Third-party managed account",
        "Council-commissioned service",
    ):
        page.get_by_label(way).check()
    page.get_by_role("button", name="Start the plan").click()
    expect(page.locator("h1")).to_have_text("Support plan")
    assert_accessible(page)
    plan = SupportPlan.objects.get(allocation=allocation)

    # The person adds what they want to achieve, in their own words.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "holder")
    page.get_by_role("link", name="Your support plan, version 1").click()
    page.get_by_role("link", name="Suggest what you want to achieve, in your own words").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send to your worker").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what you want to achieve")
    assert_accessible(page)
    page.get_by_label("What do you want to achieve?").fill("I want to keep going to my lunch club")
    page.get_by_role("button", name="Send to your worker").click()
    expect(page.locator("main")).to_contain_text("Suggested by you")
    assert_accessible(page)

    # The practitioner adds it to the plan as written, then costs three lines from two
    # streams; the plan is over budget.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "practitioner")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("link", name="Add to the plan : I want to keep going to my lunch club").click()
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.get_by_role("alert")).to_contain_text("The suggestion has been added to the plan")
    lines = [
        (
            "Personal assistant",
            "personal_assistant",
            "hour",
            "14.50",
            "4",
            "adult_social_care",
            "direct_payment",
        ),
        ("Grab rails", "adaptations", "item", "85.00", "2", "dfg", "council_commissioned"),
        ("Day centre", "day_activity", "day", "45.00", "1", "adult_social_care", "isf"),
    ]
    for description, category, unit, cost, quantity, stream, held in lines:
        page.get_by_role("link", name="Add costed support").click()
        page.get_by_label("What it is").fill(description)
        page.get_by_label("Kind of support").select_option(category)
        page.locator(f"input[name=unit][value={unit}]").check()
        page.get_by_label("Cost of each unit (£)").fill(cost)
        page.get_by_label("How many units a week (or how many items, for a one-off)").fill(quantity)
        page.get_by_label("Paid for by").select_option(stream)
        page.locator(f"input[name=deployment][value={held}]").check()
        page.get_by_role("button", name="Add").click()
        expect(page.get_by_role("alert")).to_contain_text("The line has been added")
    main = page.locator("main")
    # £103.00 against £74.00, in the words every page uses (issue 11).
    expect(main).to_contain_text("Over the personal budget by £29.00 a week")
    assert_accessible(page)
    expect(main).to_contain_text("Funded alongside the budget")  # the grab rails (DFG)
    page.get_by_role("button", name="Send for sign-off").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Explain why the plan costs more than the budget"
    )
    page.get_by_label("Why does the plan cost more than the budget?").fill(
        "The day centre is the only place she sees her friends"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Send for sign-off").click()
    # Over budget and written by the practitioner: the page says why instead of offering
    # a button the practitioner may not press.
    expect(page.locator("main")).to_contain_text("a team manager must sign it off")
    expect(page.get_by_role("button", name="Approve the plan")).to_have_count(0)
    assert_accessible(page)

    # The manager signs it off.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    expect(page.locator("main")).to_contain_text(
        "The day centre is the only place she sees her friends"
    )
    page.get_by_role("button", name="Approve the plan").click()
    expect(page.get_by_role("alert")).to_contain_text("The plan has been approved")
    held = page.locator("table", has_text="by how the budget is held today")
    expect(held).to_contain_text("Direct payment")
    expect(held).to_contain_text("Individual Service Fund held by a provider")
    assert_accessible(page)

    # Held two ways: a direct payment into the person's own bank account, and an Individual
    # Service Fund held by Acme Care, agreed by both sides.
    page.get_by_role(
        "link",
        name="How the budget is held: direct payment, Individual Service Funds and third-party accounts",
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name="Set up a direct payment agreement").click()
    page.get_by_label("The person", exact=True).check()
    for question in (
        "Does the person have capacity to request a direct payment?",
        "Can the payment be managed, alone or with the help available?",
        "Is a direct payment an appropriate way to meet the needs?",
        "Is the person free of any exclusion in the regulations?",
    ):
        page.get_by_role("group", name=question).get_by_label("Yes", exact=True).check()
    page.get_by_label("A separate bank account").check()
    page.get_by_label("Sort code (bank accounts)").fill("20-00-00")
    page.get_by_label("Account number (bank accounts)").fill("55779911")
    _fill_date(page, "Start date", today)
    assert_accessible(page)
    page.get_by_role("button", name="Agree the direct payment").click()
    main = page.locator("main")
    expect(main).to_contain_text("9911")
    expect(main).not_to_contain_text("55779911")
    page.get_by_role(
        "link", name="Set up an Individual Service Fund or third-party managed account"
    ).click()
    page.get_by_label("Individual Service Fund held by a provider").check()
    page.get_by_label("The provider or support organisation holding it").select_option(
        label="Acme Care"
    )
    page.get_by_label("Return any surplus to the funder at each statement").check()
    _fill_date(page, "Start date", today)
    assert_accessible(page)
    page.get_by_role("button", name="Propose the agreement").click()
    expect(page.locator("main")).to_contain_text("Waiting for both sides to agree")
    holding_url = page.url
    for who, button in (("holder", "Agree for Ada Holder"), ("provider", "Agree for Acme Care")):
        page.context.clear_cookies()
        sign_in(page, live_server.url, who)
        page.goto(holding_url)
        page.get_by_role("link", name="Read and agree").click()
        assert_accessible(page)
        page.get_by_role("button", name=button).click()
    expect(page.locator("main")).to_contain_text("In place")
    assert_accessible(page)

    # The day centre switches to a new provider from the middle of next month.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "practitioner")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("link", name="Switch Day centre").click()
    mid_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=15)
    _fill_date(page, "From when", mid_month)
    page.get_by_label("Individual Service Fund held by a provider").check()
    page.get_by_label("New provider (optional)").select_option(label=new_provider.name)
    page.get_by_label("No continuity: different carers each time").check()
    assert_accessible(page)
    page.get_by_role("button", name="Record the switch").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The switch of ‘Day centre’ has been recorded"
    )
    expect(page.locator("main")).to_contain_text(
        f"Switching from {mid_month.day} {mid_month:%B %Y} to individual service fund held by a"
        " provider, Riverside Day Opportunities"
    )
    assert_accessible(page)

    # Eight weeks on, the light-touch review falls due and is in the practitioner's queue.
    review = plan.reviews.get(kind="light_touch")
    assert review.covers_direct_payment  # aligned with the direct payment's first review
    Review.objects.filter(pk=review.pk).update(due_date=today)
    page.get_by_role("link", name="Reviews").first.click()
    due = page.locator("table", has_text="Due this month")
    expect(due).to_contain_text("Ada Holder")
    expect(due).to_contain_text("Light-touch review after the plan starts")
    assert_accessible(page)

    # The person sees all of it in the portal.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "holder")
    page.get_by_role("link", name="Your support plan, version 1").click()
    main = page.locator("main")
    for text in (
        "I want to keep going to my lunch club",
        "Personal assistant",
        "Grab rails",
        "Disabled Facilities Grant",
        "Switching from",
        "Riverside Day Opportunities",
        f"due by {today.day} {today:%B %Y}",
        "also the direct payment's review",
    ):
        expect(main).to_contain_text(text)
    expect(page.locator("table", has_text="by how the budget is held today")).to_contain_text(
        "Direct payment"
    )
    expect(main).not_to_contain_text("Record the switch")
    assert_accessible(page)
    page.get_by_role(
        "link",
        name="How the budget is held: direct payment, Individual Service Funds and third-party accounts",
    ).click()
    expect(page.locator("main")).to_contain_text("Acme Care")
    expect(page.locator("main")).to_contain_text("9911")
    assert_accessible(page)
