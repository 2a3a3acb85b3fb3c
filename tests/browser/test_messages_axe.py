"""Issue 13: the person's messages with their unread count, one message, and what staff see
was sent, in Chromium with axe-core, at full width and at 320 px."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.notify.models import Message
from selfdirect.notify.services import notification_send
from selfdirect.people.codes import ContactMethod
from tests.browser.conftest import assert_accessible, sign_in


def test_a_holder_reads_a_message_and_staff_see_it_was_sent(
    page: Page, live_server: Any, live_council: Any
) -> None:
    person = live_council.holder_person
    person.preferred_contact_method, person.email = ContactMethod.EMAIL, "ada@example.org"
    person.save()
    notification_send(
        actor=None,
        person=person,
        kind=Message.Kind.NOTICE,
        subject="Notice of a change to {whose} budget",
        body="From 1 March 2027 {whose} direct payment changes from £74.00 to £60.00 a week.",
        key="browser-notice",
        link="/home/",
    )
    sign_in(page, live_server.url, "holder")
    for width in (1200, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}/home/")
        if width == 1200:  # unread until it is opened below
            expect(page.locator("#unread-count")).to_have_text("1 unread")
        else:  # the menu folds away behind its button on a narrow screen
            page.get_by_role("button", name="Menu").click()
        page.get_by_role("link", name="Messages").click()
        expect(page.locator("h1")).to_have_text("Messages")
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        page.get_by_role("link", name="Notice of a change to your budget").click()
        expect(page.locator("h1")).to_have_text("Notice of a change to your budget")
        expect(page.locator("main")).to_contain_text(
            "We also sent this by email to ada@example.org"
        )
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
    expect(page.locator("#unread-count")).to_have_count(0)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1200, "height": 800})
    sign_in(page, live_server.url, "practitioner")
    page.goto(f"{live_server.url}/people/{person.pk}/")
    page.get_by_role("link", name="Messages sent (2)").click()
    expect(page.locator("h1")).to_have_text("Messages sent")
    expect(page.locator("main")).to_contain_text("Email: sent")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
