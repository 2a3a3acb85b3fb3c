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
