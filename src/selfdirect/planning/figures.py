"""The four budget figures, in one place (issue 11): every page, letter, PDF and API field
that shows a person's money reads them from ``budget_figures`` and names them with
``WORDS``, so the same words always carry the same numbers.

- personal budget: the weekly amount signed off for the person's eligible needs (with its
  history of sign-offs);
- plan cost: what the support plan costs a week from the personal budget, within or over it,
  with the reason given for any difference;
- assessed contribution: what the person pays a week, from the council's financial
  assessment (recorded by finance or a worker, effective-dated);
- council's contribution: the part of the plan cost the council pays — the plan cost (the
  personal budget until a plan is written) less the assessed contribution and any other
  public money in the budget, never below nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction

from selfdirect.allocation.engine import WEEKS_PER_YEAR
from selfdirect.allocation.models import Allocation, AmountDecision
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.money import pounds
from selfdirect.people.models import Person
from selfdirect.planning.models import AssessedContribution, SupportPlan
from selfdirect.refusals import Refused

WORDS = {
    "personal_budget": "Personal budget",
    "plan_cost": "Plan cost",
    "assessed_contribution": "Assessed contribution",
    "council_contribution": "Council's contribution",
}
NOT_ASSESSED = "Known once the financial assessment is done"

CONTRIBUTION_AMOUNT_NEEDED = "Enter the weekly contribution from the financial assessment"
CONTRIBUTION_DATE_NEEDED = "Enter the date the contribution starts"
CONTRIBUTION_REFERENCE_NEEDED = "Enter the financial assessment's reference"
CONTRIBUTION_DATE_TAKEN = "A contribution from {on} is already recorded: choose another date"


class ContributionError(Refused):
    """An assessed contribution refused by a rule."""


@dataclass(frozen=True)
class BudgetStep:
    """One signed-off amount of the personal budget, from the day it was decided."""

    decided_on: dt.date
    weekly_pence: int
    allocation_id: int
    how: str = "Signed off"


@dataclass(frozen=True)
class BudgetFigures:
    on: dt.date
    personal_budget_weekly_pence: int | None
    budget_history: list[BudgetStep] = field(default_factory=list)
    plan_id: int | None = None
    plan_version: int | None = None
    plan_cost_weekly_pence: int | None = None
    plan_one_off_pence: int = 0
    variance_reason: str = ""
    assessed_contribution_weekly_pence: int | None = None
    assessed_contribution_from: dt.date | None = None
    assessed_contribution_reference: str = ""
    other_public_funding_weekly_pence: int = 0
    council_contribution_weekly_pence: int | None = None

    @property
    def variance_pence(self) -> int | None:
        if self.plan_cost_weekly_pence is None or self.personal_budget_weekly_pence is None:
            return None
        return self.plan_cost_weekly_pence - self.personal_budget_weekly_pence

    @property
    def within_budget(self) -> bool | None:
        variance = self.variance_pence
        return None if variance is None else variance <= 0

    @property
    def budget_words(self) -> str:
        """Within or over the budget, in the words every page uses."""
        variance = self.variance_pence
        if variance is None:
            return ""
        if variance > 0:
            return f"Over the personal budget by {pounds(variance)} a week"
        if variance < 0:
            return f"Within the personal budget ({pounds(-variance)} a week under it)"
        return "Exactly the personal budget"

    @property
    def personal_budget_yearly_pence(self) -> int | None:
        weekly = self.personal_budget_weekly_pence
        return None if weekly is None else weekly * WEEKS_PER_YEAR

    @property
    def plan_cost_yearly_pence(self) -> int | None:
        weekly = self.plan_cost_weekly_pence
        return None if weekly is None else weekly * WEEKS_PER_YEAR + self.plan_one_off_pence

    def as_lines(self) -> list[tuple[str, str]]:
        """(words, amount) for the four figures: what every page, letter and PDF prints."""

        def weekly(pence: int | None, missing: str) -> str:
            return missing if pence is None else f"{pounds(pence)} a week"

        cost = weekly(self.plan_cost_weekly_pence, "No plan yet")
        if self.plan_one_off_pence:
            cost += f", and {pounds(self.plan_one_off_pence)} one-off"
        return [
            (WORDS["personal_budget"], weekly(self.personal_budget_weekly_pence, "Not signed off")),
            (WORDS["plan_cost"], cost),
            (
                WORDS["assessed_contribution"],
                weekly(self.assessed_contribution_weekly_pence, NOT_ASSESSED),
            ),
            (
                WORDS["council_contribution"],
                weekly(self.council_contribution_weekly_pence, NOT_ASSESSED),
            ),
        ]


def contribution_on(person_id: int, on: dt.date) -> AssessedContribution | None:
    """The assessed contribution in force on a date: the one selector every reader uses."""
    return (
        AssessedContribution.objects.filter(person_id=person_id, effective_from__lte=on)
        .order_by("-effective_from", "-id")
        .first()
    )


def budget_history(person_id: int, on: dt.date) -> list[BudgetStep]:
    """Every signed-off amount of the person's personal budget up to a date, oldest first."""
    steps = []
    # An allocation has at most one sign-off (a unique constraint), so its time comes with
    # the allocation in one read.
    approved = Allocation.objects.filter(
        person_id=person_id, status=Allocation.Status.APPROVED, agreed_weekly_pence__isnull=False
    ).values_list("pk", "agreed_weekly_pence", "created_at", "sign_offs__decided_at")
    for allocation_id, agreed, created_at, signed_off_at in approved:
        decided = (signed_off_at or created_at).date()
        if decided <= on:
            steps.append(BudgetStep(decided, agreed or 0, allocation_id))
    # A review that changed the budget did so through the new plan version it started.
    changed = SupportPlan.objects.filter(
        person_id=person_id,
        budget_weekly_pence__isnull=False,
        status__in=[SupportPlan.Status.APPROVED, SupportPlan.Status.SUPERSEDED],
        approved_at__isnull=False,
    )
    for plan in changed:
        assert plan.approved_at is not None and plan.budget_weekly_pence is not None
        # From its approval, or from its start if later (a notice of the reduction).
        from_day = max(plan.approved_at.date(), plan.starts_on)
        if from_day <= on:
            steps.append(
                BudgetStep(
                    from_day,
                    plan.budget_weekly_pence,
                    plan.allocation_id,
                    f"Changed by a review (plan version {plan.version})",
                )
            )
    # A request to look again upheld or partly upheld changed it by a recorded decision.
    decisions = AmountDecision.objects.filter(
        allocation__person_id=person_id, effective_from__lte=on
    )
    for decision in decisions:
        steps.append(
            BudgetStep(
                decision.effective_from,
                decision.new_weekly_pence,
                decision.allocation_id,
                "Changed after a request to look again",
            )
        )
    return sorted(steps, key=lambda s: (s.decided_on, s.allocation_id))


