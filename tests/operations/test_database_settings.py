"""How Selfdirect talks to its database in production (decision record 0059)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from selfdirect.people.models import Person


def _prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_plans_a_query_once_per_connection_once_it_is_run_often() -> None:
    """A page's queries are prepared on the server after a few runs on one connection, so
    PostgreSQL stops planning them on every request (planning was most of a holder's home
    page's database time: 17 ms of 21 on the 100,000-person council)."""
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["server_side_binding"] is True
    threshold = options["prepare_threshold"]
    query = Person.objects.filter(family_name="Nobody-by-this-name", pk__gt=0)
    connection.ensure_connection()
    before = {s for s in _prepared() if "people_person" in s and "family_name" in s}
    for _ in range(threshold):
        list(query.all())  # a new evaluation each time (a QuerySet keeps its rows)
    after_threshold = {s for s in _prepared() if "people_person" in s and "family_name" in s}
    list(query.all())
    after = {s for s in _prepared() if "people_person" in s and "family_name" in s}
    assert before == set()
    assert after_threshold == set()  # not prepared before it has run often
    assert len(after) == 1  # prepared once it has, with its parameters bound by the server
    assert "$1" in next(iter(after))


def test_only_postgresql_binds_parameters_on_the_server() -> None:
    """SQLite has no server to prepare on; its own options (WAL, IMMEDIATE) stay."""
    options = settings.DATABASES["default"].get("OPTIONS", {})
    on_postgresql = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    assert options.get("server_side_binding", False) is on_postgresql
    if not on_postgresql:
        assert options["transaction_mode"] == "IMMEDIATE"


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_runs_a_query_with_more_values_than_its_protocol_binds() -> None:
    """A payment run asks for the accounts of every budget at once: at 100,000 people that
    is more values than PostgreSQL binds in one statement (65,535), so they are written
    into the SQL instead, and the query still answers."""
    from selfdirect.pg_cursor import MAX_SERVER_PARAMETERS
    from tests.factories import PersonFactory

    person = PersonFactory()
    wanted = [*range(-MAX_SERVER_PARAMETERS - 10, 0), person.pk]
    assert len(wanted) > MAX_SERVER_PARAMETERS
    assert list(Person.objects.filter(pk__in=wanted).values_list("pk", flat=True)) == [person.pk]
