"""Referrals raised by answers: re-checked when the answer changes (withdrawn with a
reason, raised again), and acted on by a worker (sent to whom and when, or declined with
why); shown on the assessment and the practitioner's home."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.assessment import services
from selfdirect.assessment.models import Assessment, Referral
from selfdirect.audit.models import Event


def _answer(council: Any, assessment: Assessment, option: str, view: str = "person") -> None:
    actor = council.users[Role.HOLDER if view == "person" else Role.PRACTITIONER]
    services.answer_record(
        actor=actor, assessment=assessment, section_id="equipment", option_id=option, view=view
    )


def test_a_changed_answer_withdraws_the_referral_and_raises_it_again(council: Any) -> None:
    assessment = council.holder_assessment
    _answer(council, assessment, "need")
    referral = Referral.objects.get(assessment=assessment, trigger="equipment")
    assert referral.status == "open"
    _answer(council, assessment, "have")
    referral.refresh_from_db()
    assert referral.status == "withdrawn"
    assert referral.reason == services.REFERRAL_NO_LONGER_CALLED_FOR
    withdrawn = Event.objects.get(object_type="referral", summary__startswith="Withdrew")
    assert withdrawn.changes == {"Status": ["To do", "Withdrawn: the answer changed"]}
    _answer(council, assessment, "need")
    referral.refresh_from_db()
    assert (referral.status, referral.reason) == ("open", "")
    assert Referral.objects.filter(assessment=assessment).count() == 1


def test_the_agreed_answer_decides_once_there_is_one(council: Any) -> None:
    assessment = council.holder_assessment
    _answer(council, assessment, "need")
    _answer(council, assessment, "have", view="agreed")
    assert Referral.objects.get(assessment=assessment).status == "withdrawn"
    _answer(council, assessment, "need", view="agreed")
    assert Referral.objects.get(assessment=assessment).status == "open"


def test_a_referral_acted_on_is_not_withdrawn(council: Any) -> None:
    assessment = council.holder_assessment
    _answer(council, assessment, "need")
    referral = Referral.objects.get(assessment=assessment)
    services.referral_send(
        actor=council.users[Role.PRACTITIONER],
        referral=referral,
        sent_to="Community equipment service",
        sent_on=dt.date.today(),
    )
    _answer(council, assessment, "have")
    referral.refresh_from_db()
    assert (referral.status, referral.sent_to) == ("sent", "Community equipment service")


@pytest.mark.parametrize(
    ("action", "kwargs", "message", "field"),
    [
        (
            "send",
            {"sent_to": " ", "sent_on": dt.date.today()},
            services.REFERRAL_SENT_TO_NEEDED,
            "sent_to",
        ),
        (
            "send",
            {"sent_to": "OT", "sent_on": dt.date.today() + dt.timedelta(days=1)},
            services.REFERRAL_SENT_IN_FUTURE,
            "sent_on",
        ),
        ("decline", {"reason": ""}, services.REFERRAL_REASON_NEEDED, "reason"),
    ],
)
def test_an_action_is_refused_by_name_and_changes_nothing(
    council: Any, action: str, kwargs: dict[str, Any], message: str, field: str
) -> None:
    _answer(council, council.holder_assessment, "need")
    referral = Referral.objects.get()
    service = services.referral_send if action == "send" else services.referral_decline
    with pytest.raises(services.AssessmentError) as refused:
        service(actor=council.users[Role.PRACTITIONER], referral=referral, **kwargs)
    assert (str(refused.value), refused.value.field) == (message, field)
    referral.refresh_from_db()
    assert referral.status == "open" and referral.acted_by is None


def test_declined_with_a_reason_then_closed_to_another_action(council: Any) -> None:
    _answer(council, council.holder_assessment, "need")
    referral = Referral.objects.get()
    worker = council.users[Role.PRACTITIONER]
    services.referral_decline(actor=worker, referral=referral, reason="Has the equipment already")
    referral.refresh_from_db()
    assert (referral.status, referral.acted_by) == ("not_needed", worker)
    with pytest.raises(services.AssessmentError, match=services.REFERRAL_ACTED_ON):
        services.referral_send(
            actor=worker, referral=referral, sent_to="x", sent_on=dt.date.today()
        )


def test_the_home_page_lists_it_and_the_page_records_it_sent(client: Any, council: Any) -> None:
    _answer(council, council.holder_assessment, "need")
    referral = Referral.objects.get()
    url = reverse("assessment:referral", args=[council.holder_assessment.pk, referral.pk])
    client.force_login(council.users[Role.PRACTITIONER])
    assert f'href="{url}"' in client.get(reverse("home")).content.decode()
    page = client.post(url, {"action": "sent", "sent_to": ""}).content.decode()
    assert "<title>Error: " in page and services.REFERRAL_SENT_TO_NEEDED in page
    today = dt.date.today()
    response = client.post(
        url,
        {
            "action": "sent",
            "sent_to": "Community equipment service",
            "sent_on_day": today.day,
            "sent_on_month": today.month,
            "sent_on_year": today.year,
        },
    )
    assert response.url == reverse("assessment:detail", args=[council.holder_assessment.pk])
    detail = client.get(response.url).content.decode()
    assert "referred to Community equipment service" in detail
    assert f'href="{url}"' not in client.get(reverse("home")).content.decode()
    page = client.post(url, {"action": "declined", "reason": "x"}).content.decode()
    assert services.REFERRAL_ACTED_ON in page
    referral.refresh_from_db()
    assert referral.status == "sent"
