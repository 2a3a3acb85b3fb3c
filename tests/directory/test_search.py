"""Searching the directory as a person would: need words to taxonomy terms, postcode and
distance, cost, language and day; the results page and a service's page, open to anyone;
searches that found little are noted without anything personal."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from selfdirect.directory.models import NeedSearch, Service
from selfdirect.directory.selectors import Search, service_search, terms_for_need
from tests.directory.builders import postcode_build, service_build, taxonomy_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory() -> dict[str, Any]:
    terms = taxonomy_build()
    postcode_build("DM12AB", "52.100000", "-1.500000")
    near = service_build(name="Near Care", terms=[terms["care"]], pence=2000)
    # About 11 km (7 miles) north.
    far = service_build(name="Far Care", terms=[terms["care"]], latitude="52.200000", pence=2500)
    club = service_build(name="Lunch Club", terms=[terms["out"]], pence=None)
    club.languages.all().delete()
    club.schedules.update(byday="SA")
    closed = service_build(name="Closed Care", terms=[terms["care"]])
    closed.status = Service.Status.DEFUNCT
    closed.save()
    return {"terms": terms, "near": near, "far": far, "club": club}


def _names(results: Any) -> list[str]:
    return [f.service.name for f in results.items]


def test_need_words_find_terms_by_their_plain_english_synonyms(directory: Any) -> None:
    assert terms_for_need("Help getting up in the morning") == [directory["terms"]["care"]]
    assert terms_for_need("going out") == [directory["terms"]["out"]]
    assert terms_for_need("xy") == []


def test_a_need_finds_the_services_for_its_terms_but_not_closed_ones(directory: Any) -> None:
    results = service_search(Search(need="help getting up"))
    assert _names(results) == ["Far Care", "Near Care"]


def test_a_postcode_orders_by_distance_and_a_distance_limits(directory: Any) -> None:
    results = service_search(Search(need="help getting up", postcode="DM12AB"))
    assert _names(results) == ["Near Care", "Far Care"]
    assert results.items[0].distance_m == 0
    assert 11_000 < results.items[1].distance_m < 11_200
    within = service_search(Search(need="help getting up", postcode="DM12AB", within_miles=5))
    assert _names(within) == ["Near Care"]


def test_cost_language_and_day_filter(directory: Any) -> None:
    assert _names(service_search(Search(need="help getting up", max_pence=2000))) == ["Near Care"]
    assert "Lunch Club" not in _names(service_search(Search(language="Polish")))
    assert _names(service_search(Search(day="SA"))) == ["Lunch Club"]


def test_the_results_page_is_open_to_anyone(client: Any, directory: Any) -> None:
    response = client.get(
        reverse("directory:search"), {"need": "help getting up", "postcode": "dm1 2ab"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "2 services found" in text
    assert text.index("Near Care") < text.index("Far Care")
    assert "0.0 miles away" in text and "from £20.00" in text


def test_a_wrong_or_unknown_postcode_is_an_error_on_the_page(client: Any, directory: Any) -> None:
    wrong = client.get(reverse("directory:search"), {"postcode": "12345"})
    assert "Enter a real postcode, like DM1 2AB" in wrong.content.decode()
    assert wrong.content.decode().count("<title>Error: ") == 1
    unknown = client.get(reverse("directory:search"), {"postcode": "ZZ9 9ZZ"})
    assert "We do not know where ZZ9 9ZZ is" in unknown.content.decode()
    within = client.get(reverse("directory:search"), {"within": "5"})
    assert "Enter your postcode to search by distance" in within.content.decode()


def test_a_search_finding_little_is_noted_without_anything_personal(
    client: Any, directory: Any
) -> None:
    client.get(reverse("directory:search"), {"need": "gardening", "postcode": "DM1 2AB"})
    noted = NeedSearch.objects.get()
    assert (noted.need, noted.area, noted.results) == ("gardening", "DM1", 0)
    field_names = {f.name for f in NeedSearch._meta.get_fields()}
    assert field_names == {"id", "searched_on", "need", "terms", "area", "within_miles", "results"}


def test_a_search_finding_more_than_a_few_is_not_noted(client: Any, directory: Any) -> None:
    for n in range(2):  # four care services in all: more than FEW_RESULTS
        service_build(name=f"More Care {n}", terms=[directory["terms"]["care"]])
    client.get(reverse("directory:search"), {"need": "help getting up"})
    assert not NeedSearch.objects.exists()
    client.get(reverse("directory:search"), {"need": "going out"})
    assert NeedSearch.objects.get().terms == "Getting out and about"


def test_a_service_page_shows_what_a_person_needs_to_choose(client: Any, directory: Any) -> None:
    response = client.get(reverse("directory:service", args=[directory["near"].pk]))
    text = response.content.decode()
    assert response.status_code == 200
    for shown in ("Near Care", "£20.00 per hour", "Polish", "01632 960123", "rated good"):
        assert shown in text, shown


def test_an_unknown_service_is_not_found(client: Any) -> None:
    url = reverse("directory:service", args=["6f1b6c1e-3d0a-4c55-9a55-6f1ee0a4d001"])
    assert client.get(url).status_code == 404
