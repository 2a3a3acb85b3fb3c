"""The API: same permissions as the pages, token or session auth, 422s naming fields."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from selfdirect.access.models import ApiToken
from selfdirect.access.roles import Role
from selfdirect.access.tokens import api_token_create, api_token_revoke
from selfdirect.audit.models import Action, Event
from selfdirect.people.models import Person, Relationship
from selfdirect.people.validation import NHS_NUMBER_INVALID
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _as(client: Client, council: Any, role: str) -> Client:
    client.force_login(council.users[role])
    return client


def _bearer(council: Any, role: str) -> dict[str, str]:
    token = api_token_create(actor=None, user=council.users[role], name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


NEW = {
    "given_name": "Grace",
    "family_name": "Hopper",
    "date_of_birth": "1946-12-09",
    "nhs_number": "943 476 5919",
    "gender": "2",
    "postcode": "sw1a1aa",
    "needs_bsl": True,
}


def test_list_and_search_follow_the_caseload(client: Client, council: Any) -> None:
    response = _as(client, council, Role.PRACTITIONER).get("/api/v1/people", {"q": "holder"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["pages"] == 1
    assert body["items"][0]["la_person_id"] == council.holder_person.la_person_id
    assert body["items"][0]["team"] == council.team_a.pk
    everyone = client.get("/api/v1/people").json()
    assert council.other_person.pk not in [p["id"] for p in everyone["items"]]


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.ADMIN, Role.HOLDER, Role.CARER])
def test_list_is_refused_without_the_capability(client: Client, council: Any, role: str) -> None:
    assert _as(client, council, role).get("/api/v1/people").status_code == 403


@pytest.mark.parametrize(
    ("role", "holder_status", "other_status"),
    [
        (Role.HOLDER, 200, 404),
        (Role.REPRESENTATIVE, 200, 404),
        (Role.CARER, 200, 404),
        (Role.PRACTITIONER, 200, 404),
        # A provider sees only what it delivers, on its own pages (decision 0040).
        (Role.PROVIDER, 403, 403),
        (Role.FINANCE, 200, 200),
        (Role.COMMISSIONER, 403, 403),
        (Role.ADMIN, 403, 403),
    ],
)
def test_one_person_by_role(
    client: Client, council: Any, role: str, holder_status: int, other_status: int
) -> None:
    _as(client, council, role)
    assert client.get(f"/api/v1/people/{council.holder_person.pk}").status_code == holder_status
    assert client.get(f"/api/v1/people/{council.other_person.pk}").status_code == other_status
    assert (
        client.get(f"/api/v1/people/{council.holder_person.pk}/relationships").status_code
        == holder_status
    )


def test_get_is_an_audited_view(council: Any) -> None:
    client = Client()
    response = client.get(
        f"/api/v1/people/{council.holder_person.pk}", **_bearer(council, Role.PRACTITIONER)
    )
    assert response.status_code == 200
    assert response.json()["communication_needs"] == []
    event = Event.objects.filter(person=council.holder_person, action=Action.VIEW).latest("id")
    assert (event.actor_username, event.channel) == ("practitioner", "api")


def test_token_auth_good_bad_revoked_and_unauthenticated(council: Any) -> None:
    client = Client()
    assert client.get("/api/v1/people").status_code == 401
    assert client.get("/api/v1/people", HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401
    headers = _bearer(council, Role.PRACTITIONER)
    assert client.get("/api/v1/people", **headers).status_code == 200
    token = ApiToken.objects.get(user=council.users[Role.PRACTITIONER])
    assert token.last_used_at is not None
    assert len(token.key_hash) == 64 and headers["HTTP_AUTHORIZATION"][7:] not in token.key_hash
    api_token_revoke(actor=None, token=token)
    assert client.get("/api/v1/people", **headers).status_code == 401


def test_create_validates_like_the_page_and_audits(council: Any) -> None:
    client = Client()
    headers = _bearer(council, Role.PRACTITIONER)
    bad = client.post(
        "/api/v1/people",
        {**NEW, "nhs_number": "943 476 5918", "family_name": ""},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422
    errors = {tuple(e["loc"]): e["msg"] for e in bad.json()["detail"]}
    assert errors == {
        ("body", "nhs_number"): NHS_NUMBER_INVALID,
        ("body", "family_name"): "Enter last name",
    }
    missing_type = client.post(
        "/api/v1/people",
        {**NEW, "needs_bsl": "perhaps"},
        content_type="application/json",
        **headers,
    )
    assert missing_type.status_code == 422
    assert missing_type.json()["detail"][0]["loc"][-1] == "needs_bsl"
    assert not Person.objects.filter(family_name="Hopper").exists()
    good = client.post(
        "/api/v1/people",
        {**NEW, "team": council.team_a.pk},
        content_type="application/json",
        **headers,
    )
    assert good.status_code == 201, good.content
    body = good.json()
    assert (body["nhs_number"], body["postcode"], body["communication_needs"]) == (
        "9434765919",
        "SW1A 1AA",
        ["British Sign Language interpreter"],
    )
    event = Event.objects.get(person_id=body["id"], action=Action.CREATE)
    assert event.channel == "api" and event.actor_username == "practitioner"


def test_patch_changes_only_what_is_given(council: Any) -> None:
    client = Client()
    headers = _bearer(council, Role.PRACTITIONER)
    person = council.holder_person
    response = client.patch(
        f"/api/v1/people/{person.pk}",
        {"family_name": "Lovelace"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert (person.family_name, person.given_name) == ("Lovelace", "Ada")
    assert Event.objects.filter(person=person, action=Action.UPDATE).latest("id").changes == {
        "Family name": ["Holder", "Lovelace"]
    }
    bad = client.patch(
        f"/api/v1/people/{person.pk}",
        {"postcode": "nowhere"},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422
    other = client.patch(
        f"/api/v1/people/{council.other_person.pk}",
        {"family_name": "X"},
        content_type="application/json",
        **headers,
    )
    assert other.status_code == 404
    holder = _bearer(council, Role.HOLDER)
    assert (
        client.patch(
            f"/api/v1/people/{person.pk}",
            {"family_name": "X"},
            content_type="application/json",
            **holder,
        ).status_code
        == 403
    )


def test_add_relationship(council: Any) -> None:
    client = Client()
    headers = _bearer(council, Role.PRACTITIONER)
    friend = PersonFactory(la_person_id="P123456", team=None)
    url = f"/api/v1/people/{council.holder_person.pk}/relationships"
    bad = client.post(
        url,
        {
            "related_la_person_id": "P123456",
            "kind": "authorised_person",
            "start_date": "2025-01-01",
        },
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422
    assert bad.json()["detail"] == [
        {
            "loc": ["body", "legal_basis"],
            "msg": "Select the legal basis for a representative",
            "type": "value_error",
        }
    ]
    good = client.post(
        url,
        {
            "related_la_person_id": "P123456",
            "kind": "unpaid_carer",
            "start_date": "2025-01-01",
            "can_see_record": True,
        },
        content_type="application/json",
        **headers,
    )
    assert good.status_code == 201
    assert good.json()["related_person_name"] == friend.full_name
    assert Relationship.objects.filter(
        person=council.holder_person, related_person=friend, can_see_record=True
    ).exists()


def test_session_auth_needs_csrf_for_changes(council: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(council.users[Role.PRACTITIONER])
    assert client.get("/api/v1/people").status_code == 200
    assert client.post("/api/v1/people", NEW, content_type="application/json").status_code == 403


def test_list_query_count_does_not_grow_with_page_size(
    client: Client, council: Any, django_assert_max_num_queries: Any
) -> None:
    PersonFactory.create_batch(40, team=council.team_a)
    _as(client, council, Role.PRACTITIONER)
    # Fixed, whatever the page size: two INSERTs record who was listed (the list's one
    # event, and a slim row per person in one statement, decision 0056), one reads the
    # audit chain's last hash (PostgreSQL takes its append lock in one more).
    chain_lock = 1 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(11 + chain_lock):
        body = client.get("/api/v1/people", {"page_size": 40}).json()
    assert len(body["items"]) == 40 and body["pages"] == 2
    assert client.get("/api/v1/people", {"page_size": 500}).status_code == 422


def test_create_api_token_command(council: Any) -> None:
    out = StringIO()
    call_command("create_api_token", "finance", "--name", "payments system", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", token)
    assert (
        Client()
        .get(f"/api/v1/people/{council.other_person.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
        .status_code
        == 200
    )
    assert Event.objects.filter(action=Action.TOKEN, summary__contains="payments system").exists()
    with pytest.raises(CommandError, match="No user has the username nobody"):
        call_command("create_api_token", "nobody")


def test_openapi_and_docs_work_offline(client: Client, council: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    assert {
        "/api/v1/people",
        "/api/v1/people/{person_id}",
        "/api/v1/people/{person_id}/relationships",
    } <= set(schema["paths"])
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    # Nothing is fetched from another host (a CDN): every src and href is on this site.
    # (Not a bare "cdn" search: a random CSRF token can contain those letters.)
    external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', html)
    assert external == []
