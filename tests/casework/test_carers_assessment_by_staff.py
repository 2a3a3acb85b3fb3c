"""Staff offer a carer's assessment: the "offer a carer's assessment" work on the
practitioner's home leads to a page where it is started (through the same service a
carer uses, recorded as started by the worker) or declined with a reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from selfdirect.access.models import WorkItem
from selfdirect.access.roles import Role
from selfdirect.access.services import work_item_add
from selfdirect.assessment.models import Assessment
from selfdirect.audit.models import Event
from selfdirect.casework import services
from selfdirect.casework.models import CaseNote
from selfdirect.people.models import Person


def _offer_task(council: Any) -> WorkItem:
    import datetime as dt

    return work_item_add(
        person=council.holder_person,
        title="Offer a carer's assessment",
        kind="carer_assessment",
        for_role=Role.PRACTITIONER,
        due_date=dt.date.today(),
    )


def _carl() -> Person:
    return Person.objects.get(given_name="Carl")


def test_the_home_task_leads_to_the_offer_and_starting_it_closes_the_task(
    client: Any, council: Any
) -> None:
    task = _offer_task(council)
    worker = council.users[Role.PRACTITIONER]
    client.force_login(worker)
    home = client.get(reverse("home")).content.decode()
    offer = reverse("casework:carer_offer", args=[council.holder_person.pk])
    assert f'href="{offer}"' in home
    page = client.get(offer).content.decode()
    assert "Carl Carer" in page
    response = client.post(offer, {"carer": str(_carl().pk), "outcome": "start"})
    assessment = Assessment.objects.get(person=_carl())
    assert response.url == reverse("assessment:detail", args=[assessment.pk])
    assert (assessment.cared_for, assessment.started_by) == (council.holder_person, worker)
    assert assessment.is_carers and assessment.mode == "supported"
    task.refresh_from_db()
    assert task.status == "done"
    assert f'href="{offer}"' not in client.get(reverse("home")).content.decode()
    # The carer sees it in their own sign-in, as if they had started it themselves.
    client.force_login(council.users[Role.CARER])
    assert client.get(reverse("assessment:detail", args=[assessment.pk])).status_code == 200


def test_declining_needs_a_reason_kept_as_a_staff_only_note(client: Any, council: Any) -> None:
    task = _offer_task(council)
    client.force_login(council.users[Role.PRACTITIONER])
    offer = reverse("casework:carer_offer", args=[council.holder_person.pk])
    page = client.post(offer, {"carer": str(_carl().pk), "outcome": "declined"}).content.decode()
    assert services.DECLINE_REASON_NEEDED in page and "<title>Error: " in page
    task.refresh_from_db()
    assert task.status == "open" and not CaseNote.objects.exists()
    client.post(
        offer,
        {"carer": str(_carl().pk), "outcome": "declined", "reason": "Manages well for now"},
    )
    note = CaseNote.objects.get()
    assert note.text == (
        "Carl Carer was offered a carer's assessment and declined: Manages well for now"
    )
    assert not note.shared_with_person
    task.refresh_from_db()
    assert task.status == "done"
    event = Event.objects.get(object_type="case_note", object_id=str(note.pk))
    assert event.changes["Reason"] == [None, "Manages well for now"]
    assert not Assessment.objects.filter(person=_carl()).exists()


def test_only_the_persons_own_carers_can_be_chosen(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.PRACTITIONER])
    offer = reverse("casework:carer_offer", args=[council.holder_person.pk])
    stranger = council.other_person
    page = client.post(offer, {"carer": str(stranger.pk), "outcome": "start"}).content.decode()
    assert "Select one of the person&#x27;s carers" in page
    assert not Assessment.objects.filter(person=stranger, cared_for__isnull=False).exists()


def test_the_service_refuses_a_decline_without_a_reason(council: Any) -> None:
    with pytest.raises(services.CaseworkError) as refused:
        services.carer_assessment_decline(
            actor=council.users[Role.PRACTITIONER],
            person=council.holder_person,
            carer=_carl(),
            reason="  ",
        )
    assert (str(refused.value), refused.value.field) == (services.DECLINE_REASON_NEEDED, "reason")
