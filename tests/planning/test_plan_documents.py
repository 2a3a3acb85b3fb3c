"""The PDF of an approved plan version: made once, then the same bytes for ever; a draft
has none."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.planning import documents, services
from selfdirect.planning.models import PlanDocument, SupportPlan
from tests.factories import second_user
from tests.planning.test_plans import _approved_budget

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _plan(council: Any, approve: bool = True) -> SupportPlan:
    practitioner = council.users[Role.PRACTITIONER]
    plan = services.plan_create(
        actor=practitioner,
        allocation=_approved_budget(council),
        led_by="representative",
        kind="standard",
        starts_on=TODAY,
        contingency="My sister covers if my PA is ill",
        risks_to_person="I go swimming alone; I accept the risk",
        financial_risks="Card spending is not itemised",
        holding_options_offered=[
            "direct_payment",
            "managed_account",
            "isf",
            "third_party",
            "council_commissioned",
        ],
    )
    outcome = services.outcome_add(
        actor=practitioner,
        plan=plan,
        fields={
            "in_their_words": "I want to swim every Saturday",
            "how_met": "A PA comes with me to the pool",
            "informal_support": "My neighbour drives me home",
        },
    )
    base = {"outcome": outcome, "provided_by": "", "deployment": "direct_payment"}
    services.line_add(
        actor=practitioner,
        plan=plan,
        fields={
            **base,
            "description": "Personal assistant",
            "category": "personal_assistant",
            "provider": council.users[Role.PROVIDER].profile.provider,
            "unit": "hour",
            "unit_cost_pence": 1500,
            "quantity_hundredths": 300,
            "funding_stream": "adult_social_care",
            "provisional": False,
        },
    )
    services.line_add(
        actor=practitioner,
        plan=plan,
        fields={
            **base,
            "description": "Pool membership",
            "category": "leisure",
            "provider": None,
            "provided_by": "Leisure centre",
            "unit": "week",
            "unit_cost_pence": 800,
            "quantity_hundredths": 100,
            "funding_stream": "adult_social_care",
            "provisional": True,
        },
    )
    if approve:
        services.plan_submit(actor=practitioner, plan=plan)
        services.plan_approve(actor=second_user(council, Role.PRACTITIONER), plan=plan)
    plan.refresh_from_db()
    return plan


def test_a_draft_has_no_pdf(client: Any, council: Any) -> None:
    plan = _plan(council, approve=False)
    with pytest.raises(documents.PlanNotApproved, match=documents.NO_PDF_UNTIL_APPROVED):
        documents.plan_document_get(plan=plan)
    client.force_login(council.users[Role.PRACTITIONER])
    response = client.get(f"/plans/{plan.pk}/pdf/")
    assert response.status_code == 404
    assert "There is no PDF of this plan yet" in response.content.decode()
    assert "Download this version as a PDF" not in client.get(f"/plans/{plan.pk}/").content.decode()
    assert not PlanDocument.objects.exists()


def test_the_printable_plan_says_what_was_agreed(council: Any) -> None:
    plan = _plan(council)
    html = documents.plan_document_html(plan)
    for text in (
        "Support plan for Ada Holder",
        "Their representative",  # who led
        "“I want to swim every Saturday”",
        "How it will be met: A PA comes with me to the pool",
        "Support from family, friends or the community: My neighbour drives me home",
        "Acme Care",
        "Leisure centre",
        "Direct payment",
        "Adult social care",
        "£45.00 a week",  # 3 hours at £15.00
        '<span class="tag">Provisional</span>',
        "£74.00 a week",  # the budget
        "£53.00 a week",  # the plan
        "Within the personal budget (£21.00 a week under it)",
        "My sister covers if my PA is ill",
        "I go swimming alone; I accept the risk",
        "Annual review",
        f"{plan.approved_at:%-d %B %Y}",
    ):
        assert text in html, text
    assert html.count("Provisional</span>") == 1
    # Risks to the council's money are not the person's plan.
    assert "Card spending is not itemised" not in html


def test_the_pdf_is_made_once_and_never_changes(client: Any, council: Any) -> None:
    plan = _plan(council)
    first = documents.plan_document_get(plan=plan, actor=council.users[Role.HOLDER])
    stored = bytes(first.pdf)
    assert stored.startswith(b"%PDF") and first.sha256 == hashlib.sha256(stored).hexdigest()
    event = Event.objects.get(object_type="plan_document")
    assert event.person_id == plan.person_id and event.changes == {"SHA-256": [None, first.sha256]}
    # Later changes to what the template would show: a switch, and a new name.
    line = plan.lines.first()
    assert line is not None
    services.line_switch(
        actor=council.users[Role.PRACTITIONER],
        line=line,
        effective_date=TODAY,
        deployment="isf",
        provider=None,
        provided_by="Kindred Care",
        reasons=["NO_CONTINUITY"],
    )
    plan.person.family_name = "Lovelace"
    plan.person.save()
    plan = SupportPlan.objects.get(pk=plan.pk)
    assert "Ada Lovelace" in documents.plan_document_html(plan)
    again = documents.plan_document_get(plan=plan)
    assert (again.pk, bytes(again.pdf), again.sha256) == (first.pk, stored, first.sha256)
    client.force_login(council.users[Role.HOLDER])
    response = client.get(f"/plans/{plan.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == stored
    assert (
        f'filename="support-plan-{plan.person.la_person_id}-v{plan.version}.pdf"'
        in response["Content-Disposition"]
    )
    assert PlanDocument.objects.count() == 1
    assert Event.objects.filter(object_type="plan_document").count() == 1


def test_a_replaced_version_stays_printable(client: Any, council: Any) -> None:
    plan = _plan(council)
    SupportPlan.objects.filter(pk=plan.pk).update(status=SupportPlan.Status.SUPERSEDED)
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert f'href="/plans/{plan.pk}/pdf/">Download this version as a PDF' in page
    assert client.get(f"/plans/{plan.pk}/pdf/").content.startswith(b"%PDF")
    client.force_login(council.users[Role.PROVIDER])
    assert client.get(f"/plans/{plan.pk}/pdf/").status_code == 403
