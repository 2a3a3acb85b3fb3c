"""The API refuses what it cannot mean: ``true`` for a whole number or a number for a yes/no,
dates past 2100, empty bodies and text beyond each field's documented length — a 422 naming
the field, and nothing changes. The OpenAPI shows each text field's maxLength."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from selfdirect.access.roles import Role
from selfdirect.access.tokens import api_token_create
from selfdirect.people.models import Person

pytestmark = pytest.mark.django_db


def _client(council: Any, role: str = Role.PRACTITIONER) -> tuple[Client, dict[str, str]]:
    token = api_token_create(actor=None, user=council.users[role], name="tests")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _field_of(answer: Any) -> str:
    assert answer.status_code == 422, answer.content
    return str(answer.json()["detail"][0]["loc"][-1])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"team": True}, "team"),
        ({"needs_bsl": 1}, "needs_bsl"),
        ({"date_of_birth": "2101-01-01"}, "date_of_birth"),
        ({"given_name": "x" * 101}, "given_name"),
        ({"communication_notes": "x" * 4001}, "communication_notes"),
        ({}, "__all__"),
    ],
)
def test_person_changes_are_refused_naming_the_field(
    council: Any, body: dict[str, Any], field: str
) -> None:
    client, auth = _client(council)
    person = council.holder_person
    before = Person.objects.filter(pk=person.pk).values().get()
    answer = client.patch(
        f"/api/v1/people/{person.pk}", body, content_type="application/json", **auth
    )
    assert _field_of(answer) == field
    assert Person.objects.filter(pk=person.pk).values().get() == before


def test_an_empty_body_is_refused(council: Any) -> None:
    client, auth = _client(council)
    answer = client.post("/api/v1/people", "", content_type="application/json", **auth)
    assert _field_of(answer) == "payload"


def test_true_is_not_an_id_for_a_plan(council: Any) -> None:
    client, auth = _client(council)
    answer = client.post(
        "/api/v1/plans", {"allocation_id": True}, content_type="application/json", **auth
    )
    assert _field_of(answer) == "allocation_id"
    answer = client.post(
        "/api/v1/plans",
        {"allocation_id": 1, "starts_on": "2101-04-01"},
        content_type="application/json",
        **auth,
    )
    assert _field_of(answer) == "starts_on"
    assert answer.json()["detail"][0]["msg"] == "Enter a date no later than 31 December 2100"


def test_deeply_nested_json_is_a_bad_request_not_a_server_error(council: Any) -> None:
    client, auth = _client(council)
    answer = client.post(
        "/api/v1/people", "[" * 5000 + "]" * 5000, content_type="application/json", **auth
    )
    assert answer.status_code == 400


def test_openapi_documents_lengths_and_refusals(client: Any) -> None:
    schema = json.loads(client.get("/api/openapi.json").content)
    person = schema["components"]["schemas"]["PersonChanges"]["properties"]
    assert person["given_name"]["anyOf"][0]["maxLength"] == 100
    assert person["nhs_number"]["anyOf"][0]["maxLength"] == 14  # "943 476 5919" is accepted
    line = schema["components"]["schemas"]["LineIn"]["properties"]
    assert line["description"]["maxLength"] == 200
    patch = schema["paths"]["/api/v1/people/{person_id}"]["patch"]["responses"]
    assert {"200", "401", "403", "404", "422"} <= set(patch)
