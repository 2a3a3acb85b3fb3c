"""The plan page asks the same number of questions however many outcomes the person wrote,
and reads the agreements holding the budget once: before, each outcome the person or their
representative wrote cost two reads (its writer and their profile, to say who wrote it),
and the agreements were read three times (the totals, the figures, today's mix)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from selfdirect.access.roles import Role
from selfdirect.planning.models import PlanOutcome
from tests.planning.test_plans import _draft_plan

pytestmark = pytest.mark.django_db


def _page(client: Any, user: Any, plan_id: int) -> tuple[str, list[str]]:
    client.force_login(user)
    client.get(f"/plans/{plan_id}/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/plans/{plan_id}/")
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def test_outcomes_the_person_wrote_cost_no_read_each(client: Any, council: Any) -> None:
    plan = _draft_plan(council)
    holder = council.users[Role.HOLDER]
    PlanOutcome.objects.create(plan=plan, added_by=holder, in_their_words="See my friends")
    practitioner = council.users[Role.PRACTITIONER]
    _, one = _page(client, practitioner, plan.pk)
    for words in ("Cook my own tea", "Get to the match", "Sleep through the night"):
        PlanOutcome.objects.create(plan=plan, added_by=holder, in_their_words=words)
    page, four = _page(client, practitioner, plan.pk)
    assert page.count("written by") == 4
    assert len(four) == len(one), "\n".join(four)


def test_the_person_reads_you_wrote_it(client: Any, council: Any) -> None:
    plan = _draft_plan(council)
    holder = council.users[Role.HOLDER]
    PlanOutcome.objects.create(plan=plan, added_by=holder, in_their_words="See my friends")
    PlanOutcome.objects.create(
        plan=plan, added_by=council.users[Role.PRACTITIONER], in_their_words="Stay well"
    )
    page, _ = _page(client, holder, plan.pk)
    # The holder's own outcome says so; the worker's, written by staff, names no one.
    assert page.count("written by") == 1 and "written by" in page and "you</span>" in page


def test_the_agreements_holding_the_budget_are_read_once(client: Any, council: Any) -> None:
    plan = _draft_plan(council)
    _, queries = _page(client, council.users[Role.PRACTITIONER], plan.pk)
    assert len([q for q in queries if 'FROM "budgets_fundagreement"' in q]) == 1