def plan_in_force(person_id: int, on: dt.date) -> SupportPlan | None:
    """The approved plan on a date, or else the newest version being written. A version
    replaced by one that starts later (after a notice of reduction) is in force until then."""
    plans = SupportPlan.objects.filter(person_id=person_id).select_related("allocation")
    approved = (
        plans.filter(
            status__in=[SupportPlan.Status.APPROVED, SupportPlan.Status.SUPERSEDED],
            approved_at__isnull=False,
            starts_on__lte=on,
        )
        .order_by("-version")
        .first()
    )
    return approved or plans.order_by("-version").first()


def budget_figures(
    *, person: Person, on: dt.date, plan: SupportPlan | None = None
) -> BudgetFigures:
    """The four figures for a person on a date. Given a plan (a version), its own figures:
    the budget it is written against and its cost; otherwise the plan in force."""
    from selfdirect.planning.services import plan_totals

    given = plan is not None
    plan = plan if plan is not None else plan_in_force(person.pk, on)
    history = budget_history(person.pk, on)
    contribution = contribution_on(person.pk, on)
    assessed = contribution.weekly_pence if contribution else None
    # For a person on a date the personal budget is the latest decision (a sign-off, a new
    # plan version a review started, or a request to look again); for a given version, the
    # amount that version is written against.
    budget_now = history[-1].weekly_pence if history else None
    if plan is None:
        latest = (
            Allocation.objects.filter(pk=history[-1].allocation_id).first() if history else None
        )
        budget = budget_now
        other = latest.other_public_funding_weekly_pence if latest else 0
        return BudgetFigures(
            on=on,
            personal_budget_weekly_pence=budget,
            budget_history=history,
            assessed_contribution_weekly_pence=assessed,
            assessed_contribution_from=contribution.effective_from if contribution else None,
            assessed_contribution_reference=contribution.source_reference if contribution else "",
            other_public_funding_weekly_pence=other,
            council_contribution_weekly_pence=None
            if assessed is None or budget is None
            else max(0, budget - assessed - other),
        )
    totals = plan_totals(plan)
    other = plan.allocation.other_public_funding_weekly_pence
    council = None if assessed is None else max(0, totals.weekly_pence - assessed - other)
    return BudgetFigures(
        on=on,
        personal_budget_weekly_pence=totals.budget_weekly_pence
        if given or budget_now is None
        else budget_now,
        budget_history=history,
        plan_id=plan.pk,
        plan_version=plan.version,
        plan_cost_weekly_pence=totals.weekly_pence,
        plan_one_off_pence=totals.one_off_pence,
        variance_reason=plan.variance_reason,
        assessed_contribution_weekly_pence=assessed,
        assessed_contribution_from=contribution.effective_from if contribution else None,
        assessed_contribution_reference=contribution.source_reference if contribution else "",
        other_public_funding_weekly_pence=other,
        council_contribution_weekly_pence=council,
    )


@transaction.atomic
def assessed_contribution_record(
    *,
    actor: User,
    person: Person,
    weekly_pence: int | None,
    effective_from: dt.date | None,
    source_reference: str,
) -> AssessedContribution:
    """Record what the financial assessment found the person pays a week, from a date."""
    if weekly_pence is None:
        raise ContributionError(CONTRIBUTION_AMOUNT_NEEDED, field="weekly_pence")
    if effective_from is None:
        raise ContributionError(CONTRIBUTION_DATE_NEEDED, field="effective_from")
    if not source_reference.strip():
        raise ContributionError(CONTRIBUTION_REFERENCE_NEEDED, field="source_reference")
    if AssessedContribution.objects.filter(person=person, effective_from=effective_from).exists():
        raise ContributionError(
            CONTRIBUTION_DATE_TAKEN.format(on=f"{effective_from:%-d %B %Y}"),
            field="effective_from",
        )
    before = contribution_on(person.pk, effective_from)
    contribution = AssessedContribution.objects.create(
        person=person,
        weekly_pence=weekly_pence,
        effective_from=effective_from,
        source_reference=source_reference.strip(),
        recorded_by=actor,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="assessed_contribution",
        object_id=contribution.pk,
        person_id=person.pk,
        summary=f"Recorded the assessed contribution from {effective_from:%-d %B %Y}",
        changes={
            "Assessed contribution": [
                f"{pounds(before.weekly_pence)} a week" if before else None,
                f"{pounds(weekly_pence)} a week",
            ],
            "Financial assessment": [None, contribution.source_reference],
        },
    )
    return contribution
