"""Council staff keep the directory: adding and changing a service in full (validation
naming each field, audit before and after), marking it closed rather than removing it once
anything rests on it, and the taxonomy's terms (added, renamed with audit, never removed
while used). A service made this way is found by the person's search and exports as valid
Open Referral UK."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.directory import editing
from selfdirect.directory.models import Service, TaxonomyTerm
from selfdirect.directory.selectors import Search, service_search
from selfdirect.planning.models import PlanLine
from selfdirect.providers.models import Provider
from tests.directory.builders import postcode_build, service_build, taxonomy_build
from tests.directory.test_oruk import assert_oruk_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(council: Any) -> dict[str, Any]:
    postcode_build("DM12AB", "52.100000", "-1.500000")
    postcode_build("DM34CD", "52.110000", "-1.510000")
    return {
        "terms": taxonomy_build(),
        "provider": Provider.objects.create(name="Dalesham Day Clubs", description="Clubs"),
        "manager": council.users[Role.MANAGER],
    }


def _form(setting: dict[str, Any], **changes: str | list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Saturday Friends Club",
        "description": "A club for going out and meeting people on Saturdays.",
        "organization": str(setting["provider"].pk),
        "status": "active",
        "url": "https://example.org/friends",
        "email": "club@example.org",
        "terms": [str(setting["terms"]["out"].pk)],
        "location_name": "Church hall",
        "address_1": "2 Mill Lane",
        "city": "Dalesham",
        "postal_code": "dm3 4cd",
        "accessibility": "Step-free entrance",
        "cqc_location_id": "",
        "cqc_rating": "",
        "areas": "Dalesham\nNorth villages",
        "cost_1_option": "Members",
        "cost_1_amount": "4.50",
        "cost_1_unit": "per session",
        "cost_2_option": "",
        "cost_2_amount": "0",
        "cost_2_unit": "for carers",
        "languages": "Polish, Urdu",
        "opens_SA": "10:00",
        "closes_SA": "15:30",
        "opens_SU": "10:00",
        "closes_SU": "15:30",
        "opens_WE": "18:00",
        "closes_WE": "20:00",
        "contact_name": "Club leader",
        "contact_email": "leader@example.org",
        "phone": "01632 960555",
    }
    data.update(changes)
    return data


def _added(client: Any, setting: dict[str, Any], **changes: Any) -> Service:
    client.force_login(setting["manager"])
    response = client.post(reverse("directory:service_new"), _form(setting, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Service.objects.get(name="Saturday Friends Club")


def test_a_manager_adds_a_service_in_full(client: Any, setting: Any) -> None:
    service = _added(client, setting)
    assert service.organization == setting["provider"]
    assert list(service.terms.all()) == [setting["terms"]["out"]]
    location = service.at_locations.get().location
    assert (location.postal_code, location.name) == ("DM3 4CD", "Church hall")
    assert (str(location.latitude), str(location.longitude)) == ("52.110000", "-1.510000")
    costs = sorted(service.cost_options.values_list("amount_pence", "amount_description"))
    assert costs == [(0, "for carers"), (450, "per session")]
    assert sorted(service.languages.values_list("name", flat=True)) == ["Polish", "Urdu"]
    assert sorted(service.areas.values_list("name", flat=True)) == ["Dalesham", "North villages"]
    hours = sorted(service.schedules.values_list("byday", "opens_at", "closes_at"))
    assert [(d, str(o), str(c)) for d, o, c in hours] == [
        ("SA,SU", "10:00:00", "15:30:00"),
        ("WE", "18:00:00", "20:00:00"),
    ]
    assert service.contacts.get().phones.get().number == "01632 960555"
    event = Event.objects.get(object_type="service", object_id=str(service.pk))
    assert event.action == Action.CREATE and event.actor == setting["manager"]
    assert event.changes["costs"]["after"] == [
        ["", 0, "for carers"],
        ["Members", 450, "per session"],
    ]


def test_a_service_staff_add_is_found_by_a_persons_search(client: Any, setting: Any) -> None:
    _added(client, setting)
    client.logout()
    page = client.get(
        reverse("directory:search"),
        {"need": "going out", "postcode": "DM1 2AB", "within": "3", "day": "weekend"},
    )
    text = page.content.decode()
    assert "1 service found" in text and "Saturday Friends Club" in text
    evening = service_search(Search(need="going out", day="WE", time="evening"))
    assert [f.service.name for f in evening.items] == ["Saturday Friends Club"]
    assert not service_search(Search(need="going out", day="SA", time="evening")).items


def test_a_service_staff_add_exports_as_valid_open_referral_uk(client: Any, setting: Any) -> None:
    service = _added(client, setting)
    body = client.get(f"/api/v1/oruk/services/{service.pk}").json()
    assert_oruk_service(body)
    assert body["name"] == "Saturday Friends Club"
    assert sorted(c["amount"] for c in body["cost_options"]) == [0, 4.5]
    assert {s["byday"] for s in body["schedules"]} == {"SA,SU", "WE"}


def test_every_broken_rule_is_named_on_its_field_and_nothing_is_made(
    client: Any, setting: Any
) -> None:
    client.force_login(setting["manager"])
    empty = client.post(reverse("directory:service_new"), {}).content.decode()
    for message in (
        editing.NAME_NEEDED,
        editing.DESCRIPTION_NEEDED,
        editing.ORGANISATION_NEEDED,
        editing.POSTCODE_NEEDED,
    ):
        assert message in empty, message
    assert "<title>Error: " in empty
    cases = {
        "opens_MO": ("9am", "Monday opens: enter a time like 09:00 or 17:30"),
        "cost_1_amount": ("four pounds", "Cost 1: Enter an amount in pounds, like 125.50"),
        "postal_code": ("12345", editing.POSTCODE_FORMAT),
        "cqc_location_id": ("CQC-1", "Enter a CQC location ID like 1-123456789"),
    }
    for name, (value, message) in cases.items():
        text = client.post(reverse("directory:service_new"), _form(setting, **{name: value}))
        assert message in text.content.decode(), name
    rules = {
        "closes_SA": ("", "Saturday: enter both the opening and the closing time, or neither"),
        "cost_1_unit": ("", editing.COST_UNIT_NEEDED.format(n=1)),
        "postal_code": ("ZZ9 9ZZ", editing.POSTCODE_NOT_LOADED.format(postcode="ZZ9 9ZZ")),
        "phone": ("call us", editing.PHONE_FORMAT),
        "url": ("not a web address", editing.WEBSITE_FORMAT),
        "email": ("club at example", "Enter the service’s email address, like name@example.org"),
        "contact_email": ("x@", "Enter the contact’s email address, like name@example.org"),
    }
    for name, (value, message) in rules.items():
        text = client.post(reverse("directory:service_new"), _form(setting, **{name: value}))
        body = html.unescape(text.content.decode())
        assert message in body, name
        assert f'href="#id_{name}"' in body, name
    assert not Service.objects.exists()


def test_staff_change_a_service_and_mark_it_closed_with_audit(client: Any, setting: Any) -> None:
    service = _added(client, setting)
    url = reverse("directory:service_edit", args=[service.pk])
    page = client.get(url).content.decode()
    assert 'value="Saturday Friends Club"' in page and 'value="15:30"' in page
    changed = _form(setting, name="Weekend Friends Club", status="defunct", closes_SA="16:00")
    assert client.post(url, changed).status_code == 302
    service.refresh_from_db()
    assert (service.name, service.status) == ("Weekend Friends Club", "defunct")
    event = Event.objects.get(object_id=str(service.pk), action=Action.UPDATE)
    assert event.changes["name"] == {
        "before": "Saturday Friends Club",
        "after": "Weekend Friends Club",
    }
    assert event.changes["status"] == {"before": "active", "after": "defunct"}
    assert event.changes["opening_times"]["before"]["Saturday"] == "10:00-15:30"
    assert event.changes["opening_times"]["after"]["Saturday"] == "10:00-16:00"
    assert set(event.changes) == {"name", "status", "opening_times"}
    # Closed: people no longer find it; staff still do.
    assert not service_search(Search(need="going out")).items
    staff = client.get(reverse("directory:staff_list"), {"need": "going out"}).content.decode()
    assert "Weekend Friends Club" in staff and "Closed" in staff


def test_saving_without_a_change_is_refused(client: Any, setting: Any) -> None:
    service = _added(client, setting)
    before = Event.objects.count()
    url = reverse("directory:service_edit", args=[service.pk])
    page = client.post(url, _form(setting)).content.decode()
    assert "Change at least one thing before saving" in page
    assert Event.objects.count() == before


def test_editing_keeps_an_imported_services_other_places(client: Any, setting: Any) -> None:
    service = service_build(provider=setting["provider"], name="Morning Care")
    second = service_build(provider=setting["provider"], name="Other").at_locations.get()
    second.service = service
    second.save()
    client.force_login(setting["manager"])
    url = reverse("directory:service_edit", args=[service.pk])
    data = _form(setting, name="Morning Care", postal_code="DM1 2AB")
    assert client.post(url, data).status_code == 302
    assert service.at_locations.count() == 2


def test_a_service_a_plan_line_may_rest_on_is_never_removed(
    client: Any, setting: Any, council: Any
) -> None:
    service = _added(client, setting)
    from tests.planning.test_plans import _draft_plan

    plan = _draft_plan(council)
    PlanLine.objects.create(
        plan=plan,
        description="Club",
        category="day_activity",
        provider=setting["provider"],
        unit="session",
        unit_cost_pence=450,
        quantity_hundredths=100,
        funding_stream="adult_social_care",
    )
    url = reverse("directory:service_remove", args=[service.pk])
    client.post(url)
    assert Service.objects.filter(pk=service.pk).exists()
    assert not Event.objects.filter(action=Action.DELETE, object_type="service").exists()
    page = client.get(reverse("directory:service_edit", args=[service.pk])).content.decode()
    assert "a support plan line uses its organisation" in page


def test_a_service_added_by_mistake_can_be_removed(client: Any, setting: Any) -> None:
    service = _added(client, setting)
    assert client.post(reverse("directory:service_remove", args=[service.pk])).status_code == 302
    assert not Service.objects.exists()
    event = Event.objects.get(action=Action.DELETE, object_type="service")
    assert event.changes["name"] == {"before": "Saturday Friends Club", "after": None}


def test_practitioners_read_the_staff_pages_but_change_nothing(
    client: Any, setting: Any, council: Any
) -> None:
    service = service_build(provider=setting["provider"])
    client.force_login(council.users[Role.PRACTITIONER])
    listing = client.get(reverse("directory:staff_list"))
    assert listing.status_code == 200 and service.name in listing.content.decode()
    assert "Add a service" not in listing.content.decode()
    assert client.get(reverse("directory:terms")).status_code == 200
    assert client.get(reverse("directory:service_new")).status_code == 403
    edit = reverse("directory:service_edit", args=[service.pk])
    assert client.post(edit, _form(setting)).status_code == 403
    service.refresh_from_db()
    assert service.name == "Morning Care at Home"


# Taxonomy terms.


def test_a_term_is_added_and_renamed_with_audit(client: Any, setting: Any) -> None:
    client.force_login(setting["manager"])
    response = client.post(
        reverse("directory:term_new"),
        {"name": "Short breaks", "synonyms": "a break, respite", "taxonomy": ""},
    )
    assert response.status_code == 302
    term = TaxonomyTerm.objects.get(name="Short breaks")
    service = service_build(provider=setting["provider"], terms=[term])
    url = reverse("directory:term_edit", args=[term.pk])
    client.post(url, {"name": "Breaks for carers", "synonyms": "a break, respite"})
    term.refresh_from_db()
    assert term.name == "Breaks for carers"
    assert list(service.terms.all()) == [term]
    event = Event.objects.get(object_type="taxonomyterm", action=Action.UPDATE)
    assert event.changes == {"name": {"before": "Short breaks", "after": "Breaks for carers"}}
    # People find it by its words still.
    found = service_search(Search(need="respite"))
    assert [f.service for f in found.items] == [service]


def test_a_terms_name_is_needed_and_unique(client: Any, setting: Any) -> None:
    client.force_login(setting["manager"])
    terms = TaxonomyTerm.objects.count()
    empty = client.post(reverse("directory:term_new"), {"name": ""}).content.decode()
    assert editing.TERM_NAME_NEEDED in empty
    taken = client.post(reverse("directory:term_new"), {"name": "personal care"})
    assert "There is already a term called personal care" in taken.content.decode()
    assert TaxonomyTerm.objects.count() == terms  # neither refusal added one


def test_a_used_term_is_never_removed_and_an_unused_one_is(client: Any, setting: Any) -> None:
    care, out = setting["terms"]["care"], setting["terms"]["out"]
    service_build(provider=setting["provider"], terms=[care])
    client.force_login(setting["manager"])
    client.post(reverse("directory:term_remove", args=[care.pk]))
    assert TaxonomyTerm.objects.filter(pk=care.pk).exists()
    page = client.get(reverse("directory:terms")).content.decode()
    assert "This term cannot be removed: 1 service uses it. Rename it instead" in page
    client.post(reverse("directory:term_remove", args=[out.pk]))
    assert not TaxonomyTerm.objects.filter(pk=out.pk).exists()
    assert Event.objects.get(object_type="taxonomyterm", action=Action.DELETE).changes["name"] == {
        "before": "Getting out and about",
        "after": None,
    }


def test_a_places_exact_position_is_kept_until_its_postcode_changes(
    client: Any, setting: Any
) -> None:
    service = service_build(provider=setting["provider"], name="Morning Care", latitude="52.100321")
    client.force_login(setting["manager"])
    url = reverse("directory:service_edit", args=[service.pk])
    client.post(url, _form(setting, name="Morning Care", postal_code="DM1 2AB", city="Dale"))
    location = service.at_locations.get().location
    assert (location.city, str(location.latitude)) == ("Dale", "52.100321")
    client.post(url, _form(setting, name="Morning Care", postal_code="DM3 4CD", city="Dale"))
    location.refresh_from_db()
    assert str(location.latitude) == "52.110000"
