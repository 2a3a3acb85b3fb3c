"""Named workers: allocated and reallocated by a manager of the person's team, with a
reason and history; work for practitioners reaches the named worker; moving team ends it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from selfdirect.access.models import WorkItem
from selfdirect.access.roles import Role
from selfdirect.access.services import work_item_add
from selfdirect.audit.models import Event
from selfdirect.people import services
from selfdirect.people.models import NamedWorkerAllocation, Person
from tests.factories import make_user, second_user

pytestmark = pytest.mark.django_db


def _allocate(council: Any, worker: Any, reason: str = "New referral") -> Any:
    return services.named_worker_allocate(
        actor=council.users[Role.MANAGER],
        person=council.holder_person,
        worker=worker,
        reason=reason,
    )


def test_a_manager_allocates_then_reallocates_with_history_and_audit(council: Any) -> None:
    first = council.users[Role.PRACTITIONER]
    second = second_user(council, "practitioner")
    _allocate(council, first)
    item = work_item_add(
        person=Person.objects.get(pk=council.holder_person.pk),
        title="Offer a carer's assessment",
        kind="carer",
        for_role=Role.PRACTITIONER,
        due_date=dt.date(2030, 1, 1),
    )
    assert item.assigned_to == first and item.team == council.team_a
    _allocate(council, second, reason="First worker leaving the team")
    person = Person.objects.get(pk=council.holder_person.pk)
    assert person.named_worker == second
    spells = list(NamedWorkerAllocation.objects.filter(person=person).order_by("id"))
    assert [s.worker for s in spells] == [first, second]
    assert spells[0].end_date == timezone.localdate() and spells[0].end_reason == "Reallocated"
    assert spells[1].end_date is None and spells[1].reason == "First worker leaving the team"
    # Open work moves to the new worker.
    item.refresh_from_db()
    assert item.assigned_to == second
    event = Event.objects.filter(object_type="person", summary__startswith="Reallocated").get()
    assert event.changes["Named worker"] == ["practitioner", "second-practitioner"]


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("practitioner", services.NAMED_WORKER_NOT_MANAGER.format(team="North team")),
        ("team_b_manager", services.NAMED_WORKER_NOT_MANAGER.format(team="North team")),
    ],
)
def test_only_a_manager_of_the_persons_team_allocates(council: Any, who: str, refusal: str) -> None:
    actor = (
        council.users[Role.PRACTITIONER]
        if who == "practitioner"
        else make_user("b-manager", [Role.MANAGER], manages=[council.team_b])
    )
    with pytest.raises(services.PeopleError) as refused:
        services.named_worker_allocate(
            actor=actor,
            person=council.holder_person,
            worker=council.users[Role.PRACTITIONER],
            reason="x",
        )
    assert str(refused.value) == refusal
    assert not NamedWorkerAllocation.objects.exists()


def test_the_worker_must_be_a_practitioner_in_the_team_and_a_reason_given(council: Any) -> None:
    outsider = make_user("b-worker", [Role.PRACTITIONER], teams=[council.team_b])
    for worker, reason, message, field in [
        (outsider, "x", services.NAMED_WORKER_CHOOSE.format(team="North team"), "worker"),
        (
            council.users[Role.PLANNER],
            "x",
            services.NAMED_WORKER_CHOOSE.format(team="North team"),
            "worker",
        ),
        (council.users[Role.PRACTITIONER], "  ", services.NAMED_WORKER_REASON, "reason"),
    ]:
        with pytest.raises(services.PeopleError) as refused:
            _allocate(council, worker, reason)
        assert (str(refused.value), refused.value.field) == (message, field)
    _allocate(council, council.users[Role.PRACTITIONER])
    with pytest.raises(services.PeopleError, match="practitioner is already the named worker"):
        _allocate(council, council.users[Role.PRACTITIONER])
    assert NamedWorkerAllocation.objects.count() == 1


def test_moving_team_ends_the_allocation_and_asks_the_new_team(council: Any) -> None:
    _allocate(council, council.users[Role.PRACTITIONER])
    person = Person.objects.get(pk=council.holder_person.pk)
    services.person_update(
        actor=council.users[Role.MANAGER], person=person, fields={"team": council.team_b}
    )
    person.refresh_from_db()
    assert person.named_worker is None
    spell = NamedWorkerAllocation.objects.get()
    assert spell.end_date == timezone.localdate() and spell.end_reason == "Moved to another team"
    task = WorkItem.objects.get(kind="named_worker")
    assert (task.team, task.for_role, task.assigned_to) == (council.team_b, "manager", None)


def test_without_a_named_worker_work_goes_to_the_team(council: Any) -> None:
    item = work_item_add(
        person=council.holder_person,
        title="Review",
        kind="review",
        for_role=Role.PRACTITIONER,
        due_date=dt.date(2030, 1, 1),
    )
    assert item.assigned_to is None and item.team == council.team_a


def test_pages_show_the_named_worker_and_history_and_home_lists_your_people(
    client: Any, council: Any
) -> None:
    person = council.holder_person
    client.force_login(council.users[Role.MANAGER])
    empty = client.post(f"/people/{person.pk}/named-worker/", {})
    assert empty.status_code == 200 and "Select the named worker" in empty.content.decode()
    assert "Give the reason for the allocation" in empty.content.decode()
    response = client.post(
        f"/people/{person.pk}/named-worker/",
        {"worker": council.users[Role.PRACTITIONER].pk, "reason": "New referral"},
    )
    assert response.status_code == 302
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "Named workers over time" in page and "New referral" in page
    client.force_login(council.users[Role.PRACTITIONER])
    home = client.get("/home/").content.decode()
    assert "Your people" in home and "Ada Holder" in home
    work_item_add(
        person=Person.objects.get(pk=person.pk),
        title="Yours to do",
        kind="x",
        for_role=Role.PRACTITIONER,
        due_date=dt.date(2031, 1, 1),
    )
    WorkItem.objects.create(
        title="The team's",
        kind="x",
        team=council.team_a,
        for_role="practitioner",
        due_date=dt.date(2030, 1, 1),
    )
    home = client.get("/home/").content.decode()
    assert home.index("Yours to do") < home.index("The team&#x27;s")
    # Still visible to the team: another practitioner of the team sees it.
    client.force_login(second_user(council, "practitioner"))
    assert "Yours to do" in client.get("/home/").content.decode()


def test_home_counts_the_reviews_of_your_people(client: Any, council: Any) -> None:
    from tests.access.records import records_build

    records_build(council)  # Ada has a review due on her draft plan
    _allocate(council, council.users[Role.PRACTITIONER])
    client.force_login(council.users[Role.PRACTITIONER])
    assert "for people whose named worker you are" in client.get("/home/").content.decode()
    client.force_login(second_user(council, "practitioner"))
    assert "for people whose named worker you are" not in client.get("/home/").content.decode()
