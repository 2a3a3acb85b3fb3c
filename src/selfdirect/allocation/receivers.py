"""Allocation's part in the assessment page: assessment sends the signal and allocation,
which builds on assessment, answers it (decision 0011)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.dispatch import receiver

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.allocation.models import Allocation
from selfdirect.allocation.services import questionnaire_publish_refusal
from selfdirect.assessment.models import Assessment, QuestionnaireVersion
from selfdirect.assessment.selectors import assessment_visibility
from selfdirect.assessment.signals import assessment_page_shown, questionnaire_version_publishing


@receiver(assessment_page_shown, dispatch_uid="allocation.assessment_page")
def _assessment_page(
    sender: Any, *, assessment: Assessment, user: AnyUser, **kwargs: Any
) -> dict[str, Any]:
    return {
        "allocations": list(
            # One assessment's: the rule as conditions on its few rows.
            Allocation.objects.filter(assessment_visibility(user, "assessment__")).filter(
                assessment=assessment
            )
        )
        if user_can(user, "allocation.view")
        else [],
    }


@receiver(questionnaire_version_publishing, dispatch_uid="allocation.questionnaire_publishing")
def _questionnaire_publishing(
    sender: Any, *, version: QuestionnaireVersion, effective_from: dt.date, **kwargs: Any
) -> str:
    """Refuse a questionnaire version the RAS in force from its date would not price."""
    return questionnaire_publish_refusal(version, effective_from)
