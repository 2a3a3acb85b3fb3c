"""The review queue reads the reviews a user may see once a page (decision record 0018):
its counts and its three groups come from that one read, and the rows shown are then read
by key. Asked as a count and a list per group, the who-sees-what question was answered
four times, each a walk from the team's people to their plans and reviews."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from selfdirect.access.roles import Role
from selfdirect.planning import views
from selfdirect.planning.models import Review
from tests.planning.test_plans import _approved_plan


def _queue(client: Any, monkeypatch: Any, rows: int) -> tuple[Any, list[str]]:
    monkeypatch.setattr(views, "QUEUE_ROWS", rows)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/plans/reviews/")
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def test_the_queue_asks_who_sees_what_once_and_groups_from_it(
    client: Any, council: Any, monkeypatch: Any
) -> None:
    today = dt.date.today()
    plan = _approved_plan(council)
    scheduled = list(plan.reviews.filter(status="due").order_by("due_date", "id"))
    made = Review.objects.bulk_create(
        [
            Review(plan=plan, kind="change", due_date=today - dt.timedelta(days=days))
            for days in (3, 2, 1)
        ]
        + [Review(plan=plan, kind="requested", due_date=today)]
    )
    # Done reviews are not in the queue, however overdue.
    Review.objects.create(
        plan=plan, kind="change", due_date=today - dt.timedelta(days=9), status="done"
    )
    client.force_login(council.users[Role.PRACTITIONER])

    response, sql = _queue(client, monkeypatch, rows=2)

    assert response.context["counts"] == {"overdue": 3, "this_month": 1, "later": len(scheduled)}
    # The first two of each group, soonest first; the counts are of all of them.
    assert [r.pk for r in response.context["overdue"]] == [made[0].pk, made[1].pk]
    assert [r.pk for r in response.context["this_month"]] == [made[3].pk]
    assert [r.pk for r in response.context["later"]] == [r.pk for r in scheduled[:2]]
    assert "Overdue (3)" in response.content.decode()
    reads = [s for s in sql if 'FROM "planning_review"' in s]
    # One read of the visible reviews (through the team's plans), one of the rows shown
    # by key; before, a count and a list per group: four walks through the team's plans.
    assert len(reads) == 2, reads
    assert "IN (SELECT" in reads[0] or "IN ((SELECT" in reads[0]
    # The team's plans' ids go straight to the reviews' plan_id: the two halves of the
    # rule (the team's people's plans, their carers' plans), not a third reading of every
    # plan's key around them.
    assert reads[0].count('FROM "planning_supportplan"') == 2, reads[0]
    assert '"planning_review"."id" IN' in reads[1] and "IN (SELECT" not in reads[1]


def test_a_queue_with_nothing_due_reads_no_rows(
    client: Any, council: Any, monkeypatch: Any
) -> None:
    client.force_login(council.users[Role.MANAGER])
    response, sql = _queue(client, monkeypatch, rows=50)
    assert response.context["counts"] == {"overdue": 0, "this_month": 0, "later": 0}
    assert "No reviews are due" in response.content.decode()
    assert len([s for s in sql if 'FROM "planning_review"' in s]) == 1


def test_each_row_says_who_what_which_team_who_wrote_the_plan_and_when(
    client: Any, council: Any, monkeypatch: Any
) -> None:
    """The rows are read as the columns they show (issue 10), and still say it all."""
    plan = _approved_plan(council)
    writer = plan.created_by
    writer.first_name, writer.last_name = "Wendy", "Writer"
    writer.save()
    review = Review.objects.create(plan=plan, kind="requested", due_date=dt.date(2001, 2, 3))
    client.force_login(council.users[Role.PRACTITIONER])
    response, _sql = _queue(client, monkeypatch, rows=5)
    (row,) = [r for r in response.context["overdue"] if r.pk == review.pk]
    assert (row.person_id, row.person_name) == (plan.person_id, plan.person.full_name)
    assert (row.kind, row.team) == (review.get_kind_display(), plan.person.team.name)
    assert row.written_by == "Wendy Writer"
    page = response.content.decode()
    cell = page[page.index(f"/plans/reviews/{review.pk}/") :]
    for shown in (plan.person.full_name, row.kind, plan.person.team.name, "Wendy Writer"):
        assert shown in cell[: cell.index("</tr>")]
    assert "3 Feb 2001" in cell[: cell.index("</tr>")]
    # A writer without a name is shown by their user name.
    writer.first_name = writer.last_name = ""
    writer.save()
    response, _sql = _queue(client, monkeypatch, rows=5)
    (row,) = [r for r in response.context["overdue"] if r.pk == review.pk]
    assert row.written_by == writer.username
