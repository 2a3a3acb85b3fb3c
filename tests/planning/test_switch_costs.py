"""Switching a line to a new provider can change its unit cost (issue 11): the week of the
switch is shared by days, the old provider at the old cost until the switch date and the
new one at its own cost from it; staff and the person see both parts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.planning import services
from tests.factories import ProviderFactory
from tests.planning.test_budget_figures import _text
from tests.planning.test_plans import _approved_plan

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _next_wednesday() -> dt.date:
    return TODAY + dt.timedelta(days=7 + (2 - TODAY.weekday()) % 7)


def test_part_weeks_at_each_providers_cost() -> None:
    # £45.00 a week before, £52.50 after, switching on a Wednesday (2 days old, 5 days new).
    wednesday = dt.date(2026, 3, 4)
    assert services.pro_rata(4500, wednesday, 5250) == (1286, 5250 - 1500)
    # Without a new cost the week is simply shared.
    assert services.pro_rata(4500, wednesday) == (1286, 4500 - 1286)


def test_a_switch_to_a_dearer_provider_changes_the_cost_from_its_date(council: Any) -> None:
    plan = _approved_plan(council)  # 3 hours at £15.00: £45.00 a week, held by Sam
    line = plan.lines.get()
    wednesday = _next_wednesday()
    kindred = ProviderFactory(name="Kindred Care")
    switch = services.line_switch(
        actor=council.users[Role.PRACTITIONER],
        line=line,
        effective_date=wednesday,
        deployment="isf",
        provider=kindred,
        provided_by="",
        reasons=["WANT_PERSONAL_CHOICE"],
        unit_cost_pence=1750,
    )
    assert (switch.from_unit_cost_pence, switch.to_unit_cost_pence) == (1500, 1750)
    assert (switch.old_part_pence, switch.new_part_pence) == (1286, 5250 - 1500)
    assert services.weekly_cost_on(line, wednesday - dt.timedelta(days=1)) == 4500
    assert services.weekly_cost_on(line, wednesday) == 5250
    assert services.holding_mix(plan, wednesday) == {"isf": 5250}
    event = Event.objects.filter(object_type="plan_line").latest("id")
    assert event.changes["Cost of each unit"] == ["£15.00", "£17.50"]
    assert event.changes["The week of the switch"] == [
        None,
        "£12.86 to the old arrangement, £37.50 to the new",
    ]
    # A new version carries the new price over.
    revised = services.plan_revise(
        actor=council.users[Role.PRACTITIONER], plan=plan, today=wednesday
    )
    assert revised.lines.get().unit_cost_pence == 1750
    # Staff and the person both see the two parts of the week.
    for role in (Role.PRACTITIONER, Role.HOLDER):
        client = Client()
        client.force_login(council.users[role])
        page = _text(client.get(f"/plans/{plan.pk}/").content.decode())
        assert (
            f"The week of the switch: £12.86 to Sam until {wednesday:%-d %B}, "
            "and £37.50 to Kindred Care from then." in page
        ), role
        assert "at £17.50 an hour (was £15.00)" in page, role


def test_the_same_cost_is_no_change_of_cost(council: Any) -> None:
    plan = _approved_plan(council)
    line = plan.lines.get()
    switch = services.line_switch(
        actor=council.users[Role.PRACTITIONER],
        line=line,
        effective_date=_next_wednesday(),
        deployment="direct_payment",
        provider=None,
        provided_by="Jo",
        reasons=["WANT_PERSONAL_CHOICE"],
        unit_cost_pence=1500,
    )
    assert switch.to_unit_cost_pence is None and switch.new_part_pence == 4500 - 1286
