"""A person with an approved plan paid by direct payment, and its schedule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from selfdirect.access.roles import Role
from selfdirect.payments.models import PaymentSchedule
from selfdirect.payments.services import run_prepare, schedule_set
from selfdirect.planning import figures, services
from selfdirect.planning.models import PlanLine, SupportPlan
from tests.factories import second_user
from tests.planning.test_plans import _draft_plan

PLAN_START = dt.date(2026, 4, 1)
ANCHOR = dt.date(2026, 4, 6)
PAID_FROM = dt.date(2026, 4, 20)


def finance_officers(council: Any) -> tuple[Any, Any]:
    return council.users[Role.FINANCE], second_user(council, Role.FINANCE)


def paid_plan(council: Any) -> SupportPlan:
    """Ada's approved plan from 1 April 2026: a personal assistant 3.5 hours a week at
    £14.50 (£50.75 a week) and £250.00 of kitchen equipment once, both by direct payment;
    her assessed contribution is £15.00 a week from 1 April 2026."""
    practitioner = council.users[Role.PRACTITIONER]
    plan = _draft_plan(council)
    base = {"outcome": None, "provider": None, "provided_by": "", "provisional": False}
    for description, category, unit, cost, quantity in [
        ("Personal assistant", "personal_assistant", "hour", 1450, 350),
        ("Kitchen equipment", "equipment_purchase", "item", 25000, 100),
    ]:
        services.line_add(
            actor=practitioner,
            plan=plan,
            fields={
                **base,
                "description": description,
                "category": category,
                "unit": unit,
                "unit_cost_pence": cost,
                "quantity_hundredths": quantity,
                "funding_stream": "adult_social_care",
                "deployment": "direct_payment",
            },
        )
    services.plan_submit(actor=practitioner, plan=plan)
    services.plan_approve(actor=second_user(council, Role.PRACTITIONER), plan=plan)
    SupportPlan.objects.filter(pk=plan.pk).update(starts_on=PLAN_START)
    figures.assessed_contribution_record(
        actor=council.users[Role.FINANCE],
        person=plan.person,
        weekly_pence=1500,
        effective_from=PLAN_START,
        source_reference="FA-1",
    )
    return plan


def dp_schedule(council: Any, frequency: str = "four_weekly") -> PaymentSchedule:
    return schedule_set(
        actor=council.users[Role.FINANCE],
        person=council.holder_person,
        deployment="direct_payment",
        frequency=frequency,
        anchor_date=ANCHOR,
        starts_on=PAID_FROM,
        payee_name="Ada Holder",
        sort_code="30-94-30",
        account_number="12345678",
    )


def ma_budget(council: Any, plan: SupportPlan) -> PaymentSchedule:
    """A second budget of Ada's in the run: a managed account for day activities, two days
    a week at £40.00 (test data), paid four-weekly from the anchor date."""
    PlanLine.objects.create(
        plan=plan,
        description="Day centre",
        category="day_activity",
        unit="day",
        unit_cost_pence=4000,
        quantity_hundredths=200,
        funding_stream="adult_social_care",
        deployment="managed_account",
    )
    return schedule_set(
        actor=council.users[Role.FINANCE],
        person=council.holder_person,
        deployment="managed_account",
        frequency="four_weekly",
        anchor_date=ANCHOR,
        starts_on=ANCHOR,
        payee_name="Anytown Accounts",
        sort_code="200000",
        account_number="55554444",
    )


def two_budget_run(council: Any) -> tuple[Any, Any]:
    """A run prepared for April 2026 of two budgets (Ada's direct payment and a managed
    account), and the finance officer who did not prepare it (who may approve it)."""
    plan = paid_plan(council)
    dp_schedule(council)
    ma_budget(council, plan)
    first, second = finance_officers(council)
    return run_prepare(actor=first, period="2026-04", frequency="four_weekly"), second
