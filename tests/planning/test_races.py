"""Two requests at once on one plan (PostgreSQL, real concurrent transactions): exactly one
succeeds, the other gets the refusal it would have got a moment later, and the change
happens once. Plus the database constraints behind them, on both engines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.planning import services
from selfdirect.planning.models import LineSwitch, PlanLine, Review, SupportPlan
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


@pytest.mark.postgres
def test_two_submissions_at_once_send_the_plan_once(committed_council: Any) -> None:
    council = committed_council
    plan = _written(council)
    practitioner = council.users[Role.PRACTITIONER]
    outcomes = race(
        _load(plan), lambda _i, loaded: services.plan_submit(actor=practitioner, plan=loaded)
    )
    refused = one_success_one_refusal(outcomes, services.PlanError)
    assert str(refused) == services.PLAN_CLOSED
    assert SupportPlan.objects.get(pk=plan.pk).status == "awaiting_sign_off"
    sent = Event.objects.filter(object_type="support_plan", summary__startswith="Sent the plan")
    assert sent.filter(object_id=plan.pk).count() == 1


@pytest.mark.postgres
def test_two_new_versions_at_once_make_one(committed_council: Any) -> None:
    council = committed_council
    plan = _approved(council)
    practitioner = council.users[Role.PRACTITIONER]
    outcomes = race(
        _load(plan), lambda _i, loaded: services.plan_revise(actor=practitioner, plan=loaded)
    )
    refused = one_success_one_refusal(outcomes, services.PlanError)
    assert str(refused) == services.NEWER_VERSION_EXISTS
    assert SupportPlan.objects.filter(person=plan.person).count() == 2
    assert SupportPlan.objects.filter(previous=plan).count() == 1


SWITCH = {
    "deployment": "council_commissioned",
    "provider": None,
    "provided_by": "Agency",
    "reasons": ["EMPLOYER_BURDEN"],
}


@pytest.mark.postgres
def test_two_identical_switches_at_once_switch_once(committed_council: Any) -> None:
    council = committed_council
    line = _approved(council).lines.get()
    practitioner = council.users[Role.PRACTITIONER]
    when = dt.date.today() + dt.timedelta(days=7)
    outcomes = race(
        lambda _i: PlanLine.objects.prefetch_related("switches").get(pk=line.pk),
        lambda _i, loaded: services.line_switch(
            actor=practitioner, line=loaded, effective_date=when, **SWITCH
        ),
    )
    refused = one_success_one_refusal(outcomes, services.PlanError)
    assert str(refused) == services.SWITCH_SAME
    assert LineSwitch.objects.filter(line=line).count() == 1


@pytest.mark.postgres
def test_two_undos_at_once_undo_once(committed_council: Any) -> None:
    council = committed_council
    line = _approved(council).lines.get()
    practitioner, colleague = council.users[Role.PRACTITIONER], council.users[Role.MANAGER]
    switch = services.line_switch(
        actor=practitioner,
        line=line,
        effective_date=dt.date.today() + dt.timedelta(days=7),
        **SWITCH,
    )
    undoers = [practitioner, colleague]
    outcomes = race(
        lambda _i: LineSwitch.objects.get(pk=switch.pk),
        lambda i, loaded: services.line_switch_undo(actor=undoers[i], switch=loaded),
    )
    refused = one_success_one_refusal(outcomes, services.PlanError)
    assert str(refused) == services.UNDO_TOO_LATE
    undone = Event.objects.filter(object_type="plan_line", summary__startswith="Undid")
    assert undone.filter(object_id=line.pk).count() == 1
    switch.refresh_from_db()
    assert switch.undone_by in undoers


@pytest.mark.django_db
def test_a_line_cannot_have_two_switches_on_one_date(council: Any) -> None:
    line = _approved(council).lines.get()
    practitioner = council.users[Role.PRACTITIONER]
    when = dt.date.today() + dt.timedelta(days=7)
    switch = services.line_switch(actor=practitioner, line=line, effective_date=when, **SWITCH)
    duplicate = {
        f.name: getattr(switch, f.name)
        for f in LineSwitch._meta.concrete_fields
        if f.name not in ("id", "switched_at")
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        LineSwitch.objects.create(**duplicate)
    # Once undone, the date is free for another switch.
    services.line_switch_undo(actor=practitioner, switch=switch)
    LineSwitch.objects.create(**duplicate)
    with pytest.raises(IntegrityError), transaction.atomic():
        LineSwitch.objects.filter(pk=switch.pk).update(undone_by=None)


@pytest.mark.django_db
def test_an_approved_version_is_made_into_a_new_version_once(council: Any) -> None:
    plan = _approved(council)
    revised = services.plan_revise(actor=council.users[Role.PRACTITIONER], plan=plan)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportPlan.objects.create(
            person=plan.person,
            allocation=plan.allocation,
            version=revised.version + 1,
            previous=plan,
            led_by="person",
            starts_on=plan.starts_on,
            created_by=plan.created_by,
        )


@pytest.mark.postgres
def test_two_edits_of_one_line_from_the_same_look_change_it_once(
    committed_council: Any,
) -> None:
    """Two people open the same line and both save: the first change stands, the second is
    refused as stale (it was made from a look at the line before the first), not silently
    written over it."""
    council = committed_council
    plan = _written(council)
    line = plan.lines.get()
    seen = services.edit_fingerprint(line)
    editors = [council.users[Role.PRACTITIONER], council.users[Role.PLANNER]]
    hours = [400, 500]
    outcomes = race(
        lambda _i: PlanLine.objects.get(pk=line.pk),
        lambda i, loaded: services.line_edit(
            actor=editors[i], line=loaded, fields={"quantity_hundredths": hours[i]}, seen=seen
        ),
    )
    refused = one_success_one_refusal(outcomes, services.PlanError)
    assert str(refused) == services.STALE_EDIT
    line.refresh_from_db()
    assert line.quantity_hundredths in hours
    edits = Event.objects.filter(object_type="plan_line", object_id=line.pk, action="update")
    assert edits.count() == 1


@pytest.mark.postgres
def test_two_workers_adding_one_suggestion_at_once_add_it_once(committed_council: Any) -> None:
    """Co-producing the plan (decision 0039): a suggestion becomes one outcome, once."""
    from selfdirect.planning import proposals
    from selfdirect.planning.models import PlanOutcome, PlanProposal

    council = committed_council
    plan = _draft_plan(council)
    proposal = proposals.proposal_make(
        actor=council.users[Role.HOLDER],
        plan=plan,
        kind="outcome",
        fields={"in_their_words": "Swim on Fridays again"},
    )
    practitioner = council.users[Role.PRACTITIONER]
    outcomes = race(
        lambda _i: PlanProposal.objects.get(pk=proposal.pk),
        lambda _i, loaded: proposals.proposal_accept(
            actor=practitioner, proposal=loaded, fields={"in_their_words": "Swim on Fridays"}
        ),
    )
    refused = one_success_one_refusal(outcomes, proposals.ProposalError)
    assert str(refused) == proposals.ALREADY_ANSWERED
    assert PlanOutcome.objects.filter(plan=plan).count() == 1
    assert PlanProposal.objects.get(pk=proposal.pk).status == "changed"
