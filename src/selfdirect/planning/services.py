"""Writing and approving support plans: one transaction each, audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.access.selectors import user_can
from selfdirect.access.services import work_item_add
from selfdirect.allocation.models import Allocation
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.money import pounds
from selfdirect.notify.models import Message
from selfdirect.notify.services import notification_send
from selfdirect.people.codes import REPRESENTATIVE_KINDS, RelationshipKind
from selfdirect.people.models import Relationship
from selfdirect.planning import streams
from selfdirect.planning.models import (
    LineSwitch,
    PlanLine,
    PlanOutcome,
    Review,
    SupportPlan,
    line_cost_pence,
)
from selfdirect.planning.signals import plan_change_checked, plan_costs_asked, plan_superseded
from selfdirect.refusals import Refused, lost_race_refused

BUDGET_NOT_APPROVED = "The indicative budget must be signed off before a plan is written"
END_DATE_NEEDED = "A fast-track or temporary plan needs the date it ends"
END_BEFORE_START = "The end date must be after the start date"
PLAN_CLOSED = "This plan has been sent for sign-off or approved: make a new version to change it"
NO_LINES = "Add at least one line before sending the plan for sign-off"
VARIANCE_REASON_NEEDED = "Explain why the plan costs more than the budget"
OVER_BUDGET_NEEDS_MANAGER = "The plan costs more than the budget: a team manager must sign it off"
NOT_AWAITING_SIGN_OFF = "Only a plan waiting for sign-off can be approved"
ABOVE_APPROVAL_LIMIT = (
    "This plan is above your sign-off limit of {limit} a week: it needs the panel"
)
OWN_PLAN = "You wrote this plan, so someone else must approve it"
START_FIXED = "This version has been approved: its start date is fixed"
LAPSE_WARNING_DAYS = 14
MUST_FIT_NEW_BUDGET = (
    "The review changed the personal budget to {budget} a week: change the plan so its "
    "cost fits it before sending it for sign-off"
)


class PlanError(Refused):
    """A support plan change refused by a rule."""


@dataclass(frozen=True)
class HoldingCost:
    """A weekly cost the budget pays on top of the plan's lines, held in one way: the fee
    an organisation charges for holding an ISF or a third-party managed account (decision
    0030). Answered by the apps built on planning through ``plan_costs_asked``."""

    label: str
    deployment: str
    weekly_pence: int


def holding_costs(plan: SupportPlan, on: dt.date | None = None) -> list[HoldingCost]:
    """The costs on top of the plan's lines: for the version as written (every agreement not
    ended), or in force on a date."""
    costs: list[HoldingCost] = []
    for _receiver, answered in plan_costs_asked.send(sender=SupportPlan, plan=plan, on=on):
        costs.extend(c for c in answered or [] if isinstance(c, HoldingCost))
    return [c for c in costs if c.weekly_pence > 0]


@dataclass
class Totals:
    """What the plan costs from the personal budget (streams integrated in the RAS or
    recharged) against that budget, and what is funded alongside it (aligned streams such as
    the Independent Living Fund or Access to Work, awarded and paid separately)."""

    weekly_pence: int = 0
    one_off_pence: int = 0
    provisional_weekly_pence: int = 0
    alongside_weekly_pence: int = 0
    alongside_one_off_pence: int = 0
    by_stream: dict[str, int] = field(default_factory=dict)
    budget_weekly_pence: int = 0
    # Fees for holding the budget (an ISF's, a managed account's): in weekly_pence too.
    holding_costs: list[HoldingCost] = field(default_factory=list)

    @property
    def variance_pence(self) -> int:
        return self.weekly_pence - self.budget_weekly_pence

    @property
    def over_budget(self) -> bool:
        return self.variance_pence > 0


def plan_budget_weekly_pence(plan: SupportPlan) -> int:
    """The personal budget this version is written against: the amount a review changed it
    to, or else the signed-off amount of its budget."""
    if plan.budget_weekly_pence is not None:
        return plan.budget_weekly_pence
    return plan.allocation.agreed_weekly_pence or plan.allocation.indicative_weekly_pence


def plan_totals(plan: SupportPlan) -> Totals:
    totals = Totals(budget_weekly_pence=plan_budget_weekly_pence(plan))
    for line in plan.lines.all():
        if streams.rule_on(line.funding_stream, plan.starts_on).counts_against_budget:
            totals.weekly_pence += line.weekly_cost_pence
            totals.one_off_pence += line.one_off_cost_pence
        else:
            totals.alongside_weekly_pence += line.weekly_cost_pence
            totals.alongside_one_off_pence += line.one_off_cost_pence
        if line.provisional:
            totals.provisional_weekly_pence += line.weekly_cost_pence
        totals.by_stream[line.funding_stream] = (
            totals.by_stream.get(line.funding_stream, 0) + line.weekly_cost_pence
        )
    # What holding the budget costs counts against it like a line (decision 0030).
    totals.holding_costs = holding_costs(plan)
    totals.weekly_pence += sum(c.weekly_pence for c in totals.holding_costs)
    return totals


def _next_version(person_id: int) -> int:
    latest = SupportPlan.objects.filter(person_id=person_id).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


def _open(plan: SupportPlan) -> None:
    if plan.status != SupportPlan.Status.DRAFT:
        raise PlanError(PLAN_CLOSED)


def _changeable(plan: SupportPlan) -> None:
    """A version being written whose outcomes and lines may change now: open, and no app
    built on planning holds something tied to its figures (budgets: a notice)."""
    _open(plan)
    for _receiver, refusal in plan_change_checked.send(sender=SupportPlan, plan=plan):
        if refusal:
            raise PlanError(str(refusal))


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
    holding_options_offered: list[str] | None = None,
) -> SupportPlan:
    if allocation.status != Allocation.Status.APPROVED:
        raise PlanError(BUDGET_NOT_APPROVED)
    if kind != SupportPlan.Kind.STANDARD and ends_on is None:
        raise PlanError(END_DATE_NEEDED, field="ends_on")
    if ends_on is not None and ends_on <= starts_on:
        raise PlanError(END_BEFORE_START, field="ends_on")
    version = _next_version(allocation.person_id)
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
        holding_options_offered=sorted(holding_options_offered or []),
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
    _changeable(_locked(plan))
    outcome = PlanOutcome.objects.create(plan=plan, added_by=actor, **fields)
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
    _changeable(_locked(plan))
    rule = streams.rule_on(fields["funding_stream"], plan.starts_on)
    reason = streams.refusal(rule, fields["category"])
    if reason:
        raise PlanError(reason, field="category")
    route = streams.route_refusal(rule, fields.get("deployment", "council_commissioned"))
    if route:
        raise PlanError(route, field="deployment")
    line = PlanLine.objects.create(plan=plan, added_by=actor, **fields)
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


STALE_EDIT = "Someone else changed this since you opened it: look at it again and make your change"
LINE_GONE = "This line has been removed from the plan"
OUTCOME_GONE = "This outcome has been removed from the plan"
OUTCOME_HAS_LINES = (
    "{lines} {verb} this outcome: choose the outcome {pronoun} will meet instead, "
    "or change {pronoun} first"
)
MOVE_TO_SAME = "Choose a different outcome for the lines to meet"
LINE_IN_USE = "This line pays a share of a pooled budget: end the share before removing it"

LINE_FIELDS = (
    "description",
    "category",
    "outcome",
    "provider",
    "provided_by",
    "unit",
    "unit_cost_pence",
    "quantity_hundredths",
    "funding_stream",
    "provisional",
    "deployment",
)
OUTCOME_FIELDS = ("in_their_words", "eligibility_outcome", "how_met", "informal_support")
FIELD_NAMES = {
    "description": "What it is",
    "category": "Kind of support",
    "outcome": "The outcome it meets",
    "provider": "Provider",
    "provided_by": "Who provides it",
    "unit": "Paid by",
    "unit_cost_pence": "Cost of each unit",
    "quantity_hundredths": "How many units",
    "funding_stream": "Paid for by",
    "provisional": "Provisional",
    "deployment": "How it is held",
    "in_their_words": "Outcome",
    "eligibility_outcome": "Eligibility outcome",
    "how_met": "How it will be met",
    "informal_support": "Support that costs nothing",
}


def _shown(name: str, value: Any) -> str | None:
    if value in (None, ""):
        return None
    if name == "unit_cost_pence":
        return pounds(value)
    if name == "quantity_hundredths":
        return f"{value / 100:g}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def edit_fingerprint(record: PlanLine | PlanOutcome) -> str:
    """What the record held when a form was shown: an edit made from an older look is
    refused (a stale edit), however the two requests interleave."""
    import hashlib

    names = LINE_FIELDS if isinstance(record, PlanLine) else OUTCOME_FIELDS
    values = [str(getattr(record, f"{n}_id" if n in ("outcome", "provider") else n)) for n in names]
    return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:32]


def _changes(record: Any, fields: dict[str, Any], names: tuple[str, ...]) -> dict[str, list[Any]]:
    changed = {}
    for name in names:
        if name not in fields:
            continue
        before, after = getattr(record, name), fields[name]
        if before != after:
            changed[FIELD_NAMES[name]] = [_shown(name, before), _shown(name, after)]
    return changed


def _fresh_line(plan: SupportPlan, line: PlanLine, seen: str) -> PlanLine:
    _changeable(_locked(plan))
    current = PlanLine.objects.filter(pk=line.pk, plan=plan).first()
    if current is None:
        raise PlanError(LINE_GONE)
    if edit_fingerprint(current) != seen:
        raise PlanError(STALE_EDIT)
    return current


def _fresh_outcome(plan: SupportPlan, outcome: PlanOutcome, seen: str) -> PlanOutcome:
    _changeable(_locked(plan))
    current = PlanOutcome.objects.filter(pk=outcome.pk, plan=plan).first()
    if current is None:
        raise PlanError(OUTCOME_GONE)
    if edit_fingerprint(current) != seen:
        raise PlanError(STALE_EDIT)
    return current


@transaction.atomic
def line_edit(*, actor: User, line: PlanLine, fields: dict[str, Any], seen: str) -> PlanLine:
    """Change a line of a draft (a new version is a draft): checked as a new line is, and
    refused if it changed since the form was shown."""
    plan = line.plan
    current = _fresh_line(plan, line, seen)
    # Only what is given changes; the rest stays as the line has it.
    fields = {**{n: getattr(current, n) for n in LINE_FIELDS}, **fields}
    rule = streams.rule_on(fields["funding_stream"], plan.starts_on)
    reason = streams.refusal(rule, fields["category"])
    if reason:
        raise PlanError(reason, field="category")
    route = streams.route_refusal(rule, fields.get("deployment", current.deployment))
    if route:
        raise PlanError(route, field="deployment")
    if fields.get("outcome") is not None and fields["outcome"].plan_id != plan.pk:
        raise PlanError(OUTCOME_GONE, field="outcome")
    changes = _changes(current, fields, LINE_FIELDS)
    before_cost = current.cost_words
    for name, value in fields.items():
        setattr(current, name, value)
    current.edited_by = actor
    current.save()
    if current.cost_words != before_cost:
        changes["Cost"] = [before_cost, current.cost_words]
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="plan_line",
        object_id=current.pk,
        person_id=plan.person_id,
        summary=f"Changed '{current.description}' in version {plan.version} of the support plan",
        changes=changes,
    )
    return current


@transaction.atomic
def line_remove(*, actor: User, line: PlanLine, seen: str) -> None:
    """Take a line out of a draft (or new version); an approved version is never changed."""
    from django.db.models import ProtectedError

    plan = line.plan
    current = _fresh_line(plan, line, seen)
    description, cost, pk = current.description, current.cost_words, current.pk
    try:
        with transaction.atomic():
            current.delete()
    except ProtectedError as in_use:
        raise PlanError(LINE_IN_USE) from in_use
    event_record(
        actor=actor,
        action=Action.DELETE,
        object_type="plan_line",
        object_id=pk,
        person_id=plan.person_id,
        summary=f"Removed '{description}' from version {plan.version} of the support plan",
        changes={"Line": [f"{description}: {cost}", None]},
    )


@transaction.atomic
def outcome_edit(
    *, actor: User, outcome: PlanOutcome, fields: dict[str, Any], seen: str
) -> PlanOutcome:
    plan = outcome.plan
    current = _fresh_outcome(plan, outcome, seen)
    changes = _changes(current, fields, OUTCOME_FIELDS)
    for name, value in fields.items():
        setattr(current, name, value)
    current.edited_by = actor
    current.save()
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="plan_outcome",
        object_id=current.pk,
        person_id=plan.person_id,
        summary=f"Changed an outcome in version {plan.version} of the support plan",
        changes=changes,
    )
    return current


@transaction.atomic
def outcome_remove(
    *, actor: User, outcome: PlanOutcome, seen: str, move_lines_to: PlanOutcome | None = None
) -> None:
    """Take an outcome out of a draft. Lines that meet it are moved to the outcome chosen;
    with none chosen, the removal is refused, naming them, so no line is left meeting
    nothing without a word."""
    plan = outcome.plan
    current = _fresh_outcome(plan, outcome, seen)
    lines = list(current.lines.order_by("id"))
    changes: dict[str, list[Any]] = {"Outcome": [current.in_their_words, None]}
    if lines:
        if move_lines_to is None:
            named = ", ".join(f"‘{line.description}’" for line in lines)
            plural = len(lines) > 1
            raise PlanError(
                OUTCOME_HAS_LINES.format(
                    lines=named,
                    verb="meet" if plural else "meets",
                    pronoun="they" if plural else "it",
                ),
                field="move_lines_to",
            )
        if move_lines_to.pk == current.pk or move_lines_to.plan_id != plan.pk:
            raise PlanError(MOVE_TO_SAME, field="move_lines_to")
        PlanLine.objects.filter(pk__in=[line.pk for line in lines]).update(
            outcome=move_lines_to, edited_by=actor
        )
        changes["Lines moved"] = [
            ", ".join(line.description for line in lines),
            f"now meet ‘{move_lines_to.in_their_words}’",
        ]
    pk, words = current.pk, current.in_their_words
    current.delete()
    event_record(
        actor=actor,
        action=Action.DELETE,
        object_type="plan_outcome",
        object_id=pk,
        person_id=plan.person_id,
        summary=f"Removed an outcome from version {plan.version} of the support plan: {words[:60]}",
        changes=changes,
    )


@transaction.atomic
def plan_submit(*, actor: User, plan: SupportPlan, variance_reason: str = "") -> SupportPlan:
    """Send for sign-off; a plan over budget must say why, for whoever signs it off."""
    _open(_locked(plan))
    if not plan.lines.exists():
        raise PlanError(NO_LINES)
    totals = plan_totals(plan)
    if plan.from_review_id is not None and totals.over_budget:
        raise PlanError(MUST_FIT_NEW_BUDGET.format(budget=pounds(totals.budget_weekly_pence)))
    if totals.over_budget and not variance_reason.strip():
        raise PlanError(VARIANCE_REASON_NEEDED, field="variance_reason")
    plan.status = SupportPlan.Status.AWAITING_SIGN_OFF
    plan.variance_reason = variance_reason.strip()
    plan.submitted_by = actor
    plan.save(update_fields=["status", "variance_reason", "submitted_by"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="support_plan",
        object_id=plan.pk,
        person_id=plan.person_id,
        summary=f"Sent the plan for sign-off ({pounds(totals.weekly_pence)} a week against a budget of "
        f"{pounds(totals.budget_weekly_pence)})",
        changes={
            "Status": ["Being written", "Waiting for sign-off"],
            **(
                {"Why it differs from the budget": [None, plan.variance_reason]}
                if plan.variance_reason
                else {}
            ),
        },
    )
    return plan


def plan_writers(plan: SupportPlan) -> set[int]:
    """Who wrote this version (decision 0007): whoever created it, added an outcome or a line
    to it (not one carried over from the approved version before), or sent it for sign-off."""
    writers = {plan.created_by_id, plan.submitted_by_id}
    writers |= set(
        plan.outcomes.filter(copied_from__isnull=True).values_list("added_by_id", flat=True)
    )
    writers |= set(
        plan.lines.filter(copied_from__isnull=True).values_list("added_by_id", flat=True)
    )
    # Whoever changed an outcome or a line of this version wrote it too.
    writers |= set(plan.outcomes.values_list("edited_by_id", flat=True))
    writers |= set(plan.lines.values_list("edited_by_id", flat=True))
    return {w for w in writers if w is not None}


def plan_approve_refusal(actor: User, plan: SupportPlan, totals: Totals) -> str | None:
    """Why this user may not approve this plan now, or None: the one rule for the service
    and for the page, which shows the reason instead of a button."""
    if plan.status != SupportPlan.Status.AWAITING_SIGN_OFF:
        return NOT_AWAITING_SIGN_OFF
    if totals.over_budget:
        if not user_can(actor, "allocation.sign_off"):
            return OVER_BUDGET_NEEDS_MANAGER
        limit = getattr(getattr(actor, "profile", None), "sign_off_limit_weekly_pence", None)
        if limit is not None and totals.weekly_pence > limit:
            return ABOVE_APPROVAL_LIMIT.format(limit=pounds(limit))
    own_allowed = settings.SELFDIRECT_ALLOW_OWN_PLAN_APPROVAL_WITHIN_BUDGET
    if actor.pk in plan_writers(plan) and (totals.over_budget or not own_allowed):
        return OWN_PLAN
    return None


@transaction.atomic
def plan_start_defer(
    *, actor: User, plan: SupportPlan, starts_on: dt.date, why: str
) -> SupportPlan:
    """Start a version not yet approved on a later date (a notice of the reduction it
    brings in takes effect then): until that day the version before it stays in force,
    so the figures every page shows match the letter's. An earlier date changes nothing."""
    plan = _locked(plan)
    if plan.status not in (SupportPlan.Status.DRAFT, SupportPlan.Status.AWAITING_SIGN_OFF):
        raise PlanError(START_FIXED)
    if starts_on <= plan.starts_on:
        return plan
    before = plan.starts_on
    plan.starts_on = starts_on
    plan.save(update_fields=["starts_on"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="support_plan",
        object_id=plan.pk,
        person_id=plan.person_id,
        summary=f"Version {plan.version} starts on {starts_on:%-d %B %Y}: {why}",
        changes={"Start date": [f"{before:%-d %B %Y}", f"{starts_on:%-d %B %Y}"]},
    )
    return plan


def _locked(plan: SupportPlan) -> SupportPlan:
    """The plan's row, locked until the transaction ends and read again after the lock: a
    change made meanwhile by another request is seen before this one decides anything."""
    SupportPlan.objects.select_for_update().filter(pk=plan.pk).values_list("pk").get()
    plan.refresh_from_db()
    return plan


@lost_race_refused(lambda **_: PlanError(NOT_AWAITING_SIGN_OFF))
@transaction.atomic
def plan_approve(*, actor: User, plan: SupportPlan) -> SupportPlan:
    """Within budget a practitioner may approve; over budget needs a manager within their
    limit; nobody approves a plan they wrote (unless the council allows it within budget)."""
    plan = _locked(plan)
    totals = plan_totals(plan)
    refusal = plan_approve_refusal(actor, plan, totals)
    if refusal:
        raise PlanError(refusal)
    plan.status, plan.approved_by, plan.approved_at = (
        SupportPlan.Status.APPROVED,
        actor,
        timezone.now(),
    )
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    superseded = _supersede_previous(plan)
    reviews_schedule(plan, timezone.localdate())
    notification_send(
        actor=actor,
        person=plan.person,
        kind=Message.Kind.PLAN,
        subject="{Whose} support plan has been approved",
        body=f"Version {plan.version} of {{whose}} support plan is approved. It says what "
        "matters, the support that meets it and what it costs.",
        key=f"plan-{plan.pk}-approved",
        link=reverse("planning:detail", kwargs={"plan_id": plan.pk}),
    )
    # The approved version's PDF is made once it is committed, and kept as it was.
    transaction.on_commit(lambda: _document_make(plan, actor), robust=True)
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="support_plan",
        object_id=plan.pk,
        person_id=plan.person_id,
        summary=f"Approved the support plan ({pounds(totals.weekly_pence)} a week)"
        + (f"; it replaces version {superseded.version}" if superseded else ""),
        changes={"Status": ["Waiting for sign-off", "Approved"]},
    )
    return plan


