"""Writing and approving support plans: one transaction each, audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.access.selectors import user_can
from selfdirect.access.services import work_item_add
from selfdirect.allocation.models import Allocation
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.money import pounds
from selfdirect.planning import streams
from selfdirect.planning.models import LineSwitch, PlanLine, PlanOutcome, Review, SupportPlan

BUDGET_NOT_APPROVED = "The indicative budget must be signed off before a plan is written"
END_DATE_NEEDED = "A fast-track or temporary plan needs the date it ends"
END_BEFORE_START = "The end date must be after the start date"
PLAN_CLOSED = "This plan has been sent for sign-off or approved: make a new version to change it"
NO_LINES = "Add at least one line before sending the plan for sign-off"
OVER_BUDGET_NEEDS_MANAGER = "The plan costs more than the budget: a team manager must sign it off"
LAPSE_WARNING_DAYS = 14


class PlanError(ValueError):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass
class Totals:
    weekly_pence: int = 0
    one_off_pence: int = 0
    provisional_weekly_pence: int = 0
    by_stream: dict[str, int] = field(default_factory=dict)
    budget_weekly_pence: int = 0

    @property
    def variance_pence(self) -> int:
        return self.weekly_pence - self.budget_weekly_pence

    @property
    def over_budget(self) -> bool:
        return self.variance_pence > 0


def plan_totals(plan: SupportPlan) -> Totals:
    totals = Totals(
        budget_weekly_pence=plan.allocation.agreed_weekly_pence
        or plan.allocation.indicative_weekly_pence
    )
    for line in plan.lines.all():
        totals.weekly_pence += line.weekly_cost_pence
        totals.one_off_pence += line.one_off_cost_pence
        if line.provisional:
            totals.provisional_weekly_pence += line.weekly_cost_pence
        totals.by_stream[line.funding_stream] = (
            totals.by_stream.get(line.funding_stream, 0) + line.weekly_cost_pence
        )
    return totals


def _open(plan: SupportPlan) -> None:
    if plan.status != SupportPlan.Status.DRAFT:
        raise PlanError(PLAN_CLOSED)


@transaction.atomic
def plan_create(
    *,
    actor: User,
    allocation: Allocation,
    led_by: str,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    contingency: str = "",
    risks_to_person: str = "",
    financial_risks: str = "",
) -> SupportPlan:
    if allocation.status != Allocation.Status.APPROVED:
        raise PlanError(BUDGET_NOT_APPROVED)
    if kind != SupportPlan.Kind.STANDARD and ends_on is None:
        raise PlanError(END_DATE_NEEDED, field="ends_on")
    if ends_on is not None and ends_on <= starts_on:
        raise PlanError(END_BEFORE_START, field="ends_on")
    version = (
        SupportPlan.objects.filter(person=allocation.person).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    plan = SupportPlan.objects.create(
        person=allocation.person,
        allocation=allocation,
        version=version,
        kind=kind,
        led_by=led_by,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
        contingency=contingency.strip(),
        risks_to_person=risks_to_person.strip(),
        financial_risks=financial_risks.strip(),
    )
    if ends_on is not None:
        # A task before an interim or temporary plan lapses, so it never ends unnoticed.
        work_item_add(
            title=f"{plan.get_kind_display()} ends on {ends_on:%-d %B %Y}: plan what comes next",
            kind="plan_lapse",
            person=plan.person,
            for_role=Role.PRACTITIONER,
            due_date=ends_on - dt.timedelta(days=LAPSE_WARNING_DAYS),
        )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="support_plan",
        object_id=plan.pk,
        person_id=plan.person_id,
        summary=f"Started {plan.get_kind_display().lower()} version {version}",
    )
    return plan


@transaction.atomic
def outcome_add(*, actor: User, plan: SupportPlan, fields: dict[str, Any]) -> PlanOutcome:
    _open(plan)
    outcome = PlanOutcome.objects.create(plan=plan, **fields)
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="plan_outcome",
        object_id=outcome.pk,
        person_id=plan.person_id,
        summary="Added an outcome to the support plan",
        changes={"Outcome": [None, outcome.in_their_words]},
    )
    return outcome


@transaction.atomic
def line_add(*, actor: User, plan: SupportPlan, fields: dict[str, Any]) -> PlanLine:
    """Add a costed line; refused, with the reason, if its stream may not pay for it."""
    _open(plan)
    rule = streams.rule_on(fields["funding_stream"], plan.starts_on)
    reason = streams.refusal(rule, fields["category"])
    if reason:
        raise PlanError(reason, field="category")
    line = PlanLine.objects.create(plan=plan, **fields)
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="plan_line",
        object_id=line.pk,
        person_id=plan.person_id,
        summary=f"Added '{line.description}' to the support plan",
        changes={
            "Cost": [
                None,
                f"{pounds(line.weekly_cost_pence or line.one_off_cost_pence)}"
                f"{' a week' if not line.is_one_off else ' once'} from {rule.name}",
            ]
        },
    )
    return line


@transaction.atomic
def plan_submit(*, actor: User, plan: SupportPlan) -> SupportPlan:
    _open(plan)
    if not plan.lines.exists():
        raise PlanError(NO_LINES)
    plan.status = SupportPlan.Status.AWAITING_SIGN_OFF
    plan.save(update_fields=["status"])
    totals = plan_totals(plan)
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="support_plan",
        object_id=plan.pk,
        person_id=plan.person_id,
        summary=f"Sent the plan for sign-off ({pounds(totals.weekly_pence)} a week against a budget of "
        f"{pounds(totals.budget_weekly_pence)})",
        changes={"Status": ["Being written", "Waiting for sign-off"]},
    )
    return plan


@transaction.atomic
def plan_approve(*, actor: User, plan: SupportPlan) -> SupportPlan:
    """Within budget a practitioner may approve; over budget needs a manager within their limit."""
    if plan.status != SupportPlan.Status.AWAITING_SIGN_OFF:
        raise PlanError("Only a plan waiting for sign-off can be approved")
    totals = plan_totals(plan)
    if totals.over_budget:
        if not user_can(actor, "allocation.sign_off"):
            raise PlanError(OVER_BUDGET_NEEDS_MANAGER)
        limit = getattr(getattr(actor, "profile", None), "sign_off_limit_weekly_pence", None)
        if limit is not None and totals.weekly_pence > limit:
            raise PlanError(
                f"This plan is above your sign-off limit of {pounds(limit)} a week: it needs the panel"
            )
    plan.status, plan.approved_by, plan.approved_at = (
        SupportPlan.Status.APPROVED,
        actor,
        timezone.now(),
    )
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    reviews_schedule(plan, timezone.localdate())
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="support_plan",
        object_id=plan.pk,
        person_id=plan.person_id,
        summary=f"Approved the support plan ({pounds(totals.weekly_pence)} a week)",
        changes={"Status": ["Waiting for sign-off", "Approved"]},
    )
    return plan


SWITCH_SAME = "Choose a different provider or way of holding"
SWITCH_NEEDS_APPROVED_PLAN = "Switching applies to an approved plan"
SWITCH_REASON_NEEDED = "Select at least one reason, or explain in the note"
UNDO_TOO_LATE = "The switch has taken effect: make a new switch instead"


def pro_rata(weekly_pence: int, effective_date: dt.date) -> tuple[int, int]:
    """The week (Monday to Sunday) of a switch, shared by days: (old part, new part)."""
    days_before = effective_date.weekday()  # Monday is 0: a Monday switch is all new
    old_part = (weekly_pence * days_before * 2 + 7) // 14
    return old_part, weekly_pence - old_part


def arrangement_on(line: PlanLine, on: dt.date) -> tuple[str, Any, str]:
    """(way of holding, provider, provided by) of a line on a date, after any switches."""
    deployment, provider, provided_by = line.deployment, line.provider, line.provided_by
    for switch in line.switches.all():
        if switch.undone_at is None and switch.effective_date <= on:
            deployment, provider, provided_by = (
                switch.to_deployment,
                switch.to_provider,
                switch.to_provided_by,
            )
    return deployment, provider, provided_by


@transaction.atomic
def line_switch(
    *,
    actor: User,
    line: PlanLine,
    effective_date: dt.date,
    deployment: str,
    provider: Any,
    provided_by: str,
    reasons: list[str],
    note: str = "",
) -> LineSwitch:
    if line.plan.status != SupportPlan.Status.APPROVED:
        raise PlanError(SWITCH_NEEDS_APPROVED_PLAN)
    if not reasons and not note.strip():
        raise PlanError(SWITCH_REASON_NEEDED, field="reasons")
    current = arrangement_on(line, effective_date)
    if (deployment, provider, provided_by.strip()) == (current[0], current[1], current[2]):
        raise PlanError(SWITCH_SAME, field="deployment")
    old_part, new_part = pro_rata(line.weekly_cost_pence, effective_date)
    switch = LineSwitch.objects.create(
        line=line,
        effective_date=effective_date,
        from_deployment=current[0],
        to_deployment=deployment,
        from_provider=current[1],
        to_provider=provider,
        from_provided_by=current[2],
        to_provided_by=provided_by.strip(),
        reasons=sorted(reasons),
        note=note.strip(),
        old_part_pence=old_part,
        new_part_pence=new_part,
        switched_by=actor,
    )
    names = streams.DEPLOYMENTS
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="plan_line",
        object_id=line.pk,
        person_id=line.plan.person_id,
        summary=f"Switched '{line.description}' from {effective_date:%-d %B %Y}",
        changes={
            "Way of holding": [names[current[0]], names[deployment]],
            "Provider": [str(current[1] or current[2] or "—"), str(provider or provided_by or "—")],
        },
    )
    return switch


@transaction.atomic
def line_switch_undo(
    *, actor: User, switch: LineSwitch, today: dt.date | None = None
) -> LineSwitch:
    """Undo a switch during its notice period, before it takes effect."""
    if (today or timezone.localdate()) >= switch.effective_date or switch.undone_at is not None:
        raise PlanError(UNDO_TOO_LATE)
    switch.undone_at, switch.undone_by = timezone.now(), actor
    switch.save(update_fields=["undone_at", "undone_by"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="plan_line",
        object_id=switch.line_id,
        person_id=switch.line.plan.person_id,
        summary=f"Undid the switch of '{switch.line.description}'",
    )
    return switch


def holding_mix(plan: SupportPlan, on: dt.date) -> dict[str, int]:
    """Weekly cost by way of holding on a date: one budget, however it is held."""
    mix: dict[str, int] = {}
    for line in plan.lines.all():
        deployment = arrangement_on(line, on)[0]
        mix[deployment] = mix.get(deployment, 0) + line.weekly_cost_pence
    return mix


# Review timescales (Care Act guidance ch.13 and the Direct Payments Regulations; local
# councils may change them): days after a plan is approved.
REVIEW_AFTER_DAYS = {"light_touch": 8 * 7, "direct_payment": 182, "annual": 365}
TRIGGERED_WITHIN_DAYS = 14
OUTCOME_RESULTS = {"met": "Met", "partly": "Partly met", "not_met": "Not met"}


def reviews_schedule(plan: SupportPlan, approved_on: dt.date) -> list[Review]:
    """A light-touch review 6 to 8 weeks after approval, a direct payment's first review
    within 6 months (when the plan has one), and an annual review. The direct payment review
    is aligned with the plan: it is the same review when they fall due together."""
    due = [("light_touch", approved_on + dt.timedelta(days=REVIEW_AFTER_DAYS["light_touch"]))]
    has_direct_payment = any(line.deployment == "direct_payment" for line in plan.lines.all())
    if has_direct_payment:
        due.append(
            ("direct_payment", approved_on + dt.timedelta(days=REVIEW_AFTER_DAYS["direct_payment"]))
        )
    due.append(("annual", approved_on + dt.timedelta(days=REVIEW_AFTER_DAYS["annual"])))
    return [Review.objects.create(plan=plan, kind=kind, due_date=when) for kind, when in due]


@transaction.atomic
def review_request(*, actor: User, plan: SupportPlan, kind: str, reason: str) -> Review:
    """A review the person asks for, or a change of circumstances, safeguarding concern or monitoring flag."""
    if kind not in {
        Review.Kind.REQUESTED,
        Review.Kind.CHANGE,
        Review.Kind.SAFEGUARDING,
        Review.Kind.MONITORING,
    }:
        raise PlanError("Select why a review is needed", field="kind")
    if not reason.strip():
        raise PlanError("Say why a review is needed", field="reason")
    review = Review.objects.create(
        plan=plan,
        kind=kind,
        reason=reason.strip(),
        due_date=timezone.localdate() + dt.timedelta(days=TRIGGERED_WITHIN_DAYS),
    )
    if kind == Review.Kind.SAFEGUARDING:
        # A safeguarding concern goes to the practitioner's manager as well.
        work_item_add(
            title="Safeguarding concern raised: check the review",
            kind="safeguarding",
            person=plan.person,
            for_role=Role.MANAGER,
            due_date=review.due_date,
        )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="review",
        object_id=review.pk,
        person_id=plan.person_id,
        summary=f"{review.get_kind_display()}: a review is due by {review.due_date:%-d %B %Y}",
        changes={"Reason": [None, review.reason]},
    )
    return review


@transaction.atomic
def review_complete(
    *,
    actor: User,
    review: Review,
    outcomes_met: dict[str, str],
    changes: str,
    reassessment_needed: bool,
    completed_on: dt.date,
) -> Review:
    if review.status == Review.Status.DONE:
        raise PlanError("This review has already been recorded")
    expected = {str(o.pk) for o in review.plan.outcomes.all()}
    if set(outcomes_met) != expected or any(
        v not in OUTCOME_RESULTS for v in outcomes_met.values()
    ):
        raise PlanError("Say whether each outcome was met", field="outcomes")
    review.status, review.outcomes_met, review.changes = (
        Review.Status.DONE,
        outcomes_met,
        changes.strip(),
    )
    review.reassessment_needed, review.completed_by, review.completed_on = (
        reassessment_needed,
        actor,
        completed_on,
    )
    review.save()
    if reassessment_needed:
        work_item_add(
            title="Reassess after a review",
            kind="reassessment",
            person=review.plan.person,
            for_role=Role.PRACTITIONER,
            due_date=completed_on + dt.timedelta(days=28),
        )
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="review",
        object_id=review.pk,
        person_id=review.plan.person_id,
        summary=f"Recorded the {review.get_kind_display().lower()}",
        changes={"Outcomes": [None, ", ".join(OUTCOME_RESULTS[v] for v in outcomes_met.values())]},
    )
    return review
