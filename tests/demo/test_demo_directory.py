"""The demo council's directory: a few hundred services across its area, every demo
postcode with a made-up centroid, the same for a seed, searchable by need and postcode,
and exported as valid Open Referral UK."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from selfdirect.access.roles import Role
from selfdirect.demo.generator import demo_council_build
from selfdirect.directory import geo
from selfdirect.directory.models import ListingChange, Postcode, Service
from selfdirect.directory.selectors import Search, service_search
from selfdirect.people.models import Person
from tests.directory.test_oruk import assert_oruk_service

TODAY = dt.date(2026, 11, 24)


@pytest.mark.django_db
def test_the_demo_directory_is_searchable_from_the_holders_postcode(client: Any) -> None:
    summary = demo_council_build(people=120, seed=4, today=TODAY)
    assert summary.counts["directory services"] == Service.objects.count() == 300
    holder = Person.objects.get(pk=summary.holder_person_id)
    key = geo.postcode_key(holder.postcode)
    assert key is not None and Postcode.objects.filter(postcode=key).exists()
    # Every demo person's postcode has a centroid.
    people_keys = {geo.postcode_key(p) for p in Person.objects.values_list("postcode", flat=True)}
    people_keys.discard(None)
    assert Postcode.objects.filter(postcode__in=people_keys).count() == len(people_keys)
    found = service_search(Search(need="help getting up", postcode=key, within_miles=10))
    assert found.count >= 3
    assert all(f.distance_m is not None and f.distance_m <= 16_093 for f in found.items)
    # The demo provider has services of its own, and a change waiting for the council.
    provider = User.objects.get(username=Role.PROVIDER)
    assert Service.objects.filter(organization_id=provider.profile.provider_id).count() >= 4
    assert ListingChange.objects.filter(status="waiting").count() == 1
    body = client.get("/api/v1/oruk/services?per_page=100").json()
    assert body["total_items"] == 300
    for service in body["contents"]:
        assert_oruk_service(service)


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_directory() -> None:
    from selfdirect.demo.directory import demo_directory_build
    from selfdirect.providers.models import Provider

    def build(seed: int) -> tuple[list[tuple[Any, ...]], float]:
        with transaction.atomic():
            providers = [
                Provider.objects.create(name=f"P{n}", email=f"p{n}@x.example") for n in range(5)
            ]
            started = time.perf_counter()
            demo_directory_build(
                seed=seed, providers=providers, areas=["North", "South"], provider_user=None
            )
            took = time.perf_counter() - started
            rows = list(
                Service.objects.order_by("id").values_list(
                    "id", "name", "organization__name", "cost_options__amount_pence"
                )
            )
            transaction.set_rollback(True)
        return rows, took

    first, took = build(1)
    assert build(1)[0] == first
    assert build(2)[0] != first
    assert took < 5  # the 100k demo must not grow by more than a few seconds
