"""Issue 13, 'Someone to talk to, and being told': when something happens the person and
those who act for them get a message in the portal (with an unread count) and, by their
preferred way of contact, an email, a text or a letter through one GOV.UK Notify-shaped
interface; the demo's backend sends nothing over a network and keeps an outbox that staff
and the person can read (holders-experience REQ: being kept informed)."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.allocation import services as allocation
from selfdirect.audit.models import Event
from selfdirect.notify.backends import GovukNotifyBackend, SendFailed
from selfdirect.notify.models import Delivery, Message
from selfdirect.notify.services import notification_send
from selfdirect.people.codes import ContactMethod
from selfdirect.planning.models import Review
from selfdirect.planning.services import reviews_due_notify
from tests.planning.test_budget_figures import _approved_plan_with_contribution

pytestmark = pytest.mark.django_db


def _send(council: Any, key: str = "test-news") -> list[Message]:
    return notification_send(
        actor=council.users[Role.PRACTITIONER],
        person=council.holder_person,
        kind=Message.Kind.DECISION,
        subject="{Whose} personal budget has been decided",
        body="{Whose} personal budget is £74.00 a week.",
        key=key,
        link="/home/",
    )


def test_the_person_and_their_representative_are_each_told_in_their_own_words(
    council: Any,
) -> None:
    written = _send(council)
    by_reader = {m.recipient.username: m for m in written}
    assert set(by_reader) == {"holder", "representative"}
    assert by_reader["holder"].subject == "Your personal budget has been decided"
    assert by_reader["representative"].subject == "Ada's personal budget has been decided"
    assert by_reader["representative"].body == "Ada's personal budget is £74.00 a week."
    # Audited, naming the person the news is about.
    events = Event.objects.filter(object_type="message", person_id=council.holder_person.pk)
    assert events.count() == 2


def test_the_same_news_sent_twice_is_told_once(council: Any) -> None:
    assert len(_send(council)) == 2
    assert _send(council) == []
    assert Message.objects.count() == 2


def test_email_text_and_letter_follow_each_readers_preferred_contact(council: Any) -> None:
    holder = council.holder_person
    holder.preferred_contact_method, holder.email = ContactMethod.EMAIL, "ada@example.org"
    holder.save()
    rep = council.users[Role.REPRESENTATIVE].profile.person
    rep.preferred_contact_method = ContactMethod.LETTER
    rep.address_line_1, rep.town, rep.postcode = "1 High Street", "Northtown", "NT1 1AA"
    rep.needs_large_print = True
    rep.save()
    _send(council)
    email = Delivery.objects.get(message__recipient__username="holder")
    assert (email.channel, email.to, email.status) == ("email", "ada@example.org", "sent")
    assert email.personalisation["subject"] == "Your personal budget has been decided"
    assert email.backend_reference  # the outbox's id, as Notify answers with one
    letter = Delivery.objects.get(message__recipient__username="representative")
    assert letter.channel == "letter" and letter.status == "sent"
    assert letter.personalisation["address_line_1"] == "Rita Rep"
    assert letter.personalisation["address_line_4"] == "NT1 1AA"
    assert letter.personalisation["large_print"] == "yes"


def test_no_address_is_recorded_not_failed_silently_and_a_phone_call_is_portal_only(
    council: Any,
) -> None:
    holder = council.holder_person
    holder.preferred_contact_method, holder.email = ContactMethod.EMAIL, ""
    holder.save()
    rep = council.users[Role.REPRESENTATIVE].profile.person
    rep.preferred_contact_method = ContactMethod.PHONE
    rep.save()
    _send(council)
    missing = Delivery.objects.get()
    assert missing.status == Delivery.Status.NO_ADDRESS
    assert missing.reason == "No email address is recorded"
    assert not Delivery.objects.filter(message__recipient__username="representative").exists()
    assert Message.objects.filter(recipient__username="representative").exists()


class _Failing:
    def send_email(self, **_: Any) -> str:
        raise SendFailed("GOV.UK Notify refused the request")

    send_sms = send_letter = send_email


def test_a_backend_that_cannot_send_leaves_the_message_and_the_reason(
    council: Any, settings: Any
) -> None:
    settings.SELFDIRECT_NOTIFY_BACKEND = "tests.notify.test_notifications._Failing"
    holder = council.holder_person
    holder.preferred_contact_method, holder.email = ContactMethod.EMAIL, "ada@example.org"
    holder.save()
    _send(council)
    delivery = Delivery.objects.get(message__recipient__username="holder")
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.reason == "GOV.UK Notify refused the request"
    assert Message.objects.filter(recipient__username="holder").exists()


def test_the_notify_backend_calls_notifys_client_as_its_api_asks() -> None:
    calls: list[tuple[str, dict[str, Any]]] = []

    class Client_:
        def send_email_notification(self, **kw: Any) -> dict[str, str]:
            calls.append(("email", kw))
            return {"id": "e-1"}

        def send_sms_notification(self, **kw: Any) -> dict[str, str]:
            calls.append(("sms", kw))
            return {"id": "s-1"}

        def send_letter_notification(self, **kw: Any) -> dict[str, Any]:
            calls.append(("letter", kw))
            return {}

    notify = GovukNotifyBackend(client=Client_())
    assert (
        notify.send_email(to="a@b.org", template_id="t", personalisation={}, reference="r") == "e-1"
    )
    assert notify.send_sms(to="0770", template_id="t", personalisation={}, reference="r") == "s-1"
    with pytest.raises(SendFailed, match="did not answer with an id"):
        notify.send_letter(template_id="t", personalisation={"address_line_1": "A"}, reference="r")
    assert calls[0] == (
        "email",
        {"email_address": "a@b.org", "template_id": "t", "personalisation": {}, "reference": "r"},
    )
    assert calls[1][1]["phone_number"] == "0770"


def test_a_message_links_only_to_a_page_of_selfdirect(council: Any) -> None:
    for link in ("https://evil.example/", "//evil.example/"):
        with pytest.raises(ValueError, match="only to a page of Selfdirect"):
            notification_send(
                actor=None,
                person=council.holder_person,
                kind=Message.Kind.DECISION,
                subject="x",
                body="y",
                key=link,
                link=link,
            )
    assert not Message.objects.exists()


def test_deciding_the_budget_approving_the_plan_and_answering_a_request_tell_the_person(
    council: Any,
) -> None:
    plan = _approved_plan_with_contribution(council)
    kinds = set(Message.objects.filter(recipient__username="holder").values_list("kind", flat=True))
    assert {Message.Kind.DECISION, Message.Kind.PLAN} <= kinds
    challenge = allocation.challenge_raise(
        actor=council.users[Role.HOLDER],
        allocation=plan.allocation,
        reasons="I need help at night",
        proposed_weekly_pence=15000,
    )
    allocation.challenge_decide(
        actor=council.users[Role.MANAGER],
        challenge=challenge,
        outcome="not_upheld",
        reason="The night-time needs are met by the plan.",
        reassessment_needed=False,
    )
    answered = Message.objects.get(recipient__username="holder", kind=Message.Kind.REQUEST_ANSWERED)
    assert answered.subject == "Your request to look again at the budget has been answered"
    assert "The night-time needs are met by the plan." in answered.body


def test_reviews_coming_up_are_told_once_however_often_the_command_runs(council: Any) -> None:
    plan = _approved_plan_with_contribution(council)
    review = Review.objects.filter(plan=plan, status=Review.Status.DUE).order_by("due_date")[0]
    today = review.due_date - dt.timedelta(days=10)
    assert reviews_due_notify(today=today) == 2  # the person and their representative
    assert reviews_due_notify(today=today) == 0
    told = Message.objects.get(recipient__username="representative", kind="review_due")
    assert told.subject == f"Ada's review is due by {review.due_date:%-d %B %Y}"
    assert "Ada's worker will be in touch" in told.body
    # Too early for the next review: nothing; the command tells of it given more days.
    later = Review.objects.filter(plan=plan, status="due", due_date__gt=review.due_date)
    following = later.order_by("due_date")[0]
    assert reviews_due_notify(today=following.due_date - dt.timedelta(days=60)) == 0
    call_command("reviews_notify", "--days", str((following.due_date - dt.date.today()).days))
    assert Message.objects.filter(key=f"review-{following.pk}-due").count() == 2


def test_the_reader_sees_their_messages_with_an_unread_count_and_reading_clears_it(
    council: Any,
) -> None:
    _send(council)
    client = Client()
    client.force_login(council.users[Role.HOLDER])
    home = client.get(reverse("home")).content.decode()
    assert 'id="unread-count">1<' in home
    inbox = client.get(reverse("notify:inbox")).content.decode()
    assert "Your personal budget has been decided" in inbox and "Unread" in inbox
    mine = Message.objects.get(recipient__username="holder")
    page = client.get(reverse("notify:message", kwargs={"message_id": mine.pk}))
    assert page.status_code == 200
    assert "Your personal budget is £74.00 a week." in page.content.decode()
    assert 'id="unread-count"' not in client.get(reverse("home")).content.decode()
    assert Event.objects.filter(object_type="person", action="view", actor=mine.recipient).exists()


def test_nobody_reads_anyone_elses_message(council: Any) -> None:
    _send(council)
    theirs = Message.objects.get(recipient__username="holder")
    client = Client()
    client.force_login(council.users[Role.REPRESENTATIVE])
    assert (
        client.get(reverse("notify:message", kwargs={"message_id": theirs.pk})).status_code == 404
    )
    assert Message.objects.get(pk=theirs.pk).read_at is None
    assert Event.objects.filter(action="denied", object_type="message").exists()


def test_staff_see_what_was_sent_and_how_for_their_teams_people_only(council: Any) -> None:
    holder = council.holder_person
    holder.preferred_contact_method, holder.email = ContactMethod.EMAIL, "ada@example.org"
    holder.save()
    _send(council)
    client = Client()
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get(reverse("notify:person", kwargs={"person_id": holder.pk})).content.decode()
    assert "Ada&#x27;s personal budget has been decided" in page
    assert "Email: sent" in page and "Not yet" in page
    other = council.other_person.pk
    assert client.get(reverse("notify:person", kwargs={"person_id": other})).status_code == 404


# What each kind of message says first in easy read, to the person and to a representative.
EASY_READ_LINE = {
    "decision": (
        "We have made a decision about your budget.",
        "We have made a decision about Ada's budget.",
    ),
    "request_answered": (
        "We have answered something you asked us.",
        "We have answered something Ada asked us.",
    ),
    "review_due": (
        "It is nearly time to look at your support plan again.",
        "It is nearly time to look at Ada's support plan again.",
    ),
    "notice": (
        "Something about your budget or support is going to change.",
        "Something about Ada's budget or support is going to change.",
    ),
    "payment_problem": ("A payment did not go through. We will put it right.",) * 2,
    "plan": ("There is news about your support plan.", "There is news about Ada's support plan."),
    "recovery": (
        "The council may ask for some money back. You can explain first.",
        "The council may ask for some money back. Ada can explain first.",
    ),
    "statement": (
        "We have a question about your bank statement.",
        "We have a question about Ada's bank statement.",
    ),
    "charge": (
        "We have worked out what you pay towards care.",
        "We have worked out what Ada pays towards care.",
    ),
    "survey": (
        "We would like to know how your support is going.",
        "We would like to know how Ada's support is going.",
    ),
}


@pytest.mark.parametrize("kind", sorted(Message.Kind.values))
def test_each_kind_of_message_says_what_it_is_first_in_easy_read(council: Any, kind: str) -> None:
    """REQ-73 (easy read for what the person is sent): a person who needs easy read reads,
    first, one short sentence saying what kind of news the message is, in their own words
    ("your"), and their representative reads it about them ("Ada's")."""
    person = council.holder_person
    person.needs_easy_read = True
    person.save()
    notification_send(
        actor=None, person=person, kind=kind, subject="News", body="The details.", key=f"k-{kind}"
    )
    for role, line in zip((Role.HOLDER, Role.REPRESENTATIVE), EASY_READ_LINE[kind], strict=True):
        client = Client()
        client.force_login(council.users[role])
        mine = Message.objects.get(recipient=council.users[role], key=f"k-{kind}")
        page = client.get(
            reverse("notify:message", kwargs={"message_id": mine.pk})
        ).content.decode()
        easy = page.split(f'data-easy-read-kind="{kind}">', 1)[1].split("</p>", 1)[0]
        assert html.unescape(" ".join(easy.split())) == line, (role, kind)
