"""The manager's queues: budgets and plans waiting in their teams, with filters and totals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.allocation.models import Allocation
from selfdirect.people.models import Person
from selfdirect.portal.queues import QueueFilters, queues_for
from tests.access.records import _allocation
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _waiting(
    council: Any, person: Person, days_ago: int, status: str = "awaiting_sign_off"
) -> Allocation:
    assessment = council.holder_assessment
    allocation = _allocation(council, assessment)
    Allocation.objects.filter(pk=allocation.pk).update(
        person=person,
        status=status,
        created_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    return Allocation.objects.get(pk=allocation.pk)


def test_totals_stay_right_when_filtered_and_other_teams_are_not_counted(council: Any) -> None:
    manager = council.users[Role.MANAGER]
    cy = PersonFactory(team=council.team_a, given_name="Cy", family_name="Later")
    Person.objects.filter(pk=cy.pk).update(named_worker=council.users[Role.PRACTITIONER])
    _waiting(council, council.holder_person, days_ago=30)
    _waiting(council, cy, days_ago=2)
    _waiting(council, council.other_person, days_ago=40)  # team B: not the manager's
    everything = queues_for(manager, QueueFilters())
    assert everything.totals["budget"] == 2 and everything.counts["budget"] == 2
    assert [r.person.given_name for r in everything.rows] == ["Ada", "Cy"]  # longest first
    assert everything.rows[0].overdue and not everything.rows[1].overdue
    old = queues_for(manager, QueueFilters(older_than_days=14))
    assert old.counts["budget"] == 1 and old.totals["budget"] == 2
    by_worker = queues_for(manager, QueueFilters(worker_id=council.users[Role.PRACTITIONER].pk))
    assert [r.person.given_name for r in by_worker.rows] == ["Cy"]
    plans_only = queues_for(manager, QueueFilters(kind="plan"))
    assert plans_only.counts["budget"] == 0 and plans_only.totals["budget"] == 2


def test_the_page_filters_links_and_home_counts(client: Any, council: Any) -> None:
    allocation = _waiting(council, council.holder_person, days_ago=20)
    _waiting(council, council.holder_person, days_ago=1, status="awaiting_panel")
    client.force_login(council.users[Role.MANAGER])
    page = client.get("/queues/").content.decode()
    assert f'href="/budgets/{allocation.pk}/"' in page and "Overdue" in page
    assert 'data-kind-total="budget">1<' in page and 'data-kind-total="panel">1<' in page
    filtered = client.get("/queues/?kind=panel").content.decode()
    assert 'data-kind-count="budget">0<' in filtered and 'data-kind-total="budget">1<' in filtered
    home = client.get("/home/").content.decode()
    assert "Budgets waiting for sign-off: 1" in home and "Budgets waiting for the panel: 1" in home
    client.force_login(council.users[Role.PRACTITIONER])
    assert client.get("/queues/").status_code == 403
