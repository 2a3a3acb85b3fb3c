"""Financial assessments and the charging rates: every change here, one transaction each,
audited, refusals named (docs/charging.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.charging import rules
from selfdirect.charging.models import AssessmentItem, ChargingRates, FinancialAssessment
from selfdirect.money import pounds
from selfdirect.notify.models import Message
from selfdirect.notify.services import notification_send
from selfdirect.people.models import Person
from selfdirect.planning import figures
from selfdirect.refusals import Refused, lost_race_refused

ASSESSMENT_OPEN = "This person already has a financial assessment that is not finished: {ref}"
ASSESSMENT_CLOSED = "This financial assessment is finished and cannot change"
BAND_NEEDED = "Choose the person's age and circumstance"
BAND_UNKNOWN = "Choose one of the listed circumstances"
KIND_UNKNOWN = "{section}: {kind} is not a kind this assessment knows"
AMOUNT_NEGATIVE = "{section}: an amount cannot be below nothing"
CHILDREN_NEGATIVE = "The number of dependent children cannot be below nothing"
DEFER_REASON_NEEDED = "Enter why the assessment is deferred"
DEFER_DATE_NEEDED = "Enter the date to come back to the assessment"
DEFER_DATE_PAST = "The date to come back to the assessment must be today or later"
LIGHT_TOUCH_NEEDED = "Choose why a light-touch assessment is right"
COST_NEEDED = "Enter the weekly cost of the person's care"
CHARGE_DATE_NEEDED = "Enter the date the charge starts"
NO_RATES = "There are no charging rates in force on {on}: add them on the rates page first"
RATES_DATE_NEEDED = "Enter the date the rates start"
RATES_DATE_PAST = "New rates start today or later: rates already in force are never changed"
RATES_USED = (
    "The rates from {on} are already used by a financial assessment and cannot change: "
    "add new rates from a later date"
)
RATES_LIMITS = "The lower capital limit cannot be above the upper capital limit"
RATES_STEP = "The tariff step must be more than nothing"
RATES_SOURCE_NEEDED = "Enter where the figures come from (the circular or the council's decision)"


class ChargingError(Refused):
    """A change to a financial assessment or the rates, refused by a rule."""


def rates_on(on: dt.date) -> ChargingRates | None:
    """The rates in force on a date: the newest row from that date or before."""
    return ChargingRates.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


def _open(assessment: FinancialAssessment) -> FinancialAssessment:
    """The assessment, locked for the change; refused if it is finished."""
    locked = FinancialAssessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_open:
        raise ChargingError(ASSESSMENT_CLOSED)
    return locked


def _start_lost(*, person: Person, **_: Any) -> ChargingError:
    """The refusal of a start that lost a race to another (the database's one-open rule)."""
    existing = FinancialAssessment.objects.filter(
        person=person,
        status__in=[FinancialAssessment.Status.OUTSTANDING, FinancialAssessment.Status.DEFERRED],
    ).first()
    return ChargingError(ASSESSMENT_OPEN.format(ref=existing.reference if existing else ""))


@lost_race_refused(_start_lost)
@transaction.atomic
def assessment_start(*, actor: User, person: Person) -> FinancialAssessment:
    """Start a person's financial assessment: outstanding until it is completed."""
    # Lock the person so two starts at once make one assessment.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    existing = FinancialAssessment.objects.filter(
        person=person,
        status__in=[FinancialAssessment.Status.OUTSTANDING, FinancialAssessment.Status.DEFERRED],
    ).first()
    if existing is not None:
        raise ChargingError(ASSESSMENT_OPEN.format(ref=existing.reference))
    assessment = FinancialAssessment.objects.create(person=person, started_by=actor)
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="financial_assessment",
        object_id=assessment.pk,
        person_id=person.pk,
        summary=f"Started financial assessment {assessment.reference}",
        changes={"Status": [None, assessment.get_status_display()]},
    )
    return assessment


def _items_checked(
    section: AssessmentItem.Section, amounts: Mapping[str, int], kinds: Mapping[str, Any]
) -> dict[str, int]:
    for kind, pence in amounts.items():
        if kind not in kinds:
            raise ChargingError(KIND_UNKNOWN.format(section=section.label, kind=kind), field=kind)
        if pence < 0:
            raise ChargingError(AMOUNT_NEGATIVE.format(section=section.label), field=kind)
    return {kind: pence for kind, pence in amounts.items() if pence}


