"""Pooled budgets and notices of a reduction or stop in Chromium: each page, and each form
showing its errors, with zero axe-core violations."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.access.records import _approved_plan, _url
from tests.access.test_matrix import MATRIX
from tests.browser.conftest import assert_accessible, sign_in

# The budgets app's pool and notice pages (not another app's page with "notice" in its name).
OURS = [
    name
    for name in MATRIX
    if name.startswith("budgets:") and (name.startswith("budgets:pool") or "notice" in name)
]


def _walk(page: Page, live_server: Any, live_council: Any, names: list[str]) -> None:
    for name in names:
        page.goto(live_server.url + _url(name, live_council, "holder"))
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)


def test_pool_and_notice_pages_for_staff_and_holder(
    page: Page, live_server: Any, live_council: Any
) -> None:
    sign_in(page, live_server.url, "practitioner")
    staff = [n for n in OURS if MATRIX[n].method != "action" and n != "budgets:notice_letter"]
    _walk(page, live_server, live_council, staff)
    plan = _approved_plan(live_council, "holder")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    expect(page.get_by_role("link", name="Give notice of a reduction or stop")).to_be_visible()
    expect(page.locator("main")).to_contain_text("a week of this is Ada's share of")
    assert_accessible(page)
    page.context.clear_cookies()
    sign_in(page, live_server.url, "holder")
    _walk(page, live_server, live_council, ["budgets:pools", "budgets:pool", "budgets:notice"])
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    expect(page.locator("main")).to_contain_text("a week of this is your share of")
    assert_accessible(page)


def test_pool_and_notice_forms_with_errors(page: Page, live_server: Any, live_council: Any) -> None:
    sign_in(page, live_server.url, "practitioner")
    plan = _approved_plan(live_council, "holder")
    for url in (
        reverse("budgets:pool_new"),
        _url("budgets:pool_share_new", live_council, "holder"),
        reverse("budgets:notice_new", kwargs={"plan_id": plan.pk}),
    ):
        page.goto(live_server.url + url)
        for box in page.locator("input[name$='_day']").all():
            box.fill("")
        page.locator("main form button[type=submit]").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        assert page.title().startswith("Error: ")
        assert_accessible(page)
