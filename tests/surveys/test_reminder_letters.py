"""Reminder letters: people invited by letter who have not answered get a reminder letter
(same reference, "We wrote to you on ...", large print and easy read as their record says)
that their team manager prints from the campaign page as a batch. Printing counts as the
reminder sent, so none is due again within the campaign's interval; a batch prints again
the same; each manager sees only their teams' letters; all of it audited.

Ada (team A, the manager's) and Bea (team B) are both invited by letter."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.audit.selectors import person_looks
from selfdirect.people.selectors import people_visible_to
from selfdirect.surveys import campaigns
from selfdirect.surveys.models import Campaign, Invitation, LetterBatch
from selfdirect.surveys.services import SurveyRefused
from tests.factories import make_user
from tests.surveys.helpers import campaign_make, plan_with_review

pytestmark = pytest.mark.django_db


def _letters_campaign(council: Any, **overrides: Any) -> Campaign:
    plan_with_review(council, council.holder_person)
    plan_with_review(council, council.other_person)
    return campaign_make(council, invite_by=Campaign.InviteBy.LETTER, reminder_days=7, **overrides)


def _manager_b(council: Any) -> Any:
    return make_user("manager-b", [Role.MANAGER], manages=[council.team_b])


def _pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_a_reminder_letter_is_due_once_per_interval_after_the_letter_is_printed(
    council: Any,
) -> None:
    campaign = _letters_campaign(council)
    manager = council.users["manager"]
    mine = people_visible_to(manager)
    ada = campaign.invitations.get(person=council.holder_person)
    t0 = timezone.now()
    # Not printed yet: nothing to remind anyone of, however long it waits.
    assert not campaigns.reminder_letters_due(campaign, now=t0 + dt.timedelta(days=30)).exists()
    assert campaigns.invitation_letters_printed(actor=manager, invitations=[ada], now=t0) == 1
    # Printing again does not move the date the letter says "we wrote to you on".
    assert (
        campaigns.invitation_letters_printed(
            actor=manager, invitations=[ada], now=t0 + dt.timedelta(days=3)
        )
        == 0
    )
    ada.refresh_from_db()
    assert ada.letter_printed_at == t0
    assert not campaigns.reminder_letters_due(campaign, now=t0 + dt.timedelta(days=6)).exists()
    due = campaigns.reminder_letters_due(campaign, people=mine, now=t0 + dt.timedelta(days=7))
    assert list(due) == [ada]

    first = t0 + dt.timedelta(days=8)
    batch = campaigns.reminder_letters_batch(
        actor=manager, campaign=campaign, people=mine, now=first
    )
    assert list(batch.invitations.all()) == [ada] and batch.letters == 1
    assert (batch.printed_by, batch.printed_at) == (manager, first)
    ada.refresh_from_db()
    assert (ada.reminders_sent, ada.reminded_at) == (1, first)
    # Counted as sent: not due again within the interval, whoever asks.
    with pytest.raises(SurveyRefused) as refused:
        campaigns.reminder_letters_batch(
            actor=manager, campaign=campaign, people=mine, now=first + dt.timedelta(days=6)
        )
    assert str(refused.value) == campaigns.REMINDER_LETTERS_NONE_DUE.format(days=7)
    assert LetterBatch.objects.count() == 1
    # A reminder message run leaves letters alone.
    assert campaigns.reminders_send(now=first + dt.timedelta(days=6)) == 0
    second = campaigns.reminder_letters_batch(
        actor=manager, campaign=campaign, people=mine, now=first + dt.timedelta(days=7)
    )
    assert list(second.invitations.all()) == [ada]
    ada.refresh_from_db()
    assert ada.reminders_sent == 2
    # Audited: the batch, and each reminder against the person.
    assert (
        Event.objects.filter(
            object_type="survey_letter_batch", action=Action.CREATE, actor=manager
        ).count()
        == 2
    )
    reminded = Event.objects.filter(
        object_type="survey_invitation", person=council.holder_person, actor=manager
    )
    assert [e.summary for e in reminded] == [
        "Reminded by letter about the survey campaign Autumn reviews"
    ] * 2
    assert Event.objects.filter(
        object_type="survey_campaign", summary__startswith="Printed 1 invitation letters"
    ).exists()
    # Once answered or declined, no more.
    campaigns.invitation_decline(actor=manager, invitation=ada)
    assert not campaigns.reminder_letters_due(campaign, now=t0 + dt.timedelta(days=60)).exists()


def test_each_manager_prints_only_their_own_teams_reminder_letters(council: Any) -> None:
    campaign = _letters_campaign(council)
    manager, manager_b = council.users["manager"], _manager_b(council)
    t0 = timezone.now() - dt.timedelta(days=10)
    invitations = list(campaign.invitations.all())
    campaigns.invitation_letters_printed(actor=manager, invitations=invitations, now=t0)
    a = campaigns.reminder_letters_batch(
        actor=manager, campaign=campaign, people=people_visible_to(manager)
    )
    assert [i.person for i in a.invitations.all()] == [council.holder_person]
    b = campaigns.reminder_letters_batch(
        actor=manager_b, campaign=campaign, people=people_visible_to(manager_b)
    )
    assert [i.person for i in b.invitations.all()] == [council.other_person]


def test_a_closed_campaign_sends_no_reminder_letters(council: Any) -> None:
    campaign = _letters_campaign(council)
    manager = council.users["manager"]
    campaigns.invitation_letters_printed(
        actor=manager,
        invitations=list(campaign.invitations.all()),
        now=timezone.now() - dt.timedelta(days=10),
    )
    assert campaigns.reminder_letters_due(campaign).count() == 2
    campaigns.campaign_close(actor=council.users["commissioner"], campaign=campaign)
    campaign.refresh_from_db()
    assert not campaigns.reminder_letters_due(campaign).exists()
    with pytest.raises(SurveyRefused) as refused:
        campaigns.reminder_letters_batch(
            actor=manager, campaign=campaign, people=people_visible_to(manager)
        )
    assert str(refused.value) == campaigns.REMINDER_LETTERS_CLOSED
    assert not LetterBatch.objects.exists()
    assert Invitation.objects.filter(reminders_sent=0).count() == 2


def test_the_reminders_command_says_how_many_letters_are_due(council: Any, capsys: Any) -> None:
    campaign = _letters_campaign(council)
    campaigns.invitation_letters_printed(
        actor=council.users["manager"],
        invitations=list(campaign.invitations.all()),
        now=timezone.now() - dt.timedelta(days=8),
    )
    call_command("survey_reminders")
    out = capsys.readouterr().out
    assert "Survey reminders sent: 0" in out
    assert "Survey reminder letters due, for team managers to print from the campaign page: 2" in (
        out
    )


def test_a_manager_prints_reminder_letters_from_the_campaign_page(council: Any) -> None:
    campaign = _letters_campaign(council)
    person = council.holder_person
    person.needs_easy_read = True
    person.save(update_fields=["needs_easy_read"])
    client = Client()
    client.force_login(council.users["manager"])
    page_url = f"/surveys/campaigns/{campaign.pk}/"
    assert "No reminder letters are due" in client.get(page_url).content.decode()
    # Printing the invitation letters records the day they were printed.
    assert client.get(f"/surveys/campaigns/{campaign.pk}/letters.pdf").status_code == 200
    ada = campaign.invitations.get(person=person)
    assert ada.letter_printed_at is not None
    assert campaign.invitations.get(person=council.other_person).letter_printed_at is None
    wrote = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    Invitation.objects.filter(pk=ada.pk).update(letter_printed_at=wrote)
    page = client.get(page_url).content.decode()
    assert "1 person in your teams invited by letter has not answered" in page
    assert "Print 1 reminder letter (PDF)" in page
    assert "Ada" not in page

    made = client.post(f"/surveys/campaigns/{campaign.pk}/reminder-letters/")
    batch = LetterBatch.objects.get()
    assert made.status_code == 302
    assert made["Location"] == f"/surveys/campaigns/{campaign.pk}/reminder-letters/{batch.pk}.pdf"
    before = Event.objects.count()
    pdf = client.get(made["Location"])
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert "A reminder: tell us how it went" in text
    assert "We wrote to you on 2 March 2026" in " ".join(text.split())
    assert ada.reference in text
    assert "We wrote to you before." in text  # easy read, as her record says
    # One look at the batch's list, naming her (decision 0056).
    assert (
        person_looks(person_id=person.pk)
        .filter(pk__gt=before, action=Action.VIEW, actor=council.users["manager"])
        .exists()
    )
    ada.refresh_from_db()
    assert ada.reminders_sent == 1

    page = client.get(page_url).content.decode()
    assert "No reminder letters are due" in page
    assert "Reminder letters printed" in page and "Print again" in page
    # Printed again: the same letters, and nothing counted twice.
    again = client.get(made["Location"])
    assert _pdf_text(again.content) == text
    ada.refresh_from_db()
    assert ada.reminders_sent == 1
    refused = client.post(f"/surveys/campaigns/{campaign.pk}/reminder-letters/", follow=True)
    assert campaigns.REMINDER_LETTERS_NONE_DUE.format(days=7) in refused.content.decode()
    assert LetterBatch.objects.count() == 1

    # Another team's manager gets none of Ada's letters from the batch.
    other = Client()
    other.force_login(_manager_b(council))
    theirs = _pdf_text(other.get(made["Location"]).content)
    assert "Ada" not in theirs and ada.reference not in theirs
    assert "No reminder letters to print" in theirs
    # A batch of another campaign is not found.
    elsewhere = f"/surveys/campaigns/{campaign.pk + 1}/reminder-letters/{batch.pk}.pdf"
    assert client.get(elsewhere).status_code == 404
    assert (
        client.get(f"/surveys/campaigns/{campaign.pk}/reminder-letters/{batch.pk + 1}.pdf")
    ).status_code == 404


def test_reminder_letters_are_large_print_as_the_record_says(council: Any) -> None:
    campaign = _letters_campaign(council)
    person = council.holder_person
    person.needs_large_print = True
    person.save(update_fields=["needs_large_print"])
    invitations = list(campaign.invitations.select_related("person").order_by("person_id"))
    html = render_to_string(
        "surveys/letters_pdf.html",
        {
            "campaign": campaign,
            "invitations": invitations,
            "today": timezone.localdate(),
            "reminder": True,
        },
    )
    letters = html.split('<section class="letter')[1:]
    by_reference = {i.reference: i for i in invitations}
    for letter in letters:
        reference = next(r for r in by_reference if r in letter)
        large = letter.startswith(' large"')
        assert large == by_reference[reference].person.needs_large_print
    assert len(letters) == 2
