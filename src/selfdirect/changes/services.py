"""Asking to change a provider or how a plan line is held, deciding such a request, and
marking a provider as closing: one transaction each, audited. A change that is agreed (or
that the council lets through without approval) is made by the one way a line is switched,
planning.services.line_switch, so the plan, the payments and the ledger follow it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from selfdirect.access.models import WorkItem
from selfdirect.access.roles import Role
from selfdirect.access.services import work_item_add
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.budgets.models import DirectPaymentAgreement, FundAgreement
from selfdirect.changes.models import ChangeRequest, ClosureTask, ProviderClosure
from selfdirect.changes.selectors import affected_lines, current_plan
from selfdirect.notify.models import Message
from selfdirect.notify.services import notification_send
from selfdirect.people.models import Person
from selfdirect.planning import streams
from selfdirect.planning.models import PlanLine, Review
from selfdirect.planning.services import (
    arrangement_on,
    line_switch,
    review_asked_as,
    unit_cost_on,
)
from selfdirect.providers.models import Provider
from selfdirect.refusals import Refused
from selfdirect.working_days import add_working_days

# Refusals: each names the field it is about.
NO_PLAN_IN_FORCE = "There is no agreed support plan in force to change yet"
LINE_NEEDED = "Select the support you want to change"
LINE_NOT_CURRENT = "Select support from the plan in force now"
WAY_NEEDED = "Select how the support will be held"
DATE_NEEDED = "Enter the date you want the change from"
DATE_IN_PAST = "The date of the change must be today or in the future"
NOTICE_TOO_SHORT = "The date must allow for the notice the provider needs: {on} or later"
NOTHING_CHANGES = "Choose a different provider or way of holding from the one in place"
REASON_NEEDED = "Select at least one reason, or say why in your own words"
REASON_UNKNOWN = "Select reasons from the list"
ALREADY_WAITING = "There is already a request to change this support waiting for a decision"
ALREADY_DECIDED = "This request has already been decided"
DECISION_NEEDED = "Select whether the change is agreed"
DECISION_REASONS_NEEDED = "Give the reasons for the decision, in words the person will understand"
OWN_REQUEST = "You asked for this change for the person, so someone else in the team must decide it"
PLAN_CHANGED = "The plan has changed since the request was made: ask the person to ask again"
CLOSES_ON_NEEDED = "Enter the date the provider stops providing support"
CLOSURE_REASON_NEEDED = "Say why the provider is leaving (closing, failing or withdrawing)"
PROVIDER_NEEDED = "Select the provider"

REQUEST_TASK = "change_request"
MADE_TASK = "change_made"
CLOSING_TASK = "provider_closing"
HOLDING_TASK = "holding_setup"

# What the person is told a change the council lets through without approval is.
MADE_AT_ONCE = (
    "This is a change the council lets you make without approval: the same way of holding, "
    "in the same part of your plan, and it costs no more."
)


class ChangeError(Refused):
    pass


# Who asked, read as a review request reads it (REQ-39); a carer cannot ask for a change.
_ASKED_AS: dict[str, str] = {
    Review.AskedAs.PERSON: ChangeRequest.AskedAs.PERSON,
    Review.AskedAs.REPRESENTATIVE: ChangeRequest.AskedAs.REPRESENTATIVE,
}


def _literal(text: str) -> str:
    """Text written by someone, kept as it is when the message fills in "{whose}"."""
    return text.replace("{", "{{").replace("}", "}}")


def _arranged(provider: Provider | None, provided_by: str) -> str:
    return str(provider or provided_by or "no provider named")


def needs_no_approval(
    line: PlanLine, *, to_deployment: str, unit_cost: int | None, today: dt.date
) -> bool:
    """A small change the council lets through at once (SELFDIRECT_CHANGES_WITHOUT_APPROVAL):
    a different provider or personal assistant for a line of a listed kind, held the same
    way, and costing no more. The line stays in the same outcome by being the same line."""
    if line.category not in settings.SELFDIRECT_CHANGES_WITHOUT_APPROVAL:
        return False
    if to_deployment != arrangement_on(line, today)[0]:
        return False
    return unit_cost is None or unit_cost <= unit_cost_on(line, today)


def _check_request(
    *,
    person: Person,
    line: PlanLine | None,
    to_deployment: str,
    to_provider: Provider | None,
    to_provided_by: str,
    reasons: list[str],
    in_their_words: str,
    wanted_from: dt.date | None,
    notice_weeks: int,
    today: dt.date,
) -> None:
    plan = current_plan(person.pk, today)
    if plan is None:
        raise ChangeError(NO_PLAN_IN_FORCE, field="line")
    if line is None:
        raise ChangeError(LINE_NEEDED, field="line")
    if line.plan_id != plan.pk:
        raise ChangeError(LINE_NOT_CURRENT, field="line")
    if to_deployment not in streams.DEPLOYMENTS:
        raise ChangeError(WAY_NEEDED, field="to_deployment")
    if wanted_from is None:
        raise ChangeError(DATE_NEEDED, field="wanted_from")
    if wanted_from < today:
        raise ChangeError(DATE_IN_PAST, field="wanted_from")
    earliest = today + dt.timedelta(weeks=notice_weeks)
    if wanted_from < earliest:
        raise ChangeError(NOTICE_TOO_SHORT.format(on=f"{earliest:%-d %B %Y}"), field="wanted_from")
    if any(code not in streams.SWITCH_REASONS for code in reasons):
        raise ChangeError(REASON_UNKNOWN, field="reasons")
    if not reasons and not in_their_words.strip():
        raise ChangeError(REASON_NEEDED, field="reasons")
    current = arrangement_on(line, wanted_from)
    if (to_deployment, to_provider, to_provided_by.strip()) == current:
        raise ChangeError(NOTHING_CHANGES, field="to_deployment")
    route = streams.route_refusal(streams.rule_on(line.funding_stream, wanted_from), to_deployment)
    if route:
        raise ChangeError(route, field="to_deployment")
    if ChangeRequest.objects.filter(line=line, status=ChangeRequest.Status.WAITING).exists():
        raise ChangeError(ALREADY_WAITING, field="line")


@transaction.atomic
def change_request_make(
    *,
    actor: User,
    person: Person,
    line: PlanLine | None,
    to_deployment: str,
    to_provider: Provider | None = None,
    to_provided_by: str = "",
    to_unit_cost_pence: int | None = None,
    reasons: list[str],
    in_their_words: str = "",
    wanted_from: dt.date | None,
    notice_weeks: int = 0,
    today: dt.date | None = None,
) -> ChangeRequest:
    """Ask for one line of the plan in force to be provided by someone else or held another
    way (holders-experience REQ-38, REQ-39, REQ-46). It goes to the named worker as a task
    with a date to decide by (REQ-14); a small change the council lets through is made at
    once and the worker is told."""
    today = today or timezone.localdate()
    if line is not None:
        # Two requests about one line at once: the second waits, then sees the first.
        PlanLine.objects.select_for_update().filter(pk=line.pk).values_list("pk").get()
    _check_request(
        person=person,
        line=line,
        to_deployment=to_deployment,
        to_provider=to_provider,
        to_provided_by=to_provided_by,
        reasons=reasons,
        in_their_words=in_their_words,
        wanted_from=wanted_from,
        notice_weeks=notice_weeks,
        today=today,
    )
    assert line is not None and wanted_from is not None  # checked above
    request = ChangeRequest.objects.create(
        person=person,
        line=line,
        to_deployment=to_deployment,
        to_provider=to_provider,
        to_provided_by=to_provided_by.strip(),
        to_unit_cost_pence=to_unit_cost_pence,
        reasons=sorted(reasons),
        in_their_words=in_their_words.strip(),
        wanted_from=wanted_from,
        notice_weeks=notice_weeks,
        asked_as=_ASKED_AS.get(review_asked_as(actor, line.plan), ChangeRequest.AskedAs.STAFF),
        asked_by=actor,
        decide_by=add_working_days(today, settings.SELFDIRECT_CHANGE_DECIDE_DAYS),
    )
    current = arrangement_on(line, wanted_from)
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="change_request",
        object_id=request.pk,
        person_id=person.pk,
        summary=f"Asked to change '{line.description}' from {wanted_from:%-d %B %Y}",
        changes={
            "Way of holding": [
                streams.DEPLOYMENTS[current[0]],
                streams.DEPLOYMENTS[to_deployment],
            ],
            "Provider": [_arranged(current[1], current[2]), _arranged(to_provider, to_provided_by)],
            "Reasons": [None, ", ".join(streams.SWITCH_REASONS[c] for c in request.reasons)],
            "In their words": [None, request.in_their_words or None],
            "Notice the provider needs": [None, f"{notice_weeks} weeks"],
            "Asked by": [None, request.get_asked_as_display()],
        },
    )
    if needs_no_approval(
        line, to_deployment=to_deployment, unit_cost=to_unit_cost_pence, today=today
    ):
        _make(request, actor=actor, reasons=MADE_AT_ONCE, status=ChangeRequest.Status.MADE)
        work_item_add(
            title=f"Change made without approval: '{line.description}' from "
            f"{wanted_from:%-d %B %Y}, for your information",
            kind=MADE_TASK,
            person=person,
            for_role=Role.PRACTITIONER,
            due_date=today,
        )
        _tell(request, actor)
        return request
    request.work_item = work_item_add(
        title=f"Request to change '{line.description}': decide by {request.decide_by:%-d %B %Y}",
        kind=REQUEST_TASK,
        person=person,
        for_role=Role.PRACTITIONER,
        due_date=request.decide_by,
    )
    request.save(update_fields=["work_item"])
    return request


def _make(
    request: ChangeRequest,
    *,
    actor: User,
    reasons: str,
    status: str,
    effective_date: dt.date | None = None,
) -> None:
    """Make the change through the line switch, and record the decision on the request."""
    request.switch = line_switch(
        actor=actor,
        line=request.line,
        effective_date=effective_date or request.wanted_from,
        deployment=request.to_deployment,
        provider=request.to_provider,
        provided_by=request.to_provided_by,
        reasons=list(request.reasons),
        note=request.in_their_words,
        unit_cost_pence=request.to_unit_cost_pence,
    )
    _decided(request, actor=actor, reasons=reasons, status=status)
    _holding_follow(request)


def _holding_follow(request: ChangeRequest) -> WorkItem | None:
    """A line moved to a direct payment, an Individual Service Fund or a third-party account
    needs the agreement for that way of holding (budgets): if the person has none in place
    (or proposed, with that organisation), their worker gets a task to set it up before the
    change takes effect. Nothing is set up without the person and the checks it needs."""
    switch = request.switch
    if switch is None or switch.from_deployment == switch.to_deployment:
        return None
    way = switch.to_deployment
    if way == "direct_payment":
        needed = not DirectPaymentAgreement.objects.filter(
            person_id=request.person_id, status=DirectPaymentAgreement.Status.ACTIVE
        ).exists()
        what = "the direct payment agreement"
    elif way in ("isf", "third_party"):
        agreements = FundAgreement.objects.filter(
            person_id=request.person_id,
            kind=way,
            status__in=[FundAgreement.Status.PROPOSED, FundAgreement.Status.ACTIVE],
        )
        if switch.to_provider_id is not None:
            agreements = agreements.filter(organisation_id=switch.to_provider_id)
        needed = not agreements.exists()
        what = f"the {streams.DEPLOYMENTS[way].split(' held')[0]} agreement"
    else:
        return None
    if not needed:
        return None
    return work_item_add(
        title=f"Set up {what}: '{request.line.description}' is held that way from "
        f"{switch.effective_date:%-d %B %Y}",
        kind=HOLDING_TASK,
        person=request.person,
        for_role=Role.PRACTITIONER,
        due_date=switch.effective_date,
    )


def _decided(request: ChangeRequest, *, actor: User, reasons: str, status: str) -> None:
    before = request.get_status_display()
    request.status = status
    request.decided_by, request.decided_at = actor, timezone.now()
    request.decision_reasons = reasons
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reasons", "switch"])
    if request.work_item_id is not None:
        WorkItem.objects.filter(pk=request.work_item_id).update(status=WorkItem.Status.DONE)
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="change_request",
        object_id=request.pk,
        person_id=request.person_id,
        summary=f"Request to change '{request.line.description}': "
        f"{request.get_status_display().lower()}",
        changes={
            "Status": [before, request.get_status_display()],
            "Reasons for the decision": [None, reasons],
            **(
                {"Takes effect": [None, f"{request.switch.effective_date:%-d %B %Y}"]}
                if request.switch is not None
                else {}
            ),
        },
    )


def _tell(request: ChangeRequest, actor: User) -> None:
    """Tell the person (and whoever acts for them) the decision, with its reasons."""
    agreed = request.status in (ChangeRequest.Status.APPROVED, ChangeRequest.Status.MADE)
    line = _literal(request.line.description)
    reasons = _literal(request.decision_reasons)
    if agreed and request.switch is not None:
        subject = f"{{Whose}} change to '{line}' is agreed"
        body = (
            f"The change to '{line}' takes effect on "
            f"{request.switch.effective_date:%-d %B %Y}. {reasons}"
        )
    else:
        subject = f"{{Whose}} request to change '{line}' is not agreed"
        body = (
            f"The reasons: {reasons} You can talk to {{whose}} named worker about it, or ask again."
        )
    notification_send(
        actor=actor,
        person=request.person,
        kind=Message.Kind.REQUEST_ANSWERED,
        subject=subject,
        body=body,
        key=f"change-request-{request.pk}-decided",
        link=reverse("changes:request", kwargs={"request_id": request.pk}),
    )


@transaction.atomic
def change_request_decide(
    *,
    actor: User,
    request: ChangeRequest,
    agree: bool | None,
    reasons: str,
    effective_date: dt.date | None = None,
    today: dt.date | None = None,
) -> ChangeRequest:
    """The named worker's team agrees the change (made from the date the person asked for,
    or another date not in the past) or refuses it, with reasons the person is told."""
    today = today or timezone.localdate()
    ChangeRequest.objects.select_for_update().filter(pk=request.pk).values_list("pk").get()
    request.refresh_from_db()
    if request.status != ChangeRequest.Status.WAITING:
        raise ChangeError(ALREADY_DECIDED)
    if agree is None:
        raise ChangeError(DECISION_NEEDED, field="agree")
    if not reasons.strip():
        raise ChangeError(DECISION_REASONS_NEEDED, field="reasons")
    if request.asked_by_id == actor.pk:
        raise ChangeError(OWN_REQUEST)
    if agree:
        effective = effective_date or request.wanted_from
        if effective < today:
            raise ChangeError(DATE_IN_PAST, field="effective_date")
        plan = current_plan(request.person_id, today)
        if plan is None or plan.pk != request.line.plan_id:
            raise ChangeError(PLAN_CHANGED)
        _make(
            request,
            actor=actor,
            reasons=reasons.strip(),
            status=ChangeRequest.Status.APPROVED,
            effective_date=effective,
        )
    else:
        _decided(request, actor=actor, reasons=reasons.strip(), status=ChangeRequest.Status.REFUSED)
    _tell(request, actor)
    return request


@transaction.atomic
def provider_closure_mark(
    *,
    actor: User,
    provider: Provider | None,
    closes_on: dt.date | None,
    reason: str,
    today: dt.date | None = None,
) -> tuple[ProviderClosure, int]:
    """Mark a provider as leaving the market from a date: every person it still supports
    through a plan line gets a task for their practitioner to act on the plan's contingency
    (holders-experience REQ-45). Marking it again changes the date or reason and makes tasks
    only for people who have none yet. Returns the closure and the number of new tasks."""
    today = today or timezone.localdate()
    if provider is None:
        raise ChangeError(PROVIDER_NEEDED, field="provider")
    if closes_on is None:
        raise ChangeError(CLOSES_ON_NEEDED, field="closes_on")
    if not reason.strip():
        raise ChangeError(CLOSURE_REASON_NEEDED, field="reason")
    Provider.objects.select_for_update().filter(pk=provider.pk).values_list("pk").get()
    closure = ProviderClosure.objects.filter(provider=provider).first()
    changes: dict[str, Any]
    if closure is None:
        closure = ProviderClosure.objects.create(
            provider=provider, closes_on=closes_on, reason=reason.strip(), marked_by=actor
        )
        changes = {"Closes on": [None, f"{closes_on:%-d %B %Y}"], "Why": [None, reason.strip()]}
    else:
        changes = {
            "Closes on": [f"{closure.closes_on:%-d %B %Y}", f"{closes_on:%-d %B %Y}"],
            "Why": [closure.reason, reason.strip()],
        }
        closure.closes_on, closure.reason = closes_on, reason.strip()
        closure.save(update_fields=["closes_on", "reason"])
    tasked = set(closure.tasks.values_list("person_id", flat=True))
    due = max(today, closes_on - dt.timedelta(days=7))
    made = 0
    for affected in affected_lines(provider, closes_on, today):
        person = affected.person
        if person.pk in tasked:
            continue
        tasked.add(person.pk)
        item = work_item_add(
            title=f"{provider.name} stops on {closes_on:%-d %B %Y}: act on the contingency "
            "plan and arrange other support",
            kind=CLOSING_TASK,
            person=person,
            for_role=Role.PRACTITIONER,
            due_date=due,
        )
        ClosureTask.objects.create(closure=closure, person=person, work_item=item)
        made += 1
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="provider",
        object_id=provider.pk,
        summary=f"Marked {provider.name} as leaving the market: {made} new "
        f"task{'s' if made != 1 else ''} for practitioners",
        changes=changes,
    )
    return closure, made