def _document_make(plan: SupportPlan, actor: User) -> None:
    from selfdirect.planning.documents import plan_document_get

    plan_document_get(plan=plan, actor=actor)


def _supersede_previous(plan: SupportPlan) -> SupportPlan | None:
    """The approved version this one replaces stays readable, marked replaced; its scheduled
    reviews give way to the new plan's (reviews asked for or triggered stay open)."""
    if plan.previous_id is None:
        return None
    previous = SupportPlan.objects.select_for_update().get(pk=plan.previous_id)
    if previous.status != SupportPlan.Status.APPROVED:
        return None
    previous.status = SupportPlan.Status.SUPERSEDED
    previous.save(update_fields=["status"])
    previous.reviews.filter(status=Review.Status.DUE, kind__in=SCHEDULED_KINDS).update(
        status=Review.Status.REPLACED
    )
    plan_superseded.send(sender=SupportPlan, plan=plan)  # budgets moves the pool shares
    return previous


NEWER_VERSION_EXISTS = (
    "A newer version of this plan is already being written or waiting for sign-off"
)
REVISE_NEEDS_APPROVED = "Only an approved plan can be changed by making a new version"


@lost_race_refused(lambda **_: PlanError(NEWER_VERSION_EXISTS))
@transaction.atomic
def plan_revise(*, actor: User, plan: SupportPlan, today: dt.date | None = None) -> SupportPlan:
    """A new draft version of an approved plan with everything carried over: the outcomes, the
    lines as they are held today (after any switches), contingency and risks. Nothing is
    re-entered; the approved version stays as it was."""
    today = today or timezone.localdate()
    if _locked(plan).status != SupportPlan.Status.APPROVED:
        raise PlanError(REVISE_NEEDS_APPROVED)
    if SupportPlan.objects.filter(
        person=plan.person,
        version__gt=plan.version,
        status__in=[SupportPlan.Status.DRAFT, SupportPlan.Status.AWAITING_SIGN_OFF],
    ).exists():
        raise PlanError(NEWER_VERSION_EXISTS)
    latest_budget = (
        Allocation.objects.filter(person=plan.person, status=Allocation.Status.APPROVED)
        .order_by("-id")
        .first()
    )
    version = _next_version(plan.person_id)
    revised = SupportPlan.objects.create(
        person=plan.person,
        allocation=latest_budget or plan.allocation,
        version=version,
        previous=plan,
        kind=plan.kind,
        led_by=plan.led_by,
        starts_on=max(today, plan.starts_on),
        ends_on=plan.ends_on,
        contingency=plan.contingency,
        risks_to_person=plan.risks_to_person,
        financial_risks=plan.financial_risks,
        holding_options_offered=plan.holding_options_offered,
        safeguarding_concern=plan.safeguarding_concern,
        safeguarding_note=plan.safeguarding_note,
        # A budget a review changed stays the budget until a newer one is signed off.
        budget_weekly_pence=plan.budget_weekly_pence
        if latest_budget is None or latest_budget.pk == plan.allocation_id
        else None,
        created_by=actor,
    )
    outcome_copies: dict[int, PlanOutcome] = {}
    for outcome in plan.outcomes.all():
        outcome_copies[outcome.pk] = PlanOutcome.objects.create(
            plan=revised,
            copied_from=outcome,
            added_by=outcome.added_by,
            in_their_words=outcome.in_their_words,
            eligibility_outcome=outcome.eligibility_outcome,
            how_met=outcome.how_met,
            informal_support=outcome.informal_support,
        )
    for line in plan.lines.all():
        deployment, provider, provided_by = arrangement_on(line, revised.starts_on)
        PlanLine.objects.create(
            plan=revised,
            copied_from=line,
            outcome=outcome_copies.get(line.outcome_id) if line.outcome_id else None,
            description=line.description,
            category=line.category,
            provider=provider,
            provided_by=provided_by,
            unit=line.unit,
            # A switch to a provider who charges differently carries its price over.
            unit_cost_pence=unit_cost_on(line, revised.starts_on),
            quantity_hundredths=line.quantity_hundredths,
            funding_stream=line.funding_stream,
            provisional=line.provisional,
            deployment=deployment,
        )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="support_plan",
        object_id=revised.pk,
        person_id=plan.person_id,
        summary=f"Started version {version} of the support plan from version {plan.version}",
    )
    return revised


