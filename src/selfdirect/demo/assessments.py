"""Assessments, eligibility decisions and indicative budgets for the demo council.

Answers come from a simple "level of need" model per user group, tuned so the budgets the
shipped RAS gives land near the medians of IBSEN Table 5.1 (docs/demo-data.md compares
them). Each chunk of people is priced with the engine in one vectorised call, and written
as plain rows (``bulk``).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, NamedTuple, cast

from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from selfdirect.allocation.engine import Engine, explanation
from selfdirect.allocation.models import Allocation, RasVersion
from selfdirect.allocation.pricing import Person as Priced
from selfdirect.allocation.pricing import price
from selfdirect.allocation.services import ras_definition
from selfdirect.assessment import eligibility
from selfdirect.assessment.models import Answer, Assessment, EligibilityDecision, Questionnaire
from selfdirect.demo.bulk import ids_from, rows_insert, values_insert
from selfdirect.people.models import Person

BATCH = 5000
# Share of people with an agreed assessment and a budget: assumption (the rest are new
# referrals still being assessed).
ASSESSED_SHARE = 0.85
# Mean "level of need" (0 to 1) by group, tuned against IBSEN Table 5.1 medians.
NEED_BY_GROUP = {
    "older_people": 0.35,
    "physical_disability": 0.35,
    "learning_disability": 0.42,
    "mental_health": 0.30,
}
NIGHT = (("day_and_night", 0.01), ("waking", 0.03), ("most_nights", 0.07), ("sometimes", 0.15))
TWO_WORKERS = (("all_tasks", 0.04), ("some_tasks", 0.08))
CARER_OPTIONS = (("willing_able", 0.6), ("struggling", 0.3), ("cannot_continue", 0.1))
RURAL_SHARE, AGENCY_SHARE = 0.15, 0.5
HOLDER_NEED = 0.45


class Assessed(NamedTuple):
    """What the assessments need to know about a person (their row is written already)."""

    pk: int
    user_group: str
    has_unpaid_carer: str


class _HashedOnce:
    """The RAS, with its content hash worked out once: ``explanation`` records it for every
    person, and working it out (``dataclasses.asdict`` of the whole RAS) was a third of
    the time of a 100,000-person council."""

    def __init__(self, ras: Any) -> None:
        self._ras = ras
        self.content_hash = ras.content_hash

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ras, name)


class _EngineHashedOnce:
    """The engine as ``explanation`` reads it, with the RAS's hash worked out once."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.ras = _HashedOnce(engine.ras)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)


def _pick(rng: random.Random, choices: tuple[tuple[str, float], ...], default: str) -> str:
    roll = rng.random()
    for option, share in choices:
        if roll < share:
            return option
        roll -= share
    return default


def _answers(
    rng: random.Random, person: Person | Assessed, sections: Any, need: float | None = None
) -> dict[str, str]:
    if need is None:
        need = min(max(rng.gauss(NEED_BY_GROUP.get(person.user_group, 0.4), 0.18), 0.0), 1.0)
    answers = {}
    for section in sections:
        ids = [o.id for o in section.options]
        if section.id == "night_care":
            answers[section.id] = _pick(rng, NIGHT, "none") if need > 0.3 else "none"
        elif section.id == "two_workers":
            answers[section.id] = _pick(rng, TWO_WORKERS, "no") if need > 0.45 else "no"
        elif section.id == "carer":
            answers[section.id] = (
                _pick(rng, CARER_OPTIONS, "willing_able")
                if person.has_unpaid_carer == "Y"
                else "no_carer"
            )
        elif section.id in ("parenting", "work_learning") and rng.random() < 0.85:
            answers[section.id] = ids[0]
        else:
            level = need * len(ids) + rng.uniform(-0.6, 0.6)
            answers[section.id] = ids[min(max(int(level), 0), len(ids) - 1)]
    return answers


def demo_assessments_build(
    *,
    people: list[Assessed],
    seed: int,
    practitioner: User,
    manager: User,
    holder: Person,
    today: dt.date,
) -> dict[str, int]:
    """Assessments, answers, decisions and budgets, a chunk of people at a time so memory
    stays bounded for 100,000 people."""
    rng = random.Random(seed + 7)
    questionnaire = Questionnaire.objects.get(code="self-assessment")
    version = questionnaire.versions.get(status="published")
    ras_version = RasVersion.objects.get(code="default-ras", status=RasVersion.Status.PUBLISHED)
    definition = version.parsed
    ras = ras_definition(ras_version)
    chosen = [p for p in people if p.pk == holder.pk or rng.random() < ASSESSED_SHARE]
    counts = {"assessments": 0, "answers": 0, "allocations": 0}
    for start in range(0, len(chosen), BATCH):
        chunk = chosen[start : start + BATCH]
        for key, n in _build_chunk(
            chunk,
            rng=rng,
            definition=definition,
            version=version,
            ras=ras,
            ras_version=ras_version,
            practitioner=practitioner,
            holder=holder.pk,
            today=today,
        ).items():
            counts[key] += n
    return counts


