"""manage.py survey_report --survey ibsen|cost-effectiveness: the same Report as the page's
download, byte for byte, with the page's choices (grouping; cost source and ledger period;
synthetic data), and options that do not apply refused by name. The people are the ten of
tests/evaluation/test_ibsen_records.py."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.evaluation import ibsen_report
from selfdirect.evaluation.management.commands import survey_report
from tests.evaluation.test_ibsen_records import TODAY, _build

pytestmark = pytest.mark.django_db


def _run(out: Path, survey: str, *options: str, fmt: str = "csv") -> bytes:
    call_command("survey_report", "--survey", survey, "--format", fmt, "--out", str(out), *options)
    return out.read_bytes()


def _download(council: Any, name: str, query: str = "") -> bytes:
    client = Client()
    client.force_login(council.users[Role.COMMISSIONER])
    response = client.get(reverse(name, kwargs={"fmt": "csv"}) + query)
    assert response.status_code == 200
    return response.content


def test_ibsen_command_writes_the_page_download_byte_for_byte(council: Any, tmp_path: Path) -> None:
    _build(council)
    out = tmp_path / "ibsen.csv"
    written = _run(out, "ibsen")
    assert written == _download(council, "ibsen:outcomes_download")
    assert ibsen_report.NO_ANSWERS.encode() not in written
    assert b"Direct payment" in written
    by_user_group = _run(out, "ibsen", "--grouping", "user_group")
    assert by_user_group == _download(council, "ibsen:outcomes_download", "?grouping=user_group")
    assert by_user_group != written and b"Older people" in by_user_group
    data = json.loads(_run(tmp_path / "ibsen.json", "ibsen", fmt="json"))
    assert data["title"] == ibsen_report.OUTCOMES_TITLE


def test_cost_effectiveness_command_writes_the_page_download(council: Any, tmp_path: Path) -> None:
    _build(council)
    out = tmp_path / "ce.csv"
    written = _run(out, "cost-effectiveness")
    assert written == _download(council, "ibsen:cost_effectiveness_download")
    assert b"differences and ICER" in written
    synthetic = _run(out, "cost-effectiveness", "--synthetic")
    assert synthetic == _download(council, "ibsen:cost_effectiveness_download", "?data=synthetic")
    ledger = _run(out, "cost-effectiveness", "--source", "ledger")
    assert ledger == _download(council, "ibsen:cost_effectiveness_download", "?source=ledger")


def test_ledger_period_from_since_and_until(council: Any, tmp_path: Path) -> None:
    from selfdirect.ledger import services as ledger

    people = _build(council)
    for i, person in enumerate(people):
        ledger.budget_payment_post(
            actor=council.users[Role.FINANCE],
            person=person,
            deployment="direct_payment" if i < 5 else "council_commissioned",
            funding_stream="adult_social_care",
            period_key="this-month",
            amount_pence=28_000,
            effective_date=TODAY - dt.timedelta(days=10),
        )
    since = TODAY - dt.timedelta(days=27)

    def run(*period: str) -> str:
        out = tmp_path / "ce.csv"
        return _run(out, "cost-effectiveness", "--source", "ledger", *period).decode("utf-8-sig")

    text = run("--since", since.isoformat(), "--until", TODAY.isoformat())
    assert f"{since.day} {since:%B %Y} to {TODAY.day} {TODAY:%B %Y}" in text
    assert "1 people who answered are left out" in text  # Bea, who has no plan
    # A period that ends before the payments: no one has a cost from the ledger.
    before = run("--until", (TODAY - dt.timedelta(days=20)).isoformat())
    assert "11 people who answered are left out" in before


def test_unknown_survey_and_options_that_do_not_apply_are_named(
    council: Any, tmp_path: Path
) -> None:
    out = tmp_path / "x.csv"
    with pytest.raises(
        CommandError,
        match="There is no outcomes report for the survey ibsen-2: use poet-holder, poet-carer, "
        "ibsen, cost-effectiveness",
    ):
        _run(out, "ibsen-2")
    with pytest.raises(CommandError, match="--since does not apply to the ibsen report"):
        _run(out, "ibsen", "--since", "2026-01-01")
    with pytest.raises(
        CommandError, match="--exclude-proxy does not apply to the cost-effectiveness report"
    ):
        _run(out, "cost-effectiveness", "--exclude-proxy")
    with pytest.raises(CommandError, match=survey_report.PERIOD_NEEDS_LEDGER):
        _run(out, "cost-effectiveness", "--until", "2026-01-01")
    with pytest.raises(CommandError, match="--grouping does not apply to the poet-holder report"):
        _run(out, "poet-holder", "--grouping", "way")
    assert not out.exists()
