"""The campaign pages: a refusal shows on the field it names and makes nothing; a big
campaign's invitations go to a background job the page says is running."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from selfdirect.operations.models import Job
from selfdirect.surveys import campaigns
from selfdirect.surveys.models import Campaign
from tests.surveys.helpers import PERIOD, plan_with_review, poet

pytestmark = pytest.mark.django_db


def _form(**overrides: Any) -> dict[str, Any]:
    closes = timezone.localdate() + dt.timedelta(days=30)
    data: dict[str, Any] = {
        "name": "Autumn sample",
        "instrument": poet().pk,
        "selection": "sample",
        "period_start": PERIOD[0].isoformat(),
        "period_end": PERIOD[1].isoformat(),
        "sample_size": "5",
        "seed": "",
        "invite_by": "message",
        "consent_wording": "We use your answers to improve support.",
        "anonymous": "no",
        "closes_on": closes.isoformat(),
        "reminder_days": "14",
    }
    data.update(overrides)
    return data


def test_a_sample_without_a_seed_is_refused_on_the_seed(client: Any, council: Any) -> None:
    plan_with_review(council, council.holder_person)
    client.force_login(council.users["commissioner"])
    page = client.post("/surveys/campaigns/new/", _form())
    text = page.content.decode()
    assert page.status_code == 200 and campaigns.CAMPAIGN_SEED_NEEDED in text
    assert 'href="#id_seed"' in text
    assert not Campaign.objects.exists()


def test_a_campaign_made_from_the_page_invites_and_shows_its_counts(
    client: Any, council: Any
) -> None:
    plan_with_review(council, council.holder_person)
    client.force_login(council.users["manager"])
    made = client.post("/surveys/campaigns/new/", _form(seed="3"))
    campaign = Campaign.objects.get()
    assert made["Location"] == f"/surveys/campaigns/{campaign.pk}/"
    assert (campaign.sample_size, campaign.seed, campaign.created_by.username) == (5, 3, "manager")
    page = client.get(made["Location"]).content.decode()
    assert "Invited: <strong>1</strong>" in page and "seed 3" in page


def test_a_big_campaign_is_invited_by_a_background_job(
    client: Any, council: Any, monkeypatch: Any
) -> None:
    plan_with_review(council, council.holder_person)
    monkeypatch.setattr(campaigns, "INLINE_INVITATIONS", 0)
    client.force_login(council.users["commissioner"])
    made = client.post("/surveys/campaigns/new/", _form(selection="reviewed"), follow=True)
    assert "being made in the background" in made.content.decode()
    job = Job.objects.get(kind="survey_invitations")
    assert job.params == {"campaign_id": Campaign.objects.get().pk}
    assert not Campaign.objects.get().invitations.exists()


def test_closing_a_campaign_stops_answers_and_reminders(client: Any, council: Any) -> None:
    plan_with_review(council, council.holder_person)
    client.force_login(council.users["commissioner"])
    client.post("/surveys/campaigns/new/", _form(selection="reviewed", reminder_days="1"))
    campaign = Campaign.objects.get()
    assert client.post(f"/surveys/campaigns/{campaign.pk}/close/")["Location"] == (
        f"/surveys/campaigns/{campaign.pk}/"
    )
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    later = timezone.now() + dt.timedelta(days=5)
    assert campaigns.reminders_send(now=later) == 0
    invitation = campaign.invitations.get()
    with pytest.raises(campaigns.SurveyRefused, match=campaigns.INVITATION_CLOSED_EARLY):
        campaigns.invitation_decline(actor=council.users["holder"], invitation=invitation)
    client.force_login(council.users["holder"])
    start = client.get(f"/surveys/invitations/{invitation.pk}/").content.decode()
    assert "This survey has closed." in start and "Start now" not in start
    client.force_login(council.users["commissioner"])
    again = client.post(f"/surveys/campaigns/{campaign.pk}/close/", follow=True)
    assert campaigns.CAMPAIGN_ALREADY_CLOSED in again.content.decode()
