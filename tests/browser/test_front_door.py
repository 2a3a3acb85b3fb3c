"""The front door and case notes in Chromium, with axe-core on every page state (errors
included) and at 320 px: find the person, record a contact, triage it, start the
assessment; write a note shared with the person, who reads it in their own sign-in."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.casework.models import Contact
from tests.browser.conftest import assert_accessible, sign_in


def test_contact_to_triage_to_assessment_and_a_shared_note(
    page: Page, live_server: Any, live_council: Any
) -> None:
    sign_in(page, live_server.url, "practitioner")
    page.get_by_role("link", name="Front door").click()
    expect(page.locator("h1")).to_have_text("Front door")
    assert_accessible(page)
    page.get_by_label("Name, date of birth or NHS number").fill("Ada Holder")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Record a contact for Ada Holder").click()
    assert_accessible(page)
    page.get_by_label("A relative or friend").check()
    page.get_by_role("button", name="Record the contact").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select how they made contact")
    expect(summary).to_contain_text("Enter what they told you")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Their name (if not the person)").fill("Fay Holder")
    page.get_by_label("Phone").check()
    page.get_by_label("What it is about").select_option(label="Needs have changed")
    page.get_by_label("What they told you").fill("Mum has had two falls this month")
    page.get_by_label("Urgent", exact=True).check()
    page.get_by_role("button", name="Record the contact").click()
    expect(page.locator("h1")).to_contain_text("Contact of")
    assert_accessible(page)

    page.get_by_label("Urgent: act now").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what happens next")
    assert_accessible(page)
    page.get_by_label("Refer for an assessment").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.locator("main")).to_contain_text("The assessment has been started")
    contact = Contact.objects.get()
    assert contact.assessment is not None and contact.assessment.person.given_name == "Ada"

    page.goto(f"{live_server.url}/casework/front-door/?show=all")
    expect(page.locator("main")).to_contain_text("assessment started")
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page)
    page.set_viewport_size({"width": 1200, "height": 900})

    page.goto(f"{live_server.url}/casework/people/{contact.person_id}/notes/")
    page.get_by_role("button", name="Add the note").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the note")
    assert_accessible(page)
    page.get_by_label("Phone call").check()
    page.get_by_label("Note", exact=True).fill("Rang Ada: we will visit on Tuesday")
    page.get_by_label("Share this note with the person").check()
    page.get_by_role("button", name="Add the note").click()
    expect(page.locator("main")).to_contain_text("Shared with the person.")
    page.get_by_role("link", name="Change").click()
    assert_accessible(page)
    page.get_by_label("Note", exact=True).fill("Rang Ada: we will visit on Wednesday")
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator("main")).to_contain_text("what it said before is kept")

    page.context.clear_cookies()
    sign_in(page, live_server.url, "holder")
    page.goto(f"{live_server.url}/casework/people/{contact.person_id}/notes/")
    expect(page.locator("main")).to_contain_text("we will visit on Wednesday")
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page)


def test_a_referral_is_acted_on_from_the_home_page(
    page: Page, live_server: Any, live_council: Any
) -> None:
    from selfdirect.assessment.models import Referral
    from selfdirect.assessment.services import answer_record

    answer_record(
        actor=live_council.users["holder"],
        assessment=live_council.holder_assessment,
        section_id="equipment",
        option_id="need",
        view="person",
    )
    sign_in(page, live_server.url, "practitioner")
    page.get_by_role("link", name="Community equipment for Ada Holder").click()
    assert_accessible(page)
    page.get_by_label("Decided it is not needed").check()
    page.get_by_role("button", name="Record what you did").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why the referral is not needed"
    )
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Why it is not needed (if not needed)").fill("Has a walking frame already")
    page.get_by_role("button", name="Record what you did").click()
    expect(page.locator("main")).to_contain_text("declined (Has a walking frame already)")
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page)
    assert Referral.objects.get().status == "not_needed"


def test_a_request_to_look_again_by_letter_is_logged_and_the_person_sees_it(
    page: Page, live_server: Any, live_council: Any
) -> None:
    from selfdirect.access.roles import Role
    from selfdirect.allocation import services
    from tests.allocation.test_allocations import _agree

    allocation = services.allocation_calculate(
        actor=live_council.users[Role.PRACTITIONER], assessment=_agree(live_council), flags={}
    )
    sign_in(page, live_server.url, "practitioner")
    page.goto(f"{live_server.url}/budgets/{allocation.pk}/")
    page.get_by_role("link", name="Log a request to look again").click()
    assert_accessible(page)
    page.get_by_role("button", name="Log the request").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select how the request came")
    expect(summary).to_contain_text("Enter why they think the amount is wrong")
    assert_accessible(page)
    page.get_by_label("By letter").check()
    page.get_by_label("Who asked").fill("Ada Holder herself")
    page.get_by_label("Why they think the amount is wrong").fill("My needs at night are missed")
    page.get_by_role("button", name="Log the request").click()
    expect(page.locator("main")).to_contain_text("By letter, from Ada Holder herself")
    page.context.clear_cookies()
    sign_in(page, live_server.url, "holder")
    page.goto(f"{live_server.url}/budgets/{allocation.pk}/")
    expect(page.locator("main")).to_contain_text("My needs at night are missed")
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page)
