"""A payment run in Chromium with axe-core, at full width and at 320 px: one finance officer
prepares it, a second approves and pays it, the bank file is made by its job and downloaded, and the
reconciliation agrees; the person's payment dates page too."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.operations.jobs import job_execute
from selfdirect.payments.models import PaymentRun
from tests.browser.conftest import assert_accessible, sign_in
from tests.jobs import jobs_run_queued
from tests.payments.helpers import dp_schedule, finance_officers, paid_plan


def _check_widths(page: Page) -> None:
    for width in (1200, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (page.url, width)
    page.set_viewport_size({"width": 1200, "height": 800})


def test_prepare_approve_pay_and_download(page: Page, live_server: Any, live_council: Any) -> None:
    paid_plan(live_council)
    dp_schedule(live_council)
    first, second = finance_officers(live_council)
    sign_in(page, live_server.url, first.username)
    page.goto(f"{live_server.url}/payments/runs/")
    expect(page.locator("h1")).to_have_text("Payment runs")
    _check_widths(page)
    # A wrong month first: the error summary and the inline error.
    page.get_by_label("Month the payment periods start in").fill("April")
    page.get_by_label("Every four weeks").check()
    page.get_by_role("button", name="Prepare the run").click()
    expect(page).to_have_title("Error: Payment runs – Selfdirect")
    _check_widths(page)
    page.get_by_label("Month the payment periods start in").fill("2026-04")
    page.get_by_role("button", name="Prepare the run").click()
    expect(page.locator("#run-status")).to_have_text("Prepared, waiting for approval")
    expect(page.locator("#lines")).to_contain_text("£321.50")
    expect(page.locator("#lines")).to_contain_text("less contribution £15.00 a week")
    expect(page.get_by_role("button", name="Approve the run")).to_have_count(0)
    _check_widths(page)
    run_url = page.url

    page.context.clear_cookies()
    sign_in(page, live_server.url, second.username)
    page.goto(run_url)
    page.get_by_role("button", name="Approve the run").click()
    expect(page.locator("#run-status")).to_have_text("Approved, waiting to be paid")
    _check_widths(page)
    page.get_by_role("button", name="Pay the run").click()
    expect(page.locator("#run-status")).to_have_text("Being paid")
    _check_widths(page)
    run = PaymentRun.objects.get()
    assert run.job is not None
    job_execute(job_id=run.job.pk, worker_id="browser-test")  # the worker's part
    page.get_by_role("link", name="See its progress").click()
    expect(page.locator("h1")).to_be_visible()
    page.goto(run_url)
    expect(page.locator("#run-status")).to_have_text("Paid")
    # Paying queued the job that makes the bank files: until it has run, the page says so.
    expect(page.locator("#files-waiting")).to_contain_text("being made in the background")
    assert jobs_run_queued("browser-test") == ["done"]
    page.goto(run_url)
    expect(page.locator("#files")).to_contain_text("checksum")
    _check_widths(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Bank payment file (CSV)").click()
    with open(download.value.path(), encoding="utf-8") as handle:
        text = handle.read()
    assert "Ada Holder" in text and ",32150," in text
    with page.expect_download() as download:
        page.get_by_role("link", name="Bank payment file (BACS Standard 18)").click()
    with open(download.value.path(), encoding="ascii", newline="") as handle:
        record = handle.read().split("\r\n")[0]
    assert len(record) == 106 and record[35:46] == "00000032150"
    page.get_by_role("link", name="Reconciliation").click()
    expect(page.locator("#file-result")).to_have_text("Agrees")
    expect(page.locator("#controls-result")).to_contain_text("Agrees")
    _check_widths(page)


def test_the_persons_payment_dates(page: Page, live_server: Any, live_council: Any) -> None:
    paid_plan(live_council)
    dp_schedule(live_council)
    sign_in(page, live_server.url, "holder")
    page.goto(f"{live_server.url}/payments/people/{live_council.holder_person.pk}/dates/")
    expect(page.locator("h1")).to_have_text("Payment dates")
    expect(page.locator("#dates")).to_contain_text("£143.00")
    _check_widths(page)


def test_the_schedule_form(page: Page, live_server: Any, live_council: Any) -> None:
    sign_in(page, live_server.url, "practitioner")
    page.goto(f"{live_server.url}/payments/people/{live_council.holder_person.pk}/schedule/")
    expect(page.locator("h1")).to_have_text("Set a payment schedule")
    _check_widths(page)
    page.get_by_role("button", name="Set the schedule").click()
    expect(page).to_have_title(
        f"Error: Set a payment schedule for {live_council.holder_person.full_name} – Selfdirect"
    )
    _check_widths(page)


def test_finance_records_a_bank_return_and_the_holder_sees_it(
    page: Page, live_server: Any, live_council: Any
) -> None:
    import datetime as dt

    from selfdirect.payments import services

    paid_plan(live_council)
    dp_schedule(live_council)
    first, second = finance_officers(live_council)
    run = services.run_prepare(actor=first, period="2026-04", frequency="four_weekly")
    services.run_approve(actor=second, run=run)
    services.run_execute(run_id=run.pk)
    jobs_run_queued("browser-test")
    sign_in(page, live_server.url, first.username)
    page.goto(f"{live_server.url}/payments/runs/{run.pk}/")
    expect(page.locator("#problems")).to_have_text("None recorded.")
    page.get_by_role("link", name="Record a return of the payment to Ada Holder").click()
    expect(page.locator("h1")).to_have_text("Record a returned payment")
    _check_widths(page)
    page.get_by_role("button", name="Record the returned payment").click()
    expect(page).to_have_title("Error: Record a returned payment for Ada Holder – Selfdirect")
    _check_widths(page)
    page.get_by_label("The account is closed (code B)").check()
    today = dt.date.today()
    page.get_by_label("Day", exact=True).fill(str(today.day))
    page.get_by_label("Month", exact=True).fill(str(today.month))
    page.get_by_label("Year", exact=True).fill(str(today.year))
    page.get_by_role("button", name="Record the returned payment").click()
    expect(page.locator("#problems")).to_contain_text("The account is closed")
    expect(page.locator("#problems")).to_contain_text("Waiting for a second finance officer")
    _check_widths(page)
    page.get_by_role("link", name="Upload the bank's returns file (CSV)").click()
    expect(page.locator("h1")).to_have_text("Upload the bank's returns")
    _check_widths(page)

    page.context.clear_cookies()
    sign_in(page, live_server.url, "holder")
    page.goto(f"{live_server.url}/your-money/{live_council.holder_person.pk}/")
    expect(page.locator("#payment-problems")).to_contain_text("was sent back by the bank")
    expect(page.locator("#payment-problems")).to_contain_text("once the bank details are put right")
    expect(page.locator("#movements")).to_contain_text("A payment the bank sent back")
    _check_widths(page)


def test_a_return_is_paid_by_the_next_run_or_marked_not_to_pay(
    page: Page, live_server: Any, live_council: Any
) -> None:
    """The next run's preview shows a returned period "paid again after a return" with the
    return's reference; another return is marked "do not pay again" on its page."""
    import datetime as dt

    from selfdirect.payments import problems, services
    from selfdirect.payments.models import PaymentLine

    paid_plan(live_council)
    dp_schedule(live_council)
    first, second = finance_officers(live_council)
    april = services.run_prepare(actor=first, period="2026-04", frequency="four_weekly")
    services.run_approve(actor=second, run=april)
    services.run_execute(run_id=april.pk)
    jobs_run_queued("browser-test")
    line = PaymentLine.objects.get(run=april)
    problem = problems.payment_problem_record(
        actor=first, line=line, reason="0", returned_on=dt.date.today()
    )
    may = services.run_prepare(actor=first, period="2026-05", frequency="four_weekly")
    sign_in(page, live_server.url, second.username)
    page.goto(f"{live_server.url}/payments/runs/{may.pk}/")
    expect(page.locator("#lines")).to_contain_text("Paid again after a return")
    expect(page.locator("#lines")).to_contain_text(f"return PP{problem.pk}")
    _check_widths(page)
    # On the April run, the return says which run pays it; mark it not to be paid instead.
    page.goto(f"{live_server.url}/payments/runs/{april.pk}/")
    expect(page.locator("#problems")).to_contain_text("To be paid again with payment run 2026-05")
    page.get_by_role("link", name="Do not pay again the payment to Ada Holder").click()
    expect(page.locator("h1")).to_have_text("Do not pay this returned payment again")
    _check_widths(page)
    page.get_by_role("button", name="Do not pay it again").click()
    expect(page).to_have_title(
        "Error: Do not pay again: returned payment for Ada Holder – Selfdirect"
    )
    _check_widths(page)
    page.get_by_label("Why it is not to be paid again").fill("The direct payment has ended")
    page.get_by_role("button", name="Do not pay it again").click()
    expect(page.locator("#problems")).to_contain_text(
        "Not to be paid again: The direct payment has ended"
    )
    _check_widths(page)
