"""A request to look again whose new amount is above the deciding manager's sign-off limit is
the panel's to decide: a team manager records it as the panel's decision with at least two
members (never the one who worked the budget out). Without a panel it is refused with the
next step named, and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.access.models import Profile
from selfdirect.access.roles import Role
from selfdirect.allocation import services
from selfdirect.allocation.models import Allocation, AmountDecision
from selfdirect.audit.models import Event
from tests.allocation.test_amount_decision import _challenged, _decide
from tests.factories import second_user

pytestmark = pytest.mark.django_db


def _limited(council: Any) -> Any:
    manager = council.users[Role.MANAGER]
    Profile.objects.filter(user=manager).update(sign_off_limit_weekly_pence=8000)
    manager.refresh_from_db()
    return manager


def test_above_the_limit_without_a_panel_names_the_next_step(council: Any) -> None:
    challenge = _challenged(council)
    _limited(council)
    with pytest.raises(services.AllocationError) as refused:
        _decide(council, challenge, new_weekly_pence=9000)
    assert str(refused.value) == services.CHALLENGE_ABOVE_LIMIT.format(limit="£80.00")
    assert refused.value.field == "new_amount"
    assert not AmountDecision.objects.exists()


def test_the_panel_decides_above_the_limit_and_it_is_audited(council: Any) -> None:
    challenge = _challenged(council)
    manager = _limited(council)
    other = second_user(council, Role.MANAGER)
    _decide(council, challenge, new_weekly_pence=9000, panel_members=[manager, other])
    allocation = Allocation.objects.get(pk=challenge.allocation_id)
    assert allocation.personal_budget_weekly_pence == 9000
    assert AmountDecision.objects.get().new_weekly_pence == 9000
    event = Event.objects.get(object_type="challenge", summary__startswith="Decided")
    assert event.changes["Decided by the panel"][1].count(",") == 1


def test_the_panel_keeps_its_member_rules(council: Any) -> None:
    challenge = _challenged(council)
    manager = _limited(council)
    practitioner = council.users[Role.PRACTITIONER]  # worked the budget out
    for members, text in (
        ([manager], services.PANEL_MEMBERS_TOO_FEW),
        ([manager, practitioner], None),
    ):
        with pytest.raises(services.AllocationError) as refused:
            _decide(council, challenge, new_weekly_pence=9000, panel_members=members)
        assert refused.value.field == "panel_members"
        if text:
            assert str(refused.value) == text
        assert not AmountDecision.objects.exists()


def test_only_a_panel_decider_names_a_panel(council: Any) -> None:
    challenge = _challenged(council)
    _limited(council)
    with pytest.raises(services.AllocationError) as refused:
        services.challenge_decide(
            actor=second_user(council, Role.PRACTITIONER),
            challenge=challenge,
            outcome="upheld",
            reason="x",
            reassessment_needed=False,
            new_weekly_pence=9000,
            panel_members=[council.users[Role.MANAGER], second_user(council, Role.MANAGER)],
        )
    assert str(refused.value) == services.CHALLENGE_PANEL_NOT_ALLOWED
    assert not AmountDecision.objects.exists()


def test_the_page_offers_the_panel_to_a_manager(client: Any, council: Any) -> None:
    challenge = _challenged(council)
    manager = _limited(council)
    other = second_user(council, Role.MANAGER)
    client.force_login(manager)
    url = f"/budgets/challenges/{challenge.pk}/decide/"
    page = client.get(url)
    assert page.status_code == 200 and "who sat on the panel" in page.content.decode()
    response = client.post(
        url,
        {
            "outcome": "upheld",
            "reason": "Night-time needs were missed.",
            "new_amount": "90.00",
            "panel_members": [manager.pk, other.pk],
        },
    )
    assert response.status_code == 302
    assert Allocation.objects.get(pk=challenge.allocation_id).personal_budget_weekly_pence == 9000
