"""The person page reads the person's row once, under the rule of who may see them, and
the number of personal assistants as a count: before, it read the person twice (once to
check, once with the related rows) and every PA with their training to print a number."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from selfdirect.access.roles import Role
from tests.employers.conftest import add_pa

pytestmark = pytest.mark.django_db

PERSON_ROW = 'SELECT "people_person"."id", "people_person"."la_person_id"'


def _page(client: Any, user: Any, person_id: int) -> tuple[str, list[str]]:
    client.force_login(user)
    client.get(f"/people/{person_id}/")  # the session and content types read once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/people/{person_id}/")
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def test_the_person_is_read_once(client: Any, council: Any) -> None:
    page, queries = _page(client, council.users[Role.PRACTITIONER], council.holder_person.pk)
    assert council.holder_person.family_name in page
    reads = [q for q in queries if q.startswith(PERSON_ROW)]
    assert len(reads) == 1, "\n".join(reads)


def test_someone_outside_the_team_is_still_refused(client: Any, council: Any) -> None:
    from tests.factories import PersonFactory

    elsewhere = PersonFactory(team=council.team_b)
    client.force_login(council.users[Role.PRACTITIONER])
    assert client.get(f"/people/{elsewhere.pk}/").status_code == 404


def test_the_assistants_are_counted_not_read_with_their_training(client: Any, council: Any) -> None:
    for name in ("Sam Carter", "Alex Reid", "Jo Patel"):
        add_pa(council, name=name)
    page, queries = _page(client, council.users[Role.PRACTITIONER], council.holder_person.pk)
    assert "Employs 3 personal assistants" in page
    assert not [q for q in queries if "employers_training" in q]
    assert len([q for q in queries if "employers_personalassistant" in q]) == 1


def test_an_assistant_who_has_left_is_not_counted(client: Any, council: Any) -> None:
    import datetime as dt

    from selfdirect.employers.models import PersonalAssistant

    add_pa(council)
    left = add_pa(council, name="Alex Reid")
    PersonalAssistant.objects.filter(pk=left.pk).update(
        end_date=dt.date.today() - dt.timedelta(days=1)
    )
    page, _ = _page(client, council.users[Role.PRACTITIONER], council.holder_person.pk)
    assert "Employs 1 personal assistant" in page
