"""When a financial assessment is completed the person (and whoever acts for them) is told
what they will pay a week and from when, once, with a link to the result."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.charging import services
from selfdirect.notify.models import Message
from tests.charging.test_services import APRIL, _filled, _started

pytestmark = pytest.mark.django_db


def _told(assessment: Any) -> dict[str, Message]:
    key = f"financial-assessment-{assessment.pk}-completed"
    return {m.recipient.username: m for m in Message.objects.filter(key=key)}


def test_completing_tells_the_weekly_charge(council: Any) -> None:
    """The pensioner of test_rules pays £48.55 a week from 6 April 2026."""
    assessment = services.assessment_complete(
        actor=council.users["finance"],
        assessment=_filled(council),
        weekly_cost_pence=50_000,
        charge_from=APRIL,
    )
    told = _told(assessment)
    assert set(told) == {"holder", "representative"}
    holder, rep = told["holder"], told["representative"]
    assert holder.kind == Message.Kind.CHARGE
    assert holder.subject == "Your financial assessment is complete"
    assert holder.body.startswith(
        "From 6 April 2026, your contribution towards the cost of care is £48.55 a week."
    )
    assert rep.subject == "Ada's financial assessment is complete"
    assert rep.body.startswith("From 6 April 2026, Ada's contribution")
    assert holder.link == f"/charging/assessments/{assessment.pk}/"


def test_nothing_to_pay_is_said_plainly(council: Any) -> None:
    low = {"capital": {}, "income": {"state_pension": 10_000}, "dre": {}, "housing": {}}
    assessment = services.assessment_complete(
        actor=council.users["finance"],
        assessment=_filled(council, low),
        weekly_cost_pence=50_000,
        charge_from=APRIL,
    )
    assert assessment.weekly_charge_pence == 0
    assert _told(assessment)["holder"].body.startswith(
        "From 6 April 2026, there is nothing to pay towards the cost of your care."
    )


def test_a_light_touch_assessment_tells_the_full_cost(council: Any) -> None:
    assessment = services.light_touch_record(
        actor=council.users["finance"],
        assessment=_started(council),
        choice="capital_above_limit",
        weekly_cost_pence=32_000,
        charge_from=APRIL,
    )
    assert "is £320.00 a week" in _told(assessment)["holder"].body