SAFEGUARDING_NOTE_NEEDED = "Say what the safeguarding concern is"


@transaction.atomic
def plan_safeguarding_flag(*, actor: User, plan: SupportPlan, note: str) -> SupportPlan:
    """Flag a safeguarding concern on the plan: it goes to the practitioner's manager."""
    if not note.strip():
        raise PlanError(SAFEGUARDING_NOTE_NEEDED, field="note")
    before = plan.safeguarding_note
    plan.safeguarding_concern, plan.safeguarding_note = True, note.strip()
    plan.save(update_fields=["safeguarding_concern", "safeguarding_note"])
    work_item_add(
        title="Safeguarding concern flagged on a support plan: decide what happens next",
        kind="safeguarding",
        person=plan.person,
        for_role=Role.MANAGER,
        due_date=timezone.localdate() + dt.timedelta(days=1),
    )
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="support_plan",
        object_id=plan.pk,
        person_id=plan.person_id,
        summary="Flagged a safeguarding concern on the support plan",
        changes={"Safeguarding concern": [before or None, plan.safeguarding_note]},
    )
    return plan


@transaction.atomic
def plan_safeguarding_clear(*, actor: User, plan: SupportPlan, note: str) -> SupportPlan:
    """A manager records what was done and clears the flag."""
    if not user_can(actor, "allocation.sign_off"):
        raise PlanError("Only a team manager can clear a safeguarding concern")
    if not note.strip():
        raise PlanError("Say what was done about the concern", field="note")
    before = plan.safeguarding_note
    plan.safeguarding_concern = False
    plan.safeguarding_note = f"{before}\n\nCleared: {note.strip()}".strip()
    plan.save(update_fields=["safeguarding_concern", "safeguarding_note"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="support_plan",
        object_id=plan.pk,
        person_id=plan.person_id,
        summary="Cleared the safeguarding concern on the support plan",
        changes={"Safeguarding concern": ["Yes", "No"], "What was done": [None, note.strip()]},
    )
    return plan


SWITCH_SAME = "Choose a different provider or way of holding"
SWITCH_NEEDS_APPROVED_PLAN = "Switching applies to an approved plan"
SWITCH_REASON_NEEDED = "Select at least one reason, or explain in the note"
UNDO_TOO_LATE = "The switch has taken effect: make a new switch instead"


def pro_rata(
    weekly_pence: int, effective_date: dt.date, new_weekly_pence: int | None = None
) -> tuple[int, int]:
    """The week (Monday to Sunday) of a switch, shared by days: (old part, new part). The
    old arrangement is due its weekly cost for the days before the switch, the new one its
    own weekly cost (which a new provider's price may change) for the days from it."""
    days_before = effective_date.weekday()  # Monday is 0: a Monday switch is all new
    old_part = (weekly_pence * days_before * 2 + 7) // 14
    if new_weekly_pence is None:
        return old_part, weekly_pence - old_part
    new_before = (new_weekly_pence * days_before * 2 + 7) // 14
    return old_part, new_weekly_pence - new_before


def unit_cost_on(line: PlanLine, on: dt.date) -> int:
    """The cost of a unit of a line on a date, after any switch that changed it."""
    cost = line.unit_cost_pence
    for switch in line.switches.all():
        if (
            switch.undone_at is None
            and switch.effective_date <= on
            and switch.to_unit_cost_pence is not None
        ):
            cost = switch.to_unit_cost_pence
    return cost


def weekly_cost_on(line: PlanLine, on: dt.date) -> int:
    """A line's weekly cost on a date (a one-off line costs nothing a week)."""
    if line.is_one_off:
        return 0
    return line_cost_pence(unit_cost_on(line, on), line.quantity_hundredths)


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


@lost_race_refused(lambda **_: PlanError(SWITCH_SAME, field="deployment"))
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
    unit_cost_pence: int | None = None,
) -> LineSwitch:
    # The line's row is locked and read again: a switch made meanwhile is seen.
    PlanLine.objects.select_for_update().filter(pk=line.pk).values_list("pk").get()
    line.refresh_from_db()
    plan_status = SupportPlan.objects.filter(pk=line.plan_id).values_list("status", flat=True)
    if plan_status.get() != SupportPlan.Status.APPROVED:
        raise PlanError(SWITCH_NEEDS_APPROVED_PLAN)
    if not reasons and not note.strip():
        raise PlanError(SWITCH_REASON_NEEDED, field="reasons")
    current = arrangement_on(line, effective_date)
    if (deployment, provider, provided_by.strip()) == (current[0], current[1], current[2]):
        raise PlanError(SWITCH_SAME, field="deployment")
    route = streams.route_refusal(streams.rule_on(line.funding_stream, effective_date), deployment)
    if route:
        raise PlanError(route, field="deployment")
    cost_before = unit_cost_on(line, effective_date - dt.timedelta(days=1))
    new_cost = None if unit_cost_pence in (None, cost_before) else unit_cost_pence
    old_weekly = weekly_cost_on(line, effective_date - dt.timedelta(days=1))
    new_weekly = (
        None
        if new_cost is None or line.is_one_off
        else line_cost_pence(new_cost, line.quantity_hundredths)
    )
    old_part, new_part = pro_rata(old_weekly, effective_date, new_weekly)
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
        from_unit_cost_pence=cost_before if new_cost is not None else None,
        to_unit_cost_pence=new_cost,
        switched_by=actor,
    )
    if deployment == "direct_payment" and current[0] != "direct_payment":
        direct_payment_review_align(line.plan, effective_date)
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
            **(
                {"Cost of each unit": [pounds(cost_before), pounds(new_cost)]}
                if new_cost is not None
                else {}
            ),
            "The week of the switch": [
                None,
                f"{pounds(old_part)} to the old arrangement, {pounds(new_part)} to the new",
            ],
        },
    )
    return switch


