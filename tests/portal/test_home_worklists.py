"""The caseload worklists on a caseworker's home page, as shaped for a council of 100,000
people (decision record 0018): the same people and counts, asked in a way whose cost
follows the caseload rather than the council."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from selfdirect.access.models import TeamMembership
from selfdirect.access.roles import Role
from selfdirect.people import codes
from selfdirect.portal.selectors import caseload_worklists
from tests.factories import ConsentFactory, PersonFactory, RelationshipFactory, make_user

pytestmark = pytest.mark.django_db

NO_NHS = "People with no NHS number recorded"
NO_SHARING = "People with a carer but no decision on sharing their record"


def _list(user: Any, title: str) -> tuple[int, list[str]]:
    found = next(w for w in caseload_worklists(user) if w.title == title)
    return found.count, [p.family_name for p in found.people]


def test_a_manager_of_two_teams_sees_the_first_names_across_both(council: Any) -> None:
    manager = council.users[Role.MANAGER]
    TeamMembership.objects.create(user=manager, team=council.team_b, is_manager=True)
    for team, names in (
        (council.team_a, ["Adams", "Carter", "Evans", "Green", "Jones", "King"]),
        (council.team_b, ["Baker", "Davies", "Fisher", "Hall", "Irwin", "Lewis"]),
    ):
        for name in names:
            PersonFactory(team=team, family_name=name, nhs_number=None)
    PersonFactory(team=None, family_name="Aaron", nhs_number=None)  # nobody's caseload

    assert _list(manager, NO_NHS) == (12, ["Adams", "Baker", "Carter", "Davies", "Evans"])
    # A practitioner in one team: that team's first five only.
    assert _list(council.users[Role.PRACTITIONER], NO_NHS) == (
        6,
        ["Adams", "Carter", "Evans", "Green", "Jones"],
    )


def test_two_teams_are_not_read_in_one_council_wide_name_order(council: Any) -> None:
    """Asked for the first few of both teams in name order (ORDER BY name LIMIT 5),
    PostgreSQL walks the council-wide name index through every person in the council.
    The lists read the teams' matching people (a few) through the team index, sorted,
    with no LIMIT to stop a walk at; the people named are then read by id."""
    manager = council.users[Role.MANAGER]
    TeamMembership.objects.create(user=manager, team=council.team_b, is_manager=True)
    PersonFactory(team=council.team_b, family_name="Baker", nhs_number=None)
    with CaptureQueriesContext(connection) as queries:
        caseload_worklists(manager)
    in_name_order = [
        q["sql"] for q in queries if 'ORDER BY "people_person"."search_name"' in q["sql"]
    ]
    assert in_name_order
    # Each from the teams (their ids), none bounded by an outer LIMIT.
    assert all('"people_person"."team_id" IN (' in sql for sql in in_name_order), in_name_order
    assert not [sql for sql in in_name_order if re.search(r"LIMIT \d+$", sql)], in_name_order
    named = [q["sql"] for q in queries if '"people_person"."id" IN (' in q["sql"]]
    assert len(named) == 1 and "ORDER BY" not in named[0], named


def test_carer_list_counts_each_person_once_without_distinct(council: Any) -> None:
    practitioner = council.users[Role.PRACTITIONER]
    two_carers = PersonFactory(team=council.team_a, family_name="Twocarers")
    for given in ("Cath", "Colm"):
        RelationshipFactory(
            person=two_carers,
            related_person=PersonFactory(team=None, given_name=given, family_name="Carer"),
        )
    decided = PersonFactory(team=council.team_a, family_name="Decided")
    RelationshipFactory(person=decided, related_person=PersonFactory(team=None))
    ConsentFactory(person=decided, status=codes.ConsentStatus.REFUSED)
    other_consent = PersonFactory(team=council.team_a, family_name="Otherpurpose")
    RelationshipFactory(person=other_consent, related_person=PersonFactory(team=None))
    ConsentFactory(person=other_consent, purpose=codes.ConsentPurpose.SHARE_WITH_PROVIDERS)
    elsewhere = PersonFactory(team=council.team_b, family_name="Elsewhere")
    RelationshipFactory(person=elsewhere, related_person=PersonFactory(team=None))

    with CaptureQueriesContext(connection) as queries:
        count, names = _list(practitioner, NO_SHARING)
    # The holder has a carer and has decided; "Decided" refused: a decision either way.
    assert (count, names) == (2, ["Otherpurpose", "Twocarers"])
    assert not [q for q in queries if "DISTINCT" in q["sql"] and "relationship" in q["sql"]]
    # Each person's sharing decision is looked up by person (NOT EXISTS): NOT IN made
    # PostgreSQL read every sharing decision in the council into a hash, on every home page.
    asked = [q["sql"] for q in queries if '"people_consent"' in q["sql"]]
    assert asked and all(
        'NOT (EXISTS(SELECT 1 AS "a" FROM "people_consent"' in sql for sql in asked
    )
    assert not [sql for sql in asked if 'NOT ("people_person"."id" IN' in sql], asked


def test_someone_with_roles_beyond_their_teams_still_sees_their_whole_caseload(
    council: Any,
) -> None:
    """The team by team reading is only for a caseload that is the teams' and nothing more:
    a manager who is also a provider's worker sees the provider's clients in the lists too."""
    both = make_user(
        "manager-and-provider",
        [Role.MANAGER, Role.PROVIDER],
        manages=[council.team_b],
        provider=council.users[Role.PROVIDER].profile.provider,
    )
    TeamMembership.objects.create(user=both, team=council.team_a, is_manager=True)
    council.holder_person.nhs_number = None
    council.holder_person.save()
    PersonFactory(team=council.team_b, family_name="Zed", nhs_number=None)
    assert _list(both, NO_NHS) == (2, ["Holder", "Zed"])
