"""Changes to survey instruments and responses. Every change writes an audit event; every
refusal is a named constant whose text names the item or field at fault."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.people.models import Person
from selfdirect.refusals import Refused
from selfdirect.surveys.definitions import definition_check, instrument_build, instrument_definition
from selfdirect.surveys.models import (
    PUBLISHED_INSTRUMENT_IS_FROZEN,
    Answer,
    Campaign,
    Instrument,
    Item,
    Response,
    Scale,
)

ONLY_DRAFTS_PUBLISH = "Only a draft version can be published"
NOT_OPEN = "This survey is not open: only its published version takes responses"
NO_ANSWERS = "The response has no answers"
UNKNOWN_ITEM = "{item} is not a question in this survey"
NOT_ON_SCALE = "{item}: {value!r} is not one of its answers ({codes})"
ONE_ANSWER_ONLY = "{item}: give one answer only"
NOT_A_NUMBER = "{item}: enter a whole number"
NUMBER_OUT_OF_RANGE = "{item}: enter a number from {minimum} to {maximum}"
TEXT_TOO_LONG = "{item}: use {limit:,} characters or fewer"
UNKNOWN_ANSWERED_BY = "Say who answered: self, with_help or proxy"
UNKNOWN_CHANNEL = "Say how it was answered: portal, paper or import"
REFERENCE_TAKEN = "A response with reference {reference} is already recorded for this survey"
SUBMITTED_IN_FUTURE = "The date it was answered must be today or in the past"
TEXT_LIMIT = 1000

AnswerValue = str | Sequence[str]


class SurveyRefused(Refused):
    pass


def _values(raw: AnswerValue) -> list[str]:
    values = [raw] if isinstance(raw, str) else list(raw)
    return [v.strip() for v in values if v.strip()]


def answers_check(
    *, items: Mapping[str, Item], answers: Mapping[str, AnswerValue]
) -> list[tuple[str, str]]:
    """(item code, refusal) for every answer that does not fit its item; [] when all fit.
    A blank answer ("" or []) is a skipped question, which any item allows."""
    errors: list[tuple[str, str]] = []
    for code, raw in answers.items():
        item = items.get(code)
        if item is None:
            errors.append((code, UNKNOWN_ITEM.format(item=code)))
            continue
        values = _values(raw)
        if not values:
            continue
        if item.kind != Item.Kind.MULTI and len(values) > 1:
            errors.append((code, ONE_ANSWER_ONLY.format(item=code)))
        elif item.kind in (Item.Kind.CHOICE, Item.Kind.MULTI):
            assert item.scale is not None
            codes = item.scale.codes
            for value in values:
                if value not in codes:
                    errors.append(
                        (code, NOT_ON_SCALE.format(item=code, value=value, codes=", ".join(codes)))
                    )
                    break
        elif item.kind == Item.Kind.NUMBER:
            try:
                number = int(values[0])
            except ValueError:
                errors.append((code, NOT_A_NUMBER.format(item=code)))
                continue
            low, high = item.minimum, item.maximum
            if (low is not None and number < low) or (high is not None and number > high):
                errors.append(
                    (code, NUMBER_OUT_OF_RANGE.format(item=code, minimum=low, maximum=high))
                )
        elif len(values[0]) > TEXT_LIMIT:
            errors.append((code, TEXT_TOO_LONG.format(item=code, limit=TEXT_LIMIT)))
    return errors


def instrument_items(instrument: Instrument) -> dict[str, Item]:
    return {i.code: i for i in instrument.items.select_related("scale")}


def response_refusals(
    *,
    instrument: Instrument,
    items: Mapping[str, Item],
    answered_by: str,
    channel: str,
    reference: str,
    submitted_at: dt.datetime,
    answers: Mapping[str, AnswerValue],
) -> list[tuple[str, str]]:
    """(field or item code, refusal) for everything wrong with a response; [] if none."""
    errors: list[tuple[str, str]] = []
    if instrument.status != Instrument.Status.PUBLISHED:
        errors.append(("instrument", NOT_OPEN))
    if answered_by not in Response.AnsweredBy.values:
        errors.append(("answered_by", UNKNOWN_ANSWERED_BY))
    if channel not in Response.Channel.values:
        errors.append(("channel", UNKNOWN_CHANNEL))
    if submitted_at > timezone.now():
        errors.append(("submitted_at", SUBMITTED_IN_FUTURE))
    if reference and Response.objects.filter(instrument=instrument, reference=reference).exists():
        errors.append(("reference", REFERENCE_TAKEN.format(reference=reference)))
    errors += answers_check(items=items, answers=answers)
    if not any(_values(v) for v in answers.values()):
        errors.append(("answers", NO_ANSWERS))
    return errors


@transaction.atomic
def response_record(
    *,
    actor: User | None,
    instrument: Instrument,
    person: Person | None,
    answered_by: str,
    channel: str,
    submitted_at: dt.datetime,
    answers: Mapping[str, AnswerValue],
    reference: str = "",
    consent_to_report: bool = True,
    items: Mapping[str, Item] | None = None,
    campaign: Campaign | None = None,
) -> Response:
    """Record one response. ``person`` None makes it anonymous: nothing links it, or its
    audit event, to anyone. Refuses (naming the item or field) and changes nothing when
    any answer is not on its item's scale."""
    items = instrument_items(instrument) if items is None else items
    errors = response_refusals(
        instrument=Instrument.objects.select_for_update().get(pk=instrument.pk),
        items=items,
        answered_by=answered_by,
        channel=channel,
        reference=reference,
        submitted_at=submitted_at,
        answers=answers,
    )
    if errors:
        field, message = errors[0]
        raise SurveyRefused(message, field=field)
    response = Response.objects.create(
        instrument=instrument,
        campaign=campaign,
        person=person,
        answered_by=answered_by,
        channel=channel,
        reference=reference,
        consent_to_report=consent_to_report,
        submitted_at=submitted_at,
        recorded_by=actor,
    )
    rows = [
        Answer(response=response, item=items[code], value=value)
        for code, raw in answers.items()
        for value in dict.fromkeys(_values(raw))
    ]
    Answer.objects.bulk_create(rows)
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="survey_response",
        object_id=response.pk,
        person_id=person.pk if person else None,
        summary=(
            f"Recorded a {'' if person else 'anonymous '}response to {instrument.name} "
            f"version {instrument.version} ({response.get_channel_display().lower()})"
        ),
        changes={
            "Answered by": [None, response.get_answered_by_display()],
            "Answers": [None, len(rows)],
            "Consent to report": [None, consent_to_report],
        },
    )
    return response