@transaction.atomic
def line_switch_undo(
    *, actor: User, switch: LineSwitch, today: dt.date | None = None
) -> LineSwitch:
    """Undo a switch during its notice period, before it takes effect."""
    LineSwitch.objects.select_for_update().filter(pk=switch.pk).values_list("pk").get()
    switch.refresh_from_db()
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
        mix[deployment] = mix.get(deployment, 0) + weekly_cost_on(line, on)
    for cost in holding_costs(plan, on):
        # The fee is paid to the organisation holding the budget, with what it holds.
        mix[cost.deployment] = mix.get(cost.deployment, 0) + cost.weekly_pence
    return mix


# Review timescales: days after a plan is signed off. Statutory floors (Care Act guidance
# ch.13; Direct Payments Regulations 2014 reg 7) with local choices inside them; councils set
# them with SELFDIRECT_REVIEW_DAYS (settings.py).
REVIEW_LIMITS = {"light_touch": (42, 56), "direct_payment": (1, 182), "annual": (1, 365)}
SCHEDULED_KINDS = ("light_touch", "direct_payment", "annual")
TRIGGERED_WITHIN_DAYS = 14
REVIEW_NEEDS_APPROVED_PLAN = "Only an approved plan can be reviewed"
REVIEW_REASON_NEEDED = "Select why you are asking for a review"
OUTCOME_RESULTS = {"met": "Met", "partly": "Partly met", "not_met": "Not met"}


