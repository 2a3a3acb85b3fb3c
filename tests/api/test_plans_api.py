"""The plans API: the same permissions, services and wording as the plan pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from selfdirect.access.roles import Role
from selfdirect.access.tokens import api_token_create
from selfdirect.api.plans import UNIT_COST_RANGE
from selfdirect.audit.models import Event
from selfdirect.budgets.models import DirectPaymentAgreement, FundAgreement
from selfdirect.planning import documents, services
from selfdirect.planning.models import PlanLine, Review, SupportPlan
from selfdirect.planning.streams import DEPLOYMENTS
from tests.access.records import _approved_plan
from tests.factories import ProviderFactory, second_user
from tests.planning.test_plans import _approved_budget

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
JSON = "application/json"


def _bearer(council: Any, role: str) -> dict[str, str]:
    token = api_token_create(actor=None, user=council.users[role], name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _errors(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {e["loc"][-1]: e["msg"] for e in response.json()["detail"]}


PA_LINE = {
    "description": "Personal assistant",
    "category": "personal_assistant",
    "unit": "hour",
    "unit_cost_pence": 1450,
    "quantity": 3.5,
    "funding_stream": "adult_social_care",
    "deployment": "direct_payment",
    "provided_by": "Sam",
}


def _new_plan(client: Client, council: Any, headers: dict[str, str]) -> dict[str, Any]:
    response = client.post(
        "/api/v1/plans",
        {
            "allocation_id": _approved_budget(council).pk,
            "kind": "standard",
            "led_by": "person",
            "starts_on": TODAY.isoformat(),
            "contingency": "My neighbour helps if my PA is ill",
            "financial_risks": "Receipts are often lost",
            "holding_options_offered": list(DEPLOYMENTS),
        },
        content_type=JSON,
        **headers,
    )
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_write_a_plan_and_have_it_signed_off(council: Any) -> None:
    client = Client()
    practitioner = _bearer(council, Role.PRACTITIONER)
    assert _errors(client.post("/api/v1/plans", {}, content_type=JSON, **practitioner)) == {
        "allocation_id": "Give the id of the signed-off budget the plan is for"
    }
    plan = _new_plan(client, council, practitioner)
    assert (plan["status"], plan["version"], plan["totals"]["budget_weekly_pence"]) == (
        "draft",
        1,
        7400,
    )
    url = f"/api/v1/plans/{plan['id']}"
    outcome = client.post(
        f"{url}/outcomes",
        {"in_their_words": "I want to see my grandchildren every week"},
        content_type=JSON,
        **practitioner,
    )
    assert outcome.status_code == 201
    assert _errors(client.post(f"{url}/outcomes", {}, content_type=JSON, **practitioner)) == {
        "in_their_words": "Enter what the person wants to achieve"
    }
    # A stream that may not pay for the line: refused, with the reason, at the field.
    refused = client.post(
        f"{url}/lines", {**PA_LINE, "funding_stream": "dfg"}, content_type=JSON, **practitioner
    )
    assert _errors(refused) == {
        "category": "Disabled Facilities Grant cannot pay for personal assistant: it pays only for home adaptations"
    }
    wrong_route = client.post(
        f"{url}/lines",
        {**PA_LINE, "funding_stream": "ilf", "deployment": "isf"},
        content_type=JSON,
        **practitioner,
    )
    assert _errors(wrong_route)["deployment"].startswith(
        "Independent Living Fund money cannot be held as individual service fund"
    )
    bad = client.post(
        f"{url}/lines",
        {**PA_LINE, "quantity": "lots", "unit_cost_pence": None},
        content_type=JSON,
        **practitioner,
    )
    assert bad.status_code == 422
    assert {e["loc"][-1] for e in bad.json()["detail"]} >= {"quantity"}
    too_dear = client.post(
        f"{url}/lines", {**PA_LINE, "unit_cost_pence": 10**40}, content_type=JSON, **practitioner
    )
    assert _errors(too_dear) == {"unit_cost_pence": UNIT_COST_RANGE}
    assert not PlanLine.objects.filter(plan_id=plan["id"]).exists()
    line = client.post(
        f"{url}/lines",
        {**PA_LINE, "outcome_id": outcome.json()["id"]},
        content_type=JSON,
        **practitioner,
    )
    assert line.status_code == 201, line.content
    assert (line.json()["unit_cost_pence"], line.json()["weekly_cost_pence"]) == (1450, 5075)
    event = Event.objects.filter(object_type="plan_line").latest("id")
    assert (event.channel, event.actor_username) == ("api", "practitioner")
    # A day centre takes the plan over budget: only a manager may sign it off.
    client.post(
        f"{url}/lines",
        {
            "description": "Day centre",
            "category": "day_activity",
            "unit": "day",
            "unit_cost_pence": 4500,
            "quantity": "1",
            "funding_stream": "adult_social_care",
        },
        content_type=JSON,
        **practitioner,
    )
    lines = client.get(f"{url}/lines", **practitioner).json()
    assert [row["description"] for row in lines] == ["Personal assistant", "Day centre"]
    unexplained = client.post(f"{url}/submit", content_type=JSON, **practitioner)
    assert _errors(unexplained) == {"variance_reason": services.VARIANCE_REASON_NEEDED}
    submitted = client.post(
        f"{url}/submit",
        {"variance_reason": "Two workers are needed to move her safely"},
        content_type=JSON,
        **practitioner,
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "awaiting_sign_off"
    assert _errors(client.post(f"{url}/approve", content_type=JSON, **practitioner)) == {
        "__all__": services.OVER_BUDGET_NEEDS_MANAGER
    }
    approved = client.post(f"{url}/approve", content_type=JSON, **_bearer(council, Role.MANAGER))
    assert approved.status_code == 200, approved.content
    body = approved.json()
    assert (body["status"], body["approved_by"]) == ("approved", "manager")
    assert body["totals"] | {"by_stream": None} == {
        "weekly_pence": 9575,
        "one_off_pence": 0,
        "provisional_weekly_pence": 0,
        "budget_weekly_pence": 7400,
        "variance_pence": 2175,
        "over_budget": True,
        "by_stream": None,
    }
    assert {m["deployment"]: m["weekly_pence"] for m in body["holding_today"]} == {
        "direct_payment": 5075,
        "council_commissioned": 4500,
    }
    assert body["financial_risks"] == "Receipts are often lost"
    as_holder = client.get(url, **_bearer(council, Role.HOLDER)).json()
    assert as_holder["outcomes"][0]["in_their_words"] == "I want to see my grandchildren every week"
    assert as_holder["financial_risks"] is None


def _api_approved_plan(
    client: Client, council: Any, headers: dict[str, str], plan: dict[str, Any] | None = None
) -> dict[str, Any]:
    plan = plan or _new_plan(client, council, headers)
    url = f"/api/v1/plans/{plan['id']}"
    client.post(f"{url}/lines", PA_LINE, content_type=JSON, **headers)
    client.post(f"{url}/submit", content_type=JSON, **headers)
    # Whoever wrote it may not approve it (decision 0007): a colleague does.
    assert _errors(client.post(f"{url}/approve", content_type=JSON, **headers)) == {
        "__all__": services.OWN_PLAN
    }
    colleague = second_user(council, Role.PRACTITIONER)
    token = api_token_create(actor=None, user=colleague, name="tests")
    response = client.post(
        f"{url}/approve", content_type=JSON, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200, response.content
    return dict(response.json())


def test_switch_a_line_and_see_how_the_budget_is_held(council: Any) -> None:
    client = Client()
    practitioner = _bearer(council, Role.PRACTITIONER)
    plan = _api_approved_plan(client, council, practitioner)
    url = f"/api/v1/plans/{plan['id']}"
    line_id = plan["lines"][0]["id"]
    kindred = ProviderFactory(name="Kindred Care")
    switch_url = f"{url}/lines/{line_id}/switches"
    assert _errors(
        client.post(
            switch_url,
            {"effective_date": TODAY.isoformat(), "deployment": "isf", "provider_id": kindred.pk},
            content_type=JSON,
            **practitioner,
        )
    ) == {"reasons": services.SWITCH_REASON_NEEDED}
    switched = client.post(
        switch_url,
        {
            "effective_date": TODAY.isoformat(),
            "deployment": "isf",
            "provider_id": kindred.pk,
            "reasons": ["NO_CONTINUITY", "RUSHED_VISITS"],
        },
        content_type=JSON,
        **practitioner,
    )
    assert switched.status_code == 201, switched.content
    assert switched.json()["to_provider_name"] == "Kindred Care"
    assert client.post(
        f"{url}/lines/999999/switches", {}, content_type=JSON, **practitioner
    ).status_code == (404)
    person = council.holder_person
    plan_record = SupportPlan.objects.get(pk=plan["id"])
    DirectPaymentAgreement.objects.create(
        plan=plan_record,
        person=person,
        recipient_type="person",
        account_type="bank_account",
        sort_code="123456",
        account_number="12345678",
        has_capacity=True,
        capable_of_managing=True,
        appropriate=True,
        not_excluded=True,
        starts_on=TODAY,
        created_by=council.users[Role.PRACTITIONER],
    )
    FundAgreement.objects.create(
        plan=plan_record,
        person=person,
        kind="isf",
        organisation=kindred,
        starts_on=TODAY,
        fee_weekly_pence=500,
        created_by=council.users[Role.PRACTITIONER],
    )
    response = client.get(f"{url}/deployment", **_bearer(council, Role.HOLDER))
    assert response.status_code == 200
    deployment = response.json()
    row = deployment["lines"][0]
    assert (row["held_today"], row["provider_today_name"]) == ("isf", "Kindred Care")
    assert [(s["from_deployment"], s["to_deployment"]) for s in row["switches"]] == [
        ("direct_payment", "isf")
    ]
    assert deployment["mix"] == [
        {"deployment": "isf", "name": DEPLOYMENTS["isf"], "weekly_pence": 5075}
    ]
    agreement = deployment["direct_payment_agreements"][0]
    assert (agreement["account_number"], agreement["recipient_name"]) == (
        "****5678",
        person.full_name,
    )
    assert "12345678" not in response.content.decode()
    fund = deployment["fund_agreements"][0]
    assert (fund["organisation_name"], fund["status"], fund["fee_weekly_pence"]) == (
        "Kindred Care",
        "proposed",
        500,
    )


def test_reviews_and_the_review_queue(council: Any) -> None:
    client = Client()
    practitioner = _bearer(council, Role.PRACTITIONER)
    plan = _api_approved_plan(client, council, practitioner)
    url = f"/api/v1/plans/{plan['id']}/reviews"
    scheduled = client.get(url, **practitioner).json()
    assert "annual" in {r["kind"] for r in scheduled}
    holder = _bearer(council, Role.HOLDER)
    assert _errors(
        client.post(url, {"reason": "My needs changed"}, content_type=JSON, **holder)
    ) == {"kind": "Select why a review is needed"}
    asked = client.post(
        url, {"kind": "change", "reason": "I moved house"}, content_type=JSON, **holder
    )
    assert asked.status_code == 201, asked.content
    assert (asked.json()["kind"], asked.json()["due_date"]) == (
        "change",
        (TODAY + dt.timedelta(days=services.TRIGGERED_WITHIN_DAYS)).isoformat(),
    )
    Review.objects.create(
        plan_id=plan["id"], kind="monitoring", due_date=TODAY - dt.timedelta(days=3)
    )
    queue = client.get("/api/v1/reviews", **practitioner).json()
    assert queue["items"][0]["overdue"] is True and queue["items"][0]["kind"] == "monitoring"
    assert "change" in {r["kind"] for r in queue["items"]}
    overdue = client.get("/api/v1/reviews", {"overdue": "true"}, **practitioner).json()
    assert [r["kind"] for r in overdue["items"]] == ["monitoring"]
    assert client.get("/api/v1/reviews", **holder).status_code == 403
    assert client.get("/api/v1/reviews", {"page_size": 0}, **practitioner).status_code == 422


def test_the_pdf_is_the_stored_document(council: Any) -> None:
    client = Client()
    practitioner = _bearer(council, Role.PRACTITIONER)
    draft = _new_plan(client, council, practitioner)
    missing = client.get(f"/api/v1/plans/{draft['id']}/pdf", **practitioner)
    assert missing.status_code == 404
    assert missing.json() == {"detail": documents.NO_PDF_UNTIL_APPROVED}
    plan = _api_approved_plan(client, council, practitioner, draft)
    response = client.get(f"/api/v1/plans/{plan['id']}/pdf", **_bearer(council, Role.HOLDER))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    stored = SupportPlan.objects.get(pk=plan["id"]).document
    assert response.content == bytes(stored.pdf)
    assert "support-plan-" in response["Content-Disposition"]


def test_others_plans_are_not_found_and_providers_are_refused(council: Any) -> None:
    client = Client()
    other = _approved_plan(council, "other")  # team B's person
    for role in (Role.HOLDER, Role.PRACTITIONER):
        headers = _bearer(council, role)
        for path in ("", "/lines", "/deployment", "/reviews", "/pdf"):
            assert client.get(f"/api/v1/plans/{other.pk}{path}", **headers).status_code == 404, (
                role,
                path,
            )
        listed = client.get("/api/v1/plans", **headers).json()
        assert other.pk not in [p["id"] for p in listed["items"]]
        assert (
            client.get("/api/v1/plans", {"person_id": other.person_id}, **headers).json()["count"]
            == 0
        )
    practitioner = _bearer(council, Role.PRACTITIONER)
    assert (
        client.post(
            f"/api/v1/plans/{other.pk}/lines", PA_LINE, content_type=JSON, **practitioner
        ).status_code
        == 404
    )
    assert not other.lines.filter(description="Personal assistant", unit_cost_pence=1450).exists()
    holder_plan = _approved_plan(council, "holder")
    provider = _bearer(council, Role.PROVIDER)
    for path in ("/api/v1/plans", f"/api/v1/plans/{holder_plan.pk}", "/api/v1/reviews"):
        assert client.get(path, **provider).status_code == 403, path
    assert (
        client.post(
            f"/api/v1/plans/{holder_plan.pk}/reviews",
            {"kind": "change", "reason": "x"},
            content_type=JSON,
            **provider,
        ).status_code
        == 403
    )
    assert client.get(f"/api/v1/plans/{holder_plan.pk}", **_bearer(council, Role.HOLDER)).json()[
        "version"
    ] == (holder_plan.version)


def test_openapi_lists_the_plan_routes(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert (
        "application/pdf"
        in paths["/api/v1/plans/{plan_id}/pdf"]["get"]["responses"]["200"]["content"]
    )
    assert "post" in paths["/api/v1/plans/{plan_id}/lines/{line_id}/switches"]
