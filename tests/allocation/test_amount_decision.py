"""A request to look again that is upheld (or partly) changes the personal budget through a
recorded new decision: the sign-off keeps the first amount, an AmountDecision the before and
after, the allocation's agreed amount is the new personal budget from today. Refusals name
the field and change nothing; the manager who worked out the budget does not decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.allocation import services
from selfdirect.allocation.models import Allocation, AmountDecision, Challenge
from selfdirect.allocation.signals import budget_amount_changed
from selfdirect.audit.models import Event
from tests.allocation.test_allocations import _agree
from tests.factories import second_user

pytestmark = pytest.mark.django_db


def _challenged(council: Any, *, proposed: int | None = 15000, sign_off: bool = True) -> Challenge:
    """The practitioner's £74.00 budget, signed off by the manager, and Ada's request."""
    allocation = services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )
    if sign_off:
        services.allocation_sign_off(
            actor=council.users[Role.MANAGER], allocation=allocation, decision="approve"
        )
    return services.challenge_raise(
        actor=council.users[Role.HOLDER],
        allocation=allocation,
        reasons="I need help at night",
        proposed_weekly_pence=proposed,
    )


def _decide(council: Any, challenge: Challenge, **kwargs: Any) -> Challenge:
    arguments = {
        "actor": council.users[Role.MANAGER],
        "challenge": challenge,
        "outcome": "upheld",
        "reason": "Night-time needs were missed.",
        "reassessment_needed": False,
    } | kwargs
    return services.challenge_decide(**arguments)


def _unchanged(challenge: Challenge, agreed: int = 7400) -> None:
    challenge.refresh_from_db()
    allocation = Allocation.objects.get(pk=challenge.allocation_id)
    assert challenge.status == "open" and challenge.outcome == ""
    assert allocation.agreed_weekly_pence == agreed
    assert allocation.personal_budget_weekly_pence == agreed
    assert not AmountDecision.objects.exists()


def test_upheld_records_a_new_decision_and_keeps_the_old_amount_in_the_history(
    council: Any, django_capture_on_commit_callbacks: Any
) -> None:
    challenge = _challenged(council)
    assert challenge.contested_weekly_pence == 7400
    heard: list[dict[str, Any]] = []

    def receiver(**kwargs: Any) -> None:
        heard.append(kwargs)

    budget_amount_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _decide(council, challenge, new_weekly_pence=9000)
    finally:
        budget_amount_changed.disconnect(receiver)

    allocation = Allocation.objects.get(pk=challenge.allocation_id)
    # The personal budget is the new amount; the signed-off amount stays as it was.
    assert allocation.personal_budget_weekly_pence == 9000
    assert allocation.agreed_weekly_pence == 7400
    change = AmountDecision.objects.get()
    assert (change.allocation, change.challenge_id) == (allocation, challenge.pk)
    assert (change.previous_weekly_pence, change.new_weekly_pence) == (7400, 9000)
    assert (change.previous_annual_pence, change.new_annual_pence) == (384800, 468000)
    assert change.effective_from == dt.date.today()
    assert change.decided_by == council.users[Role.MANAGER]
    # The first decision stays as it was.
    assert allocation.sign_offs.get().agreed_weekly_pence == 7400
    event = Event.objects.get(object_type="allocation", summary__startswith="New decision")
    assert event.changes["Personal budget (weekly)"] == ["£74.00", "£90.00"]
    assert event.person_id == allocation.person_id
    # The layers above are told once, after the commit, with the recorded decision.
    assert len(heard) == 1
    assert heard[0]["amount_decision"] == change and heard[0]["allocation"].pk == allocation.pk


def test_partly_upheld_gives_an_amount_between_the_contested_and_the_asked_for(
    council: Any,
) -> None:
    challenge = _challenged(council, proposed=15000)
    for outside in (15000, 16000, 5000):
        with pytest.raises(services.AllocationError) as refused:
            _decide(council, challenge, outcome="partly", new_weekly_pence=outside)
        assert str(refused.value) == (
            "A partly upheld request gives an amount between the £74.00 a week asked about "
            "and the £150.00 a week asked for"
        )
        assert refused.value.field == "new_amount"
        _unchanged(challenge)
    _decide(council, challenge, outcome="partly", new_weekly_pence=11000)
    assert AmountDecision.objects.get().new_weekly_pence == 11000
    # A later request is about the amount now, and its decision starts from it.
    later = services.challenge_raise(
        actor=council.users[Role.HOLDER], allocation=challenge.allocation, reasons="Still short"
    )
    assert later.contested_weekly_pence == 11000
    _decide(council, later, new_weekly_pence=12000)
    allocation = Allocation.objects.get(pk=challenge.allocation_id)
    assert [
        (d.previous_weekly_pence, d.new_weekly_pence) for d in allocation.amount_decisions.all()
    ] == [
        (7400, 11000),
        (11000, 12000),
    ]
    assert allocation.personal_budget_weekly_pence == 12000
    assert allocation.agreed_weekly_pence == 7400


@pytest.mark.parametrize(
    ("outcome", "amount", "refusal", "field"),
    [
        ("upheld", None, services.NEW_AMOUNT_NEEDED, "new_amount"),
        ("partly", None, services.NEW_AMOUNT_NEEDED, "new_amount"),
        (
            "upheld",
            7400,
            "The new weekly amount must differ from the £74.00 a week asked about",
            "new_amount",
        ),
        ("not_upheld", 9000, services.NEW_AMOUNT_NOT_UPHELD, "new_amount"),
    ],
)
def test_refusals_name_the_field_and_change_nothing(
    council: Any, outcome: str, amount: int | None, refusal: str, field: str
) -> None:
    challenge = _challenged(council)
    with pytest.raises(services.AllocationError) as refused:
        _decide(council, challenge, outcome=outcome, new_weekly_pence=amount)
    assert (str(refused.value), refused.value.field) == (refusal, field)
    _unchanged(challenge)


def test_a_budget_not_yet_signed_off_cannot_be_changed_by_an_upheld_request(council: Any) -> None:
    challenge = _challenged(council, sign_off=False)
    with pytest.raises(services.AllocationError, match=services.NEW_AMOUNT_NOT_SIGNED_OFF):
        _decide(council, challenge, new_weekly_pence=9000)
    _unchanged(challenge, agreed=None)  # type: ignore[arg-type]


def test_the_new_amount_respects_the_managers_sign_off_limit(council: Any) -> None:
    challenge = _challenged(council)
    profile = council.users[Role.MANAGER].profile
    profile.sign_off_limit_weekly_pence = 8000
    profile.save()
    with pytest.raises(services.AllocationError) as refused:
        _decide(council, challenge, new_weekly_pence=9000)
    assert str(refused.value) == (
        "This amount is above your sign-off limit of £80.00 a week: it needs the panel. "
        "A team manager records it as the panel's decision by choosing at least two panel "
        "members on this page"
    )
    _unchanged(challenge)


def test_not_upheld_leaves_the_amount(council: Any) -> None:
    challenge = _challenged(council)
    _decide(council, challenge, outcome="not_upheld")
    challenge.refresh_from_db()
    assert (challenge.status, challenge.outcome) == ("decided", "not_upheld")
    assert Allocation.objects.get(pk=challenge.allocation_id).personal_budget_weekly_pence == 7400
    assert not AmountDecision.objects.exists()


def test_the_manager_who_worked_out_the_budget_cannot_change_it_by_deciding(
    council: Any,
) -> None:
    manager, other = council.users[Role.MANAGER], second_user(council, Role.MANAGER)
    allocation = services.allocation_calculate(actor=manager, assessment=_agree(council), flags={})
    services.allocation_sign_off(actor=other, allocation=allocation, decision="approve")
    challenge = services.challenge_raise(
        actor=council.users[Role.HOLDER], allocation=allocation, reasons="Too low"
    )
    with pytest.raises(services.AllocationError, match=services.OWN_BUDGET_CHALLENGE):
        _decide(council, challenge, actor=manager, new_weekly_pence=9000)
    _unchanged(challenge)
    _decide(council, challenge, actor=other, new_weekly_pence=9000)
    assert AmountDecision.objects.get().decided_by == other


def test_the_decision_form_shows_a_named_error_on_the_amount(client: Any, council: Any) -> None:
    challenge = _challenged(council)
    client.force_login(council.users[Role.MANAGER])
    url = f"/budgets/challenges/{challenge.pk}/decide/"
    page = client.post(
        url, {"outcome": "partly", "reason": "Some of it", "new_amount": "200.00"}
    ).content.decode()
    assert (
        page.count(
            "A partly upheld request gives an amount between the £74.00 a week asked about "
            "and the £150.00 a week asked for"
        )
        == 2
    )  # the summary and the field
    assert "<title>Error:" in page and 'href="#id_new_amount"' in page
    _unchanged(challenge)
    response = client.post(
        url, {"outcome": "partly", "reason": "Some of it", "new_amount": "110.00"}
    )
    assert response.status_code == 302
    detail = client.get(f"/budgets/{challenge.allocation_id}/").content.decode()
    assert "The personal budget went from £74.00 to £110.00 a week" in detail
    assert "Changed after a request to look again" in detail
    assert "£110.00 a week (£5,720.00 a year) from " in detail and "was £74.00 a week" in detail


def test_the_database_refuses_a_decision_that_does_not_change_the_amount(council: Any) -> None:
    from django.db import IntegrityError, transaction

    challenge = _challenged(council)
    with pytest.raises(IntegrityError), transaction.atomic():
        AmountDecision.objects.create(
            allocation=challenge.allocation,
            challenge=challenge,
            previous_weekly_pence=7400,
            new_weekly_pence=7400,
            effective_from=dt.date.today(),
            reason="Test",
            decided_by=council.users[Role.MANAGER],
        )
    assert not AmountDecision.objects.exists()