def review_days() -> dict[str, int]:
    """The council's review timescales, checked against the statutory limits."""
    days = {"light_touch": 56, "direct_payment": 182, "annual": 365}
    configured = getattr(settings, "SELFDIRECT_REVIEW_DAYS", {})
    unknown = sorted(set(configured) - set(days))
    if unknown:
        raise ValueError(
            f"SELFDIRECT_REVIEW_DAYS has unknown kinds {unknown}: use light_touch, "
            "direct_payment or annual"
        )
    days.update(configured)
    for kind, (low, high) in REVIEW_LIMITS.items():
        if not low <= days[kind] <= high:
            raise ValueError(
                f"SELFDIRECT_REVIEW_DAYS[{kind!r}] must be between {low} and {high} days"
            )
    return days


def review_dates(
    approved_on: dt.date, direct_payment_from: dt.date | None
) -> list[tuple[str, dt.date, bool]]:
    """(kind, due date, covers the direct payment) for a newly signed-off plan.

    A light-touch review 6 to 8 weeks after sign-off and an annual review. Plan and direct
    payment reviews are aligned: when the light-touch review falls within the direct
    payment's first 6 months it is also the direct payment's first review, and the annual
    review covers both; only a direct payment whose first 6 months end before the
    light-touch review gets a review of its own."""
    days = review_days()
    light = approved_on + dt.timedelta(days=days["light_touch"])
    annual = approved_on + dt.timedelta(days=days["annual"])
    if direct_payment_from is None:
        return [("light_touch", light, False), ("annual", annual, False)]
    dp_by = max(direct_payment_from, approved_on) + dt.timedelta(days=days["direct_payment"])
    if light <= dp_by:
        return [("light_touch", light, True), ("annual", annual, True)]
    return [
        ("direct_payment", dp_by, True),
        ("light_touch", light, False),
        ("annual", annual, True),
    ]


