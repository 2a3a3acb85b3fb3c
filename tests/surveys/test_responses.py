"""Recording responses: every answer is checked against its item's scale, a refusal names
the item and records nothing, anonymous responses carry no person (nor does their audit
event), and the frame the analysis reads has one column per item."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from selfdirect.audit.models import Event
from selfdirect.surveys import services
from selfdirect.surveys.frame import responses_frame
from selfdirect.surveys.models import Answer, Instrument, Response

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.now() - dt.timedelta(days=1)


def _poet() -> Instrument:
    return Instrument.objects.get(code="poet-holder", status=Instrument.Status.PUBLISHED)


def _record(council: Any, person: Any = None, **overrides: Any) -> Response:
    kwargs: dict[str, Any] = {
        "actor": council.users["practitioner"],
        "instrument": _poet(),
        "person": person,
        "answered_by": "self",
        "channel": "paper",
        "submitted_at": YESTERDAY,
        "answers": {"dignity": "5", "quality_of_life": "NR", "plan_help": ["council", "nhs"]},
    }
    kwargs.update(overrides)
    return services.response_record(**kwargs)


def test_a_response_records_each_answer_and_an_audit_event(council: Any) -> None:
    response = _record(council, person=council.holder_person, reference="P-001")

    assert response.person == council.holder_person
    assert sorted(Answer.objects.filter(response=response).values_list("item__code", "value")) == [
        ("dignity", "5"),
        ("plan_help", "council"),
        ("plan_help", "nhs"),
        ("quality_of_life", "NR"),
    ]
    event = Event.objects.get(object_type="survey_response", object_id=str(response.pk))
    assert event.person_id == council.holder_person.pk
    assert event.changes["Answers"] == [None, 4]


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"dignity": "6"}, "dignity", "dignity: '6' is not one of its answers (5, 4, 3, 2, 1, NR)"),
        ({"ease_information": "5"}, "ease_information", "ease_information: '5' is not one"),
        ({"plan_help": ["council", "aunt"]}, "plan_help", "plan_help: 'aunt' is not one"),
        ({"dignity": ["5", "4"]}, "dignity", "dignity: give one answer only"),
        ({"happiness": "5"}, "happiness", "happiness is not a question in this survey"),
        ({"dignity": ""}, "answers", services.NO_ANSWERS),
    ],
)
def test_an_answer_off_its_scale_is_refused_by_item_and_nothing_is_recorded(
    council: Any, answers: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(services.SurveyRefused) as refused:
        _record(council, person=council.holder_person, answers=answers)
    assert refused.value.field == field
    assert str(refused.value).startswith(message)
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not Event.objects.filter(object_type="survey_response").exists()


def test_who_answered_must_be_self_with_help_or_proxy(council: Any) -> None:
    with pytest.raises(services.SurveyRefused, match=services.UNKNOWN_ANSWERED_BY) as refused:
        _record(council, answered_by="neighbour")
    assert refused.value.field == "answered_by"


def test_a_retired_or_draft_version_takes_no_responses(council: Any) -> None:
    draft = services.instrument_version_new(actor=council.users["admin"], source=_poet())
    with pytest.raises(services.SurveyRefused, match=services.NOT_OPEN):
        _record(council, instrument=draft)


def test_a_paper_reference_is_keyed_in_once(council: Any) -> None:
    _record(council, reference="P-7")
    with pytest.raises(services.SurveyRefused) as refused:
        _record(council, reference="P-7")
    assert refused.value.field == "reference"
    assert Response.objects.count() == 1


def test_an_anonymous_response_has_no_person_anywhere(council: Any) -> None:
    response = _record(council, person=None)

    assert response.person_id is None
    event = Event.objects.get(object_type="survey_response", object_id=str(response.pk))
    assert event.person_id is None and "anonymous" in event.summary
    frame = responses_frame(_poet())
    assert frame.respondents["person_id"] == [None]


def test_the_frame_has_a_column_per_item_and_filters_proxies_and_refusals(
    council: Any,
) -> None:
    own = _record(council, person=council.holder_person)
    _record(council, answered_by="proxy", answers={"dignity": "2", "plan_help": ["none"]})
    _record(council, consent_to_report=False, answers={"dignity": "1"})

    frame = responses_frame(_poet())
    assert frame.n == 2
    assert frame.respondents["response_id"][0] == own.pk
    assert frame.respondents["answered_by"] == ["self", "proxy"]
    assert frame.items["dignity"] == ["5", "2"]
    assert frame.items["quality_of_life"] == ["NR", None]
    assert frame.items["paid_work"] == [None, None]
    assert frame.items["plan_help.council"] == [True, False]
    assert frame.items["plan_help.none"] == [False, True]
    assert frame.items["spend.equipment"] == [None, None]
    assert "plan_help" not in frame.items

    without_proxy = responses_frame(_poet(), include_proxy=False)
    assert without_proxy.n == 1 and without_proxy.items["dignity"] == ["5"]
    everyone = responses_frame(_poet(), consented_only=False)
    assert everyone.items["dignity"] == ["5", "2", "1"]


def test_the_persons_record_export_holds_their_responses_but_no_anonymous_ones(
    council: Any,
) -> None:
    from selfdirect.portal.record_export import person_record

    own = _record(council, person=council.holder_person)
    _record(council, person=None, answers={"dignity": "1"})

    [exported] = person_record(council.holder_person)["survey_responses"]
    assert exported["id"] == own.pk
    assert exported["instrument"] == "poet-holder version 1"
    assert {(a["item"], a["value"]) for a in exported["answers"]} == {
        ("dignity", "5"),
        ("quality_of_life", "NR"),
        ("plan_help", "council"),
        ("plan_help", "nhs"),
    }
