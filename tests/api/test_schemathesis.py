"""Schemathesis over /api/openapi.json, in process against the Django WSGI app: for every
route, generated requests get no server error, and every answer is one the schema declares
(status code, content type and body). Runs on SQLite and PostgreSQL alike, signed in with a
bearer token of a practitioner in the fixtures' council (who has people and plans to see)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from selfdirect.access.roles import Role
from selfdirect.access.tokens import api_token_create
from selfdirect.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Ids of records the practitioner can reach, set by the fixture below: half the generated
# requests ask about them, so the routes' real work is exercised, not only their 404s.
KNOWN_IDS: dict[str, int] = {}


@pytest.fixture
def connections_kept() -> Iterator[None]:
    """As Django's test client does: a request's end must not close the database connection
    holding the test's transaction (PostgreSQL would lose it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(council: Any, connections_kept: None) -> dict[str, str]:
    from tests.planning.test_plans import _draft_plan

    plan = _draft_plan(council)
    KNOWN_IDS.update(person_id=council.holder_person.pk, plan_id=plan.pk)
    token = api_token_create(actor=None, user=council.users[Role.PRACTITIONER], name="tests")
    return {"Authorization": f"Bearer {token}"}


# Loaded when the tests are collected: the OpenAPI document needs no database.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@schema.hook
def flatmap_path_parameters(
    context: Any, path_parameters: dict[str, Any] | None
) -> st.SearchStrategy[dict[str, Any] | None]:
    if not path_parameters:
        return st.just(path_parameters)
    known = {k: KNOWN_IDS[k] for k in path_parameters if k in KNOWN_IDS}
    return st.sampled_from([path_parameters, {**path_parameters, **known}])


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@pytest.mark.django_db
def test_api_answers_as_its_schema_says(case: Any, bearer: dict[str, str]) -> None:
    case.call_and_validate(headers=bearer, checks=CHECKS)
