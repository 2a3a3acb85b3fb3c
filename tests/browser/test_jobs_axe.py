"""Background jobs in Chromium: the status page in each state and the list of one's jobs,
with zero axe-core violations at full width and at 320 px, and no sideways scrolling."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from selfdirect.operations.models import Job, JobStatus
from tests.browser.conftest import assert_accessible, sign_in

PROBLEMS = [
    {"row": 2, "column": "family_name", "message": "Enter last name"},
    {"row": 14, "column": "nhs_number", "message": "Another person already has this NHS number"},
]


def _check(page: Page, url: str) -> None:
    for width in (1200, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{url} scrolls sideways at {width}px"


def test_job_pages_in_every_state(page: Page, live_server: Any, live_council: Any) -> None:
    admin = live_council.users["admin"]
    states = {
        "queued": {"status": JobStatus.QUEUED},
        "running": {"status": JobStatus.RUNNING, "progress_done": 350, "progress_total": 1000},
        "done": {"status": JobStatus.DONE, "result_summary": "1,000 people imported"},
        "failed": {
            "status": JobStatus.FAILED,
            "failure_reason": "2 problems found in a-long-file-name-of-people.csv: nothing "
            "was imported. Correct the file and upload it again.",
            "problems": PROBLEMS,
        },
    }
    jobs = {
        name: Job.objects.create(
            kind="people_import",
            title="Import people from a-long-file-name-of-people-from-the-old-system.csv",
            started_by=admin,
            idempotency_key=name,
            **fields,
        )
        for name, fields in states.items()
    }
    sign_in(page, live_server.url, "admin")
    for name, job in jobs.items():
        _check(page, live_server.url + reverse("jobs:detail", args=[job.pk]))
        if name == "running":
            expect(page.locator("#job-progress")).to_have_text("350 of 1,000 done (35%)")
        if name == "failed":
            expect(page.locator("#job-problems")).to_contain_text("Enter last name")
    _check(page, live_server.url + reverse("jobs:list"))
    expect(page.locator("main table")).to_contain_text("Running (350 of 1,000)")
