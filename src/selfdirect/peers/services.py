"""Changing peer support: offering to be a budget buddy, asking for one, matching, agreeing,
withdrawing; asking a support organisation to make contact, and its answer. One transaction
and one audit event each; the people concerned are told through notify, in their words,
and nothing of the other side of a match is shared until both have agreed (decision 0052)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from selfdirect.access.models import WorkItem
from selfdirect.access.roles import Role
from selfdirect.access.selectors import roles_of
from selfdirect.access.services import work_item_add
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.directory.models import Service
from selfdirect.notify.models import Message
from selfdirect.notify.services import notification_send
from selfdirect.peers.models import AskedAs, BuddyLink, BuddyOffer, BuddyRequest, Referral
from selfdirect.peers.rules import HELP_CODES, SHAREABLE, shared_values
from selfdirect.people.models import Person
from selfdirect.refusals import Refused

# Refusals: each names the field it is about.
HELP_WITH_NEEDED = "Say what you can help with"
CONTACT_HOW_NEEDED = "Say how you would like to be contacted"
AREAS_NEEDED = "Say which areas you can help in"
HELP_WANTED_NEEDED = "Say what you would like help with"
ALREADY_ASKING = "There is already a request for a budget buddy waiting: you can change it by withdrawing it and asking again"
ALREADY_OFFERING = (
    "There is already an open offer to be a budget buddy: withdraw it first to make a new one"
)
OFFER_NEEDED = "Select a budget buddy"
OFFER_NOT_OPEN = "This offer has been withdrawn: select another budget buddy"
REQUEST_NOT_WAITING = "This request is no longer waiting for a match"
SAME_PERSON = "A person cannot be their own budget buddy: select another"
NOT_YOUR_SIDE = "Only the two people matched can agree or withdraw"
LINK_ENDED = "This match has ended: nothing more is shared"
ALREADY_AGREED = "You have already agreed to this match"
WITHDRAWN_ALREADY = "This has already been withdrawn"
SERVICE_NOT_SUPPORT = "Select a support organisation from the list"
CONSENT_NEEDED = "Confirm that the organisation may have the details you ticked"
SHARE_NEEDED = "Select at least one way for the organisation to contact you"
SHARE_UNKNOWN = "Select details from the list"
SHARE_EMPTY = (
    "There is no {what} on the record to share: choose another way, or ask your worker to add it"
)
ALREADY_REFERRED = (
    "You have already asked this organisation to contact you: they have not answered yet"
)
DECISION_NEEDED = "Select whether you can help"
DECLINE_REASON_NEEDED = "Say why you cannot help, in words the person will understand"
REFERRAL_DECIDED = "This referral has already been answered"

MATCH_TASK = "buddy_match"


class PeerError(Refused):
    pass


def asked_as(actor: User, person: Person) -> str:
    """Who acted, as the person reads it: themselves, their representative, or their worker."""
    profile = getattr(actor, "profile", None)
    if getattr(profile, "person_id", None) == person.pk:
        return AskedAs.PERSON
    if Role.REPRESENTATIVE in roles_of(actor):
        return AskedAs.REPRESENTATIVE
    return AskedAs.STAFF


def _literal(text: str) -> str:
    """Text someone wrote, kept as it is when the message fills in "{whose}"."""
    return text.replace("{", "{{").replace("}", "}}")


def _tell(*, actor: User, person: Person, subject: str, body: str, key: str, link: str) -> None:
    notification_send(
        actor=actor,
        person=person,
        kind=Message.Kind.REQUEST_ANSWERED,
        subject=subject,
        body=body,
        key=key,
        link=link,
    )


def _required(value: str, message: str, field: str) -> str:
    value = value.strip()
    if not value:
        raise PeerError(message, field=field)
    return value


@transaction.atomic
def buddy_offer_make(
    *, actor: User, person: Person, help_with: str, contact_how: str, areas: str
) -> BuddyOffer:
    """An experienced holder (or their representative) offers to be a budget buddy."""
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk").get()
    help_with = _required(help_with, HELP_WITH_NEEDED, "help_with")
    contact_how = _required(contact_how, CONTACT_HOW_NEEDED, "contact_how")
    areas = _required(areas, AREAS_NEEDED, "areas")
    if BuddyOffer.objects.filter(person=person, status=BuddyOffer.Status.OPEN).exists():
        raise PeerError(ALREADY_OFFERING, field="help_with")
    offer = BuddyOffer.objects.create(
        person=person,
        help_with=help_with,
        contact_how=contact_how,
        areas=areas,
        made_as=asked_as(actor, person),
        made_by=actor,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="buddy_offer",
        object_id=offer.pk,
        person_id=person.pk,
        summary="Offered to be a budget buddy",
        changes={
            "Can help with": [None, help_with],
            "How to contact": [None, contact_how],
            "Areas": [None, areas],
            "Made by": [None, offer.get_made_as_display()],
        },
    )
    return offer


@transaction.atomic
def buddy_request_make(
    *, actor: User, person: Person, help_wanted: str, contact_how: str
) -> BuddyRequest:
    """A holder or carer (or someone for them) asks for a budget buddy; the person's team
    gets a task to match them."""
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk").get()
    help_wanted = _required(help_wanted, HELP_WANTED_NEEDED, "help_wanted")
    contact_how = _required(contact_how, CONTACT_HOW_NEEDED, "contact_how")
    if BuddyRequest.objects.filter(
        person=person, status__in=[BuddyRequest.Status.WAITING, BuddyRequest.Status.MATCHED]
    ).exists():
        raise PeerError(ALREADY_ASKING, field="help_wanted")
    request = BuddyRequest.objects.create(
        person=person,
        help_wanted=help_wanted,
        contact_how=contact_how,
        asked_as=asked_as(actor, person),
        asked_by=actor,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="buddy_request",
        object_id=request.pk,
        person_id=person.pk,
        summary="Asked for a budget buddy",
        changes={
            "Help wanted": [None, help_wanted],
            "How to contact": [None, contact_how],
            "Asked by": [None, request.get_asked_as_display()],
        },
    )
    if person.team_id is not None:
        work_item_add(
            title=f"Match {person.full_name} with a budget buddy",
            kind=MATCH_TASK,
            person=person,
            for_role=Role.PRACTITIONER,
            due_date=timezone.localdate(),
        )
    return request


def _end(link: BuddyLink, *, actor: User, side: str, why: str) -> None:
    """End a live link and tell the other side in plain words; nothing more is shared."""
    was = link.get_status_display()
    link.status = BuddyLink.Status.ENDED
    link.ended_at = timezone.now()
    link.ended_by_side = side
    link.save(update_fields=["status", "ended_at", "ended_by_side"])
    request = link.request
    if request.status == BuddyRequest.Status.MATCHED:
        request.status = BuddyRequest.Status.WAITING  # to be matched again
        request.save(update_fields=["status"])
        if side != BuddyLink.Side.SEEKER and request.person.team_id is not None:
            work_item_add(
                title=f"Match {request.person.full_name} with another budget buddy",
                kind=MATCH_TASK,
                person=request.person,
                for_role=Role.PRACTITIONER,
                due_date=timezone.localdate(),
            )
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="buddy_link",
        object_id=link.pk,
        person_id=link.seeker_id,
        summary=f"Budget buddy match ended by {link.get_ended_by_side_display().lower()}",
        changes={"Status": [was, link.get_status_display()], "Why": [None, why]},
    )
    href = reverse("peers:link", kwargs={"link_id": link.pk})
    if side != BuddyLink.Side.SEEKER:
        _tell(
            actor=actor,
            person=link.seeker,
            subject="{Whose} budget buddy match has ended",
            body="The match has ended. Nothing more is shared between you. "
            "The council will look for another budget buddy, unless {whose} request is withdrawn.",
            key=f"buddy-link-{link.pk}-ended",
            link=href,
        )
    if side != BuddyLink.Side.BUDDY:
        _tell(
            actor=actor,
            person=link.buddy,
            subject="A budget buddy match has ended",
            body="The person you were matched with no longer wants to go ahead, or has "
            "withdrawn. Nothing more is shared between you. {Whose} offer to help stays open.",
            key=f"buddy-link-{link.pk}-ended",
            link=href,
        )


@transaction.atomic
def buddy_offer_withdraw(*, actor: User, offer: BuddyOffer) -> BuddyOffer:
    """The buddy withdraws their offer: any match it has ends, and the other side is told."""
    offer = BuddyOffer.objects.select_for_update().get(pk=offer.pk)
    if offer.status == BuddyOffer.Status.WITHDRAWN:
        raise PeerError(WITHDRAWN_ALREADY)
    offer.status = BuddyOffer.Status.WITHDRAWN
    offer.withdrawn_at = timezone.now()
    offer.save(update_fields=["status", "withdrawn_at"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="buddy_offer",
        object_id=offer.pk,
        person_id=offer.person_id,
        summary="Withdrew the offer to be a budget buddy",
        changes={"Status": ["Open", "Withdrawn"]},
    )
    for link in offer.links.filter(status__in=[BuddyLink.Status.PROPOSED, BuddyLink.Status.ACTIVE]):
        _end(link, actor=actor, side=BuddyLink.Side.BUDDY, why="The offer was withdrawn")
    return offer


@transaction.atomic
def buddy_request_withdraw(*, actor: User, request: BuddyRequest) -> BuddyRequest:
    """The person withdraws their request: any match ends, and the buddy is told."""
    request = BuddyRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == BuddyRequest.Status.WITHDRAWN:
        raise PeerError(WITHDRAWN_ALREADY)
    was = request.get_status_display()
    for link in request.links.filter(
        status__in=[BuddyLink.Status.PROPOSED, BuddyLink.Status.ACTIVE]
    ):
        _end(link, actor=actor, side=BuddyLink.Side.SEEKER, why="The request was withdrawn")
    request.status = BuddyRequest.Status.WITHDRAWN
    request.withdrawn_at = timezone.now()
    request.save(update_fields=["status", "withdrawn_at"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="buddy_request",
        object_id=request.pk,
        person_id=request.person_id,
        summary="Withdrew the request for a budget buddy",
        changes={"Status": [was, request.get_status_display()]},
    )
    return request


@transaction.atomic
def buddy_match(
    *, actor: User, request: BuddyRequest, offer: BuddyOffer | None, note: str = ""
) -> BuddyLink:
    """A coordinator matches a waiting request with an open offer. Both sides are asked to
    agree; neither is told the other's name or contact until both have."""
    request = BuddyRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != BuddyRequest.Status.WAITING:
        raise PeerError(REQUEST_NOT_WAITING, field="offer")
    if offer is None:
        raise PeerError(OFFER_NEEDED, field="offer")
    offer = BuddyOffer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != BuddyOffer.Status.OPEN:
        raise PeerError(OFFER_NOT_OPEN, field="offer")
    if offer.person_id == request.person_id:
        raise PeerError(SAME_PERSON, field="offer")
    link = BuddyLink.objects.create(
        request=request,
        offer=offer,
        seeker_id=request.person_id,
        buddy_id=offer.person_id,
        note=note.strip(),
        matched_by=actor,
    )
    request.status = BuddyRequest.Status.MATCHED
    request.save(update_fields=["status"])
    # The team's task to match is done (a request matched again after an ending has none).
    WorkItem.objects.filter(
        person_id=request.person_id, kind=MATCH_TASK, status=WorkItem.Status.OPEN
    ).update(status=WorkItem.Status.DONE)
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="buddy_link",
        object_id=link.pk,
        person_id=request.person_id,
        summary="Matched with a budget buddy: waiting for both to agree",
        changes={"Buddy offer": [None, offer.pk], "Note": [None, link.note or None]},
    )
    # The buddy's own log says they were matched too.
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="buddy_link",
        object_id=link.pk,
        person_id=offer.person_id,
        summary="Matched as a budget buddy: waiting for both to agree",
    )
    href = reverse("peers:link", kwargs={"link_id": link.pk})
    _tell(
        actor=actor,
        person=request.person,
        subject="We have found a budget buddy who may help {whose} with what you asked",
        body="Please say whether you would like to go ahead. We share no names or contact "
        "details until you and the buddy have both said yes. You can say no at any time.",
        key=f"buddy-link-{link.pk}-proposed",
        link=href,
    )
    _tell(
        actor=actor,
        person=offer.person,
        subject="Someone would like a budget buddy: can you help?",
        body=f"They would like help with: {_literal(request.help_wanted)} Please say whether "
        "you would like to go ahead. We share no names or contact details until you "
        "have both said yes. You can say no at any time.",
        key=f"buddy-link-{link.pk}-proposed",
        link=href,
    )
    return link


