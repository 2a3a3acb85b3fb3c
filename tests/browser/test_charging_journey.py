"""A finance officer starts, fills in and completes a financial assessment through the
pages, and the holder then sees the result and its working: Chromium with axe-core, at
full width and at 320 px, including the form showing its errors."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.charging.models import FinancialAssessment
from tests.browser.conftest import assert_accessible, sign_in
from tests.charging.conftest import national_rates


def _check(page: Page) -> None:
    """No axe violations, and nothing wider than the window, at full width and at 320 px."""
    for width in (1200, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (page.url, width)
    page.set_viewport_size({"width": 1200, "height": 800})


def test_finance_completes_an_assessment_and_the_holder_sees_it(
    page: Page, live_server: Any, live_council: Any
) -> None:
    national_rates()  # an earlier browser test may have emptied the table
    person = live_council.holder_person
    sign_in(page, live_server.url, "finance")
    page.goto(f"{live_server.url}/people/{person.pk}/")
    page.get_by_role("link", name="Financial assessments").click()
    expect(page.locator("#standing")).to_contain_text("has not been started")
    _check(page)
    page.get_by_role("button", name="Start a financial assessment").click()
    expect(page.locator("h1")).to_have_text("Fill in the financial assessment")
    _check(page)
    # Sent empty: the error summary and the inline error, still accessible.
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose the person's age and circumstance"
    )
    assert page.title().startswith("Error: ")
    _check(page)
    page.get_by_label("Single, Pension Credit age or over").check()
    page.get_by_label("Savings and current accounts (£)").fill("16000")
    page.get_by_label("State Pension (£)").fill("230.25")
    page.get_by_label(
        "Attendance Allowance, DLA care component or PIP daily living component (£)"
    ).fill("73.90")
    page.get_by_label("Community alarm (£)").fill("5")
    page.get_by_label("Extra heating (£)").fill("15")
    page.get_by_label("Council Tax (£)").fill("10")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator("h1")).to_have_text("Financial assessment")
    _check(page)
    page.get_by_role("link", name="Complete the assessment").click()
    page.get_by_label("Weekly cost of the person's care (£)").fill("500")
    page.get_by_label("Day").fill("6")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2026")
    _check(page)
    page.get_by_role("button", name="Work out and record the charge").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("£48.55 a week")
    expect(page.locator("#working")).to_contain_text(
        "Tariff income from capital above the lower limit"
    )
    _check(page)
    page.goto(f"{live_server.url}/charging/rates/")
    expect(page.locator("h1")).to_have_text("Charging rates")
    _check(page)

    assessment = FinancialAssessment.objects.get(person=person)
    page.context.clear_cookies()
    sign_in(page, live_server.url, "holder")
    page.goto(f"{live_server.url}/charging/assessments/{assessment.pk}/")
    expect(page.locator("h1")).to_have_text("Your financial assessment")
    expect(page.locator(".govuk-panel__title")).to_have_text("£48.55 a week")
    expect(page.locator("#working")).to_contain_text("Minimum income guarantee in all")
    expect(page.get_by_role("link", name="Complete the assessment")).to_have_count(0)
    _check(page)


def test_defer_light_touch_and_the_budget_statement_pages(
    page: Page, live_server: Any, live_council: Any
) -> None:
    """The defer and light-touch forms (with their errors), an outstanding assessment's
    page, and the holder's budget page showing the deferred assessment in its statement."""
    from selfdirect.allocation.models import Allocation
    from selfdirect.charging import services
    from tests.access.records import _allocation

    person = live_council.holder_person
    allocation = _allocation(live_council, live_council.holder_assessment)
    Allocation.objects.filter(pk=allocation.pk).update(status="approved", agreed_weekly_pence=2000)
    assessment = services.assessment_start(actor=live_council.users["finance"], person=person)
    sign_in(page, live_server.url, "practitioner")
    page.goto(f"{live_server.url}/charging/assessments/{assessment.pk}/")
    expect(page.locator("#standing")).to_contain_text("Outstanding")
    _check(page)
    for link, button in (
        ("Record a light-touch assessment instead", "Record the light-touch assessment"),
        ("Defer the assessment", "Defer the assessment"),
    ):
        page.goto(f"{live_server.url}/charging/assessments/{assessment.pk}/")
        page.get_by_role("link", name=link).click()
        _check(page)
        page.get_by_role("button", name=button).click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        _check(page)
    page.get_by_label("Why the assessment is deferred").fill("Waiting for bank statements")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2099")
    page.get_by_role("button", name="Defer the assessment").click()
    expect(page.locator("#standing")).to_contain_text("Deferred until 1 January 2099")
    page.context.clear_cookies()
    sign_in(page, live_server.url, "holder")
    page.goto(f"{live_server.url}/budgets/{allocation.pk}/")
    expect(page.locator("#financial-assessment")).to_contain_text(
        "Deferred until 1 January 2099: Waiting for bank statements"
    )
    _check(page)
