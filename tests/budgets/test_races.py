"""Two requests at once on one notice or agreement (PostgreSQL, real concurrent
transactions): one succeeds, the other gets the refusal it would have got a moment later,
and the change happens once. Plus the constraints behind them, on both engines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.budgets import notices
from selfdirect.budgets import services as holding
from selfdirect.budgets.models import ChangeNotice, FundAgreement
from selfdirect.planning.models import SupportPlan
from tests.budgets.test_holding import _isf
from tests.budgets.test_holding import _plan as _held_plan
from tests.budgets.test_notices import MIXED, TODAY, _give
from tests.budgets.test_pools import plan_with_lines
from tests.concurrency import one_success_one_refusal, race

WHEN = TODAY + dt.timedelta(days=28)


@pytest.mark.postgres
def test_two_identical_notices_at_once_give_one(committed_council: Any) -> None:
    council = committed_council
    plan = plan_with_lines(council, lines=MIXED)
    outcomes = race(
        lambda _i: SupportPlan.objects.get(pk=plan.pk), lambda _i, loaded: _give(council, loaded)
    )
    refused = one_success_one_refusal(outcomes, notices.NoticeError)
    assert str(refused) == notices.NOTICE_EXISTS.format(on=f"{WHEN:%-d %B %Y}")
    assert ChangeNotice.objects.filter(plan=plan).count() == 1


@pytest.mark.postgres
def test_two_withdrawals_at_once_withdraw_once(committed_council: Any) -> None:
    council = committed_council
    notice = _give(council, plan_with_lines(council, lines=MIXED))
    staff = [council.users[Role.PRACTITIONER], council.users[Role.MANAGER]]
    outcomes = race(
        lambda _i: ChangeNotice.objects.get(pk=notice.pk),
        lambda i, loaded: notices.change_notice_withdraw(
            actor=staff[i], notice=loaded, today=TODAY
        ),
    )
    refused = one_success_one_refusal(outcomes, notices.NoticeError)
    assert str(refused) == notices.NOT_GIVEN
    withdrawn = Event.objects.filter(object_type="change_notice", object_id=notice.pk)
    assert withdrawn.filter(summary__startswith="Withdrew").count() == 1


@pytest.mark.postgres
def test_the_same_side_agreeing_twice_at_once_agrees_once(committed_council: Any) -> None:
    council = committed_council
    agreement = _isf(council, _held_plan(council))
    for_person = [council.users[Role.HOLDER], council.users[Role.REPRESENTATIVE]]
    outcomes = race(
        lambda _i: FundAgreement.objects.get(pk=agreement.pk),
        lambda i, loaded: holding.fund_agreement_agree(
            actor=for_person[i], agreement=loaded, side="person"
        ),
    )
    refused = one_success_one_refusal(outcomes, holding.HoldingError)
    assert str(refused) == holding.ALREADY_AGREED
    agreed = Event.objects.filter(object_type="fund_agreement", object_id=agreement.pk)
    assert agreed.filter(summary__contains="agreed the").count() == 1


@pytest.mark.postgres
def test_both_sides_agreeing_at_once_put_the_agreement_in_place(
    committed_council: Any,
) -> None:
    council = committed_council
    agreement = _isf(council, _held_plan(council))
    sides = [(council.users[Role.HOLDER], "person"), (council.users[Role.PROVIDER], "organisation")]
    outcomes = race(
        lambda _i: FundAgreement.objects.get(pk=agreement.pk),
        lambda i, loaded: holding.fund_agreement_agree(
            actor=sides[i][0], agreement=loaded, side=sides[i][1]
        ),
    )
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    agreement.refresh_from_db()
    assert agreement.status == "active"
    assert agreement.person_agreed_on and agreement.organisation_agreed_on


@pytest.mark.postgres
def test_two_proposals_with_one_organisation_at_once_make_one(committed_council: Any) -> None:
    council = committed_council
    plan = _held_plan(council)
    outcomes = race(
        lambda _i: SupportPlan.objects.get(pk=plan.pk),
        lambda _i, loaded: _isf(council, loaded),
    )
    refused = one_success_one_refusal(outcomes, holding.HoldingError)
    assert str(refused) == holding.FUND_AGREEMENT_EXISTS.format(org="Acme Care")
    assert FundAgreement.objects.filter(plan=plan).count() == 1


@pytest.mark.django_db
def test_one_notice_given_per_money_and_date(council: Any) -> None:
    notice = _give(council, plan_with_lines(council, lines=MIXED))
    copy = {
        f.name: getattr(notice, f.name)
        for f in ChangeNotice._meta.concrete_fields
        if f.name not in ("id", "created_at")
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        ChangeNotice.objects.create(**copy)
    with pytest.raises(notices.NoticeError, match="has already been given"):
        _give(council, notice.plan)


@pytest.mark.django_db
def test_one_open_agreement_per_organisation_and_plan(council: Any) -> None:
    agreement = _isf(council, _held_plan(council))
    copy = {
        f.name: getattr(agreement, f.name)
        for f in FundAgreement._meta.concrete_fields
        if f.name not in ("id", "created_at")
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        FundAgreement.objects.create(**copy)
