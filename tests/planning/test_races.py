"""Two requests at once on one plan (PostgreSQL, real concurrent transactions): exactly one
succeeds, the other gets the refusal it would have got a moment later, and the change
happens once. Plus the database constraints behind them, on both engines."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.planning import services
from selfdirect.planning.models import Review, SupportPlan
from tests.concurrency import one_success_one_refusal, race
from tests.factories import second_user
from tests.planning.test_plans import _draft_plan

LINE = {
    "outcome": None,
    "provider": None,
    "provided_by": "",
    "provisional": False,
    "description": "Personal assistant",
    "category": "personal_assistant",
    "unit": "hour",
    "unit_cost_pence": 1450,
    "quantity_hundredths": 350,
    "funding_stream": "adult_social_care",
    "deployment": "direct_payment",
}


def _written(council: Any) -> SupportPlan:
    """A draft with one line (£50.75 a week by direct payment, within the £74.00 budget)."""
    plan = _draft_plan(council)
    services.line_add(actor=council.users[Role.PRACTITIONER], plan=plan, fields=dict(LINE))
    return plan


def _submitted(council: Any) -> SupportPlan:
    plan = _written(council)
    services.plan_submit(actor=council.users[Role.PRACTITIONER], plan=plan)
    return plan


def _approved(council: Any) -> SupportPlan:
    plan = _submitted(council)
    services.plan_approve(actor=second_user(council, Role.PRACTITIONER), plan=plan)
    return SupportPlan.objects.get(pk=plan.pk)


def _load(plan: SupportPlan) -> Any:
    return lambda _i: SupportPlan.objects.get(pk=plan.pk)


@pytest.mark.postgres
def test_two_approvals_at_once_approve_once_and_schedule_reviews_once(
    committed_council: Any,
) -> None:
    council = committed_council
    plan = _submitted(council)
    approvers = [second_user(council, Role.PRACTITIONER), council.users[Role.MANAGER]]
    outcomes = race(
        _load(plan), lambda i, loaded: services.plan_approve(actor=approvers[i], plan=loaded)
    )
    refused = one_success_one_refusal(outcomes, services.PlanError)
    assert str(refused) == services.NOT_AWAITING_SIGN_OFF
    assert SupportPlan.objects.get(pk=plan.pk).status == "approved"
    assert sorted(Review.objects.filter(plan=plan).values_list("kind", flat=True)) == [
        "annual",
        "light_touch",
    ]
    approvals = Event.objects.filter(object_type="support_plan", object_id=plan.pk)
    assert approvals.filter(summary__startswith="Approved").count() == 1


@pytest.mark.django_db
def test_a_plan_cannot_have_the_same_scheduled_review_twice(council: Any) -> None:
    plan = _approved(council)
    first = plan.reviews.get(kind="annual")
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(plan=plan, kind="annual", due_date=first.due_date)
    # Reviews asked for are not scheduled: two on one day are allowed.
    for _ in range(2):
        Review.objects.create(plan=plan, kind="requested", due_date=first.due_date)
