"""Finance pays the plan, so it reads every person's plan (each version, its lines, the
page and its PDF) and budget, read only (issue 12: "the finance role gets 403 on the plan
and the budget it must pay"). Each look is audited; changing anything is still refused."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.planning import services as planning
from selfdirect.planning.models import SupportPlan
from tests.budgets.test_holding import _plan

pytestmark = pytest.mark.django_db


def test_finance_reads_the_plan_its_versions_and_the_budget(client: Any, council: Any) -> None:
    plan = _plan(council)  # approved, Ada's (in team A: no finance officer's team)
    draft = planning.plan_revise(actor=council.users[Role.PRACTITIONER], plan=plan)
    finance = council.users[Role.FINANCE]
    client.force_login(finance)
    for version in (plan, draft):
        response = client.get(f"/plans/{version.pk}/")
        assert response.status_code == 200, version.status
        html = response.content.decode()
        assert "Home care" in html  # the lines
    looks = Event.objects.filter(actor=finance, action=Action.VIEW, object_type="supportplan")
    assert looks.count() >= 2
    assert client.get(f"/plans/{plan.pk}/pdf/").status_code in (200, 503)
    assert client.get(f"/budgets/{plan.allocation_id}/").status_code == 200
    assert Event.objects.filter(
        actor=finance, action=Action.VIEW, person=plan.person, object_type="allocation"
    ).exists()


def test_the_plan_page_offers_finance_no_change(client: Any, council: Any) -> None:
    plan = _plan(council)
    client.force_login(council.users[Role.FINANCE])
    html = client.get(f"/plans/{plan.pk}/").content.decode()
    assert f"/plans/{plan.pk}/new-version/" not in html
    assert f"/plans/{plan.pk}/reviews/new/" not in html


def test_finance_still_may_not_change_or_approve_a_plan(client: Any, council: Any) -> None:
    plan = _plan(council)
    draft = planning.plan_revise(actor=council.users[Role.PRACTITIONER], plan=plan)
    line = draft.lines.first()
    assert line is not None
    client.force_login(council.users[Role.FINANCE])
    assert client.post(f"/plans/{draft.pk}/lines/new/", {}).status_code == 403
    assert client.post(f"/plans/{draft.pk}/lines/{line.pk}/edit/", {}).status_code == 403
    assert client.post(f"/plans/{draft.pk}/submit/").status_code == 403
    assert client.post(f"/plans/{draft.pk}/approve/").status_code == 403
    assert client.post(f"/plans/{plan.pk}/new-version/").status_code == 403
    assert client.post(f"/plans/{plan.pk}/reviews/new/", {}).status_code == 403
    assert client.post(f"/budgets/{plan.allocation_id}/sign-off/", {}).status_code == 403
    assert SupportPlan.objects.filter(person=plan.person).count() == 2
    assert draft.lines.count() == plan.lines.count()
