"""The link person in the direct payments team on a direct payment agreement (issue 12;
holders-experience REQ-34: a named contact with phone and email): a finance officer,
optional, set in the agreement form, audited, and shown on the holding page."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.budgets import services
from selfdirect.budgets.models import DirectPaymentAgreement
from tests.budgets.test_holding import _dp_post, _paid_to_person, _plan

pytestmark = pytest.mark.django_db


def test_the_link_officer_is_recorded_and_audited(council: Any) -> None:
    plan, finance = _plan(council), council.users[Role.FINANCE]
    agreement = services.direct_payment_agreement_create(
        actor=council.users[Role.PRACTITIONER], plan=plan, link_officer=finance, **_paid_to_person()
    )
    assert agreement.link_officer == finance
    event = Event.objects.get(object_type="direct_payment_agreement", object_id=agreement.pk)
    assert event.changes["Link person"] == [None, "finance"]


def test_a_link_officer_must_be_a_finance_officer(council: Any) -> None:
    plan = _plan(council)
    with pytest.raises(services.HoldingError) as refused:
        services.direct_payment_agreement_create(
            actor=council.users[Role.PRACTITIONER],
            plan=plan,
            link_officer=council.users[Role.PLANNER],
            **_paid_to_person(),
        )
    assert str(refused.value) == services.LINK_OFFICER_NOT_FINANCE
    assert refused.value.field == "link_officer"
    assert not DirectPaymentAgreement.objects.exists()


def test_the_form_sets_the_link_officer_and_the_holding_page_shows_them(
    client: Any, council: Any
) -> None:
    plan, finance = _plan(council), council.users[Role.FINANCE]
    finance.first_name, finance.last_name = "Fiona", "Grant"
    finance.save()
    client.force_login(council.users[Role.PRACTITIONER])
    form = client.get(f"/holding/plans/{plan.pk}/direct-payment/new/").content.decode()
    assert "Link person in the direct payments team (optional)" in form
    assert f'value="{finance.pk}"' in form
    assert f'value="{council.users[Role.PLANNER].pk}"' not in form  # not a finance officer
    response = client.post(
        f"/holding/plans/{plan.pk}/direct-payment/new/", _dp_post(link_officer=str(finance.pk))
    )
    assert response.status_code == 302
    assert DirectPaymentAgreement.objects.get().link_officer == finance
    page = client.get(f"/holding/plans/{plan.pk}/").content.decode()
    assert "Link person in the direct payments team" in page and "Fiona Grant" in page
