"""Two-factor set-up and sign-in, and the password pages, as a person uses them in a real
browser: each page checked by axe-core, the set-up page also at 320 px wide."""

from __future__ import annotations

import time
from base64 import b32decode
from typing import Any

from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, assert_accessible


def _code(secret_text: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key written on the set-up page."""
    key = "".join(secret_text.split())
    key += "=" * (-len(key) % 8)
    totp = TOTP(b32decode(key))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _password_step(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_staff_set_up_two_factor_then_sign_in_with_a_code(
    page: Page, live_server: Any, live_council: Any, settings: Any
) -> None:
    settings.SELFDIRECT_REQUIRE_TWO_FACTOR = True
    base = live_server.url
    _password_step(page, base, "practitioner")
    page.wait_for_url(f"{base}/accounts/two-factor/set-up/?next=%2Fhome%2F")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(page)
    page.get_by_text("I cannot scan the QR code").click()
    secret_text = page.locator("#totp-secret").inner_text()

    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Error: Set up two-factor sign-in – Selfdirect")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the 6-digit code from your authenticator app"
    )
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(_code(secret_text))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    expect(page.locator(".sd-recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="I have saved my codes").click()
    page.wait_for_url(f"{base}/home/")

    page.get_by_role("button", name="Sign out").click()
    _password_step(page, base, "practitioner")
    page.wait_for_url(f"{base}/accounts/two-factor/code/?next=%2Fhome%2F")
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Error: Enter the code from your app – Selfdirect")
    assert_accessible(page)
    page.get_by_role("link", name="I do not have my phone: use a recovery code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery code")
    assert_accessible(page)
    page.get_by_role("link", name="Use the code from your app instead").click()
    # The set-up used this step's code; the app's next one is accepted (one step's leeway),
    # once django-otp's wait after the wrong code is over.
    time.sleep(1.1)
    page.get_by_label("Code from your authenticator app").fill(_code(secret_text, 1))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/home/")

    page.get_by_role("link", name="Your account").click()
    assert_accessible(page)
    page.get_by_role("link", name="Manage two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    assert_accessible(page)


def test_set_up_page_fits_320_pixels(
    page: Page, live_server: Any, live_council: Any, settings: Any
) -> None:
    settings.SELFDIRECT_REQUIRE_TWO_FACTOR = True
    page.set_viewport_size({"width": 320, "height": 800})
    _password_step(page, live_server.url, "admin")
    page.wait_for_url(f"{live_server.url}/accounts/two-factor/set-up/?next=%2Fhome%2F")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)


def test_password_pages(page: Page, live_server: Any, live_council: Any) -> None:
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    assert_accessible(page)
    page.get_by_role("button", name="Send the link").click()
    expect(page).to_have_title("Error: Reset your password – Selfdirect")
    assert_accessible(page)
    page.get_by_label("Email address").fill("someone@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    _password_step(page, base, "holder")
    page.wait_for_url(f"{base}/home/")
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Change your password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    assert_accessible(page)
    page.get_by_label("Current password").fill("not-it")
    page.get_by_role("button", name="Change password").click()
    expect(page).to_have_title("Error: Change your password – Selfdirect")
    assert_accessible(page)
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("a-brand-new-passphrase")
    page.get_by_label("Confirm new password").fill("a-brand-new-passphrase")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    assert_accessible(page)
