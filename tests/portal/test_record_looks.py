"""Who has looked at my record: the holder sees their own log by role and team (names only
if the council chooses), a representative the log of the person they act for, no one else."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.people.models import Relationship

pytestmark = pytest.mark.django_db


def _looks_url(person: Any) -> str:
    return reverse("record_looks", kwargs={"person_id": person.pk})


def _practitioner_looks(client: Any, council: Any) -> None:
    practitioner = council.users["practitioner"]
    practitioner.first_name, practitioner.last_name = "Priya", "Shah"
    practitioner.save()
    client.force_login(practitioner)
    assert client.get(f"/people/{council.holder_person.pk}/").status_code == 200


def test_holder_sees_who_looked_by_role_and_team_without_names(client: Any, council: Any) -> None:
    _practitioner_looks(client, council)
    client.force_login(council.users["holder"])
    page = client.get(_looks_url(council.holder_person)).content.decode()
    assert "Who has looked at your record" in page
    assert "Practitioner" in page and "North team" in page
    assert "Record: summary" in page
    assert "Priya" not in page and "practitioner</td>" not in page
    assert "We do not show the names of council staff" in page


def test_names_are_shown_when_the_council_chooses(client: Any, council: Any, settings: Any) -> None:
    settings.SELFDIRECT_SHOW_STAFF_NAMES_TO_PEOPLE = True
    _practitioner_looks(client, council)
    client.force_login(council.users["holder"])
    page = client.get(_looks_url(council.holder_person)).content.decode()
    assert "Priya Shah" in page


def test_team_is_the_team_at_the_time_of_the_look(client: Any, council: Any) -> None:
    _practitioner_looks(client, council)
    practitioner = council.users["practitioner"]
    practitioner.team_memberships.update(team=council.team_b)
    client.force_login(council.users["holder"])
    page = client.get(_looks_url(council.holder_person)).content.decode()
    assert "North team" in page and "South team" not in page


def test_own_looks_are_shown_as_you(client: Any, council: Any) -> None:
    client.force_login(council.users["holder"])
    client.get(f"/people/{council.holder_person.pk}/")
    page = client.get(_looks_url(council.holder_person)).content.decode()
    assert '<td class="govuk-table__cell">You</td>' in page


def test_appearing_in_a_search_is_shown(client: Any, council: Any) -> None:
    client.force_login(council.users["practitioner"])
    client.get("/people/?q=Holder")
    client.force_login(council.users["holder"])
    page = client.get(_looks_url(council.holder_person)).content.decode()
    assert "Appeared in search results" in page


def test_the_log_is_paginated(client: Any, council: Any) -> None:
    from selfdirect.audit.services import look_record

    for _ in range(30):
        look_record(actor=council.users["practitioner"], record=council.holder_person, summary="x")
    client.force_login(council.users["holder"])
    first = client.get(_looks_url(council.holder_person)).content.decode()
    assert "page 1 of 2" in first and 'rel="next"' in first
    second = client.get(_looks_url(council.holder_person) + "?page=2").content.decode()
    assert 'rel="prev"' in second


def test_representative_sees_the_log_of_the_person_they_act_for(client: Any, council: Any) -> None:
    _practitioner_looks(client, council)
    client.force_login(council.users["representative"])
    response = client.get(_looks_url(council.holder_person))
    assert response.status_code == 200
    assert "Who has looked at Ada Holder's record" in response.content.decode()
    home = client.get("/home/").content.decode()
    assert _looks_url(council.holder_person) in home


def test_representative_no_longer_acting_is_refused(client: Any, council: Any) -> None:
    Relationship.objects.filter(
        related_person=council.users["representative"].profile.person
    ).update(end_date="2020-01-01")
    client.force_login(council.users["representative"])
    assert client.get(_looks_url(council.holder_person)).status_code == 404


def test_others_are_refused_and_the_attempt_is_recorded(client: Any, council: Any) -> None:
    client.force_login(council.users["holder"])
    response = client.get(_looks_url(council.other_person))
    assert response.status_code == 404
    assert "Bea" not in response.content.decode()
    denied = Event.objects.get(action=Action.DENIED, actor=council.users["holder"])
    assert denied.person_id == council.other_person.pk
    # A carer sees the cared-for person's record, but not who has looked at it.
    client.force_login(council.users["carer"])
    assert client.get(_looks_url(council.holder_person)).status_code == 403
    for role in (Role.PRACTITIONER, Role.MANAGER, Role.FINANCE, Role.DPO, Role.ADMIN):
        client.force_login(council.users[str(role)])
        assert client.get(_looks_url(council.holder_person)).status_code == 403, role


def test_holder_home_links_to_the_log(client: Any, council: Any) -> None:
    client.force_login(council.users["holder"])
    home = client.get("/home/").content.decode()
    assert "See who has looked at your record" in home
    assert _looks_url(council.holder_person) in home


def test_history_tab_shows_staff_by_role_and_team_to_the_holder(
    client: Any, council: Any, settings: Any
) -> None:
    """The record's history tab follows the same choice as the log of looks."""
    _practitioner_looks(client, council)
    assert (
        "practitioner"
        in client.get(f"/people/{council.holder_person.pk}/history/").content.decode()
    )
    client.force_login(council.users["holder"])
    history = client.get(f"/people/{council.holder_person.pk}/history/").content.decode()
    assert "Practitioner, North team" in history
    assert ">practitioner<" not in history
    settings.SELFDIRECT_SHOW_STAFF_NAMES_TO_PEOPLE = True
    history = client.get(f"/people/{council.holder_person.pk}/history/").content.decode()
    assert ">practitioner<" in history


def test_an_export_shows_in_the_log(client: Any, council: Any) -> None:
    client.force_login(council.users["dpo"])
    client.get(reverse("audit_trail:person_csv", kwargs={"person_id": council.holder_person.pk}))
    client.force_login(council.users["holder"])
    page = client.get(_looks_url(council.holder_person)).content.decode()
    assert "The full audit trail of your record was downloaded" in page
    assert "Data protection officer" in page
