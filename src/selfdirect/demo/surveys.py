"""The demo council's POET survey responses (issue 15): budget holders' and carers' answers
whose headline figures are close to the POET 2014 report's (docs/demo-data.md), so the
outcomes reports (/evaluation/outcomes/, /evaluation/carers/) have something to show.

The answers come from ``evaluation.synthetic_answers`` (deterministic from the seed), at
POET's own sample sizes whatever the size of the council: the survey is a sample, and the
report's figures are of 2,679 holders and 1,328 carers. Responses are anonymous (POET
collected no names), recorded as imported, spread over the last year, and 2% did not agree
to their answers being used in reports (the reports leave them out). They are written in
bulk (``demo.bulk``), with one audit event for the lot, as an import of a file would be.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.demo.bulk import ids_from, rows_insert, values_insert
from selfdirect.evaluation import synthetic_answers
from selfdirect.surveys.models import Answer, Instrument, Response

HOLDERS = 2_679  # as in the POET 2014 report
CARERS = 1_328
NOT_CONSENTING = 0.02
MISSING = 0.01  # each question left blank by 1 in 100


def _build(
    *,
    code: str,
    count: int,
    make: Callable[..., synthetic_answers.Answers],
    seed: int,
    today: dt.date,
) -> int:
    instrument = Instrument.objects.filter(code=code, status=Instrument.Status.PUBLISHED).first()
    if instrument is None:
        return 0
    answers = make(count, seed=seed, missing=MISSING)
    items = {item.code: item.pk for item in instrument.items.all()}
    rng = random.Random(seed)
    first = ids_from(Response)
    zone = timezone.get_current_timezone()
    responses = []
    for i, answered_by in enumerate(answers.answered_by):
        day = today - dt.timedelta(days=rng.randrange(365))
        responses.append(
            {
                "id": first + i,
                "instrument_id": instrument.pk,
                "person_id": None,
                "answered_by": answered_by,
                "channel": Response.Channel.IMPORT,
                "reference": "",
                "consent_to_report": rng.random() >= NOT_CONSENTING,
                "submitted_at": dt.datetime.combine(day, dt.time(10, rng.randrange(60)), zone),
                "recorded_by_id": None,
            }
        )
    rows_insert(Response, responses)
    values = [
        (first + i, items[code], value)
        for i, row in enumerate(synthetic_answers.response_answers(answers))
        for code, answer in row.items()
        for value in ([answer] if isinstance(answer, str) else answer)
    ]
    values_insert(Answer, ["response_id", "item_id", "value"], values)
    return count


def demo_surveys_build(*, seed: int, today: dt.date) -> dict[str, int]:
    holders = _build(
        code="poet-holder",
        count=HOLDERS,
        make=synthetic_answers.holder_answers,
        seed=seed + 61,
        today=today,
    )
    carers = _build(
        code="poet-carer",
        count=CARERS,
        make=synthetic_answers.carer_answers,
        seed=seed + 62,
        today=today,
    )
    if holders or carers:
        event_record(
            actor=None,
            action=Action.CREATE,
            object_type="survey_response",
            summary=(
                f"Imported {holders} anonymous demo responses to the POET survey for budget "
                f"holders and {carers} to the POET survey for carers"
            ),
        )
    return {"survey responses": holders + carers}
