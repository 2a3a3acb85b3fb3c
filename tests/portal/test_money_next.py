"""REQ-9: the holder's next payment on 'Your money' comes from the payments app's schedule,
and the shortfall alert ("less than is needed until the next payment") uses it.

Ada's plan (tests.payments.helpers): £50.75 a week by direct payment less her £15.00 a week
contribution = £35.75 a week, paid every four weeks from 6 April 2026 (from 20 April): the
period from 4 May 2026 is 4 x £35.75 = £143.00; the first (half) period was £71.50 plus the
£250.00 set-up payment = £321.50."""

from __future__ import annotations

import datetime as dt
from typing import Any

from selfdirect.access.roles import Role
from selfdirect.ledger import services as ledger
from selfdirect.money import pounds
from selfdirect.portal import money
from tests.payments.helpers import dp_schedule, paid_plan
from tests.portal.test_money import bank_statement

D = dt.date
TODAY = D(2026, 4, 25)


def _pay(council: Any, key: str, pence: int, on: dt.date) -> None:
    ledger.budget_payment_post(
        actor=council.users[Role.FINANCE],
        person=council.holder_person,
        deployment="direct_payment",
        funding_stream="adult_social_care",
        period_key=key,
        amount_pence=pence,
        effective_date=on,
    )


def test_no_schedule_no_next_payment(council: Any) -> None:
    paid_plan(council)
    assert money.next_payment(council.holder_person, TODAY) is None


def test_the_next_payment_is_the_first_unpaid_period_from_today(council: Any) -> None:
    paid_plan(council)
    dp_schedule(council)
    person = council.holder_person
    # The period from 6 April has begun (and is not "next"): the next is 4 May, £143.00.
    assert money.next_payment(person, TODAY) == (D(2026, 5, 4), 14_300, "direct_payment")
    # On the day itself it is still next, until it is paid; then the period from 1 June.
    assert money.next_payment(person, D(2026, 5, 4)) == (D(2026, 5, 4), 14_300, "direct_payment")
    _pay(council, "2026-05-04", 14_300, D(2026, 5, 4))
    assert money.next_payment(person, D(2026, 5, 4)) == (D(2026, 6, 1), 14_300, "direct_payment")


def test_the_shortfall_alert_counts_the_days_to_the_next_payment(council: Any) -> None:
    """25 April to 4 May is 9 days: £50.75 a week x 9 / 7 = £65.25 needed (rounded down).
    £321.50 paid in; the person's bank statement then shows £41.50 left: less than £65.25.
    (A direct payment is spent from the person's own account: the ledger never sees it.)"""
    paid_plan(council)
    dp_schedule(council)
    person = council.holder_person
    _pay(council, "2026-04-06", 32_150, D(2026, 4, 6))
    summary = money.money_summary(
        person, money.words_for(council.users[Role.HOLDER], person), today=TODAY
    )
    assert summary.next_payment == (D(2026, 5, 4), 14_300, "direct_payment")
    assert summary.next_payment_way == "direct payment paid to you"
    assert [a.kind for a in summary.alerts] == []
    bank_statement(council, balance_pence=4_150, on=D(2026, 4, 24))
    summary = money.money_summary(
        person, money.words_for(council.users[Role.HOLDER], person), today=TODAY
    )
    (alert,) = summary.alerts
    assert (alert.kind, alert.title) == ("shortfall", "Your direct payment may run short")
    assert alert.text.startswith(
        "There is £41.50 in the direct payment paid to you, and about £65.25 is needed "
        "until the next payment on 4 May 2026."
    )


def test_the_page_says_when_and_how_much(client: Any, council: Any) -> None:
    paid_plan(council)
    dp_schedule(council)
    person = council.holder_person
    client.force_login(council.users[Role.HOLDER])
    page = client.get(f"/your-money/{person.pk}/").content.decode()
    today = dt.date.today()
    expected = money.next_payment(person, today)
    assert expected is not None and expected[0] >= today
    assert (
        f"The next payment of {pounds(expected[1])} into the direct payment paid to you "
        f"is due on {expected[0]:%-d %B %Y}." in page
    )