SECTIONS: dict[str, Mapping[str, Any]] = {
    AssessmentItem.Section.CAPITAL: rules.CAPITAL_KINDS,
    AssessmentItem.Section.INCOME: rules.INCOME_KINDS,
    AssessmentItem.Section.DRE: rules.DRE_KINDS,
    AssessmentItem.Section.HOUSING: rules.HOUSING_KINDS,
}


def amounts_of(assessment: FinancialAssessment) -> dict[str, dict[str, int]]:
    """The assessment's amounts by section, then kind."""
    found: dict[str, dict[str, int]] = {section: {} for section in SECTIONS}
    for item in assessment.items.all():
        found[item.section][item.kind] = item.amount_pence
    return found


@transaction.atomic
def assessment_fill(
    *,
    actor: User,
    assessment: FinancialAssessment,
    band: str,
    disability_premium: bool,
    enhanced_disability_premium: bool,
    carer_premium: bool,
    dependent_children: int,
    amounts: Mapping[str, Mapping[str, int]],
) -> FinancialAssessment:
    """Record the person's circumstances and amounts (``amounts``: section → kind → pence;
    capital in total, the rest a week). Replaces what was recorded before."""
    assessment = _open(assessment)
    if not band:
        raise ChargingError(BAND_NEEDED, field="band")
    if band not in rules.BANDS:
        raise ChargingError(BAND_UNKNOWN, field="band")
    if dependent_children < 0:
        raise ChargingError(CHILDREN_NEGATIVE, field="dependent_children")
    checked = {
        section: _items_checked(AssessmentItem.Section(section), amounts.get(section, {}), kinds)
        for section, kinds in SECTIONS.items()
    }
    before = _summary(assessment, amounts_of(assessment))
    assessment.band = band
    assessment.disability_premium = disability_premium
    assessment.enhanced_disability_premium = enhanced_disability_premium
    assessment.carer_premium = carer_premium
    assessment.dependent_children = dependent_children
    assessment.save()
    assessment.items.all().delete()
    AssessmentItem.objects.bulk_create(
        AssessmentItem(assessment=assessment, section=section, kind=kind, amount_pence=pence)
        for section, by_kind in checked.items()
        for kind, pence in by_kind.items()
    )
    after = _summary(assessment, checked)
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="financial_assessment",
        object_id=assessment.pk,
        person_id=assessment.person_id,
        summary=f"Filled in financial assessment {assessment.reference}",
        changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
    )
    return assessment


def _summary(
    assessment: FinancialAssessment, amounts: Mapping[str, Mapping[str, int]]
) -> dict[str, Any]:
    summary: dict[str, Any] = {"Circumstance": rules.BANDS.get(assessment.band, "")}
    for section, label in AssessmentItem.Section.choices:
        summary[label] = pounds(sum(amounts.get(section, {}).values()))
    return summary


@transaction.atomic
def assessment_defer(
    *,
    actor: User,
    assessment: FinancialAssessment,
    reason: str,
    until: dt.date | None,
) -> FinancialAssessment:
    """Put the assessment off, with the reason and the date to come back to it. The budget
    statement shows it as deferred until then."""
    assessment = _open(assessment)
    if not reason.strip():
        raise ChargingError(DEFER_REASON_NEEDED, field="reason")
    if until is None:
        raise ChargingError(DEFER_DATE_NEEDED, field="until")
    if until < timezone.localdate():
        raise ChargingError(DEFER_DATE_PAST, field="until")
    before = assessment.get_status_display()
    assessment.status = FinancialAssessment.Status.DEFERRED
    assessment.deferred_reason = reason.strip()
    assessment.deferred_until = until
    assessment.save()
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="financial_assessment",
        object_id=assessment.pk,
        person_id=assessment.person_id,
        summary=f"Deferred financial assessment {assessment.reference} until {until:%-d %B %Y}",
        changes={"Status": [before, "Deferred"], "Why": [None, assessment.deferred_reason]},
    )
    return assessment


def _decide(
    *,
    actor: User,
    assessment: FinancialAssessment,
    weekly_cost_pence: int | None,
    charge_from: dt.date | None,
) -> ChargingRates:
    if weekly_cost_pence is None:
        raise ChargingError(COST_NEEDED, field="weekly_cost")
    if weekly_cost_pence < 0:
        raise ChargingError(COST_NEEDED, field="weekly_cost")
    if charge_from is None:
        raise ChargingError(CHARGE_DATE_NEEDED, field="charge_from")
    rates = rates_on(charge_from)
    if rates is None:
        raise ChargingError(NO_RATES.format(on=f"{charge_from:%-d %B %Y}"), field="charge_from")
    return rates


