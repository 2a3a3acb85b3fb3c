"""Co-producing the plan (issue 13; decision 0039): while a plan is being written, the person
or their representative suggests outcomes in their own words, and support with what they think
it costs. Their worker accepts a suggestion into the plan, as written or changed, through the
plan's own ``outcome_add`` and ``line_add`` (there is no second way to write a plan), or
answers it with a reason. Every suggestion and answer is audited; what the person wrote is
kept as they wrote it, beside what the plan says."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from selfdirect.access.models import WorkItem
from selfdirect.access.roles import Role
from selfdirect.access.services import work_item_add
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.money import pounds
from selfdirect.notify.models import Message
from selfdirect.notify.services import notification_send
from selfdirect.planning import services
from selfdirect.planning.models import PlanProposal, Review, SupportPlan

PROPOSAL_CLOSED = (
    "Your plan is no longer being written, so it cannot take suggestions now: "
    "ask for a review, or talk to your worker"
)
OUTCOME_WORDS_NEEDED = "Enter what you want to achieve"
SUPPORT_WORDS_NEEDED = "Enter what support you would like"
NOT_YOURS_TO_PROPOSE = "Only the person, or someone who acts for them, can suggest this"
OUTCOME_NOT_IN_PLAN = "Choose an outcome from this plan"
COST_NEEDS_BOTH = "Enter both the cost of each unit and how many, or neither"
ALREADY_ANSWERED = "This suggestion has already been answered"
ANSWER_NEEDED = "Say why it is not being added to the plan, in words the person will understand"
WRONG_KIND = "This suggestion is not of that kind"
# The named worker's task while a person's suggestions wait for an answer: one at a time.
WORK_KIND = "plan_suggestion"
ANSWER_WITHIN_DAYS = 10

OUTCOME_KEYS = ("in_their_words", "how_met", "informal_support")
SUPPORT_KEYS = ("description", "provided_by", "unit", "unit_cost_pence", "quantity_hundredths")


class ProposalError(services.PlanError):
    """A suggestion, or its answer, refused by a rule."""


def _proposed_as(actor: User, plan: SupportPlan) -> str:
    asked_as = services.review_asked_as(actor, plan)
    if asked_as == Review.AskedAs.PERSON:
        return PlanProposal.ProposedAs.PERSON
    if asked_as == Review.AskedAs.REPRESENTATIVE:
        return PlanProposal.ProposedAs.REPRESENTATIVE
    raise ProposalError(NOT_YOURS_TO_PROPOSE)


def _cost_words(unit: str, unit_cost: int | None, quantity: int | None) -> str:
    if unit_cost is None or quantity is None:
        return "no cost given"
    from selfdirect.planning.models import line_cost_pence

    per = "once" if unit == "item" else "a week"
    return f"{pounds(line_cost_pence(unit_cost, quantity))} {per}"


@transaction.atomic
def proposal_make(
    *, actor: User, plan: SupportPlan, kind: str, fields: dict[str, Any]
) -> PlanProposal:
    """The person (or their representative) suggests something for their draft plan."""
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != SupportPlan.Status.DRAFT:
        raise ProposalError(PROPOSAL_CLOSED)
    proposed_as = _proposed_as(actor, plan)
    if kind == PlanProposal.Kind.OUTCOME:
        values = {k: (fields.get(k) or "").strip() for k in OUTCOME_KEYS}
        if not values["in_their_words"]:
            raise ProposalError(OUTCOME_WORDS_NEEDED, field="in_their_words")
    elif kind == PlanProposal.Kind.SUPPORT:
        values = {k: fields.get(k) for k in SUPPORT_KEYS}
        values["description"] = (values["description"] or "").strip()
        values["provided_by"] = (values["provided_by"] or "").strip()
        values["unit"] = values["unit"] or ""
        if not values["description"]:
            raise ProposalError(SUPPORT_WORDS_NEEDED, field="description")
        if (values["unit_cost_pence"] is None) != (values["quantity_hundredths"] is None):
            raise ProposalError(COST_NEEDS_BOTH, field="unit_cost")
        outcome = fields.get("outcome")
        if outcome is not None and outcome.plan_id != plan.pk:
            raise ProposalError(OUTCOME_NOT_IN_PLAN, field="outcome")
        values["outcome"] = outcome
    else:
        raise ProposalError(WRONG_KIND)
    proposal = PlanProposal.objects.create(
        plan=plan, kind=kind, proposed_by=actor, proposed_as=proposed_as, **values
    )
    if not WorkItem.objects.filter(
        kind=WORK_KIND, person_id=plan.person_id, status=WorkItem.Status.OPEN
    ).exists():
        work_item_add(
            title=f"Answer the suggestions for {plan.person.given_name}'s support plan",
            kind=WORK_KIND,
            person=plan.person,
            for_role=Role.PRACTITIONER,
            due_date=timezone.localdate() + dt.timedelta(days=ANSWER_WITHIN_DAYS),
        )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="plan_proposal",
        object_id=proposal.pk,
        person_id=plan.person_id,
        summary=f"Suggested {proposal.get_kind_display().lower()} for support plan "
        f"version {plan.version}",
        changes={
            "Suggestion": [None, proposal.words],
            "Suggested by": [None, proposal.get_proposed_as_display()],
            **(
                {
                    "Cost": [
                        None,
                        _cost_words(
                            proposal.unit, proposal.unit_cost_pence, proposal.quantity_hundredths
                        ),
                    ]
                }
                if kind == PlanProposal.Kind.SUPPORT
                else {}
            ),
        },
    )
    return proposal


def _open_proposal(proposal: PlanProposal, kind: str | None = None) -> PlanProposal:
    current = PlanProposal.objects.select_for_update().get(pk=proposal.pk)
    if current.status != PlanProposal.Status.OPEN:
        raise ProposalError(ALREADY_ANSWERED)
    if kind is not None and current.kind != kind:
        raise ProposalError(WRONG_KIND)
    return current


def _literal(words: str) -> str:
    return words.replace("{", "{{").replace("}", "}}")


def _tell(proposal: PlanProposal, actor: User, what: str) -> None:
    plan = proposal.plan
    # Every suggestion answered: the worker's task is done.
    if not PlanProposal.objects.filter(
        plan__person_id=plan.person_id, status=PlanProposal.Status.OPEN
    ).exists():
        WorkItem.objects.filter(
            kind=WORK_KIND, person_id=plan.person_id, status=WorkItem.Status.OPEN
        ).update(status=WorkItem.Status.DONE)
    notification_send(
        actor=actor,
        person=plan.person,
        kind=Message.Kind.PLAN,
        subject="{Whose} suggestion for the support plan has been answered",
        # The person's and the worker's words go in as written (braces are not placeholders).
        body=_literal(f"“{proposal.words[:120]}”: {what}"),
        key=f"plan-proposal-{proposal.pk}-answered",
        link=reverse("planning:detail", kwargs={"plan_id": plan.pk}),
    )


@transaction.atomic
def proposal_accept(*, actor: User, proposal: PlanProposal, fields: dict[str, Any]) -> PlanProposal:
    """Put a suggestion into the plan, as the worker's form has it: as suggested, or changed.
    The outcome or line is written by ``outcome_add`` / ``line_add``, so every rule of the
    plan (a draft only, what a stream may pay for) applies; a refusal changes nothing."""
    current = _open_proposal(proposal)
    plan = current.plan
    if current.kind == PlanProposal.Kind.OUTCOME:
        outcome = services.outcome_add(actor=actor, plan=plan, fields=fields)
        current.made_outcome = outcome
        same = all((getattr(outcome, k) or "") == (getattr(current, k) or "") for k in OUTCOME_KEYS)
        made = f"“{outcome.in_their_words}”"
    else:
        line = services.line_add(actor=actor, plan=plan, fields=fields)
        current.made_line = line
        same = all(getattr(line, k) == getattr(current, k) for k in SUPPORT_KEYS)
        made = f"‘{line.description}’, {line.cost_words}"
    current.status = PlanProposal.Status.ACCEPTED if same else PlanProposal.Status.CHANGED
    current.answered_by, current.answered_at = actor, timezone.now()
    current.save()
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="plan_proposal",
        object_id=current.pk,
        person_id=plan.person_id,
        summary=f"{current.get_status_display()}: a suggestion for support plan "
        f"version {plan.version}",
        changes={"Status": [PlanProposal.Status.OPEN.label, current.get_status_display()]},
    )
    _tell(
        current,
        actor,
        "added to the plan as suggested." if same else f"added to the plan with changes: {made}.",
    )
    return current


@transaction.atomic
def proposal_answer(*, actor: User, proposal: PlanProposal, answer: str) -> PlanProposal:
    """Answer a suggestion without adding it, with the reason in words the person reads."""
    if not answer.strip():
        raise ProposalError(ANSWER_NEEDED, field="answer")
    current = _open_proposal(proposal)
    current.status = PlanProposal.Status.ANSWERED
    current.answer = answer.strip()
    current.answered_by, current.answered_at = actor, timezone.now()
    current.save()
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="plan_proposal",
        object_id=current.pk,
        person_id=current.plan.person_id,
        summary=f"Answered a suggestion for support plan version {current.plan.version}",
        changes={
            "Status": [PlanProposal.Status.OPEN.label, current.get_status_display()],
            "Answer": [None, current.answer],
        },
    )
    _tell(current, actor, f"not added to the plan. {current.answer}")
    return current
