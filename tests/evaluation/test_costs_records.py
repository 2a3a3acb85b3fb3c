"""Weekly cost per person from records: the approved plan in force on a day, and the
ledger's budget payments over a period, worked out by hand below.

Ada's plan from 1 March 2026: home care 7 hours at £20.00 (£140.00 a week, council-
commissioned, switched to a £22.00 provider under an ISF on 1 May), a personal assistant
3 hours at £15.00 (£45.00, direct payment), payroll fees £5.00 a week (left out, as IBSEN
left out payroll support) and a one-off £300 of equipment (left out: not weekly).
- on 1 April: £140.00 + £45.00 = 18,500p (council-commissioned 14,000p, direct payment 4,500p);
- on 1 June: 7 x £22.00 = £154.00 under the ISF, so 15,400p + 4,500p = 19,900p.
Bea's plan was replaced on 1 April by a version with a £100.00-a-week day centre; before
that, £50.00. A draft does not count.

Ledger, April 2026 (30 days): Ada's direct payment paid £600.00 on 1 April and £300.00 on
15 April, the second reversed on 20 April: £600.00 x 7 / 30 = 14,000p a week. A payment in
March is outside the period.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.evaluation import costs
from selfdirect.ledger import services as ledger
from selfdirect.planning.models import LineSwitch, PlanLine, SupportPlan
from selfdirect.providers.models import Provider
from tests.planning.test_plans import _approved_budget

pytestmark = pytest.mark.django_db


def _plan(council: Any, allocation: Any, person: Any, starts_on: dt.date, **kw: Any) -> Any:
    return SupportPlan.objects.create(
        person=person,
        allocation=allocation,
        led_by="person",
        starts_on=starts_on,
        status=kw.pop("status", SupportPlan.Status.APPROVED),
        created_by=council.users[Role.PRACTITIONER],
        **kw,
    )


def _line(plan: Any, category: str, unit: str, cost: int, hundredths: int, **kw: Any) -> Any:
    return PlanLine.objects.create(
        plan=plan,
        description=category,
        category=category,
        unit=unit,
        unit_cost_pence=cost,
        quantity_hundredths=hundredths,
        funding_stream="adult_social_care",
        **kw,
    )


def test_weekly_cost_from_the_plan_in_force(council: Any) -> None:
    allocation = _approved_budget(council)
    ada, bea = council.holder_person, council.other_person
    plan = _plan(council, allocation, ada, dt.date(2026, 3, 1))
    acme = Provider.objects.get(name="Acme Care")
    home = _line(plan, "home_care_agency", "hour", 2000, 700, provider=acme)
    _line(plan, "personal_assistant", "hour", 1500, 300, deployment="direct_payment")
    _line(plan, "account_fees", "week", 500, 100, deployment="direct_payment")
    _line(plan, "equipment_purchase", "item", 30000, 100, deployment="direct_payment")
    LineSwitch.objects.create(
        line=home,
        effective_date=dt.date(2026, 5, 1),
        from_deployment="council_commissioned",
        to_deployment="isf",
        from_provider=acme,
        to_provider=Provider.objects.create(name="Kindred Care"),
        to_unit_cost_pence=2200,
        old_part_pence=0,
        new_part_pence=0,
        switched_by=council.users[Role.PRACTITIONER],
    )
    old = _plan(council, allocation, bea, dt.date(2026, 1, 1), status=SupportPlan.Status.SUPERSEDED)
    _line(old, "day_activity", "day", 5000, 100)
    new = _plan(council, allocation, bea, dt.date(2026, 4, 1), previous=old, version=2)
    _line(new, "day_activity", "day", 5000, 200)
    draft = _plan(
        council, allocation, bea, dt.date(2026, 4, 1), status=SupportPlan.Status.DRAFT, version=3
    )
    _line(draft, "day_activity", "day", 5000, 900)

    ids = [ada.pk, bea.pk]
    assert costs.plan_weekly_costs(ids, on=dt.date(2026, 4, 1)) == {
        ada.pk: (18_500, {"council_commissioned": 14_000, "direct_payment": 4_500}),
        bea.pk: (10_000, {"council_commissioned": 10_000}),
    }
    assert costs.plan_weekly_costs(ids, on=dt.date(2026, 3, 31))[bea.pk][0] == 5_000
    assert costs.plan_weekly_costs(ids, on=dt.date(2026, 6, 1))[ada.pk] == (
        19_900,
        {"isf": 15_400, "direct_payment": 4_500},
    )
    assert ada.pk not in costs.plan_weekly_costs(ids, on=dt.date(2026, 2, 28))


def test_weekly_cost_from_the_ledgers_payments(council: Any) -> None:
    finance = council.users[Role.FINANCE]
    ada = council.holder_person

    def pay(period: str, pence: int, on: dt.date) -> Any:
        return ledger.budget_payment_post(
            actor=finance,
            person=ada,
            deployment="direct_payment",
            funding_stream="adult_social_care",
            period_key=period,
            amount_pence=pence,
            effective_date=on,
        )

    pay("2026-03", 99_999, dt.date(2026, 3, 1))
    pay("2026-04a", 60_000, dt.date(2026, 4, 1))
    second = pay("2026-04b", 30_000, dt.date(2026, 4, 15))
    ledger.transaction_reverse(
        actor=finance, original=second, effective_date=dt.date(2026, 4, 20), reason="In error"
    )
    april = costs.ledger_weekly_costs(
        [ada.pk, council.other_person.pk], start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30)
    )
    assert april == {ada.pk: (14_000, {"direct_payment": 14_000})}
