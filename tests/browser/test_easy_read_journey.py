"""Issue 13's done-means journey: a person with easy-read needs reads their budget, plan
and a letter in easy read, in Chromium, with zero axe-core violations and no sideways
scrolling at 320 px; then the help and information pages and the guides, signed out
(docs/easy-read.md, decision 0041)."""

from __future__ import annotations

import io
import re
from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.portal.help import GUIDES, TOPICS
from tests.access.records import records_build
from tests.browser.conftest import NARROW, WIDE, assert_accessible, assert_reflows, sign_in


def _check(page: Page) -> None:
    page.set_viewport_size(WIDE)
    assert_accessible(page)
    page.set_viewport_size(NARROW)
    assert_accessible(page)
    assert_reflows(page)
    page.set_viewport_size(WIDE)


def _pdf_text(page: Page, url: str) -> str:
    from pypdf import PdfReader

    response = page.request.get(url)
    assert response.status == 200, f"{url}: {response.status}"
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def test_a_person_who_needs_easy_read_reads_budget_plan_and_letter(
    page: Page, live_server: Any, live_council: Any
) -> None:
    records = records_build(live_council)["own"]
    person = live_council.holder_person
    # Easy read and large print: every page reads larger, and still reflows at 320 px.
    person.needs_easy_read = person.needs_large_print = True
    person.save(update_fields=["needs_easy_read", "needs_large_print"])
    base = live_server.url
    sign_in(page, base, "holder")
    easy = page.locator("#easy-read")

    # Home: easy read first, and a way to help in easy read.
    expect(easy).to_contain_text("This is your home page.")
    expect(page.locator("#communication-needs")).to_have_count(0)
    assert "sd-large-print" in (page.locator("html").get_attribute("class") or "")
    _check(page)

    # The budget: the weekly amount first.
    page.goto(f"{base}/budgets/{records.allocation.pk}/")
    expect(easy.locator("p").first).to_contain_text("Your budget is £")
    _check(page)

    # The plan, approved: easy read first, and its PDF with the easy-read part first.
    page.goto(f"{base}/plans/{records.approved.pk}/")
    expect(easy).to_contain_text("This is your support plan.")
    expect(page.locator("#communication-needs")).to_have_count(0)
    _check(page)

    # A letter: the notice of a change, easy read first in the PDF itself.
    page.goto(f"{base}/holding/notices/{records.notice.pk}/")
    expect(easy).to_contain_text("each week")
    _check(page)
    letter = _pdf_text(page, f"{base}/holding/notices/{records.notice.pk}/letter.pdf")
    assert letter.index("In short") < letter.index("The full letter") < letter.index("Why")

    # The reader may choose the standard page, and open easy read again.
    page.goto(f"{base}/plans/{records.approved.pk}/?version=standard")
    page.get_by_text("Read this in easy read").click()
    expect(easy).to_contain_text("This is your support plan.")
    _check(page)


def test_help_and_guides_signed_out(page: Page, live_server: Any) -> None:
    base = live_server.url
    urls = (
        ["/help/"] + [f"/help/{t.slug}/" for t in TOPICS] + [f"/guides/{g.slug}/" for g in GUIDES]
    )
    for url in urls:
        for query in ("", "?version=easy-read"):
            page.goto(base + url + query)
            expect(page.locator("h1")).to_have_count(1)
            _check(page)