@transaction.atomic
def buddy_link_agree(*, actor: User, link: BuddyLink, side: str) -> BuddyLink:
    """One side agrees; when both have, the link is active and each sees the other's name
    and how they like to be contacted."""
    link = BuddyLink.objects.select_for_update().select_related("seeker", "buddy").get(pk=link.pk)
    if side not in (BuddyLink.Side.SEEKER, BuddyLink.Side.BUDDY):
        raise PeerError(NOT_YOUR_SIDE)
    if not link.is_live:
        raise PeerError(LINK_ENDED)
    field = "seeker_agreed_at" if side == BuddyLink.Side.SEEKER else "buddy_agreed_at"
    if getattr(link, field) is not None:
        raise PeerError(ALREADY_AGREED)
    setattr(link, field, timezone.now())
    both = link.seeker_agreed_at is not None and link.buddy_agreed_at is not None
    if both:
        link.status = BuddyLink.Status.ACTIVE
    link.save(update_fields=[field, "status"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="buddy_link",
        object_id=link.pk,
        person_id=link.seeker_id if side == BuddyLink.Side.SEEKER else link.buddy_id,
        summary=f"{BuddyLink.Side(side).label} agreed to the budget buddy match"
        + (": both agreed, names and contact details shared" if both else ""),
        changes={"Status": [BuddyLink.Status.PROPOSED.label, link.get_status_display()]},
    )
    if both:
        href = reverse("peers:link", kwargs={"link_id": link.pk})
        for person in (link.seeker, link.buddy):
            _tell(
                actor=actor,
                person=person,
                subject="{Whose} budget buddy match is agreed",
                body="You have both said yes. You can now see each other's name and how "
                "you like to be contacted. Either of you can end it at any time.",
                key=f"buddy-link-{link.pk}-active",
                link=href,
            )
    return link


@transaction.atomic
def buddy_link_end(*, actor: User, link: BuddyLink, side: str) -> BuddyLink:
    """Either side says no, or stops, at any time: the link ends and the other is told."""
    link = BuddyLink.objects.select_for_update().select_related("seeker", "buddy").get(pk=link.pk)
    if side not in (BuddyLink.Side.SEEKER, BuddyLink.Side.BUDDY):
        raise PeerError(NOT_YOUR_SIDE)
    if not link.is_live:
        raise PeerError(LINK_ENDED)
    _end(link, actor=actor, side=side, why="Said no or stopped")
    return link


@transaction.atomic
def referral_make(
    *,
    actor: User,
    person: Person,
    service: Service | None,
    share: list[str],
    help_wanted: str,
    consent: bool,
) -> Referral:
    """ "Ask them to contact me": the person (or someone for them) asks a support
    organisation to get in touch, sharing only the details they ticked (REQ-55)."""
    if service is None or not service.terms.filter(code__in=list(HELP_CODES)).exists():
        raise PeerError(SERVICE_NOT_SUPPORT, field="service")
    if service.status != Service.Status.ACTIVE:
        raise PeerError(SERVICE_NOT_SUPPORT, field="service")
    if any(name not in SHAREABLE for name in share):
        raise PeerError(SHARE_UNKNOWN, field="share")
    if not set(share) - {"name"}:
        raise PeerError(SHARE_NEEDED, field="share")
    values = shared_values(person, share)
    for name, value in values.items():
        if not value.strip():
            raise PeerError(
                SHARE_EMPTY.format(what=SHAREABLE[name].removeprefix("Your ").lower()),
                field="share",
            )
    help_wanted = _required(help_wanted, HELP_WANTED_NEEDED, "help_wanted")
    if not consent:
        raise PeerError(CONSENT_NEEDED, field="consent")
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk").get()
    if Referral.objects.filter(
        person=person, service=service, status=Referral.Status.WAITING
    ).exists():
        raise PeerError(ALREADY_REFERRED, field="service")
    referral = Referral.objects.create(
        person=person,
        service=service,
        provider_id=service.organization_id,
        shared=values,
        help_wanted=help_wanted,
        asked_as=asked_as(actor, person),
        asked_by=actor,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="referral",
        object_id=referral.pk,
        person_id=person.pk,
        summary=f"Asked {service.name} to make contact",
        changes={
            "Details shared": [None, ", ".join(SHAREABLE[n] for n in values)],
            "Help wanted": [None, help_wanted],
            "Asked by": [None, referral.get_asked_as_display()],
        },
    )
    return referral


@transaction.atomic
def referral_decide(
    *, actor: User, referral: Referral, accept: bool | None, reason: str = ""
) -> Referral:
    """The organisation accepts (it will make contact) or declines with a reason; the
    person is told either way."""
    referral = (
        Referral.objects.select_for_update().select_related("service", "person").get(pk=referral.pk)
    )
    if referral.status != Referral.Status.WAITING:
        raise PeerError(REFERRAL_DECIDED)
    if accept is None:
        raise PeerError(DECISION_NEEDED, field="accept")
    reason = reason.strip()
    if not accept and not reason:
        raise PeerError(DECLINE_REASON_NEEDED, field="reason")
    referral.status = Referral.Status.ACCEPTED if accept else Referral.Status.DECLINED
    referral.decided_by = actor
    referral.decided_at = timezone.now()
    referral.decision_reason = reason
    referral.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="referral",
        object_id=referral.pk,
        person_id=referral.person_id,
        summary=f"{referral.service.name} {'accepted' if accept else 'declined'} the referral",
        changes={
            "Status": [Referral.Status.WAITING.label, referral.get_status_display()],
            "Reason": [None, reason or None],
        },
    )
    name = _literal(referral.service.name)
    if accept:
        subject = f"{name} will get in touch about {{whose}} request"
        body = (
            f"{name} has accepted the request and will get in touch using the details "
            f"you agreed to share. {_literal(reason)}"
        ).strip()
    else:
        subject = f"{name} cannot help with {{whose}} request"
        body = (
            f"The reason they gave: {_literal(reason)} You can ask another organisation, "
            "or talk to {whose} named worker."
        )
    _tell(
        actor=actor,
        person=referral.person,
        subject=subject,
        body=body,
        key=f"referral-{referral.pk}-decided",
        link=reverse("peers:person", kwargs={"person_id": referral.person_id}),
    )
    return referral
