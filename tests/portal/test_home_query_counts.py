"""A caseworker's home page and the review queue ask the database the same number of
questions whatever the size of the caseload and however many teams the user works in
(decision record 0027): each list is read once for all the teams, its count worked out
from what was read or asked of an index, and the people it names read by id. Before, a
manager's home counted each worklist and then listed it team by team (16 reads for two
teams, 22 for three)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from selfdirect.access.models import Team, TeamMembership
from selfdirect.access.roles import Role
from selfdirect.people import codes
from selfdirect.people.models import Consent, Person, Relationship
from selfdirect.planning.models import Review
from tests.factories import PersonFactory, RelationshipFactory, TeamFactory
from tests.planning.test_plans import _approved_plan

pytestmark = pytest.mark.django_db


def _queries(client: Any, user: Any, url: str) -> list[str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def _grow(council: Any, manager: Any, plan: Any) -> None:
    """Two more teams for the manager, and in every team people in each worklist, people
    named to the manager, and more reviews due (overdue, this month, later)."""
    for team in (council.team_b, TeamFactory(name="East team")):
        TeamMembership.objects.create(user=manager, team=team, is_manager=True)
    for team in Team.objects.all():
        for i in range(7):
            person = PersonFactory(
                team=team,
                nhs_number=None,
                family_name=f"Gap{team.pk}x{i}",
                primary_support_reason=codes.PrimarySupportReason.UNKNOWN,
                has_unpaid_carer=codes.YesNoUnknown.UNKNOWN,
                named_worker=manager if i < 2 else None,
            )
            RelationshipFactory(person=person, related_person=PersonFactory(team=None))
    today = dt.date.today()
    Review.objects.bulk_create(
        Review(plan=plan, kind="change", due_date=today + dt.timedelta(days=days))
        for days in (-9, -5, -1, 0, 1, 40, 90)
    )


def test_a_managers_home_asks_as_many_queries_for_three_teams_as_for_one(
    client: Any, council: Any
) -> None:
    manager = council.users[Role.MANAGER]
    plan = _approved_plan(council)
    PersonFactory(team=council.team_a, nhs_number=None, family_name="Nonumber")
    small = _queries(client, manager, "/home/")

    _grow(council, manager, plan)
    large = _queries(client, manager, "/home/")

    page = client.get("/home/").content.decode()
    # Three teams, seven people in each list in each (and the one already there).
    assert "People with no NHS number recorded: 22" in page
    assert len(large) == len(small), "\n".join(large)


def test_the_worklists_are_three_reads_whatever_the_teams(council: Any) -> None:
    from selfdirect.portal.selectors import caseload_worklists

    manager = type(council.users[Role.MANAGER]).objects.get(pk=council.users[Role.MANAGER].pk)
    PersonFactory(team=council.team_a, nhs_number=None)
    with CaptureQueriesContext(connection) as one_team:
        caseload_worklists(manager)
    _grow(council, manager, _approved_plan(council))
    # A new request reads the user afresh (team ids are kept on the user for a request).
    manager = type(manager).objects.get(pk=manager.pk)
    with CaptureQueriesContext(connection) as three_teams:
        lists = caseload_worklists(manager)
    caseload = Person.objects.filter(team__in=Team.objects.all(), date_of_death__isnull=True)
    service_users = caseload.filter(client_type=codes.ClientType.SERVICE_USER)
    carers = Relationship.objects.filter(kind=codes.RelationshipKind.UNPAID_CARER)
    decided = Consent.objects.filter(purpose=codes.ConsentPurpose.SHARE_WITH_CARERS)
    assert [w.count for w in lists] == [
        caseload.filter(nhs_number__isnull=True).count(),
        service_users.filter(primary_support_reason=codes.PrimarySupportReason.UNKNOWN).count(),
        service_users.filter(has_unpaid_carer=codes.YesNoUnknown.UNKNOWN).count(),
        caseload.filter(pk__in=carers.values("person_id"))
        .exclude(pk__in=decided.values("person_id"))
        .count(),
    ]
    assert min(w.count for w in lists) >= 21
    people = [q["sql"] for q in three_teams if 'FROM "people_person"' in q["sql"]]
    # The lists' ids (the first three lists at once), the carer list's ids, the names.
    assert len(people) == 3, people
    assert len(three_teams) == len(one_team)


def test_the_review_queue_asks_as_many_queries_for_three_teams_as_for_one(
    client: Any, council: Any
) -> None:
    manager = council.users[Role.MANAGER]
    plan = _approved_plan(council)
    small = _queries(client, manager, "/plans/reviews/")
    _grow(council, manager, plan)
    large = _queries(client, manager, "/plans/reviews/")
    assert len(large) == len(small), "\n".join(large)


def test_the_home_review_counts_read_no_person_row_per_review(client: Any, council: Any) -> None:
    """Due and overdue from the due reviews' index; "yours" from the user's named people.
    Joined to the person of every visible review to read its named worker, the count read
    a row of people and of plans for each due review of the teams."""
    manager = council.users[Role.MANAGER]
    _grow(council, manager, _approved_plan(council))
    council.holder_person.named_worker = manager
    council.holder_person.save()
    sql = _queries(client, manager, "/home/")
    due = Review.objects.filter(status="due").count()
    overdue = Review.objects.filter(status="due", due_date__lt=dt.date.today()).count()
    page = client.get("/home/").content.decode()
    # Every due review is the holder's, whose named worker the manager now is.
    assert (
        f"{due} reviews to do, {overdue} overdue</a> ({due} for people whose named worker" in page
    )
    counts = [s for s in sql if 'COUNT("planning_review"."id")' in s]
    assert counts and not [s for s in counts if '"people_person"."named_worker_id"' in s]
    # A practitioner of the same team sees the same reviews, none of them theirs.
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get("/home/").content.decode()
    assert f"{due} reviews to do, {overdue} overdue</a></p>" in page
