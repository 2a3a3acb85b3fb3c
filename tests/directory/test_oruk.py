"""The directory in and out of Open Referral UK 3.0 JSON: the feed at /api/v1/oruk, its
required fields, manage.py oruk_import (all or nothing, naming record and field) and the
round trip import -> export."""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from selfdirect.audit.models import Action, Event
from selfdirect.directory.models import Location, Service, TaxonomyTerm
from selfdirect.directory.oruk import OrukRefused
from selfdirect.directory.services import oruk_import
from selfdirect.providers.models import Provider
from tests.directory.builders import service_build, taxonomy_build

pytestmark = pytest.mark.django_db

# The required fields of the ORUK 3.0 profile's schemas (OpenReferralUK/uk-profile,
# schema/compiled/service.json and the objects it nests), written out by hand.
REQUIRED = {
    "service": ["id", "name", "status"],
    "organization": ["id", "name", "description"],
    "schedule": ["id"],
    "service_area": ["id"],
    "service_at_location": ["id"],
    "location": ["id", "location_type"],
    "address": [
        "id",
        "address_1",
        "city",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ],
    "accessibility": ["id"],
    "attribute": ["id"],
    "taxonomy_term": ["id", "name", "description"],
    "language": ["id"],
    "cost_option": ["id"],
    "contact": ["id"],
    "phone": ["id", "number"],
}
STATUSES = {"active", "inactive", "defunct", "temporarily closed"}


def _has(obj: dict[str, Any], kind: str) -> None:
    for name in REQUIRED[kind]:
        # Required: present and not null (the schemas set no minimum length).
        assert name in obj and obj[name] is not None, f"{kind} lacks {name}: {obj}"
    if "id" in obj:
        uuid.UUID(obj["id"])  # every id is a uuid


def assert_oruk_service(service: dict[str, Any]) -> None:
    _has(service, "service")
    assert service["status"] in STATUSES
    _has(service["organization"], "organization")
    assert service["organization_id"] == service["organization"]["id"]
    for s in service["schedules"]:
        _has(s, "schedule")
        assert s["freq"] in ("WEEKLY", "MONTHLY")
    for a in service["service_areas"]:
        _has(a, "service_area")
    for sal in service["service_at_locations"]:
        _has(sal, "service_at_location")
        _has(sal["location"], "location")
        for address in sal["location"]["addresses"]:
            _has(address, "address")
        for item in sal["location"]["accessibility"]:
            _has(item, "accessibility")
        for attribute in sal["location"]["attributes"]:
            _has(attribute, "attribute")
            _has(attribute["taxonomy_term"], "taxonomy_term")
    for lang in service["languages"]:
        _has(lang, "language")
    for cost in service["cost_options"]:
        _has(cost, "cost_option")
        if "amount" in cost:  # a number, never null
            assert isinstance(cost["amount"], (int, float)) and not isinstance(cost["amount"], bool)
    for contact in service["contacts"]:
        _has(contact, "contact")
        for phone in contact["phones"]:
            _has(phone, "phone")
    for attribute in service["attributes"]:
        _has(attribute, "attribute")
        _has(attribute["taxonomy_term"], "taxonomy_term")
    assert service["last_modified"].count(".") == 1  # millisecond accuracy


def test_a_service_exports_with_every_required_field(client: Any) -> None:
    terms = taxonomy_build()
    service = service_build(terms=[terms["care"]])
    body = client.get(f"/api/v1/oruk/services/{service.pk}").json()
    assert_oruk_service(body)
    assert body["name"] == "Morning Care at Home"
    assert body["cost_options"][0]["amount"] == 21.5
    assert body["attributes"][0]["taxonomy_term"]["name"] == "Personal care"
    location = body["service_at_locations"][0]["location"]
    assert location["external_identifier"] == "1-123456789"
    assert location["attributes"][0]["taxonomy_term"]["name"] == "Good"


