"""A staff member's team ids are read once a request (``team_ids_of``), however many
selectors ask for them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from selfdirect.access.models import TeamMembership
from selfdirect.access.roles import Role
from selfdirect.access.selectors import team_ids_of
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_team_ids_are_read_once_for_the_request_and_afresh_for_the_next(council: Any) -> None:
    manager = User.objects.get(pk=council.users[Role.MANAGER].pk)
    with CaptureQueriesContext(connection) as reads:
        first = team_ids_of(manager)
        again = team_ids_of(manager)
    assert first == again
    assert len(reads) == 1
    first.append(-1)  # a caller changing its list does not change the cached one
    assert -1 not in team_ids_of(manager)
    east = TeamFactory(name="East team")
    TeamMembership.objects.create(user=manager, team=east)
    assert east.pk in team_ids_of(User.objects.get(pk=manager.pk))  # the next request


def test_no_teams_for_someone_not_signed_in() -> None:
    assert team_ids_of(AnonymousUser()) == []


def test_the_audit_log_s_team_names_come_from_the_same_read(council: Any) -> None:
    """A staff page's team ids and the team names its audit events carry: one query."""
    from selfdirect.audit.models import Event
    from selfdirect.audit.services import event_record

    manager = User.objects.get(pk=council.users[Role.MANAGER].pk)
    with CaptureQueriesContext(connection) as reads:
        ids = team_ids_of(manager)
        event_record(
            actor=manager, action="view", object_type="person", object_id=1, summary="Looked"
        )
    names = sorted(TeamMembership.objects.filter(user=manager).values_list("team__name", flat=True))
    assert len(ids) == len(names) >= 1
    assert Event.objects.latest("pk").actor_teams == ", ".join(names)
    assert not [q for q in reads if "access_team" in q["sql"] and "team_id" not in q["sql"]]
    assert len([q for q in reads if "access_team" in q["sql"]]) == 1


def test_the_profile_comes_with_the_signed_in_user(client: Any, council: Any) -> None:
    """Every page reads the user's roles: the backend reads the profile with the user."""
    from django.contrib.auth import get_user

    practitioner = council.users[Role.PRACTITIONER]
    client.force_login(practitioner)
    request = type("Request", (), {"session": client.session})()
    assert request.session.get("_auth_user_id")  # the session read before
    with CaptureQueriesContext(connection) as reads:
        user = get_user(request)
        assert user.profile.roles == practitioner.profile.roles
    assert len(reads) == 1
    User.objects.filter(pk=practitioner.pk).update(is_active=False)
    assert not get_user(request).is_authenticated
