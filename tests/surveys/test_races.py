"""Campaign work at once on PostgreSQL (real concurrent transactions): invitations made
twice at once are made and sent once; two reminder runs at once remind once; the same
invitation sent twice at once records one response."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from selfdirect.notify.models import Message
from selfdirect.surveys import campaigns
from selfdirect.surveys.models import Campaign, Invitation, Response
from selfdirect.surveys.services import SurveyRefused
from tests.concurrency import one_success_one_refusal, race
from tests.surveys.helpers import campaign_make, plan_with_review


@pytest.mark.postgres
def test_invitations_made_twice_at_once_are_made_and_sent_once(
    committed_council: Any, monkeypatch: Any
) -> None:
    council = committed_council
    plan_with_review(council, council.holder_person)
    monkeypatch.setattr(campaigns, "INLINE_INVITATIONS", 0)  # leave them to "the job"
    campaign = campaign_make(council, start_job=lambda _c: None)
    assert not Invitation.objects.exists()
    race(
        lambda _i: Campaign.objects.get(pk=campaign.pk),
        lambda _i, loaded: campaigns.invitations_create(actor=None, campaign=loaded),
    )
    invitation = Invitation.objects.get()
    assert Message.objects.filter(key=f"survey-invitation-{invitation.pk}-0").count() == 2


@pytest.mark.postgres
def test_two_reminder_runs_at_once_remind_once(committed_council: Any) -> None:
    council = committed_council
    plan_with_review(council, council.holder_person)
    campaign = campaign_make(council, reminder_days=1)
    Invitation.objects.filter(campaign=campaign).update(
        invited_at=timezone.now() - dt.timedelta(days=2)
    )
    outcomes = race(lambda _i: None, lambda _i, _loaded: campaigns.reminders_send())
    assert sorted(outcomes) == [0, 1]
    assert Invitation.objects.get().reminders_sent == 1


@pytest.mark.postgres
def test_one_invitation_sent_twice_at_once_records_one_response(committed_council: Any) -> None:
    council = committed_council
    plan_with_review(council, council.holder_person)
    invitation = campaign_make(council).invitations.get()
    campaigns.invitation_progress_save(
        actor=council.users["holder"],
        invitation=invitation,
        answers={"dignity": "5"},
        answered_by="self",
    )
    outcomes = race(
        lambda _i: Invitation.objects.get(pk=invitation.pk),
        lambda _i, loaded: campaigns.invitation_submit(
            actor=council.users["holder"], invitation=loaded, consent_to_report=True
        ),
    )
    refused = one_success_one_refusal(outcomes, SurveyRefused)
    assert str(refused) == campaigns.INVITATION_FINISHED
    assert Response.objects.count() == 1


@pytest.mark.postgres
def test_two_managers_printing_reminder_letters_at_once_print_each_once(
    committed_council: Any,
) -> None:
    """Two managers of Ada's team press "Print reminder letters" at once: one batch has
    her letter, the other is refused as having none due; one reminder is counted."""
    from selfdirect.people.selectors import people_visible_to
    from selfdirect.surveys.models import LetterBatch
    from tests.factories import make_user

    council = committed_council
    plan_with_review(council, council.holder_person)
    campaign = campaign_make(council, invite_by=Campaign.InviteBy.LETTER, reminder_days=7)
    Invitation.objects.filter(campaign=campaign).update(
        letter_printed_at=timezone.now() - dt.timedelta(days=8)
    )
    managers = [
        council.users["manager"],
        make_user("manager-2", ["manager"], manages=[council.team_a]),
    ]
    outcomes = race(
        lambda i: list(people_visible_to(managers[i]).values_list("pk", flat=True)),
        lambda i, people: campaigns.reminder_letters_batch(
            actor=managers[i], campaign=campaign, people=people
        ),
    )
    refused = one_success_one_refusal(outcomes, SurveyRefused)
    assert str(refused) == campaigns.REMINDER_LETTERS_NONE_DUE.format(days=7)
    assert LetterBatch.objects.get().invitations.get().person == council.holder_person
    assert Invitation.objects.get().reminders_sent == 1
