"""A commissioner makes a survey campaign; the holder it invites answers "Tell us how it
went" in the portal, page by page, checks the answers and sends them (issue 15, "done
means": a holder answers the survey in the portal). Chromium at 320 px, axe-core on
every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.surveys.models import Invitation, Response
from selfdirect.surveys.questions import question_pages
from tests.browser.conftest import assert_accessible, assert_reflows, sign_in
from tests.surveys.helpers import plan_with_review, poet

WIDTH = 320


def _check(page: Page) -> None:
    assert_accessible(page)
    assert_reflows(page)


def _date(page: Page, name: str, day: dt.date) -> None:
    page.fill(f"input[name={name}_day]", str(day.day))
    page.fill(f"input[name={name}_month]", str(day.month))
    page.fill(f"input[name={name}_year]", str(day.year))


def test_a_commissioner_makes_a_campaign_and_the_holder_answers_it(
    page: Page, live_server: Any, live_council: Any
) -> None:
    today = dt.date.today()
    plan_with_review(live_council, live_council.holder_person, due=today + dt.timedelta(days=7))
    base = live_server.url
    page.set_viewport_size({"width": WIDTH, "height": 800})

    # The commissioner makes the campaign from their home page.
    sign_in(page, base, "commissioner")
    page.get_by_role("link", name="Survey campaigns and response rates").click()
    expect(page.locator("h1")).to_have_text("Survey campaigns")
    _check(page)
    page.get_by_role("link", name="Make a campaign").click()
    _check(page)
    page.get_by_role("button", name="Make the campaign and invite people").click()
    expect(page).to_have_title("Error: Make a survey campaign – Selfdirect")
    _check(page)
    page.get_by_label("Name of the campaign").fill("Reviews this season")
    page.get_by_label("POET survey for personal budget holders (version 1)").check()
    page.get_by_label("Everyone whose review falls in the period").check()
    _date(page, "period_start", today - dt.timedelta(days=30))
    _date(page, "period_end", today + dt.timedelta(days=30))
    page.get_by_label("A message in the portal").check()
    page.get_by_label("Consent wording").fill("We use your answers to improve support.")
    page.get_by_label("No", exact=True).check()
    _date(page, "closes_on", today + dt.timedelta(days=42))
    page.get_by_role("button", name="Make the campaign and invite people").click()
    expect(page.locator("h1")).to_have_text("Reviews this season")
    expect(page.locator("#campaign-counts")).to_contain_text("Invited: 1.")
    expect(page.locator("body")).not_to_contain_text("Ada")
    _check(page)
    assert Invitation.objects.get().person == live_council.holder_person

    # The holder answers from their home page.
    page.context.clear_cookies()
    sign_in(page, base, "holder")
    _check(page)
    page.get_by_role("link", name="Tell us how your support went").click()
    expect(page.locator("h1")).to_have_text("Tell us how it went")
    _check(page)
    page.get_by_role("button", name="Start now").click()
    _check(page)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Error: Who is answering? – Selfdirect")
    _check(page)
    page.get_by_label("I am answering on my own").check()
    page.get_by_role("button", name="Continue").click()
    # The outcome areas: one page of radio groups on one scale.
    expect(page.locator("h1")).to_have_text(
        "Has the personal budget made a difference to these parts of life?"
    )
    _check(page)
    page.get_by_role("group", name="Being supported with dignity and respect").get_by_label(
        "Made things a lot better"
    ).check()
    page.get_by_role("group", name="Your quality of life").get_by_label(
        "Made things better", exact=True
    ).check()
    page.get_by_role("button", name="Continue").click()
    for _ in range(len(question_pages(poet())) - 1):
        _check(page)
        page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your answers before sending them")
    _check(page)
    page.get_by_role("button", name="Send the answers").click()
    expect(page).to_have_title("Error: Check your answers before sending them – Selfdirect")
    _check(page)
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Send the answers").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Answers sent")
    _check(page)
    response = Response.objects.get()
    assert (response.answered_by, response.channel, response.person) == (
        "self",
        "portal",
        live_council.holder_person,
    )
    assert {(a.item.code, a.value) for a in response.answers.all()} == {
        ("dignity", "5"),
        ("quality_of_life", "4"),
    }


def test_a_team_manager_sees_the_reminder_letters_to_print(
    page: Page, live_server: Any, live_council: Any
) -> None:
    """The campaign page's reminder letters: due, with the button that prints them; then
    printed, with the batch to print again. Axe-clean and reflowing at 320 px both ways."""
    from django.utils import timezone

    from selfdirect.people.selectors import people_visible_to
    from selfdirect.surveys import campaigns
    from selfdirect.surveys.models import Campaign
    from tests.surveys.helpers import campaign_make

    plan_with_review(live_council, live_council.holder_person)
    campaign = campaign_make(live_council, invite_by=Campaign.InviteBy.LETTER, reminder_days=7)
    Invitation.objects.filter(campaign=campaign).update(
        letter_printed_at=timezone.now() - dt.timedelta(days=8)
    )
    page.set_viewport_size({"width": WIDTH, "height": 800})
    sign_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/surveys/campaigns/{campaign.pk}/")
    expect(page.get_by_role("heading", name="Reminder letters to print")).to_be_visible()
    expect(page.get_by_role("button", name="Print 1 reminder letter (PDF)")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Ada")
    _check(page)
    manager = live_council.users["manager"]
    campaigns.reminder_letters_batch(
        actor=manager, campaign=campaign, people=people_visible_to(manager)
    )
    page.reload()
    expect(page.get_by_text("No reminder letters are due")).to_be_visible()
    expect(page.get_by_role("table", name="Reminder letters printed")).to_contain_text("1")
    expect(page.get_by_role("link", name="Print again")).to_be_visible()
    _check(page)