def reviews_schedule(plan: SupportPlan, approved_on: dt.date) -> list[Review]:
    dp_lines = [line for line in plan.lines.all() if line.deployment == "direct_payment"]
    starts = max(plan.starts_on, approved_on) if dp_lines else None
    return [
        Review.objects.create(plan=plan, kind=kind, due_date=when, covers_direct_payment=covers)
        for kind, when, covers in review_dates(approved_on, starts)
    ]


def direct_payment_review_align(plan: SupportPlan, starts_on: dt.date) -> Review:
    """A direct payment starting part-way through a plan (a line switched to it) is reviewed
    within its first 6 months: by the plan's next review when that falls in time, else by a
    review of its own."""
    by = starts_on + dt.timedelta(days=review_days()["direct_payment"])
    upcoming = (
        plan.reviews.filter(status=Review.Status.DUE, due_date__gte=starts_on, due_date__lte=by)
        .order_by("due_date")
        .first()
    )
    if upcoming is not None:
        if not upcoming.covers_direct_payment:
            upcoming.covers_direct_payment = True
            upcoming.save(update_fields=["covers_direct_payment"])
        return upcoming
    return Review.objects.create(
        plan=plan, kind=Review.Kind.DIRECT_PAYMENT, due_date=by, covers_direct_payment=True
    )


