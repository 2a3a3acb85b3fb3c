"""The request log of a real browser journey (a wrong sign-in with an email address, a
search by name, a person's page) holds request ids but no name, NHS number, email or
search text (decision 0014)."""

from __future__ import annotations

import io
import json
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD
from tests.test_observability import log_lines  # noqa: F401 (a fixture)


def test_a_browser_journey_logs_no_personal_data(
    page: Page,
    live_server: Any,
    live_council: Any,
    log_lines: io.StringIO,  # noqa: F811
) -> None:
    person = live_council.holder_person
    holder = live_council.users["holder"]
    holder.email = "ada.holder@example.org"
    holder.save()

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(holder.email)
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Error: Sign in – Selfdirect")

    page.get_by_label("Username").fill("practitioner")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/home/")
    page.goto(live_server.url + "/people/")
    page.get_by_label("Search by name, NHS number, postcode or date of birth").fill("Holder")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Holder, Ada").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Holder")

    output = log_lines.getvalue()
    for secret in ("Ada", "Holder", "holder", person.nhs_number, "example.org", "practitioner"):
        assert secret not in output, f"{secret!r} was logged"
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    requests = [r for r in lines if r.get("logger") == "selfdirect.request"]
    paths = {(r["method"], r["path"]) for r in requests}
    assert {
        ("POST", "/accounts/login/"),
        ("GET", "/people/"),
        ("GET", f"/people/{person.pk}/"),
    } <= paths
    assert all(len(r["request_id"]) == 32 for r in requests)