def _build_chunk(
    chunk: list[Assessed],
    *,
    rng: random.Random,
    definition: Any,
    version: Any,
    ras: Any,
    ras_version: RasVersion,
    practitioner: User,
    holder: int,
    today: dt.date,
) -> dict[str, int]:
    # The demo holder has a typical older person's needs (about the IBSEN median budget).
    answers = [
        _answers(
            rng, p, definition.sections_for(p.user_group), HOLDER_NEED if p.pk == holder else None
        )
        for p in chunk
    ]
    flags = [
        {"rural": rng.random() < RURAL_SHARE, "agency": rng.random() < AGENCY_SHARE} for _ in chunk
    ]
    engine, result = price(
        ras, [Priced(a, p.user_group, f) for p, a, f in zip(chunk, answers, flags, strict=True)]
    )
    now = timezone.now()
    first = ids_from(Assessment)
    assessments = list(range(first, first + len(chunk)))
    rows_insert(
        Assessment,
        [
            {
                "id": pk,
                "person_id": p.pk,
                "version_id": version.pk,
                "mode": rng.choice(["self", "supported", "practitioner"]),
                "status": Assessment.Status.AGREED,
                "user_group": p.user_group,
                "started_by_id": practitioner.pk,
                "submitted_at": now,
                "agreed_at": now,
            }
            for pk, p in zip(assessments, chunk, strict=True)
        ],
    )
    # Answers are the bulk of the rows: straight to the database, values as it takes them.
    updated = Answer._meta.get_field("updated_at").get_db_prep_save(now, connection=connection)
    rows = [
        (pk, section_id, option, option, option, practitioner.pk, "", updated)
        for pk, given in zip(assessments, answers, strict=True)
        for section_id, option in given.items()
    ]
    values_insert(
        Answer,
        (
            "assessment_id",
            "section_id",
            "person_option",
            "worker_option",
            "agreed_option",
            "agreed_by_id",
            "note",
            "updated_at",
        ),
        rows,
    )
    criteria = eligibility.ADULTS_2015
    rows_insert(
        EligibilityDecision,
        [
            {
                "assessment_id": pk,
                "criteria_code": criteria.code,
                "findings": {
                    "needs_from_condition": True,
                    "unable": {"A": ["without_assistance"], "B": ["without_assistance"]},
                    "significant_impact_on_wellbeing": True,
                    "carer_health_deteriorating": False,
                },
                "eligible": True,
                "reasons": ["Demo council: eligible under the 2015 Regulations."],
                "decided_by_id": practitioner.pk,
                "decided_on": today - dt.timedelta(days=rng.randint(10, 400)),
            }
            for pk in assessments
        ],
    )
    allocations = []
    hashed = cast(Engine, _EngineHashedOnce(engine))
    for i, (person, assessment) in enumerate(zip(chunk, assessments, strict=True)):
        record = explanation(hashed, result, i)
        waiting = person.pk != holder and rng.random() < 0.02
        allocations.append(
            {
                "person_id": person.pk,
                "assessment_id": assessment,
                "ras_version_id": ras_version.pk,
                "ras_hash": ras_version.content_hash,
                "inputs": {
                    "user_group": person.user_group,
                    "answers": answers[i],
                    "flags": flags[i],
                },
                "explanation": record,
                "indicative_weekly_pence": record["weekly_pence"],
                "indicative_annual_pence": record["annual_pence"],
                "status": Allocation.Status.AWAITING_SIGN_OFF
                if waiting
                else Allocation.Status.APPROVED,
                "agreed_weekly_pence": None if waiting else record["weekly_pence"],
                "created_by_id": practitioner.pk,
            }
        )
    rows_insert(Allocation, allocations)
    return {"assessments": len(assessments), "answers": len(rows), "allocations": len(allocations)}


