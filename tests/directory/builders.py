"""A directory service with one of everything Open Referral UK describes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from selfdirect.directory.models import (
    Contact,
    CostOption,
    Language,
    Location,
    Phone,
    Postcode,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from selfdirect.providers.models import Provider


def taxonomy_build() -> dict[str, TaxonomyTerm]:
    needs = Taxonomy.objects.create(name="Needs", uri="https://example.org/needs", version="1")
    care = TaxonomyTerm.objects.create(
        taxonomy=needs,
        name="Personal care",
        description="Help with washing, dressing and getting up",
        code="personal-care",
        synonyms="help getting up, getting dressed\nwashing",
    )
    out = TaxonomyTerm.objects.create(
        taxonomy=needs,
        name="Getting out and about",
        description="Going out, shopping, clubs",
        code="community",
        synonyms="going out, shopping, meeting people",
    )
    return {"care": care, "out": out}


def service_build(
    *,
    provider: Provider | None = None,
    name: str = "Morning Care at Home",
    terms: list[TaxonomyTerm] | None = None,
    postcode: str = "DM1 2AB",
    latitude: str = "52.100000",
    longitude: str = "-1.500000",
    pence: int | None = 2150,
    **values: Any,
) -> Service:
    provider = provider or Provider.objects.create(
        name="Dalesham Care Ltd", description="Home care across Dalesham", email="hello@example.org"
    )
    service = Service.objects.create(
        organization=provider,
        name=name,
        description="Carers come to your home to help you get up, washed and dressed.",
        url="https://example.org/morning-care",
        email="care@example.org",
        status=Service.Status.ACTIVE,
        minimum_age=18,
        maximum_age=None,
        assured_date=dt.date(2026, 11, 2),
        last_modified=timezone.now(),
        **values,
    )
    location = Location.objects.create(
        name="Dalesham office",
        latitude=Decimal(latitude),
        longitude=Decimal(longitude),
        address_1="1 High Street",
        city="Dalesham",
        state_province="Daleshire",
        postal_code=postcode,
        accessibility="Step-free entrance",
        cqc_location_id="1-123456789",
        cqc_rating=Location.Rating.GOOD,
    )
    ServiceAtLocation.objects.create(service=service, location=location)
    ServiceArea.objects.create(service=service, name="Dalesham and the villages")
    CostOption.objects.create(
        service=service, option="Weekdays", amount_pence=pence, amount_description="per hour"
    )
    Language.objects.create(service=service, name="Polish", code="pl")
    Schedule.objects.create(
        service=service,
        byday="MO,TU,WE,TH,FR",
        opens_at=dt.time(7, 0),
        closes_at=dt.time(10, 30),
        description="Weekday mornings",
    )
    contact = Contact.objects.create(service=service, name="Bookings", email="book@example.org")
    Phone.objects.create(contact=contact, number="01632 960123", description="Bookings line")
    service.terms.set(terms or [])
    return service


def postcode_build(
    postcode: str = "DM12AB", lat: str = "52.100000", lon: str = "-1.500000"
) -> Postcode:
    return Postcode.objects.create(postcode=postcode, latitude=Decimal(lat), longitude=Decimal(lon))
