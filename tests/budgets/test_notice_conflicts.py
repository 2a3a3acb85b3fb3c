"""A raise of the personal budget after a request to look again, decided while a notice of
reduction is still to take effect: the notice must not silently stand. The budget page and
the notice page say it conflicts with the later decision, and the named worker gets a task
whose action is the notice's page, where it is withdrawn (which closes the task)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from selfdirect.access.models import WorkItem
from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.budgets import notices
from selfdirect.budgets.models import ChangeNotice
from tests.planning.test_budget_figures import _approved_plan_with_contribution
from tests.planning.test_look_again_changes_the_plan import _look_again_upheld

pytestmark = pytest.mark.django_db


def _noticed(council: Any) -> tuple[Any, ChangeNotice]:
    plan = _approved_plan_with_contribution(council)
    today = timezone.localdate()
    notice = notices.change_notice_give(
        actor=council.users[Role.PRACTITIONER],
        plan=plan,
        change="stop",
        applies_to="budget",
        new_weekly_pence=None,
        reasons="The review found the support is no longer needed.",
        takes_effect_on=today + dt.timedelta(days=28),
        today=today,
    )
    return plan, notice


def test_a_raise_flags_the_pending_notice_on_both_pages_with_a_task(
    client: Any, council: Any, django_capture_on_commit_callbacks: Any
) -> None:
    plan, notice = _noticed(council)
    assert notices.notice_conflict(notice) is None
    _look_again_upheld(council, plan, django_capture_on_commit_callbacks, new=9000)

    decision = notices.notice_conflict(notice)
    assert decision is not None and decision.new_weekly_pence == 9000
    text = notices.conflict_text(decision)
    assert "raised to £90.00 a week" in text
    task = WorkItem.objects.get(kind=notices.CONFLICT_TASK_KIND, status="open")
    assert task.person == plan.person and task.for_role == Role.PRACTITIONER
    assert "£90.00" in task.title
    assert Event.objects.filter(
        object_type="change_notice", object_id=notice.pk, summary__startswith="A later decision"
    ).exists()

    client.force_login(council.users[Role.PRACTITIONER])
    notice_url = reverse("budgets:notice", args=[notice.pk])
    budget_url = reverse("allocation:detail", args=[plan.allocation_id])
    notice_page = client.get(notice_url).content.decode()
    assert text in notice_page
    budget_page = client.get(budget_url).content.decode()
    assert text in budget_page and notice_url in budget_page
    home = client.get(reverse("home")).content.decode()
    assert f'href="{notice_url}">{task.title}' in home

    # Withdrawing the notice (the task's action) ends the conflict and closes the task.
    notices.change_notice_withdraw(actor=council.users[Role.PRACTITIONER], notice=notice)
    assert notices.notice_conflict(notice) is None
    task.refresh_from_db()
    assert task.status == WorkItem.Status.DONE
    assert text not in client.get(budget_url).content.decode()


def test_a_notice_given_after_the_raise_does_not_conflict(
    council: Any, django_capture_on_commit_callbacks: Any
) -> None:
    plan = _approved_plan_with_contribution(council)
    _look_again_upheld(council, plan, django_capture_on_commit_callbacks, new=9000)
    assert not WorkItem.objects.filter(kind=notices.CONFLICT_TASK_KIND).exists()
