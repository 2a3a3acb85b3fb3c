"""A long word in running text wraps at 320 px instead of widening the page (issue 13,
WCAG 1.4.10): a real surname of 35 letters in a heading, a caption and a summary list."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import NARROW, assert_accessible, assert_reflows, sign_in

LONG = "Wolfeschlegelsteinhausenbergerdorff"


def test_a_long_name_wraps_on_the_persons_pages(
    page: Page, live_server: Any, live_council: Any
) -> None:
    person = live_council.holder_person
    type(person).objects.filter(pk=person.pk).update(family_name=LONG)
    page.set_viewport_size(NARROW)
    sign_in(page, live_server.url, "holder")
    for url in (f"/people/{person.pk}/", f"/people/{person.pk}/history/"):
        page.goto(live_server.url + url)
        expect(page.locator("h1")).to_contain_text(LONG)
        assert_reflows(page)
        assert_accessible(page)
