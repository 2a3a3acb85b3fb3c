"""Issue 11: a request to look again that changes the personal budget changes it everywhere
the budget is read (the four figures and their history) and starts the new plan version it
implies, as a review that changes the budget does; when a newer version is already being
written, the named worker is given the task instead."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from selfdirect.access.models import WorkItem
from selfdirect.access.roles import Role
from selfdirect.allocation import services as allocation
from selfdirect.planning import figures, services
from selfdirect.planning.models import SupportPlan
from selfdirect.planning.receivers import REVISE_FOR_NEW_BUDGET
from tests.planning.test_budget_figures import _approved_plan_with_contribution

pytestmark = pytest.mark.django_db


def _look_again_upheld(council: Any, plan: SupportPlan, capture: Any, new: int = 9000) -> None:
    challenge = allocation.challenge_raise(
        actor=council.users[Role.HOLDER],
        allocation=plan.allocation,
        reasons="I need help at night",
        proposed_weekly_pence=15000,
    )
    with capture(execute=True):
        allocation.challenge_decide(
            actor=council.users[Role.MANAGER],
            challenge=challenge,
            outcome="upheld",
            reason="Night-time needs were missed.",
            reassessment_needed=False,
            new_weekly_pence=new,
        )


def test_upheld_request_changes_the_figures_and_starts_a_new_plan_version(
    council: Any, django_capture_on_commit_callbacks: Any
) -> None:
    plan = _approved_plan_with_contribution(council)
    before = figures.budget_figures(person=plan.person, on=dt.date.today())
    assert before.personal_budget_weekly_pence == 7400

    _look_again_upheld(council, plan, django_capture_on_commit_callbacks)

    now = figures.budget_figures(person=plan.person, on=dt.date.today())
    assert now.personal_budget_weekly_pence == 9000
    assert [step.weekly_pence for step in now.budget_history][-2:] == [7400, 9000]
    assert now.budget_history[-1].how == "Changed after a request to look again"
    # The plan in force still costs what it did, now within a larger budget.
    assert now.plan_cost_weekly_pence == before.plan_cost_weekly_pence
    revised = SupportPlan.objects.get(person=plan.person, version=plan.version + 1)
    assert revised.status == SupportPlan.Status.DRAFT
    assert services.plan_budget_weekly_pence(revised) == 9000
    assert "request to look again" in revised.budget_change_reason
    # The version's own figures are written against the new amount.
    own = figures.budget_figures(person=plan.person, on=dt.date.today(), plan=revised)
    assert own.personal_budget_weekly_pence == 9000


def test_when_a_newer_version_is_being_written_the_named_worker_gets_the_task(
    council: Any, django_capture_on_commit_callbacks: Any
) -> None:
    plan = _approved_plan_with_contribution(council)
    services.plan_revise(actor=council.users[Role.PRACTITIONER], plan=plan)

    _look_again_upheld(council, plan, django_capture_on_commit_callbacks, new=8800)

    assert SupportPlan.objects.filter(person=plan.person).count() == 2
    task = WorkItem.objects.get(person=plan.person, kind="plan_revise")
    assert task.title == REVISE_FOR_NEW_BUDGET.format(amount="£88.00")
    assert (
        figures.budget_figures(person=plan.person, on=dt.date.today()).personal_budget_weekly_pence
        == 8800
    )
