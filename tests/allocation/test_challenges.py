"""Asking the council to look again at an amount: from the portal, decided by a manager in time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from selfdirect.access.models import WorkItem
from selfdirect.access.roles import Role
from selfdirect.allocation import services
from selfdirect.allocation.models import Challenge
from selfdirect.audit.models import Event
from tests.allocation.test_allocations import _agree

pytestmark = pytest.mark.django_db


def test_respond_by_counts_working_days_without_bank_holidays() -> None:
    friday = dt.date(2026, 11, 27)
    # 20 working days: 25 December (Friday) and 28 December (Boxing Day, substitute) are off.
    assert services.challenge_respond_by(friday) == dt.date(2026, 12, 29)


def test_holder_asks_to_look_again_and_a_manager_decides(client: Any, council: Any) -> None:
    allocation = services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )
    services.allocation_sign_off(
        actor=council.users[Role.MANAGER], allocation=allocation, decision="approve"
    )
    client.force_login(council.users[Role.HOLDER])
    page = client.get(f"/budgets/{allocation.pk}/").content.decode()
    assert "Ask us to look again at this amount" in page
    empty = client.post(f"/budgets/{allocation.pk}/look-again/", {}).content.decode()
    assert "Tell us why you think the amount is wrong" in empty
    response = client.post(
        f"/budgets/{allocation.pk}/look-again/",
        {"reasons": "I need help every night now.", "proposed": "150.00"},
    )
    assert response.status_code == 302
    challenge = Challenge.objects.get(allocation=allocation)
    assert (
        challenge.contested_weekly_pence,
        challenge.proposed_weekly_pence,
        challenge.ras_version,
    ) == (7400, 15000, allocation.ras_version)
    assert challenge.respond_by == services.challenge_respond_by(dt.date.today())
    assert "the council will reply by" in client.get(f"/budgets/{allocation.pk}/").content.decode()
    again = client.post(
        f"/budgets/{allocation.pk}/look-again/", {"reasons": "Again"}
    ).content.decode()
    assert services.CHALLENGE_OPEN_ALREADY in again
    assert WorkItem.objects.filter(
        kind="challenge", person=council.holder_person, for_role=Role.MANAGER
    ).exists()

    client.force_login(council.users[Role.MANAGER])
    assert "Decide a request to look again at a budget" in client.get("/home/").content.decode()
    missing = client.post(
        f"/budgets/challenges/{challenge.pk}/decide/", {"outcome": "upheld"}
    ).content.decode()
    assert "Explain the decision: the person will read it" in missing
    client.post(
        f"/budgets/challenges/{challenge.pk}/decide/",
        {
            "outcome": "upheld",
            "reason": "Night-time needs were not captured.",
            "reassessment_needed": "on",
            "new_amount": "100.00",
        },
    )
    challenge.refresh_from_db()
    assert (challenge.status, challenge.outcome, challenge.reassessment_needed) == (
        "decided",
        "upheld",
        True,
    )
    assert WorkItem.objects.filter(
        kind="reassessment", person=council.holder_person, status="open"
    ).exists()
    assert not WorkItem.objects.filter(
        kind="challenge", person=council.holder_person, status="open"
    ).exists()
    # Raised and decided (the decision page's views are audited too, as views).
    allocation.refresh_from_db()
    assert allocation.personal_budget_weekly_pence == 10000
    changes = Event.objects.filter(object_type="challenge", person=council.holder_person)
    assert changes.exclude(action="view").count() == 2

    client.force_login(council.users[Role.HOLDER])
    page = client.get(f"/budgets/{allocation.pk}/").content.decode()
    assert (
        "Night-time needs were not captured." in page
        and "A new assessment will be arranged." in page
    )


def test_only_managers_decide_and_only_for_their_teams(client: Any, council: Any) -> None:
    allocation = services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )
    challenge = services.challenge_raise(
        actor=council.users[Role.HOLDER], allocation=allocation, reasons="Too low"
    )
    client.force_login(council.users[Role.PRACTITIONER])
    assert client.get(f"/budgets/challenges/{challenge.pk}/decide/").status_code == 403
    from tests.factories import TeamFactory, make_user

    other_manager = make_user("other-manager", [Role.MANAGER], manages=[TeamFactory()])
    client.force_login(other_manager)
    assert client.get(f"/budgets/challenges/{challenge.pk}/decide/").status_code == 404
