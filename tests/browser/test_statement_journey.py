"""A holder uploads a bank statement (CSV) in Chromium at 320 px, follows the import's
status page, sees the balance and the flags in plain words and explains one: zero axe-core
violations on every page, no sideways scrolling. Finance then sees the person on the
monitoring list and decides the flag."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from selfdirect.monitoring.models import Flag
from tests.browser.conftest import assert_accessible, sign_in
from tests.budgets.test_holding import _plan
from tests.factories import make_user
from tests.jobs import jobs_run_queued


def _check(page: Page) -> None:
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, f"{page.url} scrolls sideways"


def _statement() -> bytes:
    today = dt.date.today()
    rows = [
        (0, "COUNCIL DIRECT PAYMENT", "", "400.00", "400.00"),
        (1, "FASTER PAYMENT SAM WAGES", "30.00", "", "370.00"),
        (2, "ELECTRONICS WORLD LONDON", "75.00", "", "295.00"),
    ]
    lines = ["Date,Description,Paid out,Paid in,Balance"] + [
        f"{(today + dt.timedelta(days=d)).strftime('%d/%m/%Y')},{who},{out},{paid_in},{balance}"
        for d, who, out, paid_in, balance in rows
    ]
    return ("\n".join(lines) + "\n").encode()


def test_holder_uploads_a_statement_sees_flags_and_balance(
    page: Page, live_server: Any, live_council: Any
) -> None:
    _plan(live_council)  # £30 a week by direct payment to Sam
    person = live_council.holder_person
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, live_server.url, "holder")
    page.goto(live_server.url + reverse("monitoring:statements", args=[person.pk]))
    _check(page)
    page.get_by_role("button", name="Upload a statement").click()
    _check(page)
    # Submitting without a file: the error summary, the field's error, "Error: " in the title.
    page.get_by_role("button", name="Upload and check").click()
    expect(page).to_have_title("Error: Upload a statement – Selfdirect")
    _check(page)
    page.get_by_label("Upload a statement").set_input_files(
        {"name": "my-bank.csv", "mimeType": "text/csv", "buffer": _statement()}
    )
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator("#job-status")).to_contain_text("Queued")
    _check(page)
    jobs_run_queued()
    page.reload()
    expect(page.locator("#job-status")).to_contain_text("Done")
    _check(page)
    page.get_by_role("link", name="See the statements and anything to explain").click()
    expect(page.locator("#balance")).to_contain_text("£295.00")
    expect(page.locator("#balance")).to_contain_text("about 9.8 weeks of your budget")
    _check(page)
    page.locator("main ul.govuk-list a").first.click()
    expect(page.locator("main")).to_contain_text(
        "We could not match this payment of £75.00 to your support plan"
    )
    expect(page.locator("main")).to_contain_text("More money in the account than expected")
    expect(page.locator("main")).to_contain_text("Personal assistant (in your plan)")
    _check(page)
    page.get_by_role("link", name=re.compile("Explain this.*ELECTRONICS WORLD")).click()
    _check(page)
    page.get_by_role("button", name="Send your explanation").click()
    expect(page).to_have_title(
        "Error: Explain: a payment we could not match to your plan – Selfdirect"
    )
    _check(page)
    page.get_by_label("What was it for?").fill(
        "A tablet to video-call my PA, agreed with my worker"
    )
    page.get_by_role("button", name="Send your explanation").click()
    expect(page.locator("main")).to_contain_text("Explained, waiting for the council")
    _check(page)

    # Finance: the list of checks due, and the decision on the flag.
    make_user("finance-officer", ["finance"])
    page.context.clear_cookies()
    sign_in(page, live_server.url, "finance-officer")
    page.goto(live_server.url + reverse("monitoring:list"))
    expect(page.locator("main table")).to_contain_text(person.full_name)
    _check(page)
    page.goto(live_server.url + reverse("monitoring:person", args=[person.pk]))
    expect(page.locator("#tier")).to_contain_text("Light touch")
    _check(page)
    flag = Flag.objects.get(kind="unexplained")
    page.goto(live_server.url + reverse("monitoring:statement", args=[flag.statement_id]))
    _check(page)
    page.locator("summary", has_text="ELECTRONICS WORLD").click()
    page.locator(f"#decision-clear-{flag.pk}").check()
    page.locator(f"#note-{flag.pk}").fill("Equipment agreed in the plan review")
    page.locator(f"form[action$='/flags/{flag.pk}/decide'] button").click()
    expect(page.locator("main")).to_contain_text("The decision on the flag has been recorded")
    _check(page)
    flag.refresh_from_db()
    assert flag.status == Flag.Status.CLEARED
