"""The demo council's IBSEN questionnaire answers (issue 15): GHQ-12, ASCOT (current),
quality of life, self-perceived health and satisfaction with support, from a fixed few
hundred named people with an approved plan in force, so the IBSEN outcomes and
cost-effectiveness pages (/evaluation/ibsen/, /evaluation/cost-effectiveness/) have
figures to show (docs/demo-data.md).

The answers are made up. Each person is given the answers of a synthetic IBSEN-shaped
person (``evaluation.synthetic.generate_cohort``) of the same group: direct payment when a
direct payment carries most of their plan's weekly cost, council-arranged otherwise. So
the groups differ as the synthetic people do (a direct payment a little better in ASCOT,
markedly in control over daily life, and in satisfaction; GHQ-12 the same), not because of
anything in the person's record. Everyone agreed to their answers being used in reports
and no response is anonymous: the reports need the person for their cost and way of
holding. Deterministic from the seed, and written in bulk (``demo.bulk``) with one audit
event for the lot, as an import of a file would be.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
from django.utils import timezone

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.demo.bulk import ids_from, rows_insert, values_insert
from selfdirect.evaluation import cohort, costs, ibsen
from selfdirect.evaluation.synthetic import generate_cohort
from selfdirect.planning.models import SupportPlan
from selfdirect.surveys.models import Answer, Instrument, Response

PEOPLE = 300  # a fixed sample, whatever the size of the council
CANDIDATES = 600  # plans looked at to find them (some are not in force today)
ASCOT_CODES = {level: code for code, level in cohort.ASCOT_LEVEL.items()}


def _people(*, seed: int, today: dt.date, leave_out: int | None) -> list[tuple[int, str]]:
    """(person id, group) for up to PEOPLE people with an approved plan in force ``today``
    that has a weekly cost, chosen at random from the seed."""
    plans = SupportPlan.objects.filter(status=SupportPlan.Status.APPROVED)
    if leave_out is not None:
        plans = plans.exclude(person_id=leave_out)
    ids = sorted(set(plans.values_list("person_id", flat=True)))
    rng = random.Random(seed)
    chosen = sorted(rng.sample(ids, min(CANDIDATES, len(ids))))
    weekly = costs.plan_weekly_costs(chosen, on=today)
    people = []
    for pid in chosen:
        if pid not in weekly:
            continue
        label = cohort.group_label(weekly[pid][1], cohort.HOLDING, "")
        if label is not None:
            people.append((pid, label))
    return people[:PEOPLE]


def _answers(donors: ibsen.Cohort, i: int) -> dict[str, dict[str, str]]:
    """The five questionnaires' answers of synthetic person ``i`` (blanks left out)."""

    def code(value: int) -> str | None:
        return None if value == ibsen.MISSING else str(int(value))

    assert donors.health is not None and donors.satisfaction is not None
    ghq = {item: code(v) for item, v in zip(cohort.GHQ_ITEMS, donors.ghq_items[i], strict=True)}
    ascot = {
        item: (None if v == ibsen.MISSING else ASCOT_CODES[int(v)])
        for item, v in zip(cohort.ASCOT_ITEMS, donors.ascot_levels[i], strict=True)
    }
    forms = {
        "ghq-12": ghq,
        "ascot": ascot,
        "quality-of-life": {"quality_of_life": code(donors.quality_of_life[i])},
        "self-perceived-health": {"health": code(donors.health[i])},
        "satisfaction": {"support": code(donors.satisfaction[i])},
    }
    return {
        form: {item: value for item, value in answers.items() if value is not None}
        for form, answers in forms.items()
    }


def demo_ibsen_build(*, seed: int, today: dt.date, leave_out: int | None = None) -> dict[str, int]:
    """Five IBSEN questionnaires each from PEOPLE people with approved plans (not the
    person ``leave_out``, the demo holder, whose own journey stays as it is)."""
    instruments = {
        code: Instrument.objects.filter(code=code, status=Instrument.Status.PUBLISHED).first()
        for code in cohort.INSTRUMENTS
    }
    if any(instrument is None for instrument in instruments.values()):
        return {"IBSEN responses": 0}
    people = _people(seed=seed + 71, today=today, leave_out=leave_out)
    donors = generate_cohort(3 * len(people) + 30, seed=seed + 72)  # enough of each group
    pools = {label: iter(np.flatnonzero(donors.group == label).tolist()) for label in donors.groups}
    items = {
        code: {item.code: item.pk for item in instrument.items.all()}
        for code, instrument in instruments.items()
        if instrument is not None
    }
    rng = random.Random(seed + 73)
    zone = timezone.get_current_timezone()
    next_id = ids_from(Response)
    responses: list[dict[str, object]] = []
    values: list[tuple[int, int, str]] = []
    for pid, label in people:
        donor = next(pools[label])
        answered_by = "proxy" if donors.proxy[donor] else "self"
        day = today - dt.timedelta(days=rng.randrange(14, 180))
        when = dt.datetime.combine(day, dt.time(10, rng.randrange(60)), zone)
        for code, answers in _answers(donors, donor).items():
            instrument = instruments[code]
            assert instrument is not None
            responses.append(
                {
                    "id": next_id,
                    "instrument_id": instrument.pk,
                    "person_id": pid,
                    "answered_by": answered_by,
                    "channel": Response.Channel.PAPER,
                    "reference": "",
                    "consent_to_report": True,
                    "submitted_at": when,
                    "recorded_by_id": None,
                }
            )
            values.extend((next_id, items[code][item], value) for item, value in answers.items())
            next_id += 1
    rows_insert(Response, responses)
    values_insert(Answer, ["response_id", "item_id", "value"], values)
    if responses:
        event_record(
            actor=None,
            action=Action.CREATE,
            object_type="survey_response",
            summary=(
                f"Imported {len(responses)} demo responses to the IBSEN questionnaires from "
                f"{len(people)} people with approved plans"
            ),
        )
    return {"IBSEN responses": len(responses)}
