"""An ISF's holding fee is part of the plan's cost (issue 12, decision 0030): the plan page,
the four figures (the s.26 statement), the PDF and what is paid to the organisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.planning import services as planning
from selfdirect.planning.figures import budget_figures
from tests.budgets.test_holding import _agreed, _isf, _plan

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def test_an_isf_fee_of_15_a_week_costs_15_a_week_more(client: Any, council: Any) -> None:
    plan = _plan(council)  # £65 a week of lines; £30 of them in an ISF with Acme Care
    before = planning.plan_totals(plan).weekly_pence
    assert before == 6500
    assert planning.holding_mix(plan, TODAY)["isf"] == 3000
    agreement = _agreed(council, _isf(council, plan, fee_weekly_pence=1500))
    totals = planning.plan_totals(plan)
    assert totals.weekly_pence == before + 1500
    assert [c.weekly_pence for c in totals.holding_costs] == [1500]
    # What is paid to the organisation holding the ISF includes its fee.
    assert planning.holding_mix(plan, TODAY)["isf"] == 3000 + 1500
    # The four figures (the s.26 statement) give the plan's cost with the fee in it.
    figures = budget_figures(person=plan.person, on=TODAY, plan=plan)
    assert figures.plan_cost_weekly_pence == 8000
    # Within budget: the variance is worked out on the cost with the fee.
    assert totals.variance_pence == 8000 - totals.budget_weekly_pence
    client.force_login(council.users[Role.HOLDER])
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert f"Holding fee: {agreement.organisation}" in page
    assert "£15.00 a week, paid from the budget to the organisation that holds it" in page
    assert "£80.00" in page  # the plan cost in the four figures


def test_an_ended_agreement_no_longer_adds_its_fee(council: Any) -> None:
    plan = _plan(council)
    agreement = _agreed(council, _isf(council, plan, fee_weekly_pence=1500))
    agreement.status = "ended"
    agreement.ends_on = TODAY - dt.timedelta(days=1)
    agreement.save()
    assert planning.plan_totals(plan).weekly_pence == 6500
    assert planning.holding_mix(plan, TODAY)["isf"] == 3000


def test_a_proposed_fee_counts_in_the_version_but_is_not_paid_yet(council: Any) -> None:
    plan = _plan(council)
    _isf(council, plan, fee_weekly_pence=1500)  # proposed: not agreed by both sides
    assert planning.plan_totals(plan).weekly_pence == 8000
    assert planning.holding_mix(plan, TODAY)["isf"] == 3000


def test_the_printed_plan_shows_the_fee_in_the_plan_cost(council: Any) -> None:
    from selfdirect.planning.documents import plan_document_html

    plan = _plan(council)
    agreement = _agreed(council, _isf(council, plan, fee_weekly_pence=1500))
    html = plan_document_html(plan)
    assert f"Holding fee: {agreement.organisation}" in html
    assert "£15.00 a week" in html and "£80.00" in html


def test_a_fee_already_costed_as_a_plan_line_is_not_counted_twice(council: Any) -> None:
    from selfdirect.access.roles import Role
    from selfdirect.budgets.services import fund_agreement_create
    from selfdirect.planning.models import PlanLine

    plan = _plan(council)  # £5 a week of lines held in a third-party account
    # The version costs the organisation's account fee as a line, £4 a week, held that way.
    PlanLine.objects.create(
        plan=plan,
        description="Managed account fee",
        category="account_fees",
        unit="week",
        unit_cost_pence=400,
        quantity_hundredths=100,
        funding_stream="adult_social_care",
        deployment="third_party",
    )
    before = planning.plan_totals(plan).weekly_pence
    fund_agreement_create(
        actor=council.users[Role.PRACTITIONER],
        plan=plan,
        kind="third_party",
        organisation=council.users[Role.PROVIDER].profile.provider,
        surplus_rule="return",
        carry_limit_weeks=0,
        fee_weekly_pence=600,
        starts_on=TODAY,
    )
    # Only the £2 the agreement charges beyond the £4 line is added.
    assert planning.plan_totals(plan).weekly_pence == before + 200
