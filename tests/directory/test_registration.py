"""The council keeps each location's CQC location ID and rating current, audited; the
service's page and its ORUK export show the change."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from selfdirect.audit.models import Event
from selfdirect.directory.models import Location
from tests.directory.builders import service_build

pytestmark = pytest.mark.django_db


def test_a_commissioner_changes_the_rating_and_people_see_it(client: Any, council: Any) -> None:
    service = service_build()
    location = service.at_locations.get().location
    client.force_login(council.users["commissioner"])
    url = reverse("directory:registration", args=[location.pk])
    response = client.post(url, {"cqc_location_id": "1-123456789", "cqc_rating": "Outstanding"})
    assert response.status_code == 302
    location.refresh_from_db()
    assert location.cqc_rating == Location.Rating.OUTSTANDING
    event = Event.objects.get(object_type="location")
    assert event.changes == {"cqc_rating": {"before": "Good", "after": "Outstanding"}}
    page = client.get(reverse("directory:service", args=[service.pk])).content.decode()
    assert "rated outstanding" in page
    oruk = client.get(f"/api/v1/oruk/services/{service.pk}").json()
    rating = oruk["service_at_locations"][0]["location"]["attributes"][0]["taxonomy_term"]
    assert rating["name"] == "Outstanding"


def test_a_malformed_cqc_id_is_an_error_and_changes_nothing(client: Any, council: Any) -> None:
    service = service_build()
    location = service.at_locations.get().location
    client.force_login(council.users["commissioner"])
    url = reverse("directory:registration", args=[location.pk])
    response = client.post(url, {"cqc_location_id": "ABC", "cqc_rating": "Good"})
    assert "Enter a CQC location ID like 1-123456789" in response.content.decode()
    location.refresh_from_db()
    assert location.cqc_location_id == "1-123456789"
    assert not Event.objects.filter(object_type="location").exists()


def test_a_provider_cannot_change_its_own_rating(client: Any, council: Any) -> None:
    service = service_build()
    location = service.at_locations.get().location
    client.force_login(council.users["provider"])
    url = reverse("directory:registration", args=[location.pk])
    assert client.post(url, {"cqc_rating": "Outstanding"}).status_code == 403
    location.refresh_from_db()
    assert location.cqc_rating == "Good"
