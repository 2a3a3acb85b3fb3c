"""An outcomes report is kept under the state of its responses (decision 0058): read again,
no response is read; after a new response, the report counts it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.evaluation import selectors
from selfdirect.evaluation.report import report_csv
from selfdirect.surveys import services
from selfdirect.surveys.models import Instrument
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _answer(council: Any, instrument: Instrument, value: str) -> None:
    services.response_record(
        actor=council.users[Role.PRACTITIONER],
        instrument=instrument,
        person=PersonFactory(team=council.holder_person.team),
        answered_by="self",
        channel="paper",
        submitted_at=timezone.now() - dt.timedelta(days=1),
        answers={"dignity": value},
    )


def _csv(report: Any) -> str:
    return report_csv(report)  # every figure (NaN compares unequal as a float)


def test_the_kept_report_is_read_once_and_follows_new_responses(
    council: Any, django_assert_num_queries: Any
) -> None:
    cache.clear()
    instrument = Instrument.objects.get(code=selectors.HOLDER_CODE, status="published")
    for value in ("5", "4", "5", "3", "5", "4"):
        _answer(council, instrument, value)
    first = selectors.outcomes_report(selectors.HOLDER_CODE, instrument)
    # Again: one aggregate query for the responses' state, no response read.
    with django_assert_num_queries(1):
        again = selectors.outcomes_report(selectors.HOLDER_CODE, instrument)
    assert _csv(again) == _csv(first)
    # Without proxies is another report, kept apart.
    assert selectors.outcomes_report(selectors.HOLDER_CODE, instrument, include_proxy=False)
    _answer(council, instrument, "1")
    after = selectors.outcomes_report(selectors.HOLDER_CODE, instrument)
    assert _csv(after) != _csv(first)
    cache.clear()
    assert _csv(selectors.outcomes_report(selectors.HOLDER_CODE, instrument)) == _csv(after)


def test_the_demonstration_reports_are_worked_out_once_a_process() -> None:
    """The synthetic people come from fixed seeds: the same report every time, so the
    second request reads the one already made."""
    from selfdirect.evaluation import cohort, costs, ibsen_report

    today = timezone.localdate()
    first = ibsen_report.outcomes_for(on=today, grouping=cohort.HOLDING, synthetic=True)
    assert ibsen_report.outcomes_for(on=today, grouping=cohort.HOLDING, synthetic=True) is first
    by_group = ibsen_report.outcomes_for(on=today, grouping=cohort.USER_GROUP, synthetic=True)
    assert by_group is not first and by_group.subtitle != first.subtitle
    report, _results = ibsen_report.cost_effectiveness_for(
        on=today, source=costs.PLAN, synthetic=True
    )
    again, _ = ibsen_report.cost_effectiveness_for(on=today, source=costs.PLAN, synthetic=True)
    assert again is report and "synthetic" in " ".join(report.notes)
