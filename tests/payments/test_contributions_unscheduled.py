"""Contributions of people whose support is only council-commissioned (decision 0055):
nobody pays them a budget, so no payment schedule carries their contribution. The first
payment run prepared for a month charges it for the calendar month (pro rata to the days
a commissioned service is in force, never above its weekly cost), once; it is posted as
contribution due once the run is paid, and the person sees it on "Your money"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.ledger.checks import ledger_check
from selfdirect.ledger.models import Account, Transaction
from selfdirect.payments import services
from selfdirect.payments.dues import (
    MONTHLY,
    ContributionStep,
    Period,
    PlanVersionCost,
    contribution_charged_for_period,
)
from selfdirect.payments.models import ContributionCharge, PaymentLine, PaymentRun
from selfdirect.planning.models import AssessedContribution, PlanLine, SupportPlan
from tests.jobs import jobs_run_queued
from tests.payments.helpers import ANCHOR, PAID_FROM, finance_officers, paid_plan

pytestmark = pytest.mark.django_db

APRIL = Period("2026-04", dt.date(2026, 4, 1), dt.date(2026, 4, 30), MONTHLY)
ASC = "adult_social_care"


def _commissioned_only(council: Any, way: str = "council_commissioned") -> SupportPlan:
    """Ada's plan (£50.75 a week, £15.00 contribution from 1 April 2026), every line
    arranged by the council: no payment schedule."""
    plan = paid_plan(council)
    PlanLine.objects.filter(plan=plan).update(deployment=way)
    return plan


def _pay(council: Any, period: str = "2026-04", frequency: str = "four_weekly") -> PaymentRun:
    first, second = finance_officers(council)
    run = services.run_prepare(actor=first, period=period, frequency=frequency)
    services.run_approve(actor=second, run=run)
    services.run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


def test_a_whole_month_is_the_weekly_contribution_times_52_over_12() -> None:
    # £15.00 a week for all 30 days: 1500 × 30 × (52/12) / 30 = 6500.
    pence, working = contribution_charged_for_period(
        period=APRIL,
        versions=[PlanVersionCost(1, dt.date(2026, 3, 1), {ASC: 5075})],
        contributions=[ContributionStep(dt.date(2026, 1, 1), 1500)],
    )
    assert pence == 6500
    assert working[-1].endswith("rounded once to the penny: £65.00")


def test_only_days_with_a_commissioned_service_are_charged_never_above_its_cost() -> None:
    # 1-15 April: version 1 has no commissioned service: nothing.
    # 16-20 April: version 2 at £10.00 a week; contribution £15.00, capped at £10.00: 1000 × 5.
    # 21-30 April: contribution now £8.00 a week (below the cost): 800 × 10.
    # (5000 + 8000) × (52/12) / 30 = 1877.77… → 1878.
    pence, working = contribution_charged_for_period(
        period=APRIL,
        versions=[
            PlanVersionCost(1, dt.date(2026, 3, 1), {}),
            PlanVersionCost(2, dt.date(2026, 4, 16), {ASC: 1000}),
        ],
        contributions=[
            ContributionStep(dt.date(2026, 1, 1), 1500),
            ContributionStep(dt.date(2026, 4, 21), 800),
        ],
    )
    assert pence == 1878
    assert working[0].startswith("1 April 2026 to 15 April 2026 (15 of 30 days): no council")
    assert "capped at the cost" in working[1] and "capped" not in working[2]


def test_commissioned_only_support_is_charged_by_the_months_first_run_and_posted(
    council: Any,
) -> None:
    _commissioned_only(council)
    run = _pay(council)
    # Nobody is paid: the run only charges the contribution.
    assert not PaymentLine.objects.filter(run=run).exists()
    charge = ContributionCharge.objects.get(run=run)
    assert (charge.schedule, charge.deployment, charge.period_key, charge.amount_pence) == (
        None,
        "council_commissioned",
        "2026-04",
        6500,
    )
    assert (charge.period_starts_on, charge.period_ends_on) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 4, 30),
    )
    jobs_run_queued()
    charge.refresh_from_db()
    assert charge.posted is not None and charge.posted.kind == "contribution_due"
    assert Account.objects.get(kind="contribution", person=council.holder_person).balance_pence == (
        -6500
    )
    assert ledger_check().balanced
    # The month is charged once: the monthly run for April has nothing left to do.
    first, _second = finance_officers(council)
    with pytest.raises(services.PaymentError, match="Nothing is due for 2026-04"):
        services.run_prepare(actor=first, period="2026-04", frequency=MONTHLY)
    # May is charged by May's run.
    may = _pay(council, "2026-05", MONTHLY)
    assert ContributionCharge.objects.get(run=may).amount_pence == 6500
    jobs_run_queued()
    assert Transaction.objects.filter(kind="contribution_due").count() == 2
    # The person sees what is due on "Your money".
    holder = Client()
    holder.force_login(council.users[Role.HOLDER])
    page = holder.get(reverse("money:person", args=[council.holder_person.pk])).content.decode()
    assert "Contribution due from you" in page and "£130.00" in page


def test_a_plan_starting_mid_month_is_charged_for_its_days(council: Any) -> None:
    plan = _commissioned_only(council)
    SupportPlan.objects.filter(pk=plan.pk).update(starts_on=dt.date(2026, 4, 16))
    run = _pay(council)
    # 15 of 30 days: 1500 × 15 × (52/12) / 30 = 3250.
    assert ContributionCharge.objects.get(run=run).amount_pence == 3250


def test_a_contribution_above_the_commissioned_cost_is_capped_at_it(council: Any) -> None:
    _commissioned_only(council)
    AssessedContribution.objects.filter(person=council.holder_person).update(weekly_pence=8000)
    run = _pay(council)
    # £50.75 a week, not £80.00: 5075 × 52 / 12 = 21991.67 → 21992.
    assert ContributionCharge.objects.get(run=run).amount_pence == 21992


def test_a_direct_payment_without_a_schedule_yet_is_not_charged_this_way(council: Any) -> None:
    paid_plan(council)  # direct payment lines, but no schedule set up
    first, _second = finance_officers(council)
    with pytest.raises(services.PaymentError, match="Nothing is due"):
        services.run_prepare(actor=first, period="2026-04", frequency="four_weekly")
    assert not ContributionCharge.objects.exists()


def test_an_isf_paid_on_a_schedule_carries_the_contribution_once(council: Any) -> None:
    _commissioned_only(council, way="isf")
    services.schedule_set(
        actor=council.users[Role.FINANCE],
        person=council.holder_person,
        deployment="isf",
        frequency="four_weekly",
        anchor_date=ANCHOR,
        starts_on=PAID_FROM,
        payee_name="Good Care Ltd",
        sort_code="401276",
        account_number="11112222",
    )
    run = _pay(council)
    charge = ContributionCharge.objects.get()
    # Carried by the ISF's schedule (14 of 28 days of £15.00 a week), not charged again.
    assert (charge.run, charge.deployment, charge.amount_pence) == (run, "isf", 3000)
    assert charge.schedule is not None
