"""Approved timesheets feed the expected spend (issue 14): "Your money" and the PA page set
the approved PA pay of the last 4 weeks against the direct payment for those weeks, in the
plan and as the ledger shows it paid in (payments less reversals), never posting the
person's own spending to the ledger (decision 0033)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.employers import selectors, services
from selfdirect.ledger import services as ledger
from tests.budgets.test_holding import _plan as _held_plan
from tests.employers.conftest import add_pa

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _pay(council: Any, pence: int, on: dt.date, period: str) -> Any:
    return ledger.budget_payment_post(
        actor=council.users[Role.FINANCE],
        person=council.holder_person,
        deployment="direct_payment",
        funding_stream="adult_social_care",
        period_key=period,
        amount_pence=pence,
        effective_date=on,
    )


def _approved_week(council: Any, pa: Any, days_ago: int, hours: int) -> Any:
    holder = council.users[Role.HOLDER]
    sheet = services.timesheet_enter(
        actor=holder,
        assistant=pa,
        week_starting=TODAY - dt.timedelta(days=days_ago),
        hours_hundredths=hours,
    )
    return services.timesheet_approve(actor=holder, timesheet=sheet)


def test_the_expected_spend_counts_approved_pay_and_the_ledgers_payments_in_the_weeks(
    council: Any,
) -> None:
    _held_plan(council)
    pa = add_pa(council)  # £13.00 an hour
    _approved_week(council, pa, 7, 1000)  # £130.00
    _approved_week(council, pa, 14, 500)  # £65.00
    _approved_week(council, pa, 35, 1000)  # before the 4 weeks: not counted
    services.timesheet_enter(
        actor=council.users[Role.HOLDER],
        assistant=pa,
        week_starting=TODAY - dt.timedelta(days=21),
        hours_hundredths=800,
    )  # waiting: counted as waiting, not as pay
    _pay(council, 12_000, TODAY - dt.timedelta(days=10), "in-the-weeks")
    _pay(council, 9_000, TODAY - dt.timedelta(days=40), "before-the-weeks")
    returned = _pay(council, 5_000, TODAY - dt.timedelta(days=3), "returned")
    ledger.transaction_reverse(
        actor=council.users[Role.FINANCE], original=returned, effective_date=TODAY
    )
    spend = selectors.expected_spend(council.holder_person, today=TODAY)
    assert spend is not None
    assert spend.approved_pence == 19_500 and spend.waiting == 1
    assert spend.direct_payment_pence == 12_000  # the plan's £30 a week, for 4 weeks
    assert spend.paid_in_pence == 12_000  # the ledger: in the weeks, less the reversal


def test_no_direct_payment_account_means_nothing_paid_in_is_claimed(council: Any) -> None:
    add_pa(council)
    spend = selectors.expected_spend(council.holder_person, today=TODAY)
    assert spend is not None and spend.paid_in_pence is None


def test_your_money_shows_the_approved_pay_against_what_the_ledger_paid_in(
    client: Any, council: Any
) -> None:
    _held_plan(council)
    pa = add_pa(council)
    _approved_week(council, pa, 7, 1000)
    _pay(council, 12_345, TODAY - dt.timedelta(days=2), "recent")
    client.force_login(council.users[Role.HOLDER])
    page = client.get(reverse("money:person", args=[council.holder_person.pk])).content.decode()
    assert "£130.00 of pay" in page
    assert 'id="pa-spend-paid-in"' in page and "the council paid £123.45 into" in page
    own = client.get(reverse("employers:person", args=[council.holder_person.pk])).content
    assert "The council paid £123.45 into the direct payment in those weeks" in own.decode()
