"""A budget worked out with a RAS that matches a council's spreadsheet (the carer first,
running uplifts, exact arithmetic): the explanation says what each step was applied to and
where it rounded, for the practitioner and the person, with no axe-core violations at full
width and at 320 px, and the RAS version's page shows the options."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in


def _fits(page: Page) -> None:
    """Nothing makes the page itself scroll sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, f"{page.url}: {width}px wide"  # type: ignore[index]


def test_an_exact_budget_explained_to_the_practitioner_and_the_person(
    page: Page, live_server: Any, live_council: Any
) -> None:
    from selfdirect.access.roles import Role
    from selfdirect.allocation import services
    from tests.allocation.test_allocations import _agree
    from tests.allocation.test_ras_format import SHIPPED

    data = json.loads(SHIPPED[0].read_text())
    data["arithmetic"] = "exact"
    data["carer_adjustment"]["applies_to"] = "before_uplifts"
    for uplift in data["uplifts"]:
        if uplift["kind"] == "percent_if_flag":
            uplift["applies_to"] = "running"
    version = services.ras_version_create(actor=None, data=data, effective_from=dt.date.today())
    allocation = services.allocation_calculate(
        actor=live_council.users[Role.PRACTITIONER],
        assessment=_agree(live_council),
        flags={"rural": True, "agency": True},
    )
    for who in ("practitioner", "holder"):
        page.context.clear_cookies()
        sign_in(page, live_server.url, who)
        for width in (1200, 320):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server.url}/budgets/{allocation.pk}/")
            expect(page.locator(".govuk-panel__title")).to_have_text("£94.00 a week")
            main = page.locator("main")
            expect(main).to_contain_text("10% of £73.92, the amount after the steps above")
            expect(main).to_contain_text("rounded only once, at the end")
            expect(main).to_contain_text("Rounding, once at the end")
            assert_accessible(page)
            _fits(page)
    page.context.clear_cookies()
    sign_in(page, live_server.url, "admin")
    for width in (1200, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/admin/ras/{version.pk}/")
        expect(page.locator("main")).to_contain_text("Exact: fractions of a penny are kept")
        assert_accessible(page)
        _fits(page)
