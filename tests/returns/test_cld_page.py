"""The analysts' Client Level Data page (docs/cld.md): a period is made by a background job
and kept; the same period again gives the return already made, unless asked to make it
again (once, however often the job runs); a bad period is named; the return downloads byte
for byte as ``manage.py export_cld`` writes it, with its checksum; the validation report is
read on a page, grouped by reason, linking to records only for those who may see them; and
making and downloading it are audited."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from selfdirect.audit.models import Action, Event
from selfdirect.audit.selectors import person_looks
from selfdirect.operations.models import Job
from selfdirect.returns import cld
from selfdirect.returns.models import CldExport
from selfdirect.returns.services import cld_export_make
from tests.factories import make_user
from tests.jobs import jobs_run_queued
from tests.returns.test_cld_export import _expected

PERIOD = {
    "period_start_day": "1",
    "period_start_month": "4",
    "period_start_year": "2025",
    "period_end_day": "31",
    "period_end_month": "3",
    "period_end_year": "2026",
}


@pytest.fixture
def analyst(db: Any) -> Any:
    return make_user("analyst", ["commissioner"], first_name="Ann", last_name="Alyst")


def _made(client: Any, analyst: Any) -> CldExport:
    client.force_login(analyst)
    response = client.post(reverse("returns:cld"), PERIOD)
    job = Job.objects.get(kind="cld_export")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert jobs_run_queued() == ["done"]
    return CldExport.objects.get()


def test_the_analyst_makes_the_return_through_a_job(
    client: Any, caseload: Any, analyst: Any
) -> None:
    export = _made(client, analyst)
    job = Job.objects.get(kind="cld_export")
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Make the Client Level Data return for 2025-04-01:2026-03-31: done" in page
    assert f'href="{reverse("returns:cld_export", args=[export.pk])}"' in page
    rows = len(_expected(caseload))  # the rows worked out by hand in test_cld_export
    assert (export.version, export.row_count, export.people_count) == (1, rows, 3)
    assert export.made_by == analyst and export.job == job
    made = Event.objects.get(action=Action.CREATE, object_type="cld_export")
    assert made.actor == analyst
    assert made.changes["Period"] == [None, "2025-04-01:2026-03-31"]
    assert made.changes["Rows"] == [None, rows]
    assert made.changes["SHA-256 of the return"] == [None, export.sha256]
    # Each person in it is recorded as looked at.
    looks = person_looks(person_id=caseload["ada"].pk)  # one event for the list (0056)
    assert looks.filter(action=Action.VIEW, actor=analyst, object_type="list").exists()


def test_the_same_period_again_gives_the_return_already_made(
    client: Any, caseload: Any, analyst: Any
) -> None:
    export = _made(client, analyst)
    response = client.post(reverse("returns:cld"), PERIOD)
    assert response["Location"] == reverse("returns:cld_export", args=[export.pk]) + "?kept=1"
    assert Job.objects.filter(kind="cld_export").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "The return for this period was already made on" in page
    # Another analyst asking for it gets the same return.
    client.force_login(make_user("analyst-2", ["commissioner"]))
    assert client.post(reverse("returns:cld"), PERIOD)["Location"].endswith(
        f"/returns/cld/{export.pk}/?kept=1"
    )
    assert CldExport.objects.count() == 1


def test_making_it_again_keeps_one_new_version_however_often_the_job_runs(
    client: Any, caseload: Any, analyst: Any
) -> None:
    first = _made(client, analyst)
    again = {"period_start": "2025-04-01", "period_end": "2026-03-31", "again": "on"}
    response = client.post(reverse("returns:cld"), again)
    job = Job.objects.filter(kind="cld_export").latest("pk")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    # A second click while it is queued is the same job.
    client.post(reverse("returns:cld"), again)
    assert Job.objects.filter(kind="cld_export").count() == 2
    assert jobs_run_queued() == ["done"]
    second = CldExport.objects.get(version=2)
    assert second.content == first.content and second.sha256 == first.sha256
    # The job's work done again (a retry, a task delivered twice): no third version.
    period = cld.Period(first.period_start, first.period_end)
    assert cld_export_make(period=period, actor=analyst, again_after=1) == second
    assert cld_export_make(period=period, actor=analyst) == second
    assert CldExport.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period_start_day": ""}, "Start of the period must include a day"),
        ({"period_end_month": "13"}, "End of the period must be a real date"),
        (
            {"period_end_year": "2025", "period_end_month": "1"},
            "The period ends (2025-01-31) before it starts (2025-04-01)",
        ),
        (
            {"period_start_day": "", "period_start_month": "", "period_start_year": ""},
            "Enter the first day of the period",
        ),
    ],
)
def test_a_bad_period_is_named_and_nothing_is_started(
    client: Any, analyst: Any, changes: dict[str, str], message: str
) -> None:
    client.force_login(analyst)
    response = client.post(reverse("returns:cld"), {**PERIOD, **changes})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert page.count(message) == 2  # the summary and the field
    assert not Job.objects.exists() and not CldExport.objects.exists()


def test_the_download_is_the_return_byte_for_byte_with_its_checksum(
    client: Any, caseload: Any, analyst: Any, tmp_path: Path
) -> None:
    export = _made(client, analyst)
    response = client.get(reverse("returns:cld_download", args=[export.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="cld-20250401-20260331.csv"'
    assert response["X-Checksum-SHA256"] == hashlib.sha256(response.content).hexdigest()
    out, report = tmp_path / "cld.csv", tmp_path / "report.csv"
    call_command(
        "export_cld", period="2025-04-01:2026-03-31", out=str(out), report=str(report), stdout=None
    )
    assert response.content == out.read_bytes()
    report_response = client.get(reverse("returns:cld_report_download", args=[export.pk]))
    assert report_response.content == report.read_bytes()
    downloads = Event.objects.filter(action=Action.VIEW, object_type="cld_export", actor=analyst)
    assert downloads.count() == 2
    assert export.sha256 in downloads.order_by("pk").first().summary


def test_the_report_is_read_on_a_page_grouped_by_reason(
    client: Any, caseload: Any, analyst: Any
) -> None:
    export = _made(client, analyst)
    page = client.get(reverse("returns:cld_export", args=[export.pk])).content.decode()
    assert f"NHS Number: {cld.NO_NHS_NUMBER} (1)" in page
    assert f"Delivery Mechanism: {cld.PRISON_DIRECT_PAYMENT} (1)" in page
    assert f"Event Outcome: {cld.NOT_ELIGIBLE_OUTCOME} (1)" in page
    assert export.sha256 in page
    # A commissioner sees no one's record: the identifiers, no links.
    assert "P002" in page and reverse("people:detail", args=[caseload["bob"].pk]) not in page
    looks = person_looks(person_id=caseload["bob"].pk).filter(action=Action.VIEW, actor=analyst)
    assert looks.filter(summary__startswith="Named in the validation report").exists()


def test_the_report_links_to_records_only_for_those_who_may_see_them(
    client: Any, caseload: Any, analyst: Any
) -> None:
    export = _made(client, analyst)
    bob = caseload["bob"]
    # An analyst who also manages Bob's team sees a link to his record.
    both = make_user("analyst-manager", ["commissioner", "manager"], manages=[bob.team])
    client.force_login(both)
    page = client.get(reverse("returns:cld_export", args=[export.pk])).content.decode()
    assert (
        f'<a class="govuk-link" href="{reverse("people:detail", args=[bob.pk])}">P002</a>' in page
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [("commissioner", 200), ("manager", 403), ("holder", 403), ("practitioner", 403)],
)
def test_who_may_make_the_return(client: Any, db: Any, role: str, status: int) -> None:
    client.force_login(make_user(f"someone-{role}", [role]))
    assert client.get(reverse("returns:cld")).status_code == status
    if status == 403:
        assert client.post(reverse("returns:cld"), PERIOD).status_code == 403
        assert not Job.objects.exists()


def test_two_makers_of_one_period_keep_one_return(
    caseload: Any, analyst: Any, monkeypatch: Any
) -> None:
    from selfdirect.returns import services

    period = cld.Period(dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    first = cld_export_make(period=period, actor=analyst)
    real = services.cld_export_latest
    asked: list[cld.Period] = []

    def read_before_the_other_committed(p: cld.Period) -> CldExport | None:
        asked.append(p)
        return None if len(asked) == 1 else real(p)

    monkeypatch.setattr(services, "cld_export_latest", read_before_the_other_committed)
    events = Event.objects.count()
    assert cld_export_make(period=period, actor=make_user("analyst-2", ["commissioner"])) == first
    assert CldExport.objects.count() == 1
    assert Event.objects.count() == events  # the loser's looks and event rolled back
