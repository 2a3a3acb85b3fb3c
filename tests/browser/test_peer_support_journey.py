"""Peer support (issue 14, "Peer support and information"; holders-experience REQ-55,
REQ-67, REQ-69): an experienced holder offers to be a budget buddy, a holder asks for one,
a practitioner matches them, both agree and only then does the holder see the buddy's name
and contact; a holder asks a support organisation to contact them and the organisation
accepts. Chromium at 320 px, axe-core on every page."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.access.roles import Role
from selfdirect.peers.models import BuddyLink, Referral
from tests.browser.conftest import assert_accessible, assert_reflows, sign_in
from tests.peers.builders import buddy_holder, support_service

WIDTH = 320


def _check(page: Page) -> None:
    assert_accessible(page)
    assert_reflows(page)


def _as(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username)
    _check(page)


def test_req69_holder_asks_for_a_buddy_staff_match_both_agree_holder_sees_contact(
    page: Page, live_server: Any, live_council: Any
) -> None:
    buddy_holder(live_council)
    base = live_server.url
    page.set_viewport_size({"width": WIDTH, "height": 800})

    # Dot, an experienced holder, offers to be a budget buddy.
    _as(page, base, "dot")
    page.get_by_role("link", name="Budget buddies and support organisations").click()
    expect(page.locator("h1")).to_have_text("Your peer support")
    _check(page)
    page.get_by_role("link", name="Offer to be a budget buddy").click()
    _check(page)
    page.get_by_role("button", name="Send the offer").click()
    expect(page).to_have_title("Error: Offer to be a budget buddy – Selfdirect")
    _check(page)
    page.get_by_label("What could you help with?").fill("Employing a PA and payroll")
    page.get_by_label("How would you like to be contacted?").fill("Phone 07700 900123")
    page.get_by_label("Which areas could you help in?").fill("Dalesham, or by phone")
    page.get_by_role("button", name="Send the offer").click()
    expect(page.locator("#offers")).to_be_visible()
    _check(page)

    # Ada asks for a budget buddy.
    _as(page, base, "holder")
    page.get_by_role("link", name="Budget buddies and support organisations").click()
    page.get_by_role("link", name="Ask for a budget buddy").click()
    _check(page)
    page.get_by_label("What would you like help with?").fill("Finding and paying a PA")
    page.get_by_label("How would you like to be contacted?").fill("Email ada@example.org")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator("#requests ~ .govuk-summary-card").first).to_contain_text(
        "Waiting for a match"
    )
    _check(page)

    # The practitioner matches them from the work on their home page.
    _as(page, base, str(Role.PRACTITIONER))
    page.get_by_role("link", name="Match Ada Holder with a budget buddy").click()
    expect(page.locator("h1")).to_have_text("Budget buddies")
    _check(page)
    page.get_by_role("link", name="match a budget buddy", exact=False).click()
    _check(page)
    page.get_by_label("Dot Buddy (Dalesham, or by phone)", exact=False).check()
    page.get_by_role("button", name="Match and ask both").click()
    expect(page.locator("#link-status")).to_have_text("Waiting for both to agree")
    _check(page)
    link = BuddyLink.objects.get()

    # Ada says yes: she still sees what the buddy offers, not who they are.
    _as(page, base, "holder")
    page.goto(f"{base}/peers/links/{link.pk}/")
    expect(page.locator("#link-details")).to_contain_text("Employing a PA and payroll")
    expect(page.locator("#link-details")).not_to_contain_text("Dot Buddy")
    _check(page)
    page.get_by_role("button", name="Yes, go ahead").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("waiting for the other person")
    _check(page)

    # Dot says yes from her page of peer support.
    _as(page, base, "dot")
    page.get_by_role("link", name="Budget buddies and support organisations").click()
    page.get_by_role("link", name="As a budget buddy", exact=False).click()
    expect(page.locator("#link-details")).to_contain_text("Finding and paying a PA")
    expect(page.locator("#link-details")).not_to_contain_text("Ada Holder")
    page.get_by_role("button", name="Yes, go ahead").click()
    expect(page.locator("#other-name")).to_have_text("Ada Holder")
    _check(page)

    # Now Ada sees Dot's name and how to contact her.
    _as(page, base, "holder")
    page.goto(f"{base}/peers/links/{link.pk}/")
    expect(page.locator("#other-name")).to_have_text("Dot Buddy")
    expect(page.locator("#other-contact")).to_have_text("Phone 07700 900123")
    _check(page)


def test_req55_holder_asks_a_support_organisation_to_contact_them_and_it_accepts(
    page: Page, live_server: Any, live_council: Any
) -> None:
    ada = live_council.holder_person
    ada.phone = "07700 900456"
    ada.save()
    support_service(
        provider=live_council.users[Role.PROVIDER].profile.provider,
        code="help.payroll",
        name="Acme Payroll",
    )
    base = live_server.url
    page.set_viewport_size({"width": WIDTH, "height": 800})

    _as(page, base, "holder")
    page.get_by_role("link", name="Budget buddies and support organisations").click()
    page.get_by_role("link", name="Find a support organisation", exact=False).click()
    _check(page)
    page.get_by_label("Help with").select_option(label="Payroll")
    page.get_by_role("button", name="Show organisations").click()
    _check(page)
    page.get_by_role("link", name="Acme Payroll", exact=False).click()
    _check(page)
    page.get_by_role("button", name="Ask them to get in touch").click()
    expect(page).to_have_title("Error: Ask Acme Payroll to get in touch – Selfdirect")
    _check(page)
    page.get_by_label("Your phone number").check()
    page.get_by_label("What would you like help with?").fill("Paying my PA each month")
    page.get_by_label("I agree that this organisation may have", exact=False).check()
    page.get_by_role("button", name="Ask them to get in touch").click()
    expect(page.locator("#referrals ~ ul").first).to_contain_text("Waiting for the organisation")
    _check(page)

    # The organisation answers from its home page.
    _as(page, base, str(Role.PROVIDER))
    page.goto(f"{base}/provider/")
    page.get_by_role("link", name="People asking you to contact them: 1").click()
    _check(page)
    page.get_by_role("link", name="Ada Holder").click()
    expect(page.locator("#shared-details")).to_contain_text("07700 900456")
    _check(page)
    page.get_by_label("Yes, we will get in touch").check()
    page.get_by_label("What to tell the person").fill("We will phone you on Monday.")
    page.get_by_role("button", name="Send your answer").click()
    expect(page.locator("tbody")).to_contain_text("Accepted")
    _check(page)
    assert Referral.objects.get().status == Referral.Status.ACCEPTED

    # Ada reads the answer.
    _as(page, base, "holder")
    page.get_by_role("link", name="Budget buddies and support organisations").click()
    expect(page.locator("#referrals ~ ul").first).to_contain_text("We will phone you on Monday.")
    _check(page)
