"""The person's self-assessment and the practitioner's review, in Chromium, with axe-core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.assessment.models import Assessment, EligibilityDecision
from tests.browser.conftest import assert_accessible, sign_in


def test_self_assessment_review_and_eligibility(
    page: Page, live_server: Any, live_council: Any
) -> None:
    sign_in(page, live_server.url, "holder")
    page.get_by_role("link", name="Start a new assessment").click()
    assert_accessible(page)
    page.get_by_label("A self-assessment for me").check()
    page.get_by_role("button", name="Start").click()
    assessment = Assessment.objects.filter(person=live_council.holder_person).latest("id")
    sections = list(assessment.version.parsed.sections_for(assessment.user_group))
    # First question: check the error state, then answer every question with the keyboard-friendly radios.
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select an answer")
    assert_accessible(page)
    for i, section in enumerate(sections):
        expect(page.get_by_role("heading", level=1)).to_have_text(section.question)
        if i == 0:
            assert_accessible(page)
        page.get_by_label(section.options[1].text, exact=True).check()
        page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before you send them"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Accept and send").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Assessment sent")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, live_server.url, "practitioner")
    page.goto(f"{live_server.url}/people/{live_council.holder_person.pk}/")
    page.get_by_role("link", name=f"Self-assessment A{assessment.pk:06d}").click()
    assert_accessible(page)
    page.get_by_role("link", name=f"Review {sections[0].title.lower()}").click()
    page.get_by_role("group", name="Your view as the worker").get_by_label(
        sections[0].options[2].text, exact=True
    ).check()
    page.get_by_role("group", name="The answer agreed with the person").get_by_label(
        sections[0].options[2].text, exact=True
    ).check()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("table")).to_contain_text("Differs")
    page.get_by_role("link", name="Decide eligibility").click()
    assert_accessible(page)
    page.get_by_role(
        "group",
        name="Do the needs arise from or relate to a physical or mental impairment or illness?",
    ).get_by_label("Yes").check()
    page.get_by_role("group", name="Managing and maintaining nutrition").get_by_label(
        "Cannot achieve it without help"
    ).check()
    page.get_by_role("group", name="Maintaining personal hygiene").get_by_label(
        "Cannot achieve it without help"
    ).check()
    page.get_by_role(
        "group",
        name="As a consequence, is there (or is there likely to be) a significant impact on their wellbeing?",
    ).get_by_label("Yes").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Eligible: the decision has been recorded")
    assert_accessible(page)
    assert EligibilityDecision.objects.get(assessment=assessment).eligible


def test_indicative_budget_explained_and_signed_off(
    page: Page, live_server: Any, live_council: Any
) -> None:
    from tests.allocation.test_allocations import _agree

    assessment = _agree(live_council)
    sign_in(page, live_server.url, "practitioner")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    page.get_by_role("link", name="Work out the indicative budget").click()
    assert_accessible(page)
    page.get_by_label("Weekly cost of their current package, if they have one (optional)").fill(
        "nonsense"
    )
    page.get_by_role("button", name="Work out the indicative budget").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter an amount in pounds, like 125.50"
    )
    assert_accessible(page)
    page.get_by_label("Weekly cost of their current package, if they have one (optional)").fill(
        "90.00"
    )
    page.get_by_role("button", name="Work out the indicative budget").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("£74.00 a week")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, live_server.url, "manager")
    page.get_by_role("link", name="Ada Holder: £74.00 a week").click()
    page.get_by_role("button", name="Sign off").click()
    assert_accessible(page)
    page.get_by_label("Approve a different amount").check()
    page.get_by_label("Agreed weekly amount, if different").fill("90.00")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Give the reason for the different amount"
    )
    assert_accessible(page)
    page.get_by_label("Reason for a different amount").select_option("transitional_protection")
    page.get_by_label("Explain your decision").fill(
        "Protect the current package while the plan is made."
    )
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Your sign-off decision has been recorded")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, live_server.url, "holder")
    # Signed off, it is the personal budget (issue 11's one vocabulary), at the agreed amount.
    page.get_by_role("link", name="Your personal budget: £90.00 a week").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your indicative budget")
    expect(page.locator("main")).to_contain_text("Agreed amount")
    expect(page.locator("main")).to_contain_text("£90.00 a week")
    assert_accessible(page)


def test_commissioner_what_if_with_chart_and_tables(
    page: Page, live_server: Any, live_council: Any
) -> None:
    from selfdirect.allocation import services
    from tests.allocation.test_allocations import _agree

    services.allocation_calculate(
        actor=live_council.users["practitioner"], assessment=_agree(live_council), flags={}
    )
    sign_in(page, live_server.url, "commissioner")
    page.get_by_role("link", name="RAS what-if").click()
    assert_accessible(page)
    page.get_by_label("Price per point: older people (£)").fill("lots")
    page.get_by_role("button", name="Show the effect").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter an amount in pounds, like 125.50"
    )
    assert_accessible(page)
    page.get_by_label("Price per point: older people (£)").fill("4.00")
    page.get_by_role("button", name="Show the effect").click()
    expect(page.get_by_role("img", name="Change in weekly cost by user group")).to_be_visible()
    expect(page.locator("main")).to_contain_text("People who would lose more than 10%")
    assert_accessible(page)

    page.get_by_role("link", name="calibrate the RAS against existing packages").click()
    assert_accessible(page)
    samples = Path(__file__).resolve().parents[2] / "docs" / "samples"
    page.get_by_label("Upload existing packages (CSV)").set_input_files(
        str(samples / "historic-packages.csv")
    )
    page.get_by_role("button", name="Calibrate").click()
    expect(
        page.get_by_role(
            "img", name="Weekly RAS amount with the fitted prices against actual weekly cost"
        )
    ).to_be_visible()
    assert_accessible(page)


def test_holder_asks_to_look_again_and_manager_decides(
    page: Page, live_server: Any, live_council: Any
) -> None:
    from selfdirect.allocation import services
    from tests.allocation.test_allocations import _agree

    allocation = services.allocation_calculate(
        actor=live_council.users["practitioner"], assessment=_agree(live_council), flags={}
    )
    # Signed off (a budget not yet signed off is changed at sign-off, not by a request).
    services.allocation_sign_off(
        actor=live_council.users["manager"], allocation=allocation, decision="approve"
    )
    sign_in(page, live_server.url, "holder")
    page.goto(f"{live_server.url}/budgets/{allocation.pk}/")
    page.get_by_role("link", name="Ask us to look again at this amount").click()
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Tell us why you think the amount is wrong"
    )
    assert_accessible(page)
    page.get_by_label("Why do you think the amount is wrong?").fill("I now need help every night.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("alert")).to_contain_text("We have your request. We will reply by")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, live_server.url, "manager")
    page.get_by_role("link", name="Ada Holder").first.click()
    page.goto(f"{live_server.url}/budgets/{allocation.pk}/")
    page.get_by_role("link", name="Decide this request").click()
    page.get_by_label("Upheld: the amount will change").check()
    page.get_by_label("New weekly amount, if upheld or partly upheld").fill("95.00")
    page.get_by_label("Explain the decision").fill(
        "Night-time needs were not captured; we will reassess."
    )
    page.get_by_label("The person needs a new assessment").check()
    assert_accessible(page)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert")).to_contain_text("The decision has been recorded")
    expect(page.locator("main")).to_contain_text("A new assessment will be arranged.")
    expect(page.locator("main")).to_contain_text("£95.00 a week")  # the new personal budget
    assert_accessible(page)
