"""Plan lines and outcomes are changed and removed in a draft or a new version, never in an
approved one; a line that meets an outcome being removed is moved, or the removal is
refused naming it; every change is audited before/after; a stale edit is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.planning import services
from selfdirect.planning.models import PlanLine, PlanOutcome, SupportPlan
from tests.planning.test_plans import _draft_plan

pytestmark = pytest.mark.django_db

PA = {
    "description": "Personal assistant",
    "category": "personal_assistant",
    "provider": None,
    "provided_by": "",
    "unit": "hour",
    "unit_cost_pence": 1450,
    "quantity_hundredths": 350,
    "funding_stream": "adult_social_care",
    "provisional": False,
    "deployment": "direct_payment",
}


def _plan_with_line(council: Any) -> tuple[SupportPlan, PlanOutcome, PlanLine]:
    practitioner = council.users[Role.PRACTITIONER]
    plan = _draft_plan(council)
    outcome = services.outcome_add(
        actor=practitioner, plan=plan, fields={"in_their_words": "I want to swim on Saturdays"}
    )
    line = services.line_add(actor=practitioner, plan=plan, fields={**PA, "outcome": outcome})
    return plan, outcome, line


def test_a_line_is_changed_in_a_draft_and_the_change_is_audited(council: Any) -> None:
    plan, outcome, line = _plan_with_line(council)
    planner = council.users[Role.PLANNER]
    services.line_edit(
        actor=planner,
        line=line,
        fields={**PA, "outcome": outcome, "quantity_hundredths": 500},
        seen=services.edit_fingerprint(line),
    )
    line.refresh_from_db()
    assert (line.quantity_hundredths, line.weekly_cost_pence, line.edited_by) == (
        500,
        7250,
        planner,
    )
    event = Event.objects.filter(object_type="plan_line", action="update").latest("id")
    assert event.changes["How many units"] == ["3.5", "5"]
    assert event.changes["Cost"] == [
        "£50.75 a week (£2,639.00 a year)",
        "£72.50 a week (£3,770.00 a year)",
    ]
    # Whoever changed the version wrote it, so they may not approve it (decision 0007).
    assert planner.pk in services.plan_writers(plan)


def test_a_stale_edit_is_refused_and_changes_nothing(council: Any) -> None:
    _plan, outcome, line = _plan_with_line(council)
    practitioner = council.users[Role.PRACTITIONER]
    seen_before = services.edit_fingerprint(line)
    services.line_edit(
        actor=practitioner,
        line=line,
        fields={**PA, "outcome": outcome, "unit_cost_pence": 1600},
        seen=seen_before,
    )
    with pytest.raises(services.PlanError, match=services.STALE_EDIT):
        services.line_edit(
            actor=practitioner,
            line=line,
            fields={**PA, "outcome": outcome, "quantity_hundredths": 100},
            seen=seen_before,
        )
    line.refresh_from_db()
    assert (line.unit_cost_pence, line.quantity_hundredths) == (1600, 350)


def test_an_approved_version_cannot_be_changed(council: Any) -> None:
    plan, outcome, line = _plan_with_line(council)
    services.plan_submit(actor=council.users[Role.PRACTITIONER], plan=plan)
    with pytest.raises(services.PlanError, match=services.PLAN_CLOSED):
        services.line_remove(
            actor=council.users[Role.PRACTITIONER],
            line=line,
            seen=services.edit_fingerprint(line),
        )
    with pytest.raises(services.PlanError, match=services.PLAN_CLOSED):
        services.outcome_edit(
            actor=council.users[Role.PRACTITIONER],
            outcome=outcome,
            fields={"in_their_words": "Changed"},
            seen=services.edit_fingerprint(outcome),
        )
    assert PlanLine.objects.filter(pk=line.pk).exists()


def test_removing_an_outcome_with_lines_names_them_or_moves_them(council: Any) -> None:
    plan, outcome, line = _plan_with_line(council)
    practitioner = council.users[Role.PRACTITIONER]
    with pytest.raises(services.PlanError) as refused:
        services.outcome_remove(
            actor=practitioner, outcome=outcome, seen=services.edit_fingerprint(outcome)
        )
    assert str(refused.value) == (
        "‘Personal assistant’ meets this outcome: choose the outcome it will meet instead, "
        "or change it first"
    )
    assert refused.value.field == "move_lines_to"
    other = services.outcome_add(
        actor=practitioner, plan=plan, fields={"in_their_words": "I want to see friends"}
    )
    services.outcome_remove(
        actor=practitioner,
        outcome=outcome,
        seen=services.edit_fingerprint(outcome),
        move_lines_to=other,
    )
    line.refresh_from_db()
    assert line.outcome == other and not PlanOutcome.objects.filter(pk=outcome.pk).exists()
    event = Event.objects.get(object_type="plan_outcome", action="delete")
    assert event.changes["Outcome"] == ["I want to swim on Saturdays", None]
    assert event.changes["Lines moved"] == [
        "Personal assistant",
        "now meet ‘I want to see friends’",
    ]


def test_a_line_is_removed_from_a_new_version_only(council: Any) -> None:
    plan, _, line = _plan_with_line(council)
    practitioner, manager = council.users[Role.PRACTITIONER], council.users[Role.MANAGER]
    services.plan_submit(actor=practitioner, plan=plan)
    services.plan_approve(actor=manager, plan=plan)
    revised = services.plan_revise(actor=practitioner, plan=plan)
    copy = revised.lines.get()
    services.line_remove(actor=practitioner, line=copy, seen=services.edit_fingerprint(copy))
    assert not revised.lines.exists()
    assert plan.lines.get() == line  # the approved version is kept as it was
    event = Event.objects.get(object_type="plan_line", action="delete")
    assert event.changes["Line"] == ["Personal assistant: £50.75 a week (£2,639.00 a year)", None]


def test_pages_change_and_remove_a_line_and_an_outcome(council: Any) -> None:
    plan, outcome, line = _plan_with_line(council)
    client = Client()
    client.force_login(council.users[Role.PRACTITIONER])
    detail = client.get(f"/plans/{plan.pk}/").content.decode()
    assert f"/plans/{plan.pk}/lines/{line.pk}/edit/" in detail
    assert f"/plans/{plan.pk}/outcomes/{outcome.pk}/remove/" in detail
    form = client.get(f"/plans/{plan.pk}/lines/{line.pk}/edit/").content.decode()
    assert 'value="Personal assistant"' in form and 'value="14.50"' in form
    posted = {
        "description": "Personal assistant (swimming)",
        "category": "personal_assistant",
        "outcome": outcome.pk,
        "unit": "hour",
        "unit_cost": "14.50",
        "quantity": "4",
        "funding_stream": "adult_social_care",
        "deployment": "direct_payment",
        "seen": services.edit_fingerprint(line),
    }
    response = client.post(f"/plans/{plan.pk}/lines/{line.pk}/edit/", posted)
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.description, line.quantity_hundredths) == ("Personal assistant (swimming)", 400)
    # The same form posted again is stale: refused with the reason, nothing changes.
    stale = client.post(f"/plans/{plan.pk}/lines/{line.pk}/edit/", {**posted, "quantity": "9"})
    assert stale.status_code == 200 and services.STALE_EDIT in stale.content.decode()
    # Removing the outcome the line meets asks where the line goes; with no other, refused.
    remove = client.post(
        f"/plans/{plan.pk}/outcomes/{outcome.pk}/remove/",
        {"seen": services.edit_fingerprint(outcome)},
    ).content.decode()
    assert "‘Personal assistant (swimming)’ meets this outcome" in remove
    response = client.post(
        f"/plans/{plan.pk}/lines/{line.pk}/remove/", {"seen": services.edit_fingerprint(line)}
    )
    assert response.status_code == 302 and not plan.lines.exists()


def test_another_plans_line_is_refused_with_404(council: Any) -> None:
    plan, _, line = _plan_with_line(council)
    client = Client()
    client.force_login(User.objects.get(username="team-b-worker"))
    assert client.get(f"/plans/{plan.pk}/lines/{line.pk}/edit/").status_code == 404
    assert Event.objects.filter(action="denied").exists()


def test_the_costed_support_table_scrolls_in_its_own_region(client: Any, council: Any) -> None:
    """The costed support table, with its Change and Remove links, is wider than 320 px: it
    scrolls in a labelled, focusable region, not the whole page (the casework journey)."""
    plan, _outcome, _line = _plan_with_line(council)
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    region = page.index(
        '<div class="sd-table-scroll" role="region" aria-label="Costed support" tabindex="0">'
    )
    caption = page.index(">Costed support</caption>")
    assert region < caption < page.index("</table>", caption) < page.index("</div>", caption)
