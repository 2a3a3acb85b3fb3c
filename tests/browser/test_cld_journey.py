"""An analyst (the commissioner role) in Chromium: from the market dashboard opens the ASCOF
self-directed support measures for 31 March 2026 (table and chart), goes on to the Client
Level Data page, gets a bad period named, makes the return (a background job), reads its
validation report and downloads the return. Zero axe-core violations on every page, and
the ASCOF and report pages work 320 px wide."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.allocation.services import ras_versions_install_defaults
from selfdirect.assessment.services import questionnaires_install_defaults
from selfdirect.people.models import Person
from selfdirect.returns.models import CldExport
from tests.browser.conftest import assert_accessible, assert_reflows, sign_in
from tests.jobs import jobs_run_queued
from tests.returns.test_ascof import _held


def _caseload() -> None:
    questionnaires_install_defaults()
    ras_versions_install_defaults()
    from tests.factories import make_user

    worker = make_user("cld-worker", ["practitioner"])
    _held(worker, "J1", dt.date(1950, 1, 1), ["direct_payment"])
    _held(worker, "J2", dt.date(1980, 1, 1), ["direct_payment", "council_commissioned"])
    no_nhs = _held(worker, "J3", dt.date(1970, 1, 1), ["council_commissioned"])
    Person.objects.filter(pk=no_nhs.pk).update(nhs_number=None)


def _fill_date(page: Page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_an_analyst_reads_ascof_and_makes_the_cld_return(
    page: Page, live_server: Any, live_council: Any
) -> None:
    _caseload()
    sign_in(page, live_server.url, "commissioner")
    page.get_by_role("link", name="Market oversight").click()
    page.get_by_role("link", name="ASCOF self-directed support measures (3D)").click()
    expect(page.locator("h1")).to_have_text("ASCOF self-directed support measures")
    _fill_date(page, "Date of the snapshot", "31", "3", "2026")
    page.get_by_role("button", name="Show the measures").click()
    expect(page.get_by_role("heading", name="As at 31 March 2026")).to_be_visible()
    expect(page.get_by_role("img", name="ASCOF 3D as at 31 March 2026, all ages")).to_be_visible()
    table = page.get_by_role("table", name="ASCOF 3D by part and age")
    row = table.locator('tr[data-part="3D part 2a"][data-age="All ages"]')
    expect(row).to_contain_text("66.7%")  # J1 and J2 (part direct payment) of three
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_reflows(page)
    assert_accessible(page)
    page.set_viewport_size({"width": 1200, "height": 900})

    page.get_by_role("link", name="Make the NHS England Client Level Data return").click()
    expect(page.locator("h1")).to_have_text("NHS England Client Level Data return")
    assert_accessible(page)
    _fill_date(page, "Start of the period", "1", "4", "2025")
    _fill_date(page, "End of the period", "31", "1", "2025")
    page.get_by_role("button", name="Make the return").click()
    expect(page).to_have_title("Error: NHS England Client Level Data return – Selfdirect")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The period ends (2025-01-31) before it starts (2025-04-01)")
    assert_accessible(page)
    _fill_date(page, "End of the period", "31", "3", "2026")
    page.get_by_role("button", name="Make the return").click()
    expect(page.locator("#job-status")).to_have_text("Queued")
    assert_accessible(page)
    assert jobs_run_queued("browser-test") == ["done"]  # the worker's part
    page.get_by_role("link", name="Check again").click()
    expect(page.locator("#job-status")).to_have_text("Done")
    page.get_by_role("link", name="Read the validation report and download the return").click()

    expect(page.locator("h1")).to_have_text("1 April 2025 to 31 March 2026")
    expect(page.get_by_role("heading", name="Validation report")).to_be_visible()
    nhs = page.get_by_role("table", name="NHS Number:", exact=False)
    expect(nhs).to_contain_text("J3")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_reflows(page)
    assert_accessible(page)
    page.set_viewport_size({"width": 1200, "height": 900})
    export = CldExport.objects.get()
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download the return ({export.file_name})").click()
    assert download.value.suggested_filename == "cld-20250401-20260331.csv"
    assert Path(download.value.path()).read_bytes() == export.content.encode("utf-8")