def _contribution_record(
    *, actor: User, assessment: FinancialAssessment, charge_from: dt.date
) -> None:
    """What the assessment found, recorded as the person's assessed contribution from the
    date given: every page, letter and payment reads it from there (planning.figures)."""
    try:
        assessment.contribution = figures.assessed_contribution_record(
            actor=actor,
            person=assessment.person,
            weekly_pence=assessment.weekly_charge_pence,
            effective_from=charge_from,
            source_reference=f"Financial assessment {assessment.reference}",
        )
    except figures.ContributionError as refused:
        field = {"effective_from": "charge_from"}.get(refused.field, refused.field)
        raise ChargingError(str(refused), field=field) from refused


@transaction.atomic
def assessment_complete(
    *,
    actor: User,
    assessment: FinancialAssessment,
    weekly_cost_pence: int | None,
    charge_from: dt.date | None,
) -> FinancialAssessment:
    """Work out what the person pays a week under the rates in force on ``charge_from``,
    store the working, and record it as their assessed contribution from that date."""
    assessment = _open(assessment)
    rates = _decide(
        actor=actor,
        assessment=assessment,
        weekly_cost_pence=weekly_cost_pence,
        charge_from=charge_from,
    )
    assert weekly_cost_pence is not None and charge_from is not None  # checked by _decide
    if not assessment.band:
        raise ChargingError(BAND_NEEDED, field="band")
    amounts = amounts_of(assessment)
    result = rules.weekly_charge(
        rates=rates.as_rates(),
        circumstances=rules.Circumstances(
            band=assessment.band,
            disability_premium=assessment.disability_premium,
            enhanced_disability_premium=assessment.enhanced_disability_premium,
            carer_premium=assessment.carer_premium,
            dependent_children=assessment.dependent_children,
        ),
        capital=amounts[AssessmentItem.Section.CAPITAL],
        income=amounts[AssessmentItem.Section.INCOME],
        dre=amounts[AssessmentItem.Section.DRE],
        housing=amounts[AssessmentItem.Section.HOUSING],
        weekly_cost_pence=weekly_cost_pence,
    )
    return _finish(
        actor=actor,
        assessment=assessment,
        status=FinancialAssessment.Status.COMPLETED,
        rates=rates,
        weekly_cost_pence=weekly_cost_pence,
        charge_pence=result.weekly_charge_pence,
        working=[asdict(line) for line in result.working],
        charge_from=charge_from,
    )


@transaction.atomic
def light_touch_record(
    *,
    actor: User,
    assessment: FinancialAssessment,
    choice: str,
    weekly_cost_pence: int | None,
    charge_from: dt.date | None,
) -> FinancialAssessment:
    """Record a light-touch assessment (reg 9): the person chooses to pay the full cost, or
    clearly has capital above the upper limit. They pay the full weekly cost of care."""
    assessment = _open(assessment)
    if choice not in FinancialAssessment.LightTouch.values:
        raise ChargingError(LIGHT_TOUCH_NEEDED, field="choice")
    rates = _decide(
        actor=actor,
        assessment=assessment,
        weekly_cost_pence=weekly_cost_pence,
        charge_from=charge_from,
    )
    assert weekly_cost_pence is not None and charge_from is not None
    assessment.light_touch = choice
    why = FinancialAssessment.LightTouch(choice).label
    working: list[dict[str, Any]] = [
        {"words": f"Light-touch assessment: {why}", "pence": None, "total": False},
        {"words": "Weekly cost of care", "pence": weekly_cost_pence, "total": False},
        {"words": "Weekly charge: the full cost", "pence": weekly_cost_pence, "total": True},
    ]
    return _finish(
        actor=actor,
        assessment=assessment,
        status=FinancialAssessment.Status.LIGHT_TOUCH,
        rates=rates,
        weekly_cost_pence=weekly_cost_pence,
        charge_pence=weekly_cost_pence,
        working=working,
        charge_from=charge_from,
    )


