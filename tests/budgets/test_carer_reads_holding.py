"""A carer with the person's consent reads how the budget is held, without the money's
details (issue 13, "Carers count": `/holding/` answered 403 to a consented carer; decision
0039). SCIE-33 (carers involved at every stage, with consent), SCIE-34 (a carer who helps
manage the budget), holders-experience REQ-31 (delegated access with set permissions)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.budgets import services as S
from selfdirect.people.models import Relationship
from tests.budgets.test_holding import _agreed, _isf, _paid_to_person, _plan

pytestmark = pytest.mark.django_db


def _held(council: Any) -> Any:
    plan = _plan(council)
    S.direct_payment_agreement_create(
        actor=council.users[Role.PRACTITIONER],
        plan=plan,
        **_paid_to_person(card_reference="CARD-99887766"),
    )
    _agreed(council, _isf(council, plan))
    return plan


def test_scie33_a_consented_carer_sees_how_it_is_held_but_no_bank_details(
    client: Any, council: Any
) -> None:
    plan = _held(council)
    url = reverse("budgets:holding", args=[plan.pk])
    client.force_login(council.users[Role.HOLDER])
    own = client.get(url).content.decode()
    assert "account ending 5678" in own and "Checks the council made" in own
    client.force_login(council.users[Role.CARER])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    # How it is held and who holds each part.
    assert "Direct payment" in page and "Acme Care" in page
    assert "Held under this agreement, a week" in page
    assert "Bank and card details, the council's checks and statements stay private" in page
    # Never the money's details, nor the council's checks about the person.
    for private in ("5678", "30-94", "7766", "Paid into", "Checks the council made", "capacity"):
        assert private not in page, private
    assert "Read and agree" not in page and "Send a statement" not in page
    assert Event.objects.filter(
        actor=council.users[Role.CARER], action=Action.VIEW, person_id=council.holder_person.pk
    ).exists()


def test_a_carer_without_consent_is_refused_and_it_is_recorded(client: Any, council: Any) -> None:
    plan = _held(council)
    Relationship.objects.filter(person=council.holder_person).update(can_see_record=False)
    client.force_login(council.users[Role.CARER])
    assert client.get(reverse("budgets:holding", args=[plan.pk])).status_code == 404
    assert Event.objects.filter(actor=council.users[Role.CARER], action=Action.DENIED).exists()


def test_the_agreements_own_pages_stay_closed_to_a_carer(client: Any, council: Any) -> None:
    """Only the summary page opens: the direct payment's and the fund agreement's own pages
    (with their statements) still need holding.view."""
    plan = _held(council)
    agreement = plan.fund_agreements.get()
    client.force_login(council.users[Role.CARER])
    assert (
        client.get(reverse("budgets:fund_agreement_agree", args=[agreement.pk])).status_code == 403
    )