@transaction.atomic
def review_request(
    *, actor: User, plan: SupportPlan, kind: str = "", reason: str, asked_reason: str = ""
) -> Review:
    """A review the person asks for, or a change of circumstances, safeguarding concern or
    monitoring flag. The person, their representative or carer give ``asked_reason`` (one of
    planning.reasons, in their words), which sets the kind; staff give the kind."""
    from selfdirect.planning.reasons import BY_CODE, reason_words

    if asked_reason:
        if asked_reason not in BY_CODE:
            raise PlanError(REVIEW_REASON_NEEDED, field="asked_reason")
        kind = BY_CODE[asked_reason].kind
    if kind not in {
        Review.Kind.REQUESTED,
        Review.Kind.CHANGE,
        Review.Kind.SAFEGUARDING,
        Review.Kind.MONITORING,
    }:
        raise PlanError("Select why a review is needed", field="kind")
    if not reason.strip():
        raise PlanError("Say why a review is needed", field="reason")
    if plan.status != SupportPlan.Status.APPROVED:
        raise PlanError(REVIEW_NEEDS_APPROVED_PLAN)
    asked_as = review_asked_as(actor, plan)
    review = Review.objects.create(
        plan=plan,
        kind=kind,
        reason=reason.strip(),
        due_date=timezone.localdate() + dt.timedelta(days=TRIGGERED_WITHIN_DAYS),
        asked_by=actor if actor is not None and actor.pk is not None else None,
        asked_as=asked_as,
        asked_reason=asked_reason,
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
        changes={
            **(
                {"Why": [None, reason_words(asked_reason, asked_as, plan.person.given_name)]}
                if asked_reason
                else {}
            ),
            "Reason": [None, review.reason],
            "Asked by": [None, review.get_asked_as_display()],
        },
    )
    return review


def review_asked_as(actor: User | None, plan: SupportPlan) -> str:
    """Who asked for a review, in the person's terms: the person themselves, their
    representative, their carer, or their team (a member of staff or the system)."""
    profile = getattr(actor, "profile", None)
    own_id = profile.person_id if profile is not None else None
    if own_id is None:
        return Review.AskedAs.STAFF
    if own_id == plan.person_id:
        return Review.AskedAs.PERSON
    kinds = set(
        Relationship.objects.filter(person_id=plan.person_id, related_person_id=own_id)
        .current(timezone.localdate())
        .values_list("kind", flat=True)
    )
    if kinds & set(REPRESENTATIVE_KINDS):
        return Review.AskedAs.REPRESENTATIVE
    if RelationshipKind.UNPAID_CARER in kinds:
        return Review.AskedAs.CARER
    return Review.AskedAs.STAFF


METHOD_NEEDED = "Select how the review was held"
ATTENDEES_NEEDED = "Enter who took part in the review, with their role"
ATTENDEE_INCOMPLETE = "Enter both the name and the role of each person who took part"
PERSON_VIEWS_NEEDED = "Enter the person's views, in their own words"
OUTCOMES_NEEDED = "Say whether each outcome was met"
NEXT_REVIEW_NEEDED = "Enter the date of the next review"
NEXT_REVIEW_AFTER = "The next review must be after the date of this review"
ALREADY_RECORDED = "This review has already been recorded"
BUDGET_REASON_NEEDED = "Say why the personal budget changes"
NEW_BUDGET_SAME = "The new personal budget is the one the plan has now: leave it blank"


def next_review_default(completed_on: dt.date) -> dt.date:
    """The next review, by default: the council's annual timescale (calendar days, as every
    review timescale here is; Care Act guidance 13.32: at least every 12 months)."""
    return completed_on + dt.timedelta(days=review_days()["annual"])


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str


