"""Browser tests: real Chromium (Debian's) driven by Playwright, with axe-core checking
every page against WCAG 2.2 A and AA."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import Council, council_build

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be
# usable from the test body.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PASSWORD = "a-long-test-password"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.console_errors = console_errors  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def audit_flush_allowed(transactional_db: Any) -> Iterator[None]:
    """Between browser tests Django empties every table; on SQLite the append-only
    audit trigger permits that only while ``audit_maintenance`` has a row."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_maintenance")
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO audit_maintenance (reason) VALUES ('test flush')")


@pytest.fixture
def live_council(audit_flush_allowed: None) -> Council:
    return council_build()


_axe = Axe()


def assert_accessible(page: Page) -> None:
    """No axe-core violations of WCAG 2.2 A/AA on the page as it is now, and no console errors."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    errors = getattr(page, "console_errors", [])
    assert not errors, f"{page.url}: console errors {errors}"


def sign_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/home/")


WIDE = {"width": 1200, "height": 900}
NARROW = {"width": 320, "height": 800}  # WCAG 1.4.10 reflow: 320 CSS pixels

# The page's width, and the innermost elements that stick out past the viewport's right
# edge (outside any region that scrolls on its own), to name what to fix.
_OVERFLOW_JS = """() => {
  const limit = window.innerWidth;
  const inScroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    // Its box sticks out, or its text overflows its box (a long word in a heading).
    const right = Math.max(r.right, r.left + el.scrollWidth);
    if (right > limit + 0.5 && r.width > 0 && !inScroller(el)) {
      const inner = [...el.children].some((c) => c.getBoundingClientRect().right > limit + 0.5);
      if (!inner) {
        const id = el.id ? '#' + el.id : '';
        const cls = el.className && typeof el.className === 'string'
          ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
        out.push(`${el.tagName.toLowerCase()}${id}${cls} (${Math.round(right)}px)`
          + ` "${(el.textContent || '').trim().slice(0, 40)}"`);
      }
    }
  }
  return {width: document.documentElement.scrollWidth, limit, culprits: out.slice(0, 5)};
}"""


def reflow_failures(page: Page) -> list[str]:
    """An empty list when the page as it is now fits its viewport's width (no sideways
    scrolling: WCAG 1.4.10 at 320 px); else one line naming the page, its width and
    the elements that stick out."""
    found = page.evaluate(_OVERFLOW_JS)
    if found["width"] <= found["limit"]:
        return []
    return [f"{page.url}: {found['width']}px wide; {'; '.join(found['culprits'])}"]


def assert_reflows(page: Page) -> None:
    """The page fits the current viewport's width without scrolling sideways."""
    failures = reflow_failures(page)
    assert not failures, failures[0]
