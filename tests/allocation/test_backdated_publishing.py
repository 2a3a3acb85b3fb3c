"""Publishing a questionnaire or RAS version from a date in the past needs a reason and a
second administrator's confirmation; the one who asked cannot confirm it (issue 11)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from selfdirect.access import second_administrator as rule
from selfdirect.access.roles import Role
from selfdirect.allocation import services
from selfdirect.allocation.models import RasPublication, RasVersion
from selfdirect.assessment import services as assessment_services
from selfdirect.assessment.models import QuestionnairePublication, QuestionnaireVersion
from selfdirect.audit.models import Event
from tests.concurrency import one_success_one_refusal, race
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PAST = dt.date(2020, 1, 6)
PAST_FORM = {"effective_from_day": "6", "effective_from_month": "1", "effective_from_year": "2020"}


def _draft(council: Any) -> QuestionnaireVersion:
    published = QuestionnaireVersion.objects.get(
        questionnaire__code="self-assessment", status="published"
    )
    return assessment_services.questionnaire_version_draft(
        actor=council.users[Role.ADMIN], source=published
    )


def _ras_draft() -> RasVersion:
    return services.ras_version_create(
        actor=None, data=json.loads(services.DEFAULT_RAS.read_text())
    )


def test_a_past_date_without_a_reason_is_refused(client: Any, council: Any) -> None:
    draft = _draft(council)
    with pytest.raises(assessment_services.AssessmentError) as refused:
        assessment_services.questionnaire_version_publish(
            actor=council.users[Role.ADMIN], version=draft, effective_from=PAST
        )
    assert str(refused.value) == rule.PAST_DATE_NEEDS_REASON
    client.force_login(council.users[Role.ADMIN])
    page = client.post(
        f"/admin/questionnaires/versions/{draft.pk}/", {"action": "publish", **PAST_FORM}
    ).content.decode()
    assert rule.PAST_DATE_NEEDS_REASON in page and "<title>Error: " in page
    draft.refresh_from_db()
    assert draft.status == "draft" and not QuestionnairePublication.objects.exists()


def test_a_questionnaire_from_a_past_date_waits_then_a_second_admin_confirms(
    client: Any, council: Any
) -> None:
    admin, second = council.users[Role.ADMIN], make_user("second-admin", ["admin"])
    draft = _draft(council)
    client.force_login(admin)
    response = client.post(
        f"/admin/questionnaires/versions/{draft.pk}/",
        {"action": "publish", **PAST_FORM, "reason": "Cabinet agreed it from January"},
    )
    assert response["Location"] == "/admin/questionnaires/dated-in-the-past/"
    asked = QuestionnairePublication.objects.get()
    draft.refresh_from_db()
    assert draft.status == "draft" and asked.status == "pending"
    assert Event.objects.filter(object_type="questionnaire_publication", actor=admin).exists()
    page = client.get("/admin/questionnaires/dated-in-the-past/").content.decode()
    assert "Cabinet agreed it from January" in page
    assert "Another administrator must decide" in page  # no buttons for one's own request
    client.post(f"/admin/questionnaires/dated-in-the-past/{asked.pk}/confirm/")
    asked.refresh_from_db()
    assert asked.status == "pending"
    with pytest.raises(assessment_services.AssessmentError) as refused:
        assessment_services.questionnaire_publication_confirm(actor=admin, request=asked)
    assert str(refused.value) == rule.CANNOT_DECIDE_OWN
    client.force_login(second)
    client.post(f"/admin/questionnaires/dated-in-the-past/{asked.pk}/confirm/")
    asked.refresh_from_db()
    draft.refresh_from_db()
    assert asked.status == "confirmed" and asked.decided_by == second
    assert draft.status == "published" and draft.effective_from == PAST
    assert draft.published_by == admin
    confirmed = Event.objects.get(object_type="questionnaire_publication", actor=second)
    assert "asked for by" in confirmed.summary
    with pytest.raises(assessment_services.AssessmentError) as again:
        assessment_services.questionnaire_publication_decline(actor=second, request=asked)
    assert str(again.value) == rule.ALREADY_DECIDED


def test_a_declined_request_leaves_a_draft(council: Any) -> None:
    admin, second = council.users[Role.ADMIN], make_user("second-admin", ["admin"])
    draft = _draft(council)
    asked = assessment_services.questionnaire_publication_request(
        actor=admin, version=draft, effective_from=PAST, reason="Backdated"
    )
    assessment_services.questionnaire_publication_decline(actor=second, request=asked)
    asked.refresh_from_db()
    draft.refresh_from_db()
    assert asked.status == "declined" and draft.status == "draft"


def test_a_request_needs_a_reason_and_a_past_date_and_only_one_waits(council: Any) -> None:
    admin = council.users[Role.ADMIN]
    draft = _draft(council)
    for when, reason, text in (
        (PAST, " ", rule.REASON_NEEDED),
        (dt.date.today(), "Why not", rule.NOT_IN_THE_PAST),
    ):
        with pytest.raises(assessment_services.AssessmentError) as refused:
            assessment_services.questionnaire_publication_request(
                actor=admin, version=draft, effective_from=when, reason=reason
            )
        assert str(refused.value) == text
    assessment_services.questionnaire_publication_request(
        actor=admin, version=draft, effective_from=PAST, reason="Backdated"
    )
    with pytest.raises(assessment_services.AssessmentError) as twice:
        assessment_services.questionnaire_publication_request(
            actor=admin, version=draft, effective_from=PAST, reason="Backdated"
        )
    assert str(twice.value) == rule.ALREADY_WAITING


def test_only_administrators_decide_and_the_database_holds_the_rule(council: Any) -> None:
    admin = council.users[Role.ADMIN]
    asked = services.ras_publication_request(
        actor=admin, version=_ras_draft(), effective_from=PAST, reason="Backdated"
    )
    with pytest.raises(services.AllocationError) as refused:
        services.ras_publication_confirm(actor=council.users[Role.COMMISSIONER], request=asked)
    assert str(refused.value) == rule.ONLY_ADMINISTRATORS_DECIDE
    with pytest.raises(IntegrityError), transaction.atomic():
        RasPublication.objects.filter(pk=asked.pk).update(
            status="confirmed", decided_by=admin, decided_at=dt.datetime.now(dt.UTC)
        )


def test_a_ras_from_a_past_date_through_the_pages(client: Any, council: Any) -> None:
    admin, second = council.users[Role.ADMIN], make_user("second-admin", ["admin"])
    draft = _ras_draft()
    client.force_login(admin)
    page = client.post(f"/admin/ras/{draft.pk}/", PAST_FORM).content.decode()
    assert rule.PAST_DATE_NEEDS_REASON in page
    response = client.post(f"/admin/ras/{draft.pk}/", {**PAST_FORM, "reason": "Uprating"})
    assert response["Location"] == "/admin/ras/dated-in-the-past/"
    asked = RasPublication.objects.get()
    client.force_login(second)
    page = client.get("/admin/ras/dated-in-the-past/").content.decode()
    assert "Uprating" in page and "Confirm<span" in page
    client.post(f"/admin/ras/dated-in-the-past/{asked.pk}/confirm/")
    draft.refresh_from_db()
    assert draft.status == "published" and draft.effective_from == PAST
    assert services.ras_version_in_force(draft.questionnaire, PAST).pk == draft.pk


def test_confirming_a_request_whose_date_was_taken_since_changes_nothing(council: Any) -> None:
    admin, second = council.users[Role.ADMIN], make_user("second-admin", ["admin"])
    first, other = _ras_draft(), _ras_draft()
    asked = services.ras_publication_request(
        actor=admin, version=first, effective_from=PAST, reason="Backdated"
    )
    taken = services.ras_publication_request(
        actor=admin, version=other, effective_from=PAST, reason="Backdated too"
    )
    services.ras_publication_confirm(actor=second, request=taken)
    with pytest.raises(services.AllocationError) as refused:
        services.ras_publication_confirm(actor=second, request=asked)
    assert str(refused.value) == services.RAS_DATE_TAKEN.format(on="6 January 2020")
    asked.refresh_from_db()
    first.refresh_from_db()
    assert asked.status == "pending" and first.status == "draft"


@pytest.mark.postgres
def test_two_administrators_confirming_at_once_publish_once(committed_council: Any) -> None:
    council = committed_council
    admin = council.users[Role.ADMIN]
    deciders = [make_user(f"second-{i}", ["admin"]) for i in range(2)]
    asked = services.ras_publication_request(
        actor=admin, version=_ras_draft(), effective_from=PAST, reason="Backdated"
    )
    outcomes = race(
        lambda i: RasPublication.objects.get(pk=asked.pk),
        lambda i, loaded: services.ras_publication_confirm(actor=deciders[i], request=loaded),
    )
    refused = one_success_one_refusal(outcomes, services.AllocationError)
    assert str(refused) == rule.ALREADY_DECIDED
    assert RasVersion.objects.filter(status="published", effective_from=PAST).count() == 1
    assert Event.objects.filter(summary__startswith="Confirmed publishing").count() == 1
