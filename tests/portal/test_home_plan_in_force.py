"""During a notice period the person's home page lists the plan in force (the version the
approved next one replaces only when the notice takes effect, planning.figures.
plan_in_force), with how its budget is held today, and the approved next version as
"starts on <date>", without a split of a budget it does not yet hold."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from selfdirect.access.roles import Role
from selfdirect.budgets import notices
from selfdirect.planning import figures, services
from selfdirect.planning.models import SupportPlan
from tests.planning.test_plans import _approved_plan
from tests.planning.test_reviews_in_full import _full, _review

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_the_plan_in_force_and_the_next_version_starting(
    council: Any,
) -> None:
    plan = _approved_plan(council)  # £45.00 a week, a direct payment
    practitioner = council.users[Role.PRACTITIONER]
    services.review_complete(
        actor=practitioner,
        review=_review(plan),
        **_full(plan, new_budget_weekly_pence=3000, budget_change_reason="Less is needed."),
    )
    revised = SupportPlan.objects.get(previous=plan)
    line = revised.lines.get()
    services.line_edit(
        actor=practitioner,
        line=line,
        fields={"quantity_hundredths": 200},
        seen=services.edit_fingerprint(line),
    )
    takes_effect = dt.date.today() + dt.timedelta(days=notices.notice_days() + 1)
    notices.change_notice_give(
        actor=practitioner,
        plan=plan,
        change="reduce",
        applies_to="budget",
        new_weekly_pence=None,
        reasons="The review found less is needed.",
        takes_effect_on=takes_effect,
    )
    services.plan_submit(actor=practitioner, plan=revised)
    services.plan_approve(actor=council.users[Role.MANAGER], plan=revised)
    assert figures.plan_in_force(plan.person_id, dt.date.today()) == plan

    client = Client()
    client.force_login(council.users[Role.HOLDER])
    home = client.get("/home/").content.decode()
    in_force = home.index(f"Your support plan, version {plan.version}</a> (in force")
    assert "Held as direct payment: £45.00 a week" in home[in_force:]
    starting = f"Your support plan, version {revised.version}</a> (approved, starts on "
    assert f"{starting}{takes_effect.day} {takes_effect:%B %Y})" in home
    # The next version's split is not shown as if it held the budget today.
    after_next = home[home.index(starting) :]
    assert "<br>" not in after_next[: after_next.index("</li>")]
