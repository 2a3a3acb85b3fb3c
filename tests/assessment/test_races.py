"""Two decisions at once on one assessment or questionnaire (PostgreSQL, real concurrent
transactions): one succeeds, the other gets the refusal it would have got a moment later.
Plus the constraints behind them, on both engines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from selfdirect.access.roles import Role
from selfdirect.assessment import services
from selfdirect.assessment.eligibility import Findings, Unable
from selfdirect.assessment.models import Assessment, EligibilityDecision, QuestionnaireVersion
from tests.concurrency import one_success_one_refusal, race

FINDINGS = Findings(
    True,
    {"A": frozenset({Unable.WITHOUT_ASSISTANCE}), "B": frozenset({Unable.SIGNIFICANTLY_LONGER})},
    True,
)


def _decide(actor: Any, assessment: Assessment) -> EligibilityDecision:
    return services.eligibility_decide(
        actor=actor, assessment=assessment, findings=FINDINGS, decided_on=dt.date.today()
    )


@pytest.mark.postgres
def test_two_eligibility_decisions_at_once_decide_once(committed_council: Any) -> None:

    council = committed_council
    assessment = council.holder_assessment
    staff = [council.users[Role.PRACTITIONER], council.users[Role.MANAGER]]
    outcomes = race(
        lambda _i: Assessment.objects.get(pk=assessment.pk),
        lambda i, loaded: _decide(staff[i], loaded),
    )
    refused = one_success_one_refusal(outcomes, services.AssessmentError)
    assert str(refused) == services.ELIGIBILITY_DECIDED
    assert EligibilityDecision.objects.filter(assessment=assessment).count() == 1


@pytest.mark.postgres
def test_two_questionnaire_versions_published_at_once_for_one_date_publish_one(
    committed_council: Any,
) -> None:

    council = committed_council
    admin = council.users[Role.ADMIN]
    published = QuestionnaireVersion.objects.get(
        questionnaire__code="self-assessment", status="published"
    )
    drafts = [services.questionnaire_version_draft(actor=admin, source=published) for _ in range(2)]
    when = dt.date(2031, 4, 1)
    outcomes = race(
        lambda i: QuestionnaireVersion.objects.get(pk=drafts[i].pk),
        lambda _i, loaded: services.questionnaire_version_publish(
            actor=admin, version=loaded, effective_from=when
        ),
    )
    refused = one_success_one_refusal(outcomes, services.AssessmentError)
    assert str(refused) == services.QUESTIONNAIRE_DATE_TAKEN.format(on="1 April 2031")
    assert QuestionnaireVersion.objects.filter(status="published", effective_from=when).count() == 1


@pytest.mark.django_db
def test_an_assessment_has_one_eligibility_decision(council: Any) -> None:
    decision = _decide(council.users[Role.PRACTITIONER], council.holder_assessment)
    copy = {
        f.name: getattr(decision, f.name)
        for f in EligibilityDecision._meta.concrete_fields
        if f.name not in ("id", "recorded_at")
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        EligibilityDecision.objects.create(**copy)


@pytest.mark.django_db
def test_one_published_questionnaire_version_per_date(council: Any) -> None:
    admin = council.users[Role.ADMIN]
    published = QuestionnaireVersion.objects.get(
        questionnaire__code="self-assessment", status="published"
    )
    draft = services.questionnaire_version_draft(actor=admin, source=published)
    with pytest.raises(services.AssessmentError, match="is in force from 1 April 2015"):
        services.questionnaire_version_publish(
            actor=admin, version=draft, effective_from=published.effective_from
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireVersion.objects.filter(pk=draft.pk).update(
            status="published", effective_from=published.effective_from
        )
