"""Every page each role can reach, in Chromium, with zero axe-core violations
(WCAG 2.2 A and AA), including forms showing their errors, and every page reflows at
320 CSS pixels without scrolling sideways (WCAG 1.4.10, issue 13; docs/accessibility.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from selfdirect.access.roles import Role
from tests.access.records import _url
from tests.access.test_matrix import MATRIX, expected, relations_of
from tests.browser.conftest import (
    NARROW,
    WIDE,
    assert_accessible,
    assert_reflows,
    reflow_failures,
    sign_in,
)

# Routes that answer with a file (a PDF letter, a CSV, a ZIP), not a page: axe has nothing to check.
NOT_HTML = {
    "market:dashboard_csv",
    "returns:ascof_csv",
    "returns:cld_download",
    "returns:cld_report_download",
    "evaluation:outcomes_csv",
    "evaluation:outcomes_xlsx",
    "evaluation:outcomes_pdf",
    "evaluation:carers_csv",
    "evaluation:carers_xlsx",
    "evaluation:carers_pdf",
    "ibsen:outcomes_download",
    "ibsen:cost_effectiveness_download",
    "surveys:letters",
    "surveys:reminder_batch",
    "payments:run_csv",
    "employers:payroll_csv",
    "payments:run_bacs",
    "payments:problem_csv",
    "payments:problem_bacs",
    "payments:run_remittance",
    "allocation:letter",
    "allocation:panel_letter",
    "allocation:challenge_letter",
    "assessment:eligibility_letter",
    "planning:pdf",
    "budgets:notice_letter",
    "money:statement_pdf",
    "money:statement_csv",
    "recovery:letter",
    "charging:letter",
    "audit_trail:person_csv",
    "audit_trail:staff_csv",
    "audit_trail:person_record",
    "jobs:download",
    "healthz",  # JSON for load balancers
}


# The people's roles, the most likely to read on a phone: their pages get axe at 320 px too.
PEOPLE = {Role.HOLDER, Role.REPRESENTATIVE, Role.CARER, Role.PROVIDER}


def _pages_for(role: Role) -> list[str]:
    """The pages the access matrix says the role is shown for the holder's records."""
    names = []
    for name, route in MATRIX.items():
        if route.method == "action" or name in ("login", "start") or name in NOT_HTML:
            continue
        if name.split(":")[0] in ("access", "assessment_admin", "ras_admin"):
            continue  # the administrators' pages, walked below
        if expected(route.expect, relations_of(route)[0], str(role)) == 200:
            names.append(name)
    return names


@pytest.mark.parametrize("role", list(Role))
def test_every_page_for_role_has_no_axe_violations(
    page: Page, live_server: Any, live_council: Any, role: Role
) -> None:
    sign_in(page, live_server.url, str(role))
    assert_accessible(page)  # home
    urls = [_url(name, live_council, "holder") for name in _pages_for(role)]
    if role == Role.ADMIN:
        urls += [
            _url(name, live_council, "holder")
            for name, route in MATRIX.items()
            if name.split(":")[0] in ("access", "assessment_admin", "ras_admin")
            and route.method != "action"
            and not name.endswith(":export")
        ]
    wide: list[str] = []
    for url in urls:
        page.set_viewport_size(WIDE)
        page.goto(live_server.url + url)
        expect(page.locator("h1")).to_have_count(1)
        # The page's title is words a screen reader reads first: never markup.
        assert "<" not in page.title() and page.title().endswith(" – Selfdirect"), url
        assert_accessible(page)
        page.set_viewport_size(NARROW)
        wide += reflow_failures(page)
        if role in PEOPLE:
            assert_accessible(page)  # axe again as a phone shows the page
    assert not wide, "Pages wider than 320 px at a 320 px viewport:\n" + "\n".join(wide)


def test_forms_with_errors_have_no_axe_violations(
    page: Page, live_server: Any, live_council: Any
) -> None:
    sign_in(page, live_server.url, "practitioner")
    person = live_council.holder_person
    for url in (
        reverse("people:new"),
        reverse("people:edit", kwargs={"person_id": person.pk}),
        reverse("people:relationship_new", kwargs={"person_id": person.pk}),
        reverse("people:consent_new", kwargs={"person_id": person.pk}),
    ):
        page.goto(live_server.url + url)
        if "edit" in url:
            page.get_by_label("First name").fill("")
        else:
            for box in page.locator("input[name$='_day']").all():
                box.fill("")
        page.locator("main form button[type=submit]").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_be_focused()
        assert page.title().startswith("Error: ")
        assert_accessible(page)
        page.set_viewport_size(NARROW)  # the errors reflow at 320 px too (WCAG 1.4.10)
        assert_reflows(page)
        page.set_viewport_size(WIDE)
        # Each link in the summary moves focus to its field.
        first_link = summary.locator("a").first
        target = first_link.get_attribute("href")
        first_link.click()
        expect(page.locator(str(target))).to_be_focused()


def test_practitioner_changes_a_record_and_sees_it_in_history(
    page: Page, live_server: Any, live_council: Any
) -> None:
    person = live_council.holder_person
    sign_in(page, live_server.url, "practitioner")
    page.goto(f"{live_server.url}/people/{person.pk}/")
    page.get_by_role("link", name="Change details").click()
    page.get_by_label("Spoken language interpreter").fill("Polish")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert")).to_contain_text("The changes have been saved")
    expect(page.locator("#communication-needs")).to_contain_text("Interpreter: Polish")
    assert_accessible(page)
    page.get_by_role("link", name="History").click()
    expect(page.locator("table")).to_contain_text("(blank) → Polish")
    expect(page.locator("table")).to_contain_text("practitioner")
    assert_accessible(page)