def test_the_services_list_is_paged_as_oruk_pages_it_and_open_to_anyone(client: Any) -> None:
    provider = Provider.objects.create(name="Care Co")
    for n in range(3):
        service_build(provider=provider, name=f"Service {n}")
    first = client.get("/api/v1/oruk/services?per_page=2").json()
    assert first["total_items"] == 3
    assert first["total_pages"] == 2
    assert first["first_page"] is True and first["last_page"] is False
    assert [s["name"] for s in first["contents"]] == ["Service 0", "Service 1"]
    second = client.get("/api/v1/oruk/services?per_page=2&page=2").json()
    assert second["last_page"] is True and second["size"] == 1
    for service in first["contents"] + second["contents"]:
        assert_oruk_service(service)
    assert client.get("/api/v1/oruk/services?page=3&per_page=2").status_code == 422


def test_an_unknown_or_malformed_service_id_is_not_found(client: Any) -> None:
    assert client.get(f"/api/v1/oruk/services/{uuid.uuid4()}").status_code == 404
    assert client.get("/api/v1/oruk/services/not-a-uuid").status_code == 404


def test_the_round_trip_import_then_export_keeps_the_data(client: Any, tmp_path: Path) -> None:
    terms = taxonomy_build()
    service_build(terms=[terms["care"], terms["out"]])
    service_build(name="Evening Club", pence=None, terms=[terms["out"]])  # ask the provider
    service_build(name="Free Club", pence=0)
    exported = client.get("/api/v1/oruk/services").json()
    # A directory elsewhere: nothing of this one's left.
    Service.objects.all().delete()
    Location.objects.all().delete()
    TaxonomyTerm.objects.all().delete()
    Provider.objects.all().delete()
    path = tmp_path / "services.json"
    path.write_text(json.dumps(exported))
    call_command("oruk_import", str(path))
    again = client.get("/api/v1/oruk/services").json()

    def without_times(page: dict[str, Any]) -> dict[str, Any]:
        page = copy.deepcopy(page)
        for service in page["contents"]:
            service.pop("last_modified")
        return page

    assert without_times(again) == without_times(exported)
    assert Event.objects.filter(action=Action.IMPORT, object_type="service").exists()


def _one(client: Any) -> dict[str, Any]:
    service = service_build(terms=list(taxonomy_build().values()))
    return client.get(f"/api/v1/oruk/services/{service.pk}").json()


@pytest.mark.parametrize(
    ("change", "where", "field"),
    [
        (lambda s: s.update(status="open"), "Service 2", "status"),
        (lambda s: s.update(name=""), "Service 2", "name"),
        (lambda s: s.update(id="123"), "Service 2", "id"),
        (lambda s: s["cost_options"][0].update(amount=12.345), "cost option 1", "amount"),
        (lambda s: s["cost_options"][0].update(amount=-1), "cost option 1", "amount"),
        (lambda s: s["schedules"][0].update(opens_at="9 o'clock"), "schedule 1", "opens_at"),
        (lambda s: s["contacts"][0]["phones"][0].update(number=""), "phone 1", "number"),
        (lambda s: s.update(minimum_age=70, maximum_age=60), "Service 2", "maximum_age"),
        (lambda s: s["organization"].update(name=None), "organization", "name"),
    ],
)
def test_a_wrong_record_names_record_and_field_and_nothing_is_imported(
    client: Any, change: Any, where: str, field: str
) -> None:
    good = _one(client)
    Service.objects.all().delete()
    bad = copy.deepcopy(good)
    bad["id"] = str(uuid.uuid4())
    change(bad)
    with pytest.raises(OrukRefused) as refused:
        oruk_import(actor=None, document=[good, bad])
    assert where in str(refused.value)
    assert refused.value.field == field
    assert not Service.objects.exists()  # not even the good first one


def test_the_command_refuses_a_file_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "services.json"
    path.write_text("not json")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("oruk_import", str(path))


def test_a_second_import_replaces_the_service_it_names(client: Any) -> None:
    body = _one(client)
    body["name"] = "Morning Care (new name)"
    body["languages"] = []
    oruk_import(actor=None, document=body)
    service = Service.objects.get()
    assert service.name == "Morning Care (new name)"
    assert not service.languages.exists()
