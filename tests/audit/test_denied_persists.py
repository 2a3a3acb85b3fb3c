"""A refused attempt is recorded for good, although the page answers 404: the test runs
outside a wrapping transaction, as a real request does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from selfdirect.audit.models import Action, Event
from tests.conftest import council_build


@pytest.fixture
def committed_council(transactional_db: Any) -> Iterator[Any]:
    from django.db import connection

    yield council_build()
    # Django empties every table after a transactional test. Clear the log first, the way
    # an operator purges it (on SQLite a row in audit_maintenance permits it for a moment),
    # and leave the trigger armed again for the tests that follow.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO audit_maintenance (reason) VALUES ('test flush')")
            cursor.execute("DELETE FROM audit_listed")
            cursor.execute("DELETE FROM audit_event")
            cursor.execute("DELETE FROM audit_maintenance")
        else:
            cursor.execute("TRUNCATE audit_listed, audit_event")


def test_denied_event_is_committed_although_the_answer_is_404(
    client: Any, committed_council: Any
) -> None:
    from django.db import connection

    council = committed_council
    assert connection.get_autocommit()  # no test transaction around this request
    client.force_login(council.users["practitioner"])
    response = client.get(f"/people/{council.other_person.pk}/")
    assert response.status_code == 404
    assert "Bea" not in response.content.decode()
    denied = Event.objects.get(action=Action.DENIED, actor=council.users["practitioner"])
    assert (denied.person_id, denied.object_type) == (council.other_person.pk, "person")


def test_a_committed_list_look_is_emptied_with_the_log(committed_council: Any) -> None:
    """Browser and worker tests commit list looks; emptying the log between tests (as an
    operator's purge) must take the slim rows too, on both databases."""
    from selfdirect.audit.models import Listed
    from selfdirect.audit.services import looks_record

    council = committed_council
    looks_record(
        actor=council.users["practitioner"],
        people=[council.holder_person, council.other_person],
        summary="Appeared in search results",
    )
    assert Listed.objects.count() == 2
