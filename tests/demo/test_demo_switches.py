"""The demo council's history of provider switches (issue 14): switches in the last year,
with reasons, so the market dashboard shows switching; the same from the same seed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from selfdirect.demo.generator import demo_council_build
from selfdirect.market.selectors import market_figures, period_default
from selfdirect.planning.models import LineSwitch
from selfdirect.planning.streams import SWITCH_REASONS

TODAY = dt.date(2026, 11, 24)

pytestmark = pytest.mark.django_db


def _history(seed: int) -> list[tuple[object, ...]]:
    """The switches of a demo built from ``seed``, by people's council ids (not row ids)."""
    with transaction.atomic():
        demo_council_build(people=120, seed=seed, today=TODAY, money_people=0)
        rows = list(
            LineSwitch.objects.order_by(
                "line__plan__person__la_person_id", "effective_date"
            ).values_list(
                "line__plan__person__la_person_id",
                "effective_date",
                "from_provider__name",
                "to_provider__name",
                "reasons",
            )
        )
        transaction.set_rollback(True)
    return rows


def test_the_demo_has_a_year_of_switches_with_reasons() -> None:
    summary = demo_council_build(people=200, seed=6, today=TODAY, money_people=0)
    switches = list(LineSwitch.objects.select_related("line__plan"))
    assert switches and summary.counts["provider switches"] == len(switches)
    for s in switches:
        assert TODAY - dt.timedelta(days=330) <= s.effective_date <= TODAY - dt.timedelta(days=7)
        assert s.from_provider_id and s.to_provider_id and s.from_provider_id != s.to_provider_id
        assert s.reasons and set(s.reasons) <= set(SWITCH_REASONS)
        assert s.from_deployment == s.to_deployment  # the payments stay as they were
        assert s.line.plan.person_id != summary.holder_person_id
    market = market_figures(period=period_default(TODAY), today=TODAY)
    assert market.switches == len(switches)
    assert sum(r.people for r in market.switch_reasons) == sum(len(s.reasons) for s in switches)


def test_the_same_seed_gives_the_same_switches() -> None:
    first = _history(9)
    assert first and _history(9) == first
    assert _history(10) != first
