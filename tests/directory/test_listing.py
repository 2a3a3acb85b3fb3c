"""Providers keep their own listings up to date; every change is audited; with
SELFDIRECT_DIRECTORY_APPROVE_CHANGES (the default) a change waits for a commissioner."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from selfdirect.audit.models import Action, Event
from selfdirect.directory.models import ListingChange, Service
from selfdirect.directory.services import (
    NOT_YOUR_LISTING,
    OWN_CHANGE,
    DirectoryRefused,
    listing_change,
    listing_change_decide,
)
from selfdirect.providers.models import Provider
from tests.directory.builders import service_build

pytestmark = pytest.mark.django_db


def _form(service: Service, **changes: str) -> dict[str, str]:
    values = {
        "name": service.name,
        "description": service.description,
        "status": service.status,
        "url": service.url,
        "email": service.email,
        "alert": service.alert,
    }
    return values | changes


@pytest.fixture
def acme_service(council: Any) -> Service:
    return service_build(provider=Provider.objects.get(name="Acme Care"), name="Acme Home Care")


def test_a_change_waits_for_the_council_and_then_applies(
    client: Any, council: Any, acme_service: Service
) -> None:
    client.force_login(council.users["provider"])
    url = reverse("directory:listing_edit", args=[acme_service.pk])
    response = client.post(url, _form(acme_service, alert="Waiting list until March"))
    assert response.status_code == 302
    acme_service.refresh_from_db()
    assert acme_service.alert == ""  # not yet
    change = ListingChange.objects.get()
    assert change.status == ListingChange.Status.WAITING
    assert change.changes == {"alert": ["", "Waiting list until March"]}
    event = Event.objects.filter(object_type="service", action=Action.UPDATE).get()
    assert event.changes["alert"] == {"before": "", "after": "Waiting list until March"}

    listing_change_decide(actor=council.users["commissioner"], change_id=change.pk, approve=True)
    acme_service.refresh_from_db()
    assert acme_service.alert == "Waiting list until March"


def test_a_declined_change_changes_nothing(council: Any, acme_service: Service) -> None:
    change = listing_change(
        actor=council.users["provider"],
        provider_id=acme_service.organization_id,
        service=acme_service,
        values={"name": "Renamed"},
    )
    listing_change_decide(actor=council.users["commissioner"], change_id=change.pk, approve=False)
    acme_service.refresh_from_db()
    assert acme_service.name == "Acme Home Care"
    assert ListingChange.objects.get().status == ListingChange.Status.REJECTED


def test_without_approval_a_change_applies_at_once(
    client: Any, council: Any, acme_service: Service, settings: Any
) -> None:
    settings.SELFDIRECT_DIRECTORY_APPROVE_CHANGES = False
    client.force_login(council.users["provider"])
    url = reverse("directory:listing_edit", args=[acme_service.pk])
    client.post(url, _form(acme_service, status="inactive"))
    acme_service.refresh_from_db()
    assert acme_service.status == "inactive"
    assert ListingChange.objects.get().status == ListingChange.Status.APPROVED


def test_a_provider_cannot_change_another_organisations_service(client: Any, council: Any) -> None:
    other = service_build(name="Elsewhere Care")
    client.force_login(council.users["provider"])
    url = reverse("directory:listing_edit", args=[other.pk])
    assert client.post(url, _form(other, name="Taken over")).status_code == 404
    with pytest.raises(DirectoryRefused, match=NOT_YOUR_LISTING):
        listing_change(
            actor=council.users["provider"],
            provider_id=Provider.objects.get(name="Acme Care").pk,
            service=other,
            values={"name": "Taken over"},
        )
    assert not ListingChange.objects.exists()


def test_whoever_proposed_a_change_cannot_decide_it(council: Any, acme_service: Service) -> None:
    commissioner = council.users["commissioner"]
    change = ListingChange.objects.create(
        service=acme_service,
        changes={"name": ["Acme Home Care", "X"]},
        proposed_by=commissioner,
        proposed_at=acme_service.last_modified,
    )
    with pytest.raises(DirectoryRefused, match=OWN_CHANGE):
        listing_change_decide(actor=commissioner, change_id=change.pk, approve=True)
    acme_service.refresh_from_db()
    assert acme_service.name == "Acme Home Care"


def test_an_empty_name_is_an_error_on_the_form(
    client: Any, council: Any, acme_service: Service
) -> None:
    client.force_login(council.users["provider"])
    url = reverse("directory:listing_edit", args=[acme_service.pk])
    response = client.post(url, _form(acme_service, name=""))
    assert response.status_code == 200
    assert "Enter name" in response.content.decode()
    assert not ListingChange.objects.exists()


def test_the_council_sees_the_waiting_changes(
    client: Any, council: Any, acme_service: Service
) -> None:
    listing_change(
        actor=council.users["provider"],
        provider_id=acme_service.organization_id,
        service=acme_service,
        values={"name": "Acme Care at Home"},
    )
    client.force_login(council.users["commissioner"])
    text = client.get(reverse("directory:changes")).content.decode()
    assert "Acme Care at Home" in text and "Acme Home Care" in text
