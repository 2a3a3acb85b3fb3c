"""The demo council's survey campaigns (issue 15): the demo holder and the demo carer each
have "Tell us how it went" to answer, made the same from the same seed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from selfdirect.demo.generator import demo_council_build
from selfdirect.surveys.models import Invitation
from selfdirect.surveys.selectors import invitations_to_answer

TODAY = dt.date(2026, 11, 24)

pytestmark = pytest.mark.django_db


def test_the_demo_holder_and_carer_have_a_survey_to_answer() -> None:
    summary = demo_council_build(people=150, seed=5, today=TODAY, money_people=0)
    invitations = Invitation.objects.select_related("campaign__instrument")
    assert summary.counts["survey invitations"] == invitations.count() > 0
    holder = User.objects.get(username="holder")
    carer = User.objects.get(username="carer")
    (mine,) = invitations_to_answer(holder)
    assert mine.person_id == summary.holder_person_id
    assert mine.campaign.instrument.code == "poet-holder"
    assert [i.campaign.instrument.code for i in invitations_to_answer(carer)] == ["poet-carer"]
    # Every invitation is from one day's reviews: the campaign stays small at any size.
    assert {i.campaign.period_start for i in invitations} == {mine.campaign.period_end}