def _finish(
    *,
    actor: User,
    assessment: FinancialAssessment,
    status: str,
    rates: ChargingRates,
    weekly_cost_pence: int,
    charge_pence: int,
    working: list[dict[str, Any]],
    charge_from: dt.date,
) -> FinancialAssessment:
    before = assessment.get_status_display()
    assessment.status = status
    assessment.rates = rates
    assessment.weekly_cost_pence = weekly_cost_pence
    assessment.weekly_charge_pence = charge_pence
    assessment.working = working
    assessment.charge_from = charge_from
    assessment.decided_by = actor
    assessment.decided_at = timezone.now()
    assessment.deferred_reason = ""
    assessment.deferred_until = None
    _contribution_record(actor=actor, assessment=assessment, charge_from=charge_from)
    assessment.save()
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="financial_assessment",
        object_id=assessment.pk,
        person_id=assessment.person_id,
        summary=f"Completed financial assessment {assessment.reference}",
        changes={
            "Status": [before, assessment.get_status_display()],
            "Weekly charge": [None, f"{pounds(charge_pence)} a week"],
            "From": [None, f"{charge_from:%-d %B %Y}"],
            "Rates used": [None, f"from {rates.effective_from:%-d %B %Y}"],
        },
    )
    pays = (
        f"{{whose}} contribution towards the cost of care is {pounds(charge_pence)} a week"
        if charge_pence
        else "there is nothing to pay towards the cost of {whose} care"
    )
    notification_send(
        actor=actor,
        person=assessment.person,
        kind=Message.Kind.CHARGE,
        subject="{Whose} financial assessment is complete",
        body=(
            f"From {charge_from:%-d %B %Y}, {pays}. The page shows how it was worked out, "
            "and the letter to keep."
        ),
        key=f"financial-assessment-{assessment.pk}-completed",
        link=reverse("charging:detail", args=[assessment.pk]),
    )
    return assessment


RATE_FIELDS = (
    "upper_capital_pence",
    "lower_capital_pence",
    "tariff_step_pence",
    "tariff_weekly_pence",
    *(f"mig_{band}_pence" for band in rules.BANDS),
    "disability_premium_single_pence",
    "disability_premium_couple_pence",
    "enhanced_disability_single_pence",
    "enhanced_disability_couple_pence",
    "carer_premium_pence",
    "dependent_child_pence",
)


@transaction.atomic
def rates_add(
    *,
    actor: User,
    effective_from: dt.date | None,
    figures_pence: Mapping[str, int],
    source: str,
    source_url: str = "",
) -> ChargingRates:
    """New charging rates from today or a later date. Rates no assessment has used yet may
    be corrected by adding them again from the same date; rates in use never change."""
    if effective_from is None:
        raise ChargingError(RATES_DATE_NEEDED, field="effective_from")
    if effective_from < timezone.localdate():
        raise ChargingError(RATES_DATE_PAST, field="effective_from")
    for name in RATE_FIELDS:
        if figures_pence.get(name) is None or figures_pence[name] < 0:
            raise ChargingError(f"Enter {name.removesuffix('_pence')}", field=name)
    if figures_pence["lower_capital_pence"] > figures_pence["upper_capital_pence"]:
        raise ChargingError(RATES_LIMITS, field="lower_capital_pence")
    if figures_pence["tariff_step_pence"] <= 0:
        raise ChargingError(RATES_STEP, field="tariff_step_pence")
    if not source.strip():
        raise ChargingError(RATES_SOURCE_NEEDED, field="source")
    existing = ChargingRates.objects.select_for_update().filter(effective_from=effective_from)
    found = existing.first()
    if found is not None and found.assessments.exists():
        raise ChargingError(
            RATES_USED.format(on=f"{effective_from:%-d %B %Y}"), field="effective_from"
        )
    values = {name: figures_pence[name] for name in RATE_FIELDS}
    before = {name: getattr(found, name) for name in RATE_FIELDS} if found else {}
    if found is None:
        found = ChargingRates.objects.create(
            effective_from=effective_from,
            source=source.strip(),
            source_url=source_url.strip(),
            recorded_by=actor,
            **values,
        )
    else:
        for name, value in values.items():
            setattr(found, name, value)
        found.source = source.strip()
        found.source_url = source_url.strip()
        found.recorded_by = actor
        found.save()
    event_record(
        actor=actor,
        action=Action.CREATE if not before else Action.UPDATE,
        object_type="charging_rates",
        object_id=found.pk,
        summary=f"Charging rates from {effective_from:%-d %B %Y}",
        changes={
            name: [before.get(name), value]
            for name, value in values.items()
            if before.get(name) != value
        },
    )
    return found
