"""Holding a budget: direct payments and the Care Act's checks (ss.31-32, DP Regulations
2014 reg 3), Individual Service Funds and third-party managed accounts agreed by both
sides, and statements whose surplus follows the agreement's rule without moving a
ring-fenced stream's money."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.budgets import services
from selfdirect.budgets.models import DirectPaymentAgreement, FundAgreement, FundStatement
from selfdirect.planning import services as planning
from selfdirect.planning.models import SupportPlan
from tests.factories import ProviderFactory, make_user, second_user
from tests.planning.test_plans import _approved_budget

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
# Plans and agreements began twenty weeks ago: a statement's period cannot end in the future.
START = TODAY - dt.timedelta(days=140)
S = services


def _line(plan: SupportPlan, **fields: Any) -> Any:
    base = {"outcome": None, "provider": None, "provided_by": "", "provisional": False}
    return planning.line_add(
        actor=plan.created_by, plan=plan, fields={**base, "unit": "week", **fields}
    )


def _plan(council: Any) -> SupportPlan:
    """£30 a week by direct payment; £20 (adult social care) and £10 (NHS continuing
    healthcare, ring-fenced) in an ISF with Acme Care; £5 in a third-party account."""
    acme = council.users[Role.PROVIDER].profile.provider
    plan = planning.plan_create(
        actor=council.users[Role.PRACTITIONER],
        allocation=_approved_budget(council),
        led_by="person",
        kind="standard",
        starts_on=START,
    )
    _line(
        plan,
        description="Personal assistant",
        category="personal_assistant",
        unit_cost_pence=3000,
        quantity_hundredths=100,
        funding_stream="adult_social_care",
        deployment="direct_payment",
        provided_by="Sam",
    )
    _line(
        plan,
        description="Home care",
        category="home_care_agency",
        unit_cost_pence=2000,
        quantity_hundredths=100,
        funding_stream="adult_social_care",
        deployment="isf",
        provider=acme,
    )
    _line(
        plan,
        description="Nursing support at home",
        category="home_care_agency",
        unit_cost_pence=1000,
        quantity_hundredths=100,
        funding_stream="nhs_chc",
        deployment="isf",
        provider=acme,
    )
    _line(
        plan,
        description="Taxi to the lunch club",
        category="transport",
        unit_cost_pence=500,
        quantity_hundredths=100,
        funding_stream="adult_social_care",
        deployment="third_party",
    )
    planning.plan_submit(actor=plan.created_by, plan=plan)
    planning.plan_approve(actor=second_user(council, Role.PRACTITIONER), plan=plan)
    return plan


def _rep(council: Any) -> Any:
    return council.users[Role.REPRESENTATIVE].profile.person


def _paid_to_person(**overrides: Any) -> dict[str, Any]:
    return {
        "recipient_type": "person",
        "account_type": "bank_account",
        "sort_code": "30-94-30",
        "account_number": "1234 5678",
        "has_capacity": True,
        "capable_of_managing": True,
        "appropriate": True,
        "not_excluded": True,
        "starts_on": TODAY,
        **overrides,
    }


AUTHORISED = {
    "recipient_type": "authorised",
    "has_capacity": False,
    "recipient_agrees": True,
    "best_interests": True,
}

# (the legal case, what differs from a valid payment to the person, the message, the field)
REFUSALS = [
    (
        "person lacking capacity cannot receive it themselves",
        {"has_capacity": False},
        S.REFUSED.format(reason=S.REASON_PERSON_LACKS_CAPACITY),
        "has_capacity",
    ),
    (
        "nominated person without agreement refused",
        {"recipient_type": "nominated", "recipient": "rep", "recipient_agrees": False},
        S.REFUSED.format(reason=S.REASON_NOMINEE_NOT_AGREED),
        "recipient_agrees",
    ),
    (
        "nominated person needs a person with capacity",
        {"recipient_type": "nominated", "recipient": "rep", "has_capacity": False},
        S.REFUSED.format(reason=S.REASON_NOMINATED_NEEDS_CAPACITY),
        "has_capacity",
    ),
    (
        "nominated person must be named",
        {"recipient_type": "nominated", "recipient_agrees": True},
        S.RECIPIENT_NEEDED,
        "recipient",
    ),
    (
        "nominated person must be in the person's relationships",
        {"recipient_type": "nominated", "recipient": "stranger", "recipient_agrees": True},
        S.RECIPIENT_NOT_RELATED,
        "recipient",
    ),
    (
        "authorised person only for a person who lacks capacity",
        {**AUTHORISED, "recipient": "rep", "has_capacity": True},
        S.REFUSED.format(reason=S.REASON_AUTHORISED_NEEDS_INCAPACITY),
        "has_capacity",
    ),
    (
        "authorised person without agreement refused",
        {**AUTHORISED, "recipient": "rep", "recipient_agrees": False},
        S.REFUSED.format(reason=S.REASON_AUTHORISED_NOT_AGREED),
        "recipient_agrees",
    ),
    (
        "authorised person not acting in best interests refused",
        {**AUTHORISED, "recipient": "rep", "best_interests": False},
        S.REFUSED.format(reason=S.REASON_NOT_BEST_INTERESTS),
        "best_interests",
    ),
    (
        "authorised person without DBS refused",
        {**AUTHORISED, "recipient": "rep"},
        S.DBS_NUMBER_NEEDED,
        "dbs_reference",
    ),
    (
        "authorised person's DBS needs its date",
        {**AUTHORISED, "recipient": "rep", "dbs_reference": "001234567890"},
        S.DBS_DATE_NEEDED,
        "dbs_checked_on",
    ),
    (
        "not capable of managing, even with help",
        {"capable_of_managing": False},
        S.REFUSED.format(reason=S.REASON_NOT_CAPABLE),
        "capable_of_managing",
    ),
    (
        "not an appropriate way to meet the needs",
        {"appropriate": False},
        S.REFUSED.format(reason=S.REASON_NOT_APPROPRIATE),
        "appropriate",
    ),
    (
        "excluded by a criminal justice requirement",
        {"not_excluded": False},
        S.REFUSED.format(reason=S.REASON_EXCLUDED),
        "not_excluded",
    ),
    ("bank sort code of 5 digits", {"sort_code": "30943"}, S.SORT_CODE_FORMAT, "sort_code"),
    (
        "bank account number of 7 digits",
        {"account_number": "1234567"},
        S.ACCOUNT_NUMBER_FORMAT,
        "account_number",
    ),
    (
        "joint account without its second holder",
        {"account_type": "joint_account"},
        S.SECOND_HOLDER_NEEDED,
        "second_account_holder",
    ),
    (
        "prepaid card without its reference",
        {"account_type": "prepaid_card"},
        S.CARD_REFERENCE_NEEDED,
        "card_reference",
    ),
    (
        "close relative in the household without a reason",
        {"pays_close_relative_in_household": True},
        S.NECESSITY_REASON_NEEDED,
        "necessity_reason",
    ),
    (
        "close relative without manager decision refused",
        {"pays_close_relative_in_household": True, "necessity_reason": "Night care only she gives"},
        S.NECESSITY_NEEDS_MANAGER,
        "pays_close_relative_in_household",
    ),
]


@pytest.mark.parametrize(
    ("case", "overrides", "message", "field"), REFUSALS, ids=[r[0] for r in REFUSALS]
)
def test_direct_payment_refusals_name_the_reason_and_change_nothing(
    council: Any, case: str, overrides: dict[str, Any], message: str, field: str
) -> None:
    plan = _plan(council)
    people = {"rep": _rep(council), "stranger": council.other_person}
    if "recipient" in overrides:
        overrides = {**overrides, "recipient": people[overrides["recipient"]]}
    events = Event.objects.count()
    with pytest.raises(S.HoldingError) as refused:
        S.direct_payment_agreement_create(
            actor=council.users[Role.PRACTITIONER], plan=plan, **_paid_to_person(**overrides)
        )
    assert (str(refused.value), refused.value.field) == (message, field)
    assert not DirectPaymentAgreement.objects.exists()
    assert Event.objects.count() == events


def test_refusals_say_they_go_in_writing() -> None:
    assert S.REFUSED.format(reason="x").startswith("A direct payment cannot be agreed: x.")
    assert "in writing" in S.REFUSED


# (the legal case, the authorised person's standing, DBS fields)
AUTHORISED_ACCEPTED = [
    ("authorised deputy needs no DBS", {"deputy_or_attorney": True}),
    ("authorised close family needs no DBS", {"close_family_or_friend": True}),
    (
        "authorised person with an enhanced DBS",
        {"dbs_reference": "001234567890", "dbs_checked_on": TODAY - dt.timedelta(days=30)},
    ),
]


@pytest.mark.parametrize(
    ("case", "standing"), AUTHORISED_ACCEPTED, ids=[c[0] for c in AUTHORISED_ACCEPTED]
)
def test_authorised_person_accepted(council: Any, case: str, standing: dict[str, Any]) -> None:
    plan = _plan(council)
    agreement = S.direct_payment_agreement_create(
        actor=council.users[Role.PRACTITIONER],
        plan=plan,
        **_paid_to_person(**AUTHORISED, recipient=_rep(council), **standing),
    )
    assert (agreement.recipient, agreement.status, agreement.account_number) == (
        _rep(council),
        "active",
        "12345678",
    )
    event = Event.objects.get(object_type="direct_payment_agreement", object_id=str(agreement.pk))
    assert "12345678" not in str(event.changes) and "ending 5678" in str(event.changes)


def test_close_relative_paid_with_a_managers_recorded_decision(council: Any) -> None:
    plan = _plan(council)
    manager = council.users[Role.MANAGER]
    agreement = S.direct_payment_agreement_create(
        actor=manager,
        plan=plan,
        **_paid_to_person(
            pays_close_relative_in_household=True,
            necessity_reason="Only her daughter can give the night-time care she needs",
        ),
    )
    assert (agreement.necessity_decided_by, agreement.necessity_decided_on) == (manager, TODAY)


def test_a_new_agreement_ends_the_one_in_place(council: Any) -> None:
    plan = _plan(council)
    practitioner = council.users[Role.PRACTITIONER]
    first = S.direct_payment_agreement_create(actor=practitioner, plan=plan, **_paid_to_person())
    with pytest.raises(S.HoldingError, match="must start after the one in place"):
        S.direct_payment_agreement_create(actor=practitioner, plan=plan, **_paid_to_person())
    later = TODAY + dt.timedelta(days=14)
    second = S.direct_payment_agreement_create(
        actor=practitioner,
        plan=plan,
        **_paid_to_person(starts_on=later, account_type="prepaid_card", card_reference="PC-99881"),
    )
    first.refresh_from_db()
    assert (first.status, first.ends_on) == ("ended", later - dt.timedelta(days=1))
    assert (second.status, second.sort_code, second.card_reference) == ("active", "", "PC-99881")
    S.direct_payment_agreement_end(actor=practitioner, agreement=second, ends_on=later)
    second.refresh_from_db()
    assert (second.status, second.ends_on) == ("ended", later)
    with pytest.raises(S.HoldingError, match=S.ALREADY_ENDED):
        S.direct_payment_agreement_end(actor=practitioner, agreement=second)


def test_direct_payment_needs_a_line_held_as_direct_payment(council: Any) -> None:
    plan = planning.plan_create(
        actor=council.users[Role.PRACTITIONER],
        allocation=_approved_budget(council),
        led_by="person",
        kind="standard",
        starts_on=TODAY,
    )
    with pytest.raises(S.HoldingError, match="No part of this plan is held as a direct payment"):
        S.direct_payment_agreement_create(
            actor=council.users[Role.PRACTITIONER], plan=plan, **_paid_to_person()
        )


def _isf(council: Any, plan: SupportPlan, **overrides: Any) -> FundAgreement:
    fields: dict[str, Any] = {
        "kind": "isf",
        "organisation": council.users[Role.PROVIDER].profile.provider,
        "surplus_rule": "return",
        "carry_limit_weeks": 0,
        "fee_weekly_pence": 250,
        "starts_on": START,
        **overrides,
    }
    return S.fund_agreement_create(actor=council.users[Role.PRACTITIONER], plan=plan, **fields)


def _agreed(council: Any, agreement: FundAgreement) -> FundAgreement:
    S.fund_agreement_agree(actor=council.users[Role.HOLDER], agreement=agreement, side="person")
    return S.fund_agreement_agree(
        actor=council.users[Role.PROVIDER], agreement=agreement, side="organisation"
    )


def test_fund_agreements_need_a_line_held_that_way(council: Any) -> None:
    plan = _plan(council)
    other_org = ProviderFactory(name="Brightside Support")
    with pytest.raises(S.HoldingError, match="held as an Individual Service Fund with Brightside"):
        _isf(council, plan, organisation=other_org)
    third = _isf(council, plan, kind="third_party", organisation=other_org)
    assert third.status == "proposed"
    assert S.held_weekly_by_stream(third, TODAY) == {"adult_social_care": 500}
    isf = _isf(council, plan)
    assert S.held_weekly_by_stream(isf, TODAY) == {"adult_social_care": 2000, "nhs_chc": 1000}
    with pytest.raises(S.HoldingError, match="There is already an agreement with Acme Care"):
        _isf(council, plan)
    with pytest.raises(S.HoldingError, match=S.CARRY_WEEKS_RANGE):
        _isf(
            council, plan, organisation=ProviderFactory(), kind="third_party", surplus_rule="carry"
        )


def test_both_sides_agree_before_it_is_in_place(council: Any) -> None:
    plan = _plan(council)
    agreement = _isf(council, plan)
    other_provider = make_user(
        "other-provider", [Role.PROVIDER], provider=ProviderFactory(name="Brightside")
    )
    with pytest.raises(S.HoldingError, match="Only staff of Acme Care can agree for Acme Care"):
        S.fund_agreement_agree(actor=other_provider, agreement=agreement, side="organisation")
    with pytest.raises(S.HoldingError, match="or their representative can agree for them"):
        S.fund_agreement_agree(
            actor=council.users[Role.PROVIDER], agreement=agreement, side="person"
        )
    agreement = S.fund_agreement_agree(
        actor=council.users[Role.REPRESENTATIVE], agreement=agreement, side="person"
    )
    assert (agreement.status, agreement.person_agreed_on) == ("proposed", TODAY)
    with pytest.raises(S.HoldingError, match=S.STATEMENT_NEEDS_ACTIVE):
        S.fund_statement_submit(
            actor=council.users[Role.PROVIDER],
            agreement=agreement,
            period_start=START,
            period_end=START,
            lines={"adult_social_care": (100, 100)},
        )
    agreement = S.fund_agreement_agree(
        actor=council.users[Role.PROVIDER], agreement=agreement, side="organisation"
    )
    assert agreement.status == "active"
    with pytest.raises(S.HoldingError, match=S.AGREEMENT_NOT_PROPOSED):
        S.fund_agreement_agree(actor=council.users[Role.HOLDER], agreement=agreement, side="person")


def test_a_provider_cannot_submit_for_another_organisations_agreement(council: Any) -> None:
    agreement = _agreed(council, _isf(council, _plan(council)))
    other_provider = make_user(
        "other-provider", [Role.PROVIDER], provider=ProviderFactory(name="Brightside")
    )
    for actor in (other_provider, council.users[Role.PRACTITIONER]):
        with pytest.raises(S.HoldingError, match="Only Acme Care or the council's finance team"):
            S.fund_statement_submit(
                actor=actor,
                agreement=agreement,
                period_start=START,
                period_end=START + dt.timedelta(days=27),
                lines={"adult_social_care": (8000, 8000)},
            )
    assert not FundStatement.objects.exists()
    statement = S.fund_statement_submit(
        actor=council.users[Role.FINANCE],
        agreement=agreement,
        period_start=START,
        period_end=START + dt.timedelta(days=27),
        lines={"adult_social_care": (8000, 8000)},
    )
    assert statement.submitted_by == council.users[Role.FINANCE]


# (the case: brought forward, received, spent, rule, carry limit) -> (carried, returned, overspent)
SURPLUS_CASES = [
    ("return: surplus goes back", (0, 8000, 7000, "return", 0), (0, 1000, 0)),
    ("return: overspend is shown, nothing returned", (0, 4000, 4500, "return", 0), (0, 0, 500)),
    ("carry: within the limit, all carried", (0, 4000, 1000, "carry", 4000), (3000, 0, 0)),
    (
        "carry: above the limit, the rest returned",
        (0, 20000, 10000, "carry", 8000),
        (8000, 2000, 0),
    ),
    ("carry: brought forward counts", (3000, 4000, 1000, "carry", 4000), (4000, 2000, 0)),
    ("carry: brought forward covers spending", (8000, 8000, 17000, "carry", 8000), (0, 0, 1000)),
]


@pytest.mark.parametrize(
    ("case", "given", "expected"), SURPLUS_CASES, ids=[c[0] for c in SURPLUS_CASES]
)
def test_surplus_split(case: str, given: tuple[Any, ...], expected: tuple[int, int, int]) -> None:
    brought, received, spent, rule, limit = given
    f = S.surplus_split(
        brought_forward_pence=brought,
        received_pence=received,
        spent_pence=spent,
        surplus_rule=rule,
        carry_limit_pence=limit,
    )
    assert (f.carried_pence, f.returned_pence, f.overspent_pence) == expected


def _figures(statement: FundStatement) -> dict[str, tuple[int, int, int]]:
    return {
        line.funding_stream: (line.carried_pence, line.returned_pence, line.overspent_pence)
        for line in statement.lines.all()
    }


def test_return_rule_with_a_ring_fenced_stream(council: Any) -> None:
    agreement = _agreed(council, _isf(council, _plan(council)))
    statement = S.fund_statement_submit(
        actor=council.users[Role.PROVIDER],
        agreement=agreement,
        period_start=START,
        period_end=START + dt.timedelta(days=27),
        lines={"adult_social_care": (8000, 7000), "nhs_chc": (4000, 4500)},
    )
    # The adult social care surplus is not used to cover the ring-fenced NHS overspend.
    assert _figures(statement) == {"adult_social_care": (0, 1000, 0), "nhs_chc": (0, 0, 500)}


def test_carry_rule_keeps_a_ring_fenced_surplus_in_its_stream(council: Any) -> None:
    agreement = _agreed(
        council, _isf(council, _plan(council), surplus_rule="carry", carry_limit_weeks=4)
    )
    provider = council.users[Role.PROVIDER]
    first_end = START + dt.timedelta(days=27)
    first = S.fund_statement_submit(
        actor=provider,
        agreement=agreement,
        period_start=START,
        period_end=first_end,
        lines={"adult_social_care": (20000, 10000), "nhs_chc": (4000, 1000)},
    )
    # Limits: 4 weeks of £20.00 (adult social care) and of £10.00 (NHS continuing healthcare).
    assert _figures(first) == {"adult_social_care": (8000, 2000, 0), "nhs_chc": (3000, 0, 0)}
    second_start = first_end + dt.timedelta(days=1)
    with pytest.raises(S.HoldingError, match="Include NHS continuing healthcare"):
        S.fund_statement_submit(
            actor=provider,
            agreement=agreement,
            period_start=second_start,
            period_end=second_start + dt.timedelta(days=27),
            lines={"adult_social_care": (8000, 8000)},
        )
    second = S.fund_statement_submit(
        actor=provider,
        agreement=agreement,
        period_start=second_start,
        period_end=second_start + dt.timedelta(days=27),
        lines={"adult_social_care": (8000, 17000), "nhs_chc": (4000, 1000)},
    )
    # NHS: £30 brought forward + £40 - £10 = £60; £40 carried, £20 back to the NHS, none of
    # it used for the adult social care overspend of £10.
    assert _figures(second) == {"adult_social_care": (0, 0, 1000), "nhs_chc": (4000, 2000, 0)}
    rows = S.statement_streams(agreement)
    assert [r.figures.brought_forward_pence for r in rows[1][1]] == [8000, 3000]
    assert [r.ring_fenced for r in rows[1][1]] == [False, True]
    # The NHS line is switched away from the ISF: its carried £40 is reported and all returned.
    nhs_line = agreement.plan.lines.get(funding_stream="nhs_chc")
    third_start = second_start + dt.timedelta(days=28)
    nhs_line.switches.create(
        effective_date=third_start,
        from_deployment="isf",
        to_deployment="council_commissioned",
        old_part_pence=0,
        new_part_pence=1000,
        switched_by=provider,
    )
    third = S.fund_statement_submit(
        actor=provider,
        agreement=agreement,
        period_start=third_start,
        period_end=third_start + dt.timedelta(days=27),
        lines={"adult_social_care": (8000, 8000), "nhs_chc": (0, 0)},
    )
    assert _figures(third) == {"adult_social_care": (0, 0, 0), "nhs_chc": (0, 4000, 0)}


def test_statement_checks(council: Any) -> None:
    agreement = _agreed(council, _isf(council, _plan(council)))
    provider = council.users[Role.PROVIDER]
    end = START + dt.timedelta(days=27)

    def submit(**overrides: Any) -> Any:
        fields: dict[str, Any] = {
            "period_start": START,
            "period_end": end,
            "lines": {"adult_social_care": (8000, 8000)},
            **overrides,
        }
        return S.fund_statement_submit(actor=provider, agreement=agreement, **fields)

    with pytest.raises(S.HoldingError, match=S.PERIOD_ORDER):
        submit(period_end=START - dt.timedelta(days=1))
    # What was spent is known only once the period is over (issue 13): tomorrow is refused,
    # naming the end of the period; today is not.
    with pytest.raises(S.HoldingError, match=S.PERIOD_IN_FUTURE) as future:
        submit(period_end=TODAY + dt.timedelta(days=1))
    assert future.value.field == "period_end"
    assert not FundStatement.objects.exists()
    with pytest.raises(S.HoldingError, match="Disabled Facilities Grant does not pay for any part"):
        submit(lines={"dfg": (100, 0)})
    with pytest.raises(S.HoldingError, match=S.STATEMENT_NO_LINES):
        submit(lines={})
    with pytest.raises(S.HoldingError, match=S.AMOUNT_NOT_PENCE):
        submit(lines={"adult_social_care": (-1, 0)})
    submit()
    with pytest.raises(S.HoldingError, match="periods cannot overlap"):
        submit(period_start=end, period_end=end + dt.timedelta(days=7))
    assert FundStatement.objects.count() == 1


# Pages


def _dp_post(**overrides: str) -> dict[str, str]:
    return {
        "recipient_type": "person",
        "has_capacity": "yes",
        "capable_of_managing": "yes",
        "appropriate": "yes",
        "not_excluded": "yes",
        "account_type": "bank_account",
        "sort_code": "309430",
        "account_number": "12345678",
        "starts_on_day": str(TODAY.day),
        "starts_on_month": str(TODAY.month),
        "starts_on_year": str(TODAY.year),
        **overrides,
    }


def test_direct_payment_pages(client: Any, council: Any) -> None:
    plan = _plan(council)
    client.force_login(council.users[Role.PRACTITIONER])
    detail = client.get(f"/plans/{plan.pk}/").content.decode()
    assert f'href="/holding/plans/{plan.pk}/"' in detail
    empty = client.post(f"/holding/plans/{plan.pk}/direct-payment/new/", {}).content.decode()
    assert "<title>Error: " in empty and "Select who receives the payment" in empty
    refused = client.post(
        f"/holding/plans/{plan.pk}/direct-payment/new/",
        _dp_post(
            recipient_type="nominated",
            recipient=str(_rep(council).pk),
        ),
    ).content.decode()
    assert S.REFUSED.format(reason=S.REASON_NOMINEE_NOT_AGREED).replace("'", "&#x27;") in refused
    relative = client.post(
        f"/holding/plans/{plan.pk}/direct-payment/new/",
        _dp_post(pays_close_relative_in_household="on", necessity_reason="Night care"),
    ).content.decode()
    assert S.NECESSITY_NEEDS_MANAGER.replace("'", "&#x27;") in relative
    assert not DirectPaymentAgreement.objects.exists()
    response = client.post(f"/holding/plans/{plan.pk}/direct-payment/new/", _dp_post())
    assert response["Location"] == f"/holding/plans/{plan.pk}/"
    page = client.get(f"/holding/plans/{plan.pk}/").content.decode()
    assert "account ending 5678" in page and "12345678" not in page
    assert "sort code 30-94-30" in page
    agreement = DirectPaymentAgreement.objects.get()
    client.post(f"/holding/direct-payments/{agreement.pk}/end/")
    agreement.refresh_from_db()
    assert agreement.status == "ended"
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="team-b-worker"))
    assert client.get(f"/holding/plans/{plan.pk}/").status_code == 404
    assert client.post(f"/holding/direct-payments/{agreement.pk}/end/").status_code == 404
    client.force_login(council.users[Role.HOLDER])
    assert "account ending 5678" in client.get(f"/holding/plans/{plan.pk}/").content.decode()
    assert (
        client.post(f"/holding/plans/{plan.pk}/direct-payment/new/", _dp_post()).status_code == 403
    )


def _date_post(prefix: str, on: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(on.day),
        f"{prefix}_month": str(on.month),
        f"{prefix}_year": str(on.year),
    }


def test_fund_agreement_pages_agree_and_statement(client: Any, council: Any) -> None:
    plan = _plan(council)
    acme = council.users[Role.PROVIDER].profile.provider
    client.force_login(council.users[Role.PLANNER])
    missing = client.post(f"/holding/plans/{plan.pk}/agreements/new/", {}).content.decode()
    assert "Select how the budget is held" in missing and "<title>Error: " in missing
    client.post(
        f"/holding/plans/{plan.pk}/agreements/new/",
        {
            "kind": "isf",
            "organisation": str(acme.pk),
            "surplus_rule": "carry",
            "carry_limit_weeks": "4",
            "fee_weekly": "2.50",
            **_date_post("starts_on", START),
        },
    )
    agreement = FundAgreement.objects.get()
    assert (agreement.fee_weekly_pence, agreement.carry_limit_weeks) == (250, 4)
    # The holder, in the portal, agrees for themselves; the page is otherwise read-only.
    client.force_login(council.users[Role.HOLDER])
    page = client.get(f"/holding/plans/{plan.pk}/").content.decode()
    assert f"/holding/agreements/{agreement.pk}/agree/" in page
    assert "Set up a direct payment agreement" not in page
    agree = client.get(f"/holding/agreements/{agreement.pk}/agree/").content.decode()
    assert "Agree for Ada Holder" in agree
    client.post(f"/holding/agreements/{agreement.pk}/agree/", {"side": "person"})
    client.force_login(council.users[Role.PROVIDER])
    client.post(f"/holding/agreements/{agreement.pk}/agree/", {"side": "organisation"})
    agreement.refresh_from_db()
    assert agreement.status == "active"
    end = START + dt.timedelta(days=27)
    bad = client.post(
        f"/holding/agreements/{agreement.pk}/statements/new/",
        {**_date_post("period_start", START), **_date_post("period_end", end)},
    ).content.decode()
    assert "Enter what was received from NHS continuing healthcare" in bad
    client.post(
        f"/holding/agreements/{agreement.pk}/statements/new/",
        {
            **_date_post("period_start", START),
            **_date_post("period_end", end),
            "received_adult_social_care": "200.00",
            "spent_adult_social_care": "100.00",
            "received_nhs_chc": "40.00",
            "spent_nhs_chc": "10.00",
        },
    )
    statement = FundStatement.objects.get()
    assert _figures(statement) == {"adult_social_care": (8000, 2000, 0), "nhs_chc": (3000, 0, 0)}
    page = client.get(f"/holding/plans/{plan.pk}/").content.decode()
    assert "£80.00" in page and "£30.00" in page
    assert "is ring-fenced: its surplus stays in NHS continuing healthcare" in page
    # The provider sees its own agreement, never the direct payment part of the page.
    assert "Direct payment</h2>" not in page


def test_providers_see_only_their_own_agreements(client: Any, council: Any) -> None:
    plan = _plan(council)
    agreement = _agreed(council, _isf(council, plan))
    brightside = ProviderFactory(name="Brightside")
    other_provider = make_user("other-provider", [Role.PROVIDER], provider=brightside)
    client.force_login(other_provider)
    assert client.get(f"/holding/plans/{plan.pk}/").status_code == 404
    assert client.get(f"/holding/agreements/{agreement.pk}/statements/new/").status_code == 404
    response = client.post(
        f"/holding/agreements/{agreement.pk}/statements/new/",
        {**_date_post("period_start", START), **_date_post("period_end", START)},
    )
    assert response.status_code == 404 and not FundStatement.objects.exists()
    third = _isf(council, plan, kind="third_party", organisation=brightside)
    page = client.get(f"/holding/plans/{plan.pk}/").content.decode()
    assert "Brightside" in page and f"agreement-{agreement.pk}" not in page
    assert f"agreement-{third.pk}" in page


@pytest.mark.parametrize(
    ("case", "received", "spent", "flagged"),
    [
        ("spent as planned", 8000, 7000, None),
        ("an under-spend of more than a quarter", 8000, 5000, "an under-spend of more than 25%"),
        ("an overspend", 8000, 9000, "shows an overspend of £10.00"),
    ],
)
def test_a_statement_out_of_line_triggers_a_monitoring_review(
    council: Any, case: str, received: int, spent: int, flagged: str | None
) -> None:
    agreement = _agreed(council, _isf(council, _plan(council)))
    S.fund_statement_submit(
        actor=council.users[Role.PROVIDER],
        agreement=agreement,
        period_start=START,
        period_end=START + dt.timedelta(days=27),
        lines={"adult_social_care": (received, spent)},
    )
    reviews = list(agreement.plan.reviews.filter(kind="monitoring"))
    if flagged is None:
        assert reviews == [], case
        return
    assert len(reviews) == 1 and flagged in reviews[0].reason, case
    # A second statement out of line does not pile up another review while one is due.
    S.fund_statement_submit(
        actor=council.users[Role.PROVIDER],
        agreement=agreement,
        period_start=START + dt.timedelta(days=28),
        period_end=START + dt.timedelta(days=55),
        lines={"adult_social_care": (received, spent)},
    )
    assert agreement.plan.reviews.filter(kind="monitoring").count() == 1
