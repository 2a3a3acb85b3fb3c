"""The demo carer's journey (issue 13, "Carers count"): the carer demo sign-in finds their
own carer's assessment, reads the holder's plan and how it is held (the holder consents),
and has asked for a review in their own words; a few other carers have a carer's
assessment. SCIE-33, SCIE-34; REQ-39."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from selfdirect.allocation.models import Allocation
from selfdirect.assessment.models import Assessment
from selfdirect.demo.generator import demo_council_build
from selfdirect.planning.models import Review

pytestmark = pytest.mark.django_db


def _carer_story() -> dict[str, Any]:
    summary = demo_council_build(people=120, seed=3, money_people=0)
    carer = User.objects.get(username="carer")
    own = Assessment.objects.filter(person=carer.profile.person)
    return {
        "summary": summary,
        "carer": carer,
        "assessments": own,
        "budgets": Allocation.objects.filter(person=carer.profile.person),
        "asked": Review.objects.filter(asked_by=carer),
    }


def test_the_demo_carer_has_a_journey_of_their_own(client: Client) -> None:
    story = _carer_story()
    carer, summary = story["carer"], story["summary"]
    (assessment,) = story["assessments"]
    assert assessment.cared_for_id == summary.holder_person_id
    assert assessment.status == "agreed"
    assert not story["budgets"].exists()  # no carers' RAS is shipped (demo/carers.py)
    (review,) = story["asked"]
    assert (review.asked_as, review.asked_reason) == ("carer", "carer_cannot_help")
    assert review.plan.person_id == summary.holder_person_id
    assert summary.counts["carers' assessments"] >= 2  # the demo carer's, and others'
    # Signed in, the carer opens each page of it.
    client.force_login(carer)
    home = client.get(reverse("home")).content.decode()
    assert reverse("assessment:detail", args=[assessment.pk]) in home
    for url in (
        reverse("assessment:detail", args=[assessment.pk]),
        reverse("planning:detail", args=[review.plan_id]),
        reverse("budgets:holding", args=[review.plan_id]),
        reverse("planning:review_request", args=[review.plan_id]),
    ):
        assert client.get(url).status_code == 200, url