def demo_holder_plan(*, holder: Person, practitioner: User, manager: User, today: dt.date) -> int:
    """An approved support plan for the demo holder: outcomes in their words and a mix of a
    direct payment and an Individual Service Fund, so the portal shows one budget held two ways,
    with the direct payment agreement, the ISF agreed by both sides and its first statement."""
    from selfdirect.budgets import services as holding
    from selfdirect.planning import services as planning
    from selfdirect.planning.streams import DEPLOYMENTS
    from selfdirect.providers.models import ProviderClient

    allocation = Allocation.objects.filter(person=holder, status=Allocation.Status.APPROVED).first()
    if allocation is None:
        return 0
    # The plan began four weeks ago, so the Individual Service Fund has a first statement.
    began = today - dt.timedelta(days=28)
    plan = planning.plan_create(
        actor=practitioner,
        allocation=allocation,
        led_by="person",
        kind="standard",
        starts_on=began,
        contingency="If my personal assistant is ill, my daughter takes me to the lunch club.",
        risks_to_person="I may fall getting out of the bath; I have a pendant alarm.",
        holding_options_offered=list(DEPLOYMENTS),
    )
    lunch = planning.outcome_add(
        actor=practitioner,
        plan=plan,
        fields={
            "in_their_words": "I want to keep going to my lunch club on Tuesdays and see my friends",
            "eligibility_outcome": "I",
            "how_met": "A personal assistant takes me and helps me there",
            "informal_support": "My daughter phones every evening",
        },
    )
    home = planning.outcome_add(
        actor=practitioner,
        plan=plan,
        fields={
            "in_their_words": "I want to wash and dress myself each morning without rushing",
            "eligibility_outcome": "B",
            "how_met": "Help each morning from the same small team",
        },
    )
    budget = allocation.agreed_weekly_pence or allocation.indicative_weekly_pence
    provider = ProviderClient.objects.filter(person=holder).select_related("provider").first()
    planning.line_add(
        actor=practitioner,
        plan=plan,
        fields={
            "description": "Personal assistant to the lunch club",
            "category": "personal_assistant",
            "outcome": lunch,
            "provider": None,
            "provided_by": "A personal assistant the person employs",
            "unit": "hour",
            "unit_cost_pence": 1450,
            "quantity_hundredths": 300,
            "funding_stream": "adult_social_care",
            "deployment": "direct_payment",
            "provisional": False,
        },
    )
    morning_hours = max(100, (budget - 4350) * 100 // 2100)  # the rest of the budget at £21 an hour
    planning.line_add(
        actor=practitioner,
        plan=plan,
        fields={
            "description": "Morning help with washing and dressing",
            "category": "home_care_agency",
            "outcome": home,
            "provider": provider.provider if provider else None,
            "provided_by": "",
            "unit": "hour",
            "unit_cost_pence": 2100,
            "quantity_hundredths": morning_hours - morning_hours % 25,
            "funding_stream": "adult_social_care",
            "deployment": "isf",
            "provisional": False,
        },
    )
    planning.plan_submit(actor=practitioner, plan=plan)
    # The practitioner wrote it, so the manager approves it (decision 0007).
    planning.plan_approve(actor=manager, plan=plan)
    holding.direct_payment_agreement_create(
        actor=practitioner,
        plan=plan,
        recipient_type="person",
        account_type="bank_account",
        sort_code="200000",
        account_number="41552907",
        has_capacity=True,
        capable_of_managing=True,
        appropriate=True,
        not_excluded=True,
        starts_on=began,
    )
    if provider is not None:
        isf = holding.fund_agreement_create(
            actor=practitioner,
            plan=plan,
            kind="isf",
            organisation=provider.provider,
            surplus_rule="carry",
            carry_limit_weeks=4,
            fee_weekly_pence=0,
            starts_on=began,
        )
        staff = User.objects.filter(profile__provider=provider.provider).first()
        for actor, side in (
            (User.objects.filter(profile__person=holder).first(), "person"),
            (staff, "organisation"),
        ):
            if actor is not None:
                isf = holding.fund_agreement_agree(actor=actor, agreement=isf, side=side)
        if isf.status == isf.Status.ACTIVE and staff is not None:
            weekly = plan.lines.get(deployment="isf").weekly_cost_pence
            holding.fund_statement_submit(
                actor=staff,
                agreement=isf,
                period_start=began,
                period_end=began + dt.timedelta(days=27),
                lines={"adult_social_care": (weekly * 4, weekly * 4 - weekly // 2)},
                note="One morning visit was cancelled while the person was in hospital.",
            )
    return 1
