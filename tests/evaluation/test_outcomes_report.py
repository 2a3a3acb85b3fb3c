"""The POET outcomes reports: the figures worked out by hand on a small survey, small
numbers suppressed, the pages and their downloads for commissioners, with a choice of
version, period and proxy answers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from selfdirect.access.roles import Role
from selfdirect.evaluation import outcomes, poet, poet_frame, synthetic_answers
from selfdirect.evaluation.report import SUPPRESSED
from selfdirect.surveys.models import Instrument
from selfdirect.surveys.services import response_record

pytestmark = pytest.mark.django_db


def _row(report: Any, caption: str, label: str) -> tuple[Any, ...]:
    for _section, table in report.tables():
        if table.caption == caption:
            return next(r for r in table.rows if r[0] == label)
    raise AssertionError(caption)


def test_the_distribution_is_worked_out_as_poet_did_with_small_numbers_suppressed() -> None:
    # 12 responses: dignity 6 "a lot better", 2 "better", 2 "no difference", 2 not relevant.
    dignity = ["5"] * 6 + ["4"] * 2 + ["3"] * 2 + ["NR"] * 2
    items = {"dignity": dignity, "quality_of_life": ["4"] * 3 + [None] * 9}
    report = outcomes.holder_report(
        items, 12, ["self"] * 7 + ["proxy"] * 5, outcomes.Selection("POET holders")
    )
    row = _row(report, "Difference the budget made, by area of life", "Dignity")
    by_header = dict(zip(report.tables()[1][1].headers, row, strict=True))
    assert by_header["Rated it (n)"] == 10
    assert by_header["A lot better (%)"] == 60.0
    assert by_header["Better (%)"] == SUPPRESSED  # 2 people
    assert by_header["No difference (%)"] == SUPPRESSED
    assert by_header["Worse (%)"] == 0.0  # nobody: nothing to hide
    assert by_header["Positive impact (%)"] == 80.0  # 8 of the 10 who rated it
    assert by_header["Not relevant (n)"] == SUPPRESSED
    assert by_header["Not answered (n)"] == 0
    quality = dict(
        zip(
            report.tables()[1][1].headers,
            _row(report, "Difference the budget made, by area of life", "Quality of life"),
            strict=True,
        )
    )
    assert quality["Rated it (n)"] == SUPPRESSED and quality["Positive impact (%)"] == SUPPRESSED
    who = report.tables()[0][1]
    assert who.rows[0] == ("On their own", 7, 58.3)
    assert who.rows[2] == ("By someone else on their behalf", 5, 41.7)
    assert any("[c]" in note for note in report.notes)


def test_an_odds_ratio_comparing_fewer_than_5_people_is_suppressed() -> None:
    answers = synthetic_answers.holder_answers(60, seed=2)
    report = outcomes.holder_report(
        answers.items, answers.n, answers.answered_by, outcomes.Selection("POET holders")
    )
    table3 = next(t for _s, t in report.tables() if t.caption.startswith("Table 3:"))
    factors, outcomes_ = poet_frame.holder_columns(answers.items, answers.n)
    column = table3.headers.index("Direct payment paid to broker")
    for key, label in poet.OUTCOMES:
        cell = poet.factor_odds_ratio(factors["dp_broker"], outcomes_[key])
        a, b, _c, _d = cell.cells
        shown = next(r for r in table3.rows if r[0] == label)[column]
        assert shown == (SUPPRESSED if a + b < 5 else cell.render())
    assert any(
        next(r for r in table3.rows if r[0] == label)[column] == SUPPRESSED
        for _k, label in poet.OUTCOMES
    )


def _record(instrument: Instrument, answers: synthetic_answers.Answers, when: dt.datetime) -> None:
    for row, answered_by in zip(
        synthetic_answers.response_answers(answers), answers.answered_by, strict=True
    ):
        response_record(
            actor=None,
            instrument=instrument,
            person=None,
            answered_by=answered_by,
            channel="import",
            submitted_at=when,
            answers=row,
        )


def _holder_instrument() -> Instrument:
    return Instrument.objects.get(code="poet-holder", status=Instrument.Status.PUBLISHED)


def test_the_commissioners_page_and_downloads_carry_the_same_figures(council: Any) -> None:
    answers = synthetic_answers.holder_answers(40, seed=7)
    _record(_holder_instrument(), answers, timezone.now() - dt.timedelta(days=3))
    client = Client()
    client.force_login(council.users[Role.COMMISSIONER])
    page = client.get("/evaluation/outcomes/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Outcomes of personal budgets: budget holders" in html
    assert '<title id="positive-impact-by-area-of-life-title">' in html
    # The dignity figure worked out from the answers themselves.
    dignity = [a for a in answers.items["dignity"] if a not in (None, "NR")]
    positive = round(100 * sum(a in ("4", "5") for a in dignity) / len(dignity), 1)
    assert f"{positive:.1f}" in html
    rows = list(
        csv.reader(
            io.StringIO(client.get("/evaluation/outcomes/holders.csv").content.decode("utf-8-sig"))
        )
    )
    cell = next(r for r in rows if r[2] == "Dignity" and r[3] == "Positive impact (%)")
    assert float(cell[4]) == positive
    book = load_workbook(io.BytesIO(client.get("/evaluation/outcomes/holders.xlsx").content))
    sheet = next(name for name in book.sheetnames if "Difference" in name)
    values = {r[0]: r for r in book[sheet].iter_rows(values_only=True)}
    header = list(values["Area of life"])
    assert values["Dignity"][header.index("Positive impact (%)")] == positive
    pdf = client.get("/evaluation/outcomes/holders.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_period_and_proxy_choices_narrow_the_responses(council: Any) -> None:
    instrument = _holder_instrument()
    old = synthetic_answers.holder_answers(12, seed=1)
    new = synthetic_answers.holder_answers(9, seed=2)
    _record(instrument, old, timezone.now() - dt.timedelta(days=400))
    _record(instrument, new, timezone.now() - dt.timedelta(days=2))
    client = Client()
    client.force_login(council.users[Role.MANAGER])
    since = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    query = f"?version={instrument.version}&since={since}&proxy=include"
    text = client.get("/evaluation/outcomes/holders.csv" + query).content.decode("utf-8-sig")
    total = next(r for r in csv.reader(io.StringIO(text)) if r[2] == "All responses")
    assert total[4] == "9"
    everyone = client.get("/evaluation/outcomes/holders.csv").content.decode("utf-8-sig")
    total = next(r for r in csv.reader(io.StringIO(everyone)) if r[2] == "All responses")
    assert total[4] == "21"
    proxies = old.answered_by.count("proxy") + new.answered_by.count("proxy")
    without = client.get("/evaluation/outcomes/holders.csv?proxy=exclude").content.decode(
        "utf-8-sig"
    )
    total = next(r for r in csv.reader(io.StringIO(without)) if r[2] == "All responses")
    assert total[4] == str(21 - proxies) if 21 - proxies >= 5 else SUPPRESSED
    assert "proxy answers left out" in without


def test_an_end_before_the_start_is_refused_on_the_page_and_the_download(council: Any) -> None:
    client = Client()
    client.force_login(council.users[Role.COMMISSIONER])
    query = "?since=2026-05-01&until=2026-04-01"
    page = client.get("/evaluation/outcomes/" + query)
    html = page.content.decode()
    assert page.status_code == 200 and "<title>Error: " in html
    assert "The end of the period must be on or after its start" in html
    download = client.get("/evaluation/outcomes/holders.csv" + query)
    assert download.status_code == 400
    assert "The end of the period must be on or after its start" in download.content.decode()


def test_the_carers_report_has_tables_8_to_12(council: Any) -> None:
    instrument = Instrument.objects.get(code="poet-carer", status=Instrument.Status.PUBLISHED)
    _record(instrument, synthetic_answers.carer_answers(30, seed=4), timezone.now())
    client = Client()
    client.force_login(council.users[Role.COMMISSIONER])
    html = client.get("/evaluation/carers/").content.decode()
    for number in (8, 9, 10, 11, 12):
        assert f"Table {number}:" in html
    text = client.get("/evaluation/carers/carers.csv").content.decode("utf-8-sig")
    assert "Table 11: every odds ratio in full" in text
    assert "Continue caring" in text


def test_no_responses_says_so(council: Any) -> None:
    client = Client()
    client.force_login(council.users[Role.COMMISSIONER])
    html = client.get("/evaluation/carers/").content.decode()
    assert "There are no responses to report for this choice." in html


def test_the_report_csv_leaves_out_anyone_who_did_not_consent(council: Any) -> None:
    instrument = _holder_instrument()
    answers = synthetic_answers.holder_answers(6, seed=3)
    rows = synthetic_answers.response_answers(answers)
    for i, row in enumerate(rows):
        response_record(
            actor=None,
            instrument=instrument,
            person=None,
            answered_by="self",
            channel="paper",
            submitted_at=timezone.now(),
            answers=row,
            consent_to_report=i < 5,
        )
    client = Client()
    client.force_login(council.users[Role.COMMISSIONER])
    text = client.get("/evaluation/outcomes/holders.csv").content.decode("utf-8-sig")
    total = next(r for r in csv.reader(io.StringIO(text)) if r[2] == "All responses")
    assert total[4] == "5"


def test_survey_report_writes_the_same_figures_as_the_download(council: Any, tmp_path: Any) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    _record(_holder_instrument(), synthetic_answers.holder_answers(30, seed=8), timezone.now())
    client = Client()
    client.force_login(council.users[Role.COMMISSIONER])
    download = client.get("/evaluation/outcomes/holders.csv").content
    out = tmp_path / "report.csv"
    call_command("survey_report", "--survey", "poet-holder", "--format", "csv", "--out", str(out))
    assert out.read_bytes() == download  # byte for byte, byte-order mark and all
    as_json = tmp_path / "report.json"
    call_command(
        "survey_report", "--survey", "poet-holder", "--format", "json", "--out", str(as_json)
    )
    data = json.loads(as_json.read_text(encoding="utf-8"))
    who = data["sections"][0]["tables"][0]
    assert who["rows"][-1] == ["All responses", 30, 100.0]
    with pytest.raises(CommandError, match="There is no outcomes report for the survey ghq-12"):
        call_command("survey_report", "--survey", "ghq-12", "--format", "csv", "--out", str(out))
    with pytest.raises(CommandError, match="There is no version 9 of the survey poet-holder"):
        call_command(
            "survey_report",
            "--survey",
            "poet-holder",
            "--version",
            "9",
            "--format",
            "csv",
            "--out",
            str(out),
        )
