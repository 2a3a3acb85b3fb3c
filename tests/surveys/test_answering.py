"""Answering an invitation in the portal and on paper: who answered is recorded on every
response (a representative answering is a proxy), answers are saved as they go and can be
resumed, a finished response cannot be changed, someone else's invitation is a 404 that
is recorded, an anonymous campaign links no response to anyone, and easy-read wording is
shown where the survey has it."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.audit.models import Action, Event
from selfdirect.surveys import campaigns
from selfdirect.surveys.frame import responses_frame
from selfdirect.surveys.models import Invitation, Response
from selfdirect.surveys.questions import question_pages
from selfdirect.surveys.services import SurveyRefused
from tests.surveys.helpers import campaign_make, plan_with_review, poet

pytestmark = pytest.mark.django_db


def _invitation(council: Any, **overrides: Any) -> Invitation:
    plan_with_review(council, council.holder_person)
    return campaign_make(council, **overrides).invitations.get()


def _answer_all(client: Any, base: str, pages: int) -> None:
    """Page 1 answers dignity and quality of life; the rest are left blank."""
    response = client.post(f"{base}questions/1/", {"dignity": "5", "quality_of_life": "4"})
    assert response.status_code == 302
    for number in range(2, pages + 1):
        assert client.post(f"{base}questions/{number}/", {}).status_code == 302


def test_the_holder_answers_from_the_home_page_and_it_is_recorded_once(
    client: Any, council: Any
) -> None:
    invitation = _invitation(council)
    client.force_login(council.users["holder"])
    home = client.get("/home/").content.decode()
    base = f"/surveys/invitations/{invitation.pk}/"
    assert "Tell us how your support went" in home and f'href="{base}"' in home
    start = client.get(base).content.decode()
    assert "We use your answers to improve support." in start and f'href="{base}who/"' in start
    assert client.post(f"{base}who/", {"answered_by": "with_help"})["Location"] == (
        f"{base}questions/1/"
    )
    pages = len(question_pages(poet()))
    _answer_all(client, base, pages)
    check = client.get(f"{base}check/").content.decode()
    assert "Made things a lot better" in check and "The person with help from someone else" in check
    assert client.post(f"{base}check/", {"consent": "yes"})["Location"] == base
    response = Response.objects.get()
    assert (response.person, response.answered_by, response.channel, response.campaign_id) == (
        council.holder_person,
        "with_help",
        "portal",
        invitation.campaign_id,
    )
    assert response.reference == invitation.reference and response.consent_to_report
    assert {(a.item.code, a.value) for a in response.answers.all()} == {
        ("dignity", "5"),
        ("quality_of_life", "4"),
    }
    invitation.refresh_from_db()
    assert invitation.status == "answered" and invitation.draft_answers == {}
    assert "Answers sent" in client.get(base).content.decode()
    # A finished response cannot be changed: its pages go back to its status page.
    assert client.post(f"{base}questions/1/", {"dignity": "1"})["Location"] == base
    assert client.post(f"{base}check/", {"consent": "no"})["Location"] == base
    assert Response.objects.count() == 1
    with pytest.raises(SurveyRefused, match=campaigns.INVITATION_FINISHED):
        campaigns.invitation_submit(
            actor=council.users["holder"], invitation=invitation, consent_to_report=True
        )
    assert "Tell us how your support went" not in client.get("/home/").content.decode()


def test_answers_are_saved_to_come_back_to(client: Any, council: Any) -> None:
    invitation = _invitation(council)
    client.force_login(council.users["holder"])
    base = f"/surveys/invitations/{invitation.pk}/"
    client.post(f"{base}who/", {"answered_by": "self"})
    saved = client.post(f"{base}questions/1/", {"dignity": "2", "save_and_leave": "1"})
    assert saved["Location"] == "/home/"
    invitation.refresh_from_db()
    assert invitation.status == "started" and invitation.draft_answers["dignity"] == "2"
    # Coming back, "Carry on" opens the first page with nothing saved, and the answer shows.
    start = client.get(base).content.decode()
    assert "Carry on" in start and f"{base}questions/2/" in start
    assert 'value="2" checked' in client.get(f"{base}questions/1/").content.decode()


def test_a_representative_answers_as_a_proxy(client: Any, council: Any) -> None:
    invitation = _invitation(council)
    client.force_login(council.users["representative"])
    base = f"/surveys/invitations/{invitation.pk}/"
    assert "Answering for Ada Holder" in client.get(base).content.decode()
    assert client.get(f"{base}who/")["Location"] == f"{base}questions/1/"
    _answer_all(client, base, len(question_pages(poet())))
    client.post(f"{base}check/", {"consent": "yes"})
    response = Response.objects.get()
    assert (response.answered_by, response.person) == ("proxy", council.holder_person)
    assert Event.objects.filter(
        actor=council.users["representative"], object_type="survey_response"
    ).exists()


def test_someone_elses_invitation_is_not_found_and_the_attempt_recorded(
    client: Any, council: Any
) -> None:
    plan_with_review(council, council.other_person)
    bea = campaign_make(council).invitations.get()
    for role in ("holder", "representative", "carer"):
        client.force_login(council.users[role])
        assert client.get(f"/surveys/invitations/{bea.pk}/").status_code == 404
        assert client.post(f"/surveys/invitations/{bea.pk}/decline/").status_code == 404
        assert Event.objects.filter(
            action=Action.DENIED, actor=council.users[role], person=council.other_person
        ).exists()
    bea.refresh_from_db()
    assert bea.status == "invited"


def test_declining_stops_reminders_and_changes_nothing_else(client: Any, council: Any) -> None:
    invitation = _invitation(council)
    client.force_login(council.users["holder"])
    base = f"/surveys/invitations/{invitation.pk}/"
    assert (
        "Are you sure you do not want to answer" in client.get(f"{base}decline/").content.decode()
    )
    assert client.post(f"{base}decline/")["Location"] == base
    invitation.refresh_from_db()
    assert invitation.status == "declined" and not Response.objects.exists()
    assert "You said you do not want to answer" in client.get(base).content.decode()


def test_an_anonymous_campaign_links_no_response_to_anyone(client: Any, council: Any) -> None:
    invitation = _invitation(council, anonymous=True)
    client.force_login(council.users["holder"])
    base = f"/surveys/invitations/{invitation.pk}/"
    assert "This survey is anonymous" in client.get(base).content.decode()
    client.post(f"{base}who/", {"answered_by": "self"})
    _answer_all(client, base, len(question_pages(poet())))
    client.post(f"{base}check/", {"consent": "yes"})
    response = Response.objects.get()
    assert (response.person, response.reference) == (None, "")
    assert Event.objects.get(object_type="survey_response").person_id is None
    frame = responses_frame(poet())
    assert frame.respondents["person_id"] == [None]
    # Even a response recorded with a person, if its campaign is anonymous, is linked to
    # nobody in the analysis.
    Response.objects.filter(pk=response.pk).update(person=council.holder_person)
    assert responses_frame(poet()).respondents["person_id"] == [None]


def test_easy_read_wording_is_shown_when_asked_for(client: Any, council: Any) -> None:
    invitation = _invitation(council)
    client.force_login(council.users["holder"])
    base = f"/surveys/invitations/{invitation.pk}/"
    standard = client.get(f"{base}questions/1/").content.decode()
    easy = client.get(f"{base}questions/1/?version=easy-read").content.decode()
    assert "Being supported with dignity and respect" in standard
    assert "Being treated with respect" in easy and "A lot better" in easy
    assert "Has the money made things better or worse?" in easy
    assert 'id="easy-read"' in standard  # the block is there to open
    # The answer goes on to the next page in easy read too.
    moved = client.post(f"{base}questions/1/?version=easy-read", {"dignity": "5"})
    assert moved["Location"] == f"{base}questions/2/?version=easy-read"


def test_an_answer_not_on_the_scale_is_refused_naming_the_question(
    client: Any, council: Any
) -> None:
    invitation = _invitation(council)
    client.force_login(council.users["holder"])
    page = client.post(f"/surveys/invitations/{invitation.pk}/questions/1/", {"dignity": "9"})
    assert page.status_code == 200 and page.content.decode().startswith("<!DOCTYPE")
    assert "<title>Error:" in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.draft_answers == {}


def test_staff_key_in_a_paper_return_by_its_reference(client: Any, council: Any) -> None:
    plan_with_review(council, council.other_person)  # Bea does not sign in: a letter
    invitation = campaign_make(council).invitations.get()
    client.force_login(council.users["commissioner"])
    typed = invitation.reference.lower().replace("-", "")
    found = client.post("/surveys/paper/", {"reference": typed})
    base = f"/surveys/paper/{invitation.reference}/"
    assert found["Location"] == f"{base}who/"
    page = client.get(f"{base}who/").content.decode()
    assert "Bea" not in page and invitation.reference in page
    client.post(f"{base}who/", {"answered_by": "proxy"})
    _answer_all(client, base, len(question_pages(poet())))
    assert client.post(f"{base}check/", {"consent": "no"})["Location"] == "/surveys/paper/"
    response = Response.objects.get()
    assert (response.channel, response.answered_by, response.consent_to_report) == (
        "paper",
        "proxy",
        False,
    )
    assert response.recorded_by == council.users["commissioner"]
    # The same reference again: refused, naming it.
    again = client.post("/surveys/paper/", {"reference": invitation.reference})
    assert campaigns.INVITATION_FINISHED in again.content.decode()
    unknown = client.post("/surveys/paper/", {"reference": "ZZZZ-ZZZZ"})
    assert "There is no survey letter with this reference" in unknown.content.decode()


def test_the_campaign_page_counts_by_group_and_never_names(client: Any, council: Any) -> None:
    plan_with_review(council, council.holder_person)
    plan_with_review(council, council.other_person, deployment="managed_account")
    campaign = campaign_make(council, anonymous=True)
    ada = campaign.invitations.get(person=council.holder_person)
    campaigns.invitation_decline(actor=council.users["holder"], invitation=ada)
    client.force_login(council.users["manager"])
    page = client.get(f"/surveys/campaigns/{campaign.pk}/").content.decode()
    assert "Ada" not in page and "Bea" not in page and "Holder" not in page
    assert "Invited: <strong>2</strong>" in page and "Declined: 1" in page
    assert "Managed account held by the council" in page and "Direct payment" in page
    letters = client.get(f"/surveys/campaigns/{campaign.pk}/letters.pdf")
    assert letters["Content-Type"] == "application/pdf"


def test_staff_record_a_paper_no_thank_you(client: Any, council: Any) -> None:
    plan_with_review(council, council.other_person)
    invitation = campaign_make(council).invitations.get()
    client.force_login(council.users["manager"])
    base = f"/surveys/paper/{invitation.reference}/"
    assert f'href="{base}decline/"' in client.get(f"{base}who/").content.decode()
    assert (
        "Record that they do not want to answer" in client.get(f"{base}decline/").content.decode()
    )
    assert client.post(f"{base}decline/")["Location"] == "/surveys/paper/"
    invitation.refresh_from_db()
    assert invitation.status == "declined" and not Response.objects.exists()
    assert campaigns.reminders_send() == 0
