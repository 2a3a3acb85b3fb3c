"""Practitioners find, create and change people with GOV.UK forms; everything is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from selfdirect.audit.models import Action, Event
from selfdirect.people import codes
from selfdirect.people.models import Consent, Person, Relationship
from selfdirect.people.validation import NHS_NUMBER_INVALID, POSTCODE_INVALID
from tests.factories import PersonFactory, RelationshipFactory, nhs_number_for

pytestmark = pytest.mark.django_db

VALID_PERSON = {
    "given_name": "Grace",
    "family_name": "Hopper",
    "date_of_birth_day": "9",
    "date_of_birth_month": "12",
    "date_of_birth_year": "1946",
    "nhs_number": "943 476 5919",
    "gender": codes.Gender.FEMALE,
    "ethnicity": codes.Ethnicity.WHITE_BRITISH,
    "postcode": "sw1a1aa",
    "client_type": codes.ClientType.SERVICE_USER,
    "primary_support_reason": codes.PrimarySupportReason.PERSONAL_CARE,
    "user_group": codes.UserGroup.OLDER,
    "accommodation_status": codes.AccommodationStatus.OWNER,
    "employment_status": codes.EmploymentStatus.NOT_SEEKING,
    "has_unpaid_carer": "Y",
    "autism": "N",
    "visual_impairment": "N",
    "hearing_impairment": "Y",
    "dementia": "U",
    "needs_large_print": "on",
    "preferred_contact_method": codes.ContactMethod.LETTER,
}


def _post_new(client: Any, council: Any, **changes: Any) -> Any:
    data = {**VALID_PERSON, "team": council.team_a.pk, **changes}
    return client.post("/people/new/", data)


def test_practitioner_creates_a_person_with_cld_fields_and_an_audit_event(
    client: Any, council: Any
) -> None:
    client.force_login(council.users["practitioner"])
    response = _post_new(client, council)
    assert response.status_code == 302
    person = Person.objects.get(family_name="Hopper")
    assert person.nhs_number == "9434765919"
    assert person.postcode == "SW1A 1AA"
    assert person.date_of_birth == dt.date(1946, 12, 9)
    assert person.search_name == "hopper grace"
    assert person.la_person_id.startswith("P")
    assert person.communication_needs == ["Large print"]
    event = Event.objects.get(person=person, action=Action.CREATE)
    assert event.actor == council.users["practitioner"]
    assert event.changes["Family name"] == [None, "Hopper"]
    page = client.get(response["Location"]).content.decode()
    assert "Communication needs: Large print" in page
    assert "943 476 5919" in page


def test_bad_input_names_each_field_and_saves_nothing(client: Any, council: Any) -> None:
    client.force_login(council.users["practitioner"])
    before = Person.objects.count()
    response = _post_new(
        client,
        council,
        given_name="",
        nhs_number="943 476 5918",
        postcode="nowhere",
        date_of_birth_day="31",
        date_of_birth_month="2",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Add a person – Selfdirect</title>" in page
    assert "There is a problem" in page
    for message in (
        "Enter first name",
        NHS_NUMBER_INVALID,
        POSTCODE_INVALID,
        "Date of birth must be a real date",
    ):
        assert page.count(message) == 2, message  # in the summary and by the field
    assert 'href="#id_date_of_birth_day"' in page
    assert Person.objects.count() == before


def test_date_of_birth_in_the_future_is_refused(client: Any, council: Any) -> None:
    client.force_login(council.users["practitioner"])
    year = str(dt.date.today().year + 1)
    response = _post_new(client, council, date_of_birth_year=year)
    assert "Date of birth must be in the past" in response.content.decode()


def test_duplicate_nhs_number_is_refused(client: Any, council: Any) -> None:
    client.force_login(council.users["practitioner"])
    response = _post_new(client, council, nhs_number=council.holder_person.nhs_number)
    assert "Another person already has this NHS number" in response.content.decode()


def test_edit_records_before_and_after_in_history(client: Any, council: Any) -> None:
    person = council.holder_person
    client.force_login(council.users["practitioner"])
    form = client.get(f"/people/{person.pk}/edit/")
    assert form.status_code == 200
    data = {
        **VALID_PERSON,
        "given_name": person.given_name,
        "family_name": "Lovelace",
        "nhs_number": person.nhs_number,
        "team": council.team_a.pk,
    }
    response = client.post(f"/people/{person.pk}/edit/", data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.family_name == "Lovelace"
    assert person.search_name == "lovelace ada"
    event = Event.objects.filter(person=person, action=Action.UPDATE).latest("id")
    assert event.changes["Family name"] == ["Holder", "Lovelace"]
    history = client.get(f"/people/{person.pk}/history/").content.decode()
    assert "Holder → Lovelace" in history
    assert "practitioner" in history
    # The views of the record are in the history too.
    assert Event.objects.filter(
        person=person, action=Action.VIEW, actor=council.users["practitioner"]
    ).exists()


def test_practitioner_cannot_edit_another_teams_person(client: Any, council: Any) -> None:
    client.force_login(council.users["practitioner"])
    assert client.get(f"/people/{council.other_person.pk}/edit/").status_code == 404
    data = {**VALID_PERSON, "team": council.team_a.pk}
    assert client.post(f"/people/{council.other_person.pk}/edit/", data).status_code == 404
    council.other_person.refresh_from_db()
    assert council.other_person.family_name == "Other"


def test_practitioner_cannot_allocate_to_a_team_they_are_not_in(client: Any, council: Any) -> None:
    client.force_login(council.users["practitioner"])
    response = _post_new(client, council, team=council.team_b.pk)
    assert "Select a valid choice" in response.content.decode()
    assert not Person.objects.filter(family_name="Hopper").exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("holder", ["Holder, Ada"]),
        ("HOLD", ["Holder, Ada"]),
        ("ada holder", ["Holder, Ada"]),
        ("holder ada", ["Holder, Ada"]),
        ("27/03/1950", ["Holder, Ada"]),
        ("1950-03-27", ["Holder, Ada"]),
        ("SW1A 1AA", ["Holder, Ada"]),
        ("sw1a", ["Holder, Ada"]),
        ("nobody", []),
    ],
)
def test_search_by_name_date_postcode(
    client: Any, council: Any, query: str, expected: list[str]
) -> None:
    client.force_login(council.users["practitioner"])
    page = client.get("/people/", {"q": query}).content.decode()
    assert ("Holder, Ada" in page) == bool(expected)
    assert "Other, Bea" not in page  # another team's person never appears


def test_search_by_nhs_number(client: Any, council: Any) -> None:
    client.force_login(council.users["practitioner"])
    number = council.holder_person.nhs_number
    page = client.get(
        "/people/", {"q": f"{number[:3]} {number[3:6]} {number[6:]}"}
    ).content.decode()
    assert "Holder, Ada" in page


def test_search_pages_and_query_count_does_not_grow(
    client: Any, council: Any, django_assert_max_num_queries: Any
) -> None:
    PersonFactory.create_batch(60, team=council.team_a, family_name="Smith")
    client.force_login(council.users["practitioner"])
    # PostgreSQL takes the audit chain's append lock in one more query than SQLite. The
    # list look is two inserts: its event, and the slim rows of the people shown (0056).
    chain_lock = 1 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(11 + chain_lock):
        first = client.get("/people/", {"q": "smith"})
    page = first.content.decode()
    assert "60 people found for ‘smith’, page 1 of 3" in page
    assert page.count('">Smith, ') == 25
    third = client.get("/people/", {"q": "smith", "page": 3}).content.decode()
    assert third.count('">Smith, ') == 10


def test_person_page_query_count_is_fixed(client: Any, council: Any) -> None:
    person = council.holder_person
    client.force_login(council.users["practitioner"])
    client.get(f"/people/{person.pk}/")  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/people/{person.pk}/")
    for n in range(8):
        RelationshipFactory(
            person=person,
            related_person=PersonFactory(team=None, nhs_number=nhs_number_for(900_000 + n)),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 200
    assert len(many) == len(few)


def test_add_relationship_requires_legal_basis_for_representative(
    client: Any, council: Any
) -> None:
    person = council.holder_person
    friend = PersonFactory(team=None, la_person_id="P900001")
    client.force_login(council.users["practitioner"])
    data = {
        "related_la_person_id": "p900001",
        "kind": codes.RelationshipKind.AUTHORISED_PERSON,
        "start_date_day": "1",
        "start_date_month": "2",
        "start_date_year": "2025",
    }
    page = client.post(f"/people/{person.pk}/relationships/new/", data).content.decode()
    assert "Select the legal basis for a representative" in page
    data["legal_basis"] = codes.LegalBasis.DEPUTY
    assert client.post(f"/people/{person.pk}/relationships/new/", data).status_code == 302
    rel = Relationship.objects.get(person=person, related_person=friend)
    assert rel.legal_basis == codes.LegalBasis.DEPUTY
    assert Event.objects.filter(
        person=person, object_type="relationship", action=Action.CREATE
    ).exists()
    summary = client.get(f"/people/{person.pk}/").content.decode()
    assert "Deputy appointed by the Court of Protection" in summary


def test_unknown_reference_and_self_relationship_are_refused(client: Any, council: Any) -> None:
    person = council.holder_person
    client.force_login(council.users["practitioner"])
    data = {
        "related_la_person_id": "P404",
        "kind": codes.RelationshipKind.UNPAID_CARER,
        "start_date_day": "1",
        "start_date_month": "2",
        "start_date_year": "2025",
    }
    assert (
        "No person has the reference P404"
        in client.post(f"/people/{person.pk}/relationships/new/", data).content.decode()
    )
    data["related_la_person_id"] = person.la_person_id
    page = client.post(f"/people/{person.pk}/relationships/new/", data).content.decode()
    assert "A person cannot be their own carer or representative" in page


def test_ending_a_representative_removes_their_access(client: Any, council: Any) -> None:
    person = council.holder_person
    rel = Relationship.objects.get(person=person, kind=codes.RelationshipKind.NOMINATED_PERSON)
    rep = council.users["representative"]
    client.force_login(rep)
    assert client.get(f"/people/{person.pk}/").status_code == 200
    client.force_login(council.users["practitioner"])
    assert client.post(f"/people/{person.pk}/relationships/{rel.pk}/end/").status_code == 302
    rel.refresh_from_db()
    assert rel.end_date == dt.date.today()
    # The end date is the first day it no longer applies: ended today, gone today.
    from selfdirect.people.selectors import people_visible_to

    assert person not in people_visible_to(rep)
    assert person in people_visible_to(rep, today=dt.date.today() - dt.timedelta(days=1))


def test_record_consent(client: Any, council: Any) -> None:
    person = council.holder_person
    client.force_login(council.users["practitioner"])
    page = client.post(f"/people/{person.pk}/consents/new/", {}).content.decode()
    assert "Select what the consent is for" in page
    data = {
        "purpose": codes.ConsentPurpose.RESEARCH,
        "status": codes.ConsentStatus.REFUSED,
        "decided_on_day": "3",
        "decided_on_month": "4",
        "decided_on_year": "2025",
    }
    assert client.post(f"/people/{person.pk}/consents/new/", data).status_code == 302
    assert Consent.objects.filter(
        person=person, purpose=codes.ConsentPurpose.RESEARCH, status="refused"
    ).exists()
    summary = client.get(f"/people/{person.pk}/").content.decode()
    assert "Take part in surveys and research" in summary


def test_carer_sees_cared_for_only_with_consent(client: Any, council: Any) -> None:
    person = council.holder_person
    carer = council.users["carer"]
    client.force_login(carer)
    assert client.get(f"/people/{person.pk}/").status_code == 200
    Relationship.objects.filter(person=person, kind=codes.RelationshipKind.UNPAID_CARER).update(
        can_see_record=False
    )
    assert client.get(f"/people/{person.pk}/").status_code == 404
    home = client.get("/home/").content.decode()
    assert "they have not agreed to share their record with you" in home


def test_communication_needs_are_flagged_on_every_page_about_the_person(
    client: Any, council: Any
) -> None:
    person = council.holder_person
    Person.objects.filter(pk=person.pk).update(
        needs_bsl=True, preferred_contact_method=codes.ContactMethod.TEXT
    )
    client.force_login(council.users["practitioner"])
    for url in (
        f"/people/{person.pk}/",
        f"/people/{person.pk}/history/",
        f"/people/{person.pk}/edit/",
        f"/people/{person.pk}/relationships/new/",
        f"/people/{person.pk}/consents/new/",
        f"/assessments/{council.holder_assessment.pk}/",
        f"/assessments/{council.holder_assessment.pk}/eligibility/",
    ):
        page = client.get(url).content.decode()
        assert (
            "Communication needs: British Sign Language interpreter. Preferred contact: text message."
            in page
        ), url


def test_the_carers_table_scrolls_in_its_own_region(client: Any, council: Any) -> None:
    """Five columns do not fit 320 px: the carers and representatives table scrolls in a
    labelled, focusable region, not the whole page (found by the casework journey)."""
    client.force_login(council.users["manager"])
    page = client.get(f"/people/{council.holder_person.pk}/").content.decode()
    region = page.index(
        '<div class="sd-table-scroll" role="region" aria-label="Carers and representatives"'
    )
    caption = page.index("Carers and representatives of Ada Holder</caption>")
    assert region < caption < page.index("</table>", caption) < page.index("</div>", caption)
