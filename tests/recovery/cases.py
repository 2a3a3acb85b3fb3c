"""A holder with a direct payment of £30 a week and £400 paid into its account: a surplus
of £160 above the 8 weeks' contingency (£240). Two finance officers and a team manager."""

from __future__ import annotations

import datetime as dt
from typing import Any

from selfdirect.access.roles import Role
from selfdirect.budgets import services as budgets
from selfdirect.budgets.models import DirectPaymentAgreement
from selfdirect.ledger.services import budget_payment_post
from tests.budgets.test_holding import _paid_to_person
from tests.budgets.test_holding import _plan as _held_plan
from tests.factories import make_user

TODAY = dt.date.today()


def with_surplus(council: Any, paid_pence: int = 40000) -> DirectPaymentAgreement:
    plan = _held_plan(council)
    agreement = budgets.direct_payment_agreement_create(
        actor=council.users[Role.PRACTITIONER], plan=plan, **_paid_to_person()
    )
    council.finance = council.users[Role.FINANCE]
    council.finance2 = make_user("finance2", [Role.FINANCE])
    budget_payment_post(
        actor=council.finance,
        approved_by=council.finance2,
        person=council.holder_person,
        deployment="direct_payment",
        funding_stream="adult_social_care",
        period_key="2026-01",
        amount_pence=paid_pence,
        effective_date=TODAY,
    )
    return agreement