@transaction.atomic
def review_complete(
    *,
    actor: User,
    review: Review,
    outcomes_met: dict[str, str],
    changes: str,
    reassessment_needed: bool,
    completed_on: dt.date,
    method: str = "",
    attendees: list[Attendee] | None = None,
    person_views: str = "",
    carer_views: str = "",
    outcome_comments: dict[str, str] | None = None,
    next_review_on: dt.date | None = None,
    new_budget_weekly_pence: int | None = None,
    budget_change_reason: str = "",
) -> Review:
    """Record a review in full: how it was held, who took part, the person's and the
    carer's views in their words, each outcome met, partly or not (with a comment), the
    changes and the next review. A review that changes the personal budget starts the new
    plan version it implies, written against the new amount."""
    Review.objects.select_for_update().filter(pk=review.pk).values_list("pk").get()
    review.refresh_from_db()
    if review.status == Review.Status.DONE:
        raise PlanError(ALREADY_RECORDED)
    if method not in Review.Method.values:
        raise PlanError(METHOD_NEEDED, field="method")
    people = [Attendee(a.name.strip(), a.role.strip()) for a in attendees or []]
    people = [a for a in people if a.name or a.role]
    if not people:
        raise PlanError(ATTENDEES_NEEDED, field="attendees")
    if any(not a.name or not a.role for a in people):
        raise PlanError(ATTENDEE_INCOMPLETE, field="attendees")
    if not person_views.strip():
        raise PlanError(PERSON_VIEWS_NEEDED, field="person_views")
    expected = {str(o.pk) for o in review.plan.outcomes.all()}
    if set(outcomes_met) != expected or any(
        v not in OUTCOME_RESULTS for v in outcomes_met.values()
    ):
        raise PlanError(OUTCOMES_NEEDED, field="outcomes")
    if next_review_on is None:
        raise PlanError(NEXT_REVIEW_NEEDED, field="next_review_on")
    if next_review_on <= completed_on:
        raise PlanError(NEXT_REVIEW_AFTER, field="next_review_on")
    plan_budget = plan_budget_weekly_pence(review.plan)
    if new_budget_weekly_pence is not None:
        if new_budget_weekly_pence == plan_budget:
            raise PlanError(NEW_BUDGET_SAME, field="new_budget")
        if not budget_change_reason.strip():
            raise PlanError(BUDGET_REASON_NEEDED, field="budget_change_reason")
    comments = {k: v.strip() for k, v in (outcome_comments or {}).items() if k in expected}
    review.status = Review.Status.DONE
    review.outcomes_met, review.changes = outcomes_met, changes.strip()
    review.method, review.attendees = method, [{"name": a.name, "role": a.role} for a in people]
    review.person_views, review.carer_views = person_views.strip(), carer_views.strip()
    review.outcome_comments = {k: v for k, v in comments.items() if v}
    review.next_review_on, review.new_budget_weekly_pence = next_review_on, new_budget_weekly_pence
    review.reassessment_needed, review.completed_by, review.completed_on = (
        reassessment_needed,
        actor,
        completed_on,
    )
    review.save()
    if not review.plan.reviews.filter(status=Review.Status.DUE, due_date__gt=completed_on).exists():
        Review.objects.get_or_create(
            plan=review.plan, kind=Review.Kind.ANNUAL, due_date=next_review_on
        )
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
        changes={
            "Held": [None, review.get_method_display()],
            "Who took part": [None, "; ".join(f"{a.name} ({a.role})" for a in people)],
            "Outcomes": [None, ", ".join(OUTCOME_RESULTS[v] for v in outcomes_met.values())],
            "Next review": [None, f"{next_review_on:%-d %B %Y}"],
            **(
                {
                    "Personal budget": [
                        f"{pounds(plan_budget)} a week",
                        f"{pounds(new_budget_weekly_pence)} a week",
                    ]
                }
                if new_budget_weekly_pence is not None
                else {}
            ),
        },
    )
    if new_budget_weekly_pence is not None:
        plan_revise_for_budget(
            actor=actor,
            plan=review.plan,
            budget_weekly_pence=new_budget_weekly_pence,
            reason=budget_change_reason,
            review=review,
        )
    return review


BUDGET_CHANGE_NEEDS_APPROVED = "Only an approved plan's budget can be changed by a review"


@transaction.atomic
def plan_revise_for_budget(
    *,
    actor: User,
    plan: SupportPlan,
    budget_weekly_pence: int,
    reason: str,
    review: Review | None = None,
    today: dt.date | None = None,
) -> SupportPlan:
    """The new draft version a change of the personal budget implies: everything carried
    over, written against the new amount, and flagged so it cannot be sent for sign-off
    until its cost fits. (A decided challenge that changes the amount calls this too.)"""
    if not reason.strip():
        raise PlanError(BUDGET_REASON_NEEDED, field="budget_change_reason")
    if plan.status != SupportPlan.Status.APPROVED:
        raise PlanError(BUDGET_CHANGE_NEEDS_APPROVED)
    before = plan_budget_weekly_pence(plan)
    revised = plan_revise(actor=actor, plan=plan, today=today)
    revised.budget_weekly_pence = budget_weekly_pence
    revised.budget_change_reason = reason.strip()
    revised.from_review = review
    revised.save(update_fields=["budget_weekly_pence", "budget_change_reason", "from_review"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="support_plan",
        object_id=revised.pk,
        person_id=plan.person_id,
        summary=f"Version {revised.version} is written against a new personal budget",
        changes={
            "Personal budget": [
                f"{pounds(before)} a week",
                f"{pounds(budget_weekly_pence)} a week",
            ],
            "Why": [None, revised.budget_change_reason],
        },
    )
    return revised


# How long before a review is due the person is told (a council may ask for longer).
REVIEW_NOTICE_DAYS = 28


def reviews_due_notify(*, today: dt.date, within_days: int = REVIEW_NOTICE_DAYS) -> int:
    """Tell each person whose review falls due within ``within_days`` (and those who act for
    them), once per review however often this runs. Returns how many messages were written."""
    due = Review.objects.filter(
        status=Review.Status.DUE,
        due_date__gte=today,
        due_date__lte=today + dt.timedelta(days=within_days),
    ).select_related("plan__person")
    written = 0
    for review in due.iterator(chunk_size=500):
        written += len(
            notification_send(
                actor=None,
                person=review.plan.person,
                kind=Message.Kind.REVIEW_DUE,
                subject="{Whose} review is due by " + f"{review.due_date:%-d %B %Y}",
                body="It is time to look at how the support plan is working: "
                f"{review.get_kind_display().lower()}. {{Whose}} worker will be in touch "
                "to arrange it. Think about what is working, what is not, and anything you "
                "would like to change.",
                key=f"review-{review.pk}-due",
                link=reverse("planning:detail", kwargs={"plan_id": review.plan_id}),
            )
        )
    return written
