"""The indexes the caseload lists stand on (decision record 0018): a team's people's ids,
their plans' ids and their plans' due reviews are read from indexes alone, without
visiting a row of people or plans. On PostgreSQL at 100,000 people reading the team's
people's rows cost 3,000 page visits for each list."""

from __future__ import annotations

from typing import Any

from django.db import connection

from selfdirect.people.models import Person
from selfdirect.planning.models import Review, SupportPlan


def _plan(queryset: Any) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Tiny test tables: make the planner choose as it does at size.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_a_teams_people_and_their_plans_come_from_covering_indexes(db: Any) -> None:
    team_people = Person.objects.filter(team_id__in=[1, 2]).values("pk")
    plans = SupportPlan.objects.filter(person_id__in=team_people).order_by().values("pk")
    if connection.vendor == "postgresql":
        # On a test table of a few rows the planner may as well read the primary key (it
        # did, in one run in three, after a demo build's ANALYZE in the same worker), so
        # the definitions, as for the due-review index below: each index holds the id
        # beside the column the list filters on, which is what lets PostgreSQL answer the
        # list from the index alone at size (decision 0018).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN "
                "('people_person_team_id', 'planning_plan_person_id')"
            )
            definitions = dict(cursor.fetchall())
        assert "(team_id, id)" in definitions["people_person_team_id"]
        assert "(person_id, id)" in definitions["planning_plan_person_id"]
    else:
        shape = _plan(plans)
        # SQLite keeps the row id in every index: any index on the person covers the plans.
        assert "COVERING INDEX people_person_team_id (" in shape, shape
        assert "SEARCH planning_supportplan USING COVERING INDEX" in shape, shape


def test_due_reviews_of_plans_come_from_their_own_index(db: Any) -> None:
    due = (
        Review.objects.filter(status="due", plan_id__in=[1, 2, 3])
        .order_by()
        .values("pk", "due_date")
    )
    if connection.vendor == "postgresql":
        # A partial index of the due reviews by plan, carrying the due date (at size the
        # planner reads it alone; an empty test table tells it nothing, so its definition).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'planning_review_due_by_plan'"
            )
            (definition,) = cursor.fetchone()
        # It carries the review's id too: the queue and the home page's counts read the
        # ids, so without it every due review's row was visited (decision 0027).
        assert "(plan_id) INCLUDE (due_date, id) WHERE ((status)::text = 'due'" in definition
    else:
        shape = _plan(due)
        # SQLite has no INCLUDE (Django makes no such index there): an index, not a scan.
        assert "SEARCH planning_review USING INDEX" in shape, shape


def test_carers_assessments_of_a_teams_people_come_from_the_small_partial_index(
    db: Any,
) -> None:
    """The carer half of a team's lists: assessments whose cared-for person is in the team
    are found in the index of carers' assessments only, not by scanning every assessment."""
    from selfdirect.assessment.models import Assessment

    team_people = Person.objects.filter(team_id__in=[1, 2]).values("pk")
    caring = Assessment.objects.filter(cared_for_id__in=team_people).order_by().values("pk")
    shape = _plan(caring)
    assert "assessment_carers_partial" in shape, shape


def _definitions(names: list[str]) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [names]
        )
        return dict(cursor.fetchall())


def test_work_waiting_for_sign_off_in_a_team_comes_from_small_partial_indexes(
    db: Any,
) -> None:
    """The home page's "waiting for sign-off" counts and the manager's queue: the plans and
    budgets waiting, by person, from indexes of the waiting ones only. Without them
    PostgreSQL probed every plan of every person of the team (16,000 page visits for a
    manager of two teams at 100,000 people) to find the few waiting (decision 0027)."""
    from selfdirect.allocation.models import Allocation

    waiting_plans = SupportPlan.objects.filter(
        status="awaiting_sign_off", person__team_id__in=[1, 2]
    ).order_by()
    waiting_budgets = Allocation.objects.filter(
        status="awaiting_sign_off", person__team_id__in=[1, 2]
    ).order_by()
    if connection.vendor == "postgresql":
        definitions = _definitions(
            ["planning_plan_awaiting_by_pers", "allocation_waiting_by_person"]
        )
        assert (
            "(person_id) WHERE ((status)::text = 'awaiting_sign_off'"
            in (definitions["planning_plan_awaiting_by_pers"])
        )
        assert (
            "(status, person_id) WHERE ((status)::text = ANY"
            in (definitions["allocation_waiting_by_person"])
        )
    else:
        assert "planning_plan_awaiting_by_pers" in _plan(waiting_plans.values("pk"))
        # SQLite finds the waiting budgets by status in either index on it: not a scan.
        shape = _plan(waiting_budgets.values("pk"))
        assert "SEARCH allocation_allocation USING" in shape and "(status=?" in shape, shape


def test_carers_without_a_sharing_decision_come_from_small_partial_indexes(db: Any) -> None:
    """The home page's "carer but no decision on sharing" list: whether each of the team's
    people has an unpaid carer, and a decision on sharing, from indexes of those rows only
    (by person), not the rows themselves: 25,000 page visits a home page for a manager of
    two teams at 100,000 people, 3,000 with them (decision 0027)."""
    from django.db.models import Exists, OuterRef

    from selfdirect.people.models import Consent, Relationship

    carers = Relationship.objects.filter(person_id=OuterRef("pk"), kind="unpaid_carer")
    decided = Consent.objects.filter(person_id=OuterRef("pk"), purpose="share_with_carers")
    no_decision = (
        Person.objects.filter(team_id__in=[1, 2])
        .filter(Exists(carers))
        .exclude(Exists(decided))
        .values("pk")
    )
    if connection.vendor == "postgresql":
        definitions = _definitions(["people_rel_unpaid_carer", "people_consent_share_carers"])
        assert (
            "(person_id) WHERE ((kind)::text = 'unpaid_carer'"
            in (definitions["people_rel_unpaid_carer"])
        )
        assert (
            "(person_id) WHERE ((purpose)::text = 'share_with_carers'"
            in (definitions["people_consent_share_carers"])
        )
    else:
        shape = _plan(no_decision)
        assert "people_rel_unpaid_carer" in shape, shape
        assert "people_consent_share_carers" in shape, shape
