"""The front door: a contact recorded, triaged and turned into an assessment; the team's
queue with its counts; every refusal named and changing nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.assessment.models import Assessment
from selfdirect.audit.models import Event
from selfdirect.casework import selectors, services
from selfdirect.casework.models import Contact

TODAY = dt.date.today()


def _fields(**extra: Any) -> dict[str, Any]:
    return {
        "received_on": TODAY,
        "made_by": "relative",
        "made_by_name": "Fay Holder",
        "made_by_relationship": "daughter",
        "channel": "phone",
        "reason": "change",
        "about": "Mum has had two falls this month",
        "urgency": "routine",
        **extra,
    }


def _contact(council: Any, **extra: Any) -> Contact:
    return services.contact_record(
        actor=council.users[Role.PRACTITIONER],
        person=council.holder_person,
        fields=_fields(**extra),
    )


def test_a_contact_is_recorded_with_who_how_and_what_audited(council: Any) -> None:
    contact = _contact(council)
    assert contact.who == "Fay Holder (daughter)"
    assert contact.decision == ""
    event = Event.objects.get(object_type="contact", object_id=str(contact.pk))
    assert event.person_id == council.holder_person.pk
    assert event.changes["Channel"] == [None, "Phone"]
    assert event.changes["Made by name"] == [None, "Fay Holder"]


@pytest.mark.parametrize(
    ("extra", "message", "field"),
    [
        ({"made_by_name": "  "}, services.NAME_WHO_CONTACTED, "made_by_name"),
        ({"received_on": TODAY + dt.timedelta(days=1)}, services.CONTACT_IN_FUTURE, "received_on"),
    ],
)
def test_a_contact_is_refused_by_name(
    council: Any, extra: dict[str, Any], message: str, field: str
) -> None:
    with pytest.raises(services.CaseworkError) as refused:
        _contact(council, **extra)
    assert (str(refused.value), refused.value.field) == (message, field)
    assert not Contact.objects.exists()


def test_the_person_themselves_needs_no_name(council: Any) -> None:
    contact = _contact(council, made_by="self", made_by_name="Ignored", made_by_relationship="x")
    assert (contact.made_by_name, contact.who) == ("", "The person themselves")


@pytest.mark.parametrize(
    ("decision", "notes", "message"),
    [
        ("", "", services.DECISION_NEEDED),
        ("advice", " ", services.ADVICE_NEEDED),
        ("urgent", "", services.NEXT_STEP_NEEDED),
    ],
)
def test_triage_needs_a_decision_and_says_what_was_done(
    council: Any, decision: str, notes: str, message: str
) -> None:
    contact = _contact(council)
    with pytest.raises(services.CaseworkError, match=message):
        services.contact_triage(
            actor=council.users[Role.PRACTITIONER], contact=contact, decision=decision, notes=notes
        )
    contact.refresh_from_db()
    assert contact.decision == "" and contact.triaged_at is None


def test_triage_then_the_assessment_starts_from_the_contact(council: Any) -> None:
    worker = council.users[Role.PRACTITIONER]
    contact = _contact(council)
    with pytest.raises(services.CaseworkError, match=services.NOT_REFERRED):
        services.contact_assessment_start(actor=worker, contact=contact)
    services.contact_triage(actor=worker, contact=contact, decision="advice", notes="Falls leaflet")
    services.contact_triage(actor=worker, contact=contact, decision="assess", notes="")
    triaged = Event.objects.filter(object_type="contact", summary__startswith="Triaged")
    change = triaged.order_by("pk").last()
    assert change is not None
    assert change.changes["Decision"] == ["Information and advice given", "Refer for an assessment"]
    before = Assessment.objects.count()
    assessment = services.contact_assessment_start(actor=worker, contact=contact)
    contact.refresh_from_db()
    assert contact.assessment == assessment
    assert assessment.person == council.holder_person and assessment.mode == "supported"
    assert Assessment.objects.count() == before + 1
    with pytest.raises(services.CaseworkError, match=services.ALREADY_STARTED):
        services.contact_assessment_start(actor=worker, contact=contact)
    with pytest.raises(services.CaseworkError, match=services.TRIAGE_CLOSED):
        services.contact_triage(actor=worker, contact=contact, decision="advice", notes="x")
    assert Assessment.objects.count() == before + 1


def test_the_queue_counts_and_puts_urgent_first(council: Any) -> None:
    worker = council.users[Role.PRACTITIONER]
    old = _contact(council, received_on=TODAY - dt.timedelta(days=5))
    urgent = _contact(council, urgency="urgent")
    advised = _contact(council)
    services.contact_triage(actor=worker, contact=advised, decision="advice", notes="Leaflet")
    services.contact_record(actor=worker, person=council.other_person, fields=_fields())
    assert list(selectors.front_door_queue(worker, "untriaged")) == [urgent, old]
    counts = {c.key: c.count for c in selectors.front_door_counts(worker)}
    assert counts == {"untriaged": 2, "urgent": 1, "assess": 0, "all": 3}  # not team B's


def test_front_door_pages_from_finding_the_person_to_the_assessment(
    client: Any, council: Any
) -> None:
    client.force_login(council.users[Role.PRACTITIONER])
    queue = reverse("casework:queue")
    found = client.get(queue, {"q": "Ada Holder"}).content.decode()
    new_url = reverse("casework:contact_new", args=[council.holder_person.pk])
    assert new_url in found
    other_url = reverse("casework:contact_new", args=[council.other_person.pk])
    assert other_url not in client.get(queue, {"q": "Bea Other"}).content.decode()
    response = client.post(new_url, {"made_by": "relative", "channel": "phone"})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert "Enter what they told you" in page and "Select what the contact is about" in page
    data = {
        "received_on_day": TODAY.day,
        "received_on_month": TODAY.month,
        "received_on_year": TODAY.year,
        "made_by": "relative",
        "made_by_name": "",
        "channel": "phone",
        "reason": "change",
        "about": "Two falls",
        "urgency": "urgent",
    }
    page = client.post(new_url, data).content.decode()
    assert services.NAME_WHO_CONTACTED in page and not Contact.objects.exists()
    response = client.post(new_url, {**data, "made_by_name": "Fay"})
    contact = Contact.objects.get()
    assert response.url == reverse("casework:contact", args=[contact.pk])
    assert "Urgent" in client.get(queue).content.decode()
    contact_url = reverse("casework:contact", args=[contact.pk])
    page = client.post(contact_url, {"decision": "urgent"}).content.decode()
    assert services.NEXT_STEP_NEEDED in page
    client.post(contact_url, {"decision": "assess"})
    response = client.post(reverse("casework:contact_start", args=[contact.pk]))
    contact.refresh_from_db()
    assert response.url == reverse("assessment:detail", args=[contact.assessment_id])


def test_another_teams_contact_is_not_found_and_the_refusal_logged(
    client: Any, council: Any
) -> None:
    contact = services.contact_record(
        actor=council.users[Role.PRACTITIONER], person=council.other_person, fields=_fields()
    )
    client.force_login(council.users[Role.PRACTITIONER])
    assert client.get(reverse("casework:contact", args=[contact.pk])).status_code == 404
    assert Event.objects.filter(
        action="denied", object_type="contact", person_id=council.other_person.pk
    ).exists()


def test_someone_not_found_is_added_through_people_then_the_contact_is_recorded(
    client: Any, council: Any
) -> None:
    from selfdirect.people.models import Person
    from tests.people.test_people_pages import VALID_PERSON

    client.force_login(council.users[Role.PRACTITIONER])
    found = client.get(reverse("casework:queue"), {"q": "Grace Hopper"}).content.decode()
    assert "No one in your teams' caseload matches" in found
    add = reverse("people:new") + "?for=front-door"
    assert f'href="{add}"' in found
    response = client.post(add, {**VALID_PERSON, "team": council.team_a.pk})
    grace = Person.objects.get(family_name="Hopper")
    assert response.url == reverse("casework:contact_new", args=[grace.pk])
    # Added from the People page as before: on to the record.
    response = client.post(
        reverse("people:new"),
        {
            **VALID_PERSON,
            "given_name": "Alan",
            "family_name": "Turing",
            "nhs_number": "",
            "team": council.team_a.pk,
        },
    )
    assert response.url == reverse(
        "people:detail", args=[Person.objects.get(family_name="Turing").pk]
    )


def test_the_home_page_counts_the_front_door(client: Any, council: Any) -> None:
    _contact(council, urgency="urgent")
    _contact(council)
    client.force_login(council.users[Role.MANAGER])
    home = client.get(reverse("home")).content.decode()
    assert "Not yet triaged: 2</a>" in home and "Urgent: 1</a>" in home
    client.force_login(council.users[Role.PLANNER])
    assert "Not yet triaged:" not in client.get(reverse("home")).content.decode()