@transaction.atomic
def instrument_publish(*, actor: User | None, instrument: Instrument) -> Instrument:
    """Publish a draft; the version published before it retires (its responses stay)."""
    locked = Instrument.objects.select_for_update().get(pk=instrument.pk)
    if locked.status != Instrument.Status.DRAFT:
        raise SurveyRefused(ONLY_DRAFTS_PUBLISH, field="status")
    retired = list(
        Instrument.objects.select_for_update().filter(
            code=locked.code, status=Instrument.Status.PUBLISHED
        )
    )
    for old in retired:
        old.status = Instrument.Status.RETIRED
        old.save(update_fields=["status"])
    locked.status = Instrument.Status.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = actor
    locked.save(update_fields=["status", "published_at", "published_by"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="survey_instrument",
        object_id=locked.pk,
        summary=f"Published {locked.name} version {locked.version}",
        changes={
            "Status": ["draft", "published"],
            "Retired versions": [None, [o.version for o in retired]],
        },
    )
    return locked


@transaction.atomic
def instrument_version_new(*, actor: User | None, source: Instrument) -> Instrument:
    """A new draft version copied from ``source``, to change and then publish."""
    data = instrument_definition(source)
    latest = Instrument.objects.filter(code=source.code).aggregate(n=Max("version"))["n"]
    data["version"] = (latest or 0) + 1
    draft: Instrument = instrument_build(
        instrument_model=Instrument,
        scale_model=Scale,
        item_model=Item,
        data=definition_check(data),
        status=Instrument.Status.DRAFT,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="survey_instrument",
        object_id=draft.pk,
        summary=f"Drafted version {draft.version} of {draft.name} from version {source.version}",
    )
    return draft


@transaction.atomic
def item_wording_update(
    *, actor: User | None, item: Item, text: str, easy_read_text: str | None = None
) -> Item:
    """Change an item's wording, in a draft only: a published instrument never changes."""
    locked = Item.objects.select_for_update().select_related("instrument").get(pk=item.pk)
    if not locked.instrument.is_draft:
        raise SurveyRefused(PUBLISHED_INSTRUMENT_IS_FROZEN, field="text")
    before: dict[str, Any] = {"Text": locked.text, "Easy read": locked.easy_read_text}
    locked.text = text
    if easy_read_text is not None:
        locked.easy_read_text = easy_read_text
    locked.save(update_fields=["text", "easy_read_text"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="survey_item",
        object_id=locked.pk,
        summary=f"Changed the wording of {locked.code} in {locked.instrument}",
        changes={
            "Text": [before["Text"], locked.text],
            "Easy read": [before["Easy read"], locked.easy_read_text],
        },
    )
    return locked
