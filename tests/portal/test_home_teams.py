"""The home page names the user's teams, read once with the team ids and the names the
page's audit event records (issue 10: one read of the teams a page)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from selfdirect.access.models import TeamMembership
from selfdirect.access.roles import Role

pytestmark = pytest.mark.django_db


def test_the_home_page_names_the_teams_and_reads_them_once(client: Any, council: Any) -> None:
    manager = council.users[Role.MANAGER]
    names = sorted(TeamMembership.objects.filter(user=manager).values_list("team__name", flat=True))
    assert names
    client.force_login(manager)
    with CaptureQueriesContext(connection) as reads:
        page = client.get("/home/").content.decode()
    section = page[page.index("Your teams") :]
    for name in names:
        assert f"<li>{name}</li>" in section[: section.index("</ul>")]
    team_reads = ('SELECT "access_teammembership"', 'SELECT DISTINCT "access_team"')
    assert len([q for q in reads if q["sql"].startswith(team_reads)]) == 1


def test_someone_in_no_team_sees_no_team_list(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.HOLDER])
    assert "Your teams" not in client.get("/home/").content.decode()
