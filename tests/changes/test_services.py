"""Requests to change a provider or how a line is held (issue 13 "Act on my own budget",
issue 14 "Choosing and switching"), cited to holders-experience.md REQ-n."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings

from selfdirect.access.models import WorkItem
from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.changes import services as S
from selfdirect.changes.models import ChangeRequest, ClosureTask
from selfdirect.changes.selectors import affected_lines, frequent_switchers
from selfdirect.notify.models import Message
from selfdirect.planning import services as planning
from selfdirect.planning.models import LineSwitch
from tests.factories import ProviderFactory, second_user
from tests.planning.test_plans import _approved_plan

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
LATER = TODAY + dt.timedelta(days=21)


def _ask(council: Any, line: Any, /, *, role: str = Role.HOLDER, **fields: Any) -> ChangeRequest:
    answers: dict[str, Any] = {
        "line": line,
        "to_deployment": "isf",
        "to_provider": ProviderFactory(name="Kindred Care"),
        "reasons": ["RUSHED_VISITS", "NO_CONTINUITY"],
        "in_their_words": "They never stay long enough to help me wash",
        "wanted_from": LATER,
    } | fields
    return S.change_request_make(actor=council.users[role], person=council.holder_person, **answers)


def test_req38_req39_a_holder_asks_and_it_goes_to_the_named_worker_as_a_request(
    council: Any,
) -> None:
    """REQ-38/39/14: reasons from pick-list A with their own words, who asked, a date to
    decide by; a task for the named worker; not a review."""
    worker = council.users[Role.PRACTITIONER]
    council.holder_person.named_worker = worker
    council.holder_person.save()
    plan = _approved_plan(council)
    reviews_before = plan.reviews.count()
    request = _ask(council, plan.lines.get())
    assert request.status == ChangeRequest.Status.WAITING
    assert request.asked_as == ChangeRequest.AskedAs.PERSON
    assert request.reasons == ["NO_CONTINUITY", "RUSHED_VISITS"]
    assert request.decide_by > TODAY
    task = WorkItem.objects.get(pk=request.work_item_id)
    assert (task.kind, task.assigned_to, task.status) == ("change_request", worker, "open")
    assert plan.reviews.count() == reviews_before  # a request, not a review
    assert not LineSwitch.objects.exists()  # nothing changes before the decision
    event = Event.objects.filter(object_type="change_request").latest("id")
    assert event.changes["Asked by"] == [None, "The person"]
    assert event.changes["In their words"] == [None, "They never stay long enough to help me wash"]


def test_req39_a_representative_and_a_worker_can_ask_for_the_person(council: Any) -> None:
    plan = _approved_plan(council)
    line = plan.lines.get()
    by_rep = _ask(council, line, role=Role.REPRESENTATIVE)
    assert by_rep.asked_as == ChangeRequest.AskedAs.REPRESENTATIVE
    S.change_request_decide(
        actor=council.users[Role.PRACTITIONER], request=by_rep, agree=False, reasons="Not now."
    )
    by_worker = _ask(council, line, role=Role.PRACTITIONER)
    assert by_worker.asked_as == ChangeRequest.AskedAs.STAFF


@pytest.mark.parametrize(
    ("case", "fields", "message", "field"),
    [
        (
            "date in the past",
            {"wanted_from": TODAY - dt.timedelta(days=1)},
            S.DATE_IN_PAST,
            "wanted_from",
        ),
        ("no date", {"wanted_from": None}, S.DATE_NEEDED, "wanted_from"),
        (
            "notice not allowed for",
            {"wanted_from": TODAY + dt.timedelta(days=7), "notice_weeks": 4},
            S.NOTICE_TOO_SHORT.format(on=f"{TODAY + dt.timedelta(weeks=4):%-d %B %Y}"),
            "wanted_from",
        ),
        ("no reason", {"reasons": [], "in_their_words": "  "}, S.REASON_NEEDED, "reasons"),
        ("unknown reason", {"reasons": ["MADE_UP"]}, S.REASON_UNKNOWN, "reasons"),
        (
            "nothing changes",
            {"to_deployment": "direct_payment", "to_provider": None, "to_provided_by": "Sam"},
            S.NOTHING_CHANGES,
            "to_deployment",
        ),
        ("no line", {"line": None}, S.LINE_NEEDED, "line"),
    ],
)
def test_refusals_name_the_field_and_change_nothing(
    council: Any, case: str, fields: dict[str, Any], message: str, field: str
) -> None:
    plan = _approved_plan(council)
    with pytest.raises(S.ChangeError) as refused:
        _ask(council, plan.lines.get(), **fields)
    assert (str(refused.value), refused.value.field) == (message, field), case
    assert not ChangeRequest.objects.exists()
    assert not WorkItem.objects.filter(kind="change_request").exists()


def test_a_line_not_in_the_plan_in_force_is_refused(council: Any) -> None:
    plan = _approved_plan(council)
    # A new version being written: the approved one stays in force until it is approved.
    draft = planning.plan_revise(actor=council.users[Role.PRACTITIONER], plan=plan)
    with pytest.raises(S.ChangeError) as refused:
        _ask(council, draft.lines.get())
    assert (str(refused.value), refused.value.field) == (S.LINE_NOT_CURRENT, "line")
    assert _ask(council, plan.lines.get()).status == "waiting"


def test_a_second_request_about_the_same_line_waits_for_the_first(council: Any) -> None:
    line = _approved_plan(council).lines.get()
    _ask(council, line)
    with pytest.raises(S.ChangeError) as refused:
        _ask(council, line, to_deployment="managed_account")
    assert (str(refused.value), refused.value.field) == (S.ALREADY_WAITING, "line")


def test_req46_approval_switches_the_line_and_the_person_is_told_why(council: Any) -> None:
    """REQ-46: the change is made by the one line switch, so the plan's holding (and with it
    the payments) follow from the date; the person reads the decision and its reasons."""
    plan = _approved_plan(council)
    line = plan.lines.get()
    request = _ask(council, line, to_unit_cost_pence=1600)
    decided = S.change_request_decide(
        actor=council.users[Role.PRACTITIONER],
        request=request,
        agree=True,
        reasons="Kindred Care can offer the same two carers every day.",
    )
    assert decided.status == ChangeRequest.Status.APPROVED
    switch = decided.switch
    assert switch is not None
    assert (switch.effective_date, switch.to_deployment, str(switch.to_provider)) == (
        LATER,
        "isf",
        "Kindred Care",
    )
    assert switch.reasons == ["NO_CONTINUITY", "RUSHED_VISITS"]
    assert planning.holding_mix(plan, LATER) == {"isf": 4800}
    assert planning.holding_mix(plan, TODAY) == {"direct_payment": 4500}
    assert WorkItem.objects.get(pk=request.work_item_id).status == "done"
    message = Message.objects.get(recipient=council.users[Role.HOLDER], kind="request_answered")
    assert message.subject == "Your change to 'Personal assistant' is agreed"
    assert "Kindred Care can offer the same two carers every day." in message.body
    assert message.link == f"/changes/requests/{request.pk}/"
    rep_message = Message.objects.get(
        recipient=council.users[Role.REPRESENTATIVE], kind="request_answered"
    )
    assert rep_message.subject == "Ada's change to 'Personal assistant' is agreed"


def test_refusal_gives_reasons_and_changes_nothing(council: Any) -> None:
    request = _ask(council, _approved_plan(council).lines.get())
    S.change_request_decide(
        actor=council.users[Role.PRACTITIONER],
        request=request,
        agree=False,
        reasons="Kindred Care has no {carers} free in your area.",
    )
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.REFUSED
    assert request.switch is None and not LineSwitch.objects.exists()
    message = Message.objects.get(recipient=council.users[Role.HOLDER], kind="request_answered")
    assert message.subject == "Your request to change 'Personal assistant' is not agreed"
    assert "Kindred Care has no {carers} free in your area." in message.body


@pytest.mark.parametrize(
    ("case", "kwargs", "message", "field"),
    [
        ("no decision", {"agree": None, "reasons": "x"}, S.DECISION_NEEDED, "agree"),
        ("no reasons", {"agree": True, "reasons": " "}, S.DECISION_REASONS_NEEDED, "reasons"),
        (
            "a date in the past",
            {"agree": True, "reasons": "Yes", "effective_date": TODAY - dt.timedelta(days=1)},
            S.DATE_IN_PAST,
            "effective_date",
        ),
    ],
)
def test_decision_refusals(
    council: Any, case: str, kwargs: dict[str, Any], message: str, field: str
) -> None:
    request = _ask(council, _approved_plan(council).lines.get())
    with pytest.raises(S.ChangeError) as refused:
        S.change_request_decide(actor=council.users[Role.PRACTITIONER], request=request, **kwargs)
    assert (str(refused.value), refused.value.field) == (message, field), case
    request.refresh_from_db()
    assert request.status == "waiting"


def test_who_asked_for_the_person_does_not_decide_and_a_decision_is_made_once(
    council: Any,
) -> None:
    practitioner = council.users[Role.PRACTITIONER]
    request = _ask(council, _approved_plan(council).lines.get(), role=Role.PRACTITIONER)
    with pytest.raises(S.ChangeError, match=S.OWN_REQUEST):
        S.change_request_decide(actor=practitioner, request=request, agree=True, reasons="Yes")
    other = second_user(council, Role.PRACTITIONER)
    S.change_request_decide(actor=other, request=request, agree=True, reasons="Yes")
    with pytest.raises(S.ChangeError, match=S.ALREADY_DECIDED):
        S.change_request_decide(actor=other, request=request, agree=False, reasons="No")
    assert LineSwitch.objects.count() == 1


def test_a_small_change_is_made_at_once_and_the_worker_told(council: Any) -> None:
    """Issue 13: a different personal assistant, held the same way and costing no more,
    needs no approval (SELFDIRECT_CHANGES_WITHOUT_APPROVAL); it is recorded and the worker
    is told."""
    plan = _approved_plan(council)  # a personal assistant (Sam) by direct payment, £15 an hour
    request = _ask(
        council,
        plan.lines.get(),
        to_deployment="direct_payment",
        to_provider=None,
        to_provided_by="Jo",
        to_unit_cost_pence=1400,
        reasons=["PA_INFLEXIBLE_HOURS"],
    )
    assert request.status == ChangeRequest.Status.MADE
    assert request.switch is not None and request.switch.to_provided_by == "Jo"
    assert request.decision_reasons == S.MADE_AT_ONCE
    told = WorkItem.objects.get(kind="change_made")
    assert told.person == council.holder_person
    assert not WorkItem.objects.filter(kind="change_request").exists()
    assert Message.objects.filter(
        recipient=council.users[Role.HOLDER], kind="request_answered"
    ).exists()


@pytest.mark.parametrize(
    ("case", "fields", "setting"),
    [
        ("costs more", {"to_unit_cost_pence": 1600}, ["personal_assistant"]),
        ("held another way", {"to_deployment": "managed_account"}, ["personal_assistant"]),
        ("kind of support not listed", {}, ["day_activity"]),
    ],
)
def test_changes_outside_the_council_rule_wait_for_a_decision(
    council: Any, case: str, fields: dict[str, Any], setting: list[str]
) -> None:
    plan = _approved_plan(council)
    answers = {"to_deployment": "direct_payment", "to_provider": None, "to_provided_by": "Jo"}
    with override_settings(SELFDIRECT_CHANGES_WITHOUT_APPROVAL=setting):
        request = _ask(council, plan.lines.get(), **(answers | fields))
    assert request.status == ChangeRequest.Status.WAITING, case
    assert not LineSwitch.objects.exists()


def test_req45_marking_a_provider_closing_lists_people_and_tasks_once(council: Any) -> None:
    """REQ-45 (issue 14 provider failure): every affected person and line with the plan's
    contingency, and a task for each person's practitioner; marking twice makes no second
    task."""
    manager = council.users[Role.MANAGER]
    acme = ProviderFactory(name="Failing Care")
    plan = _approved_plan(council, "council_commissioned")
    plan.contingency = "Her sister stays for a week; the agency on call covers nights."
    plan.save()
    line = plan.lines.get()
    planning.line_switch(
        actor=council.users[Role.PRACTITIONER],
        line=line,
        effective_date=TODAY,
        deployment="council_commissioned",
        provider=acme,
        provided_by="",
        reasons=["WANT_BACKUP_COVER"],
    )
    closes = TODAY + dt.timedelta(days=30)
    affected = affected_lines(acme, closes, TODAY)
    assert [(a.person, a.line, a.contingency) for a in affected] == [
        (council.holder_person, line, plan.contingency)
    ]
    closure, made = S.provider_closure_mark(
        actor=manager, provider=acme, closes_on=closes, reason="Going into administration"
    )
    assert made == 1
    task = WorkItem.objects.get(kind="provider_closing")
    assert task.person == council.holder_person and task.for_role == "practitioner"
    again, made_again = S.provider_closure_mark(
        actor=manager, provider=acme, closes_on=closes - dt.timedelta(days=2), reason="Sooner"
    )
    assert again.pk == closure.pk and made_again == 0
    assert WorkItem.objects.filter(kind="provider_closing").count() == 1
    assert ClosureTask.objects.count() == 1
    again.refresh_from_db()
    assert again.reason == "Sooner"


def test_a_person_already_switched_away_is_not_affected(council: Any) -> None:
    acme = ProviderFactory(name="Failing Care")
    line = _approved_plan(council, "council_commissioned").lines.get()
    for when, provider in ((TODAY, acme), (TODAY + dt.timedelta(days=7), None)):
        planning.line_switch(
            actor=council.users[Role.PRACTITIONER],
            line=line,
            effective_date=when,
            deployment="council_commissioned",
            provider=provider,
            provided_by="" if provider else "Day centre",
            reasons=["COST"],
        )
    assert affected_lines(acme, TODAY + dt.timedelta(days=30), TODAY) == []


def test_closure_refusals_name_the_field(council: Any) -> None:
    manager = council.users[Role.MANAGER]
    acme = ProviderFactory(name="Failing Care")
    for kwargs, message, field in (
        ({"provider": None, "closes_on": TODAY, "reason": "x"}, S.PROVIDER_NEEDED, "provider"),
        ({"provider": acme, "closes_on": None, "reason": "x"}, S.CLOSES_ON_NEEDED, "closes_on"),
        ({"provider": acme, "closes_on": TODAY, "reason": ""}, S.CLOSURE_REASON_NEEDED, "reason"),
    ):
        with pytest.raises(S.ChangeError) as refused:
            S.provider_closure_mark(actor=manager, **kwargs)
        assert (str(refused.value), refused.value.field) == (message, field)


@override_settings(SELFDIRECT_FREQUENT_SWITCHES=3, SELFDIRECT_FREQUENT_SWITCH_MONTHS=12)
def test_people_who_switched_often_show_up_for_their_practitioner(council: Any) -> None:
    """Issue 14: three switches within twelve months (an undone one does not count)."""
    line = _approved_plan(council, "council_commissioned").lines.get()
    practitioner = council.users[Role.PRACTITIONER]
    made = []
    for days_ago, who in ((200, "A"), (100, "B"), (10, "C")):
        made.append(
            LineSwitch.objects.create(
                line=line,
                effective_date=TODAY - dt.timedelta(days=days_ago),
                from_deployment="council_commissioned",
                to_deployment="council_commissioned",
                to_provided_by=who,
                old_part_pence=0,
                new_part_pence=0,
                switched_by=practitioner,
            )
        )
    found = frequent_switchers(practitioner, TODAY)
    assert [(s.person, s.switches) for s in found] == [(council.holder_person, 3)]
    # Another team's practitioner does not see them.
    from tests.factories import make_user

    elsewhere = make_user("b-worker", [Role.PRACTITIONER], teams=[council.team_b])
    assert frequent_switchers(elsewhere, TODAY) == []
    LineSwitch.objects.filter(pk=made[0].pk).update(effective_date=TODAY - dt.timedelta(days=400))
    assert frequent_switchers(practitioner, TODAY) == []


def test_req46_a_new_way_of_holding_without_its_agreement_gives_the_worker_a_task(
    council: Any,
) -> None:
    """REQ-46: the switch of holding is linked to the agreement it needs; without one in
    place the worker is asked to set it up before the date."""
    request = _ask(council, _approved_plan(council).lines.get())  # to an ISF with Kindred
    S.change_request_decide(
        actor=council.users[Role.PRACTITIONER], request=request, agree=True, reasons="Agreed."
    )
    task = WorkItem.objects.get(kind="holding_setup")
    assert task.title == (
        "Set up the Individual Service Fund agreement: 'Personal assistant' is held that way "
        f"from {LATER:%-d %B %Y}"
    )
    assert task.due_date == LATER


def test_a_change_of_provider_alone_needs_no_new_agreement(council: Any) -> None:
    request = _ask(
        council,
        _approved_plan(council).lines.get(),
        to_deployment="direct_payment",
        to_provider=None,
        to_provided_by="Jo",
        to_unit_cost_pence=1600,
    )
    S.change_request_decide(
        actor=council.users[Role.PRACTITIONER], request=request, agree=True, reasons="Agreed."
    )
    assert not WorkItem.objects.filter(kind="holding_setup").exists()
