"""Telling people what happened: ``notification_send`` writes a message to the portal of the
person and of everyone who acts for them, and sends it the way each reader prefers to be
contacted (email, text or letter, large print or easy read as their communication needs
say) through the backend in the settings. Sending the same news twice sends it once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from selfdirect.access.models import Profile
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.notify.backends import SendFailed, backend
from selfdirect.notify.models import Delivery, Message
from selfdirect.people.codes import ContactMethod
from selfdirect.people.models import Person
from selfdirect.people.selectors import representatives_of

# Which way of contact is sent outside the portal; a phone call or a visit is the named
# worker's to make, so the portal message is all that is sent for those.
CHANNEL_FOR: dict[str, str] = {
    ContactMethod.EMAIL: Delivery.Channel.EMAIL,
    ContactMethod.TEXT: Delivery.Channel.TEXT,
    ContactMethod.LETTER: Delivery.Channel.LETTER,
}


def readers_of(person: Person, on: dt.date) -> list[tuple[User, Person]]:
    """Who reads messages about ``person``: the person, if they sign in, and each current
    nominated or authorised person who signs in, each with their own person record (whose
    contact details and needs decide how they are told)."""
    records = [person, *representatives_of(person, on)]
    profiles = {
        p.person_id: p
        for p in Profile.objects.filter(person__in=records, user__is_active=True).select_related(
            "user"
        )
    }
    return [(profiles[r.pk].user, r) for r in records if r.pk in profiles]


def _address(reader: Person) -> dict[str, str]:
    lines = [
        reader.full_name,
        reader.address_line_1,
        reader.address_line_2,
        reader.town,
        reader.postcode,
    ]
    filled = [line for line in lines if line.strip()]
    return {f"address_line_{n}": line for n, line in enumerate(filled, start=1)}


def _deliver(message: Message, reader: Person) -> Delivery | None:
    channel = CHANNEL_FOR.get(reader.preferred_contact_method)
    if channel is None:
        return None
    personalisation: dict[str, Any] = {
        "name": reader.given_name,
        "subject": message.subject,
        "body": message.body,
        "link": message.link,
        "easy_read": "yes" if reader.needs_easy_read else "no",
    }
    to: str = {
        Delivery.Channel.EMAIL.value: reader.email,
        Delivery.Channel.TEXT.value: reader.phone,
        Delivery.Channel.LETTER.value: reader.postcode and reader.address_line_1,
    }[channel]
    template_id = settings.SELFDIRECT_NOTIFY_TEMPLATES[channel]
    if channel == Delivery.Channel.LETTER:
        personalisation.update(_address(reader))
        personalisation["large_print"] = "yes" if reader.needs_large_print else "no"
        to = ", ".join(v for k, v in personalisation.items() if k.startswith("address_line_"))
    delivery = Delivery(message=message, channel=channel, to=to or "", template_id=template_id)
    delivery.personalisation = personalisation
    if not to:
        delivery.status, delivery.reason = Delivery.Status.NO_ADDRESS, _no_address(channel)
        delivery.save()
        return delivery
    reference = f"message-{message.pk}"
    try:
        sender = backend()
        if channel == Delivery.Channel.EMAIL:
            sent = sender.send_email(
                to=to, template_id=template_id, personalisation=personalisation, reference=reference
            )
        elif channel == Delivery.Channel.TEXT:
            sent = sender.send_sms(
                to=to, template_id=template_id, personalisation=personalisation, reference=reference
            )
        else:
            sent = sender.send_letter(
                template_id=template_id, personalisation=personalisation, reference=reference
            )
    except SendFailed as failure:
        delivery.status, delivery.reason = Delivery.Status.FAILED, str(failure)[:200]
    else:
        delivery.status, delivery.backend_reference = Delivery.Status.SENT, sent
    delivery.save()
    return delivery


def _no_address(channel: str) -> str:
    return {
        Delivery.Channel.EMAIL.value: "No email address is recorded",
        Delivery.Channel.TEXT.value: "No mobile number is recorded",
        Delivery.Channel.LETTER.value: "No postal address is recorded",
    }[channel]


@transaction.atomic
def notification_send(
    *,
    actor: User | None,
    person: Person,
    kind: str,
    subject: str,
    body: str,
    key: str,
    link: str = "",
) -> list[Message]:
    """Tell ``person`` and those who act for them that something happened. ``key`` names the
    news (for example ``"challenge-12-decided"``): each reader gets it once, however often it
    is sent. In ``subject`` and ``body``, ``{whose}`` and ``{Whose}`` become "your" for the
    person and "Donald's" for someone acting for Donald. Returns the messages written now."""
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValueError("A message links only to a page of Selfdirect, as a path")
    written: list[Message] = []
    for user, reader in readers_of(person, timezone.localdate()):
        if Message.objects.filter(recipient=user, key=key).exists():
            continue
        whose = "your" if reader.pk == person.pk else f"{person.given_name}'s"
        words = {"whose": whose, "Whose": whose[0].upper() + whose[1:]}
        message = Message.objects.create(
            person=person,
            recipient=user,
            kind=kind,
            subject=subject.format(**words),
            body=body.format(**words),
            link=link,
            key=key,
        )
        delivery = _deliver(message, reader)
        event_record(
            actor=actor,
            action=Action.CREATE,
            object_type="message",
            object_id=message.pk,
            person_id=person.pk,
            summary=f"Told {'the person' if reader.pk == person.pk else 'their representative'}: "
            f"{message.subject}",
            changes={
                "Sent by": [
                    None,
                    "portal only"
                    if delivery is None
                    else f"portal and {delivery.get_channel_display().lower()} "
                    f"({delivery.get_status_display().lower()})",
                ]
            },
        )
        written.append(message)
    return written


def message_read(*, user: User, message: Message) -> Message:
    """Mark the reader's message read (opening it does this)."""
    if message.recipient_id == user.pk and message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message
