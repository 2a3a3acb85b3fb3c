"""Reading peer support, with the one who-can-see rule for it: a person's side (the person,
their representative, a carer for their own record) sees only their own offers, requests,
links and referrals; the other side of a link only once both agreed; the person's team
(the peer support coordinators) sees their caseload's requests and every open offer, to
match them; an organisation sees only the referrals made to it."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from selfdirect.access.roles import Role
from selfdirect.access.selectors import AnyUser, roles_of, teams_of, user_can
from selfdirect.audit.services import record_or_refused
from selfdirect.directory.models import Service
from selfdirect.peers.models import BuddyLink, BuddyOffer, BuddyRequest, Referral
from selfdirect.peers.rules import HELP_CODES
from selfdirect.people.models import Person, Relationship
from selfdirect.people.selectors import cared_for_with_consent, people_visible_to
from selfdirect.record_fields import stored_fields


def own_person_id(user: AnyUser) -> int | None:
    profile = getattr(user, "profile", None)
    return getattr(profile, "person_id", None)


def people_for_peers(user: AnyUser) -> QuerySet[Person]:
    """The people whose peer support the user may read and act on: a holder's or carer's own
    record, the people a representative represents, a practitioner's or manager's team
    caseload; never a person the user only cares for (the carer's own record is theirs)."""
    if not user_can(user, "peer.view"):
        return Person.objects.none()
    roles = roles_of(user)
    own_id = own_person_id(user)
    condition = Q(pk__in=people_visible_to(user).exclude(pk__in=cared_for_with_consent(user)))
    if roles & {Role.HOLDER, Role.CARER} and own_id is not None:
        condition |= Q(pk=own_id)
    if roles & {Role.PRACTITIONER, Role.MANAGER}:
        # Carers and representatives of the team's people: a carer's own record is often in
        # no team, and carers ask for buddies too (holders-experience REQ-67).
        linked = Relationship.objects.filter(person__team__in=teams_of(user)).current(
            dt.date.today()
        )
        condition |= Q(pk__in=linked.values("related_person_id"))
    return Person.objects.filter(condition)


def person_for_peers(user: AnyUser, person_id: int) -> Person:
    """The person, if the user may act for them here; otherwise 404, recorded as refused."""
    return record_or_refused(people_for_peers(user), actor=user, object_id=person_id)


def offers_of(person: Person) -> QuerySet[BuddyOffer]:
    return BuddyOffer.objects.filter(person=person)


def requests_of(person: Person) -> QuerySet[BuddyRequest]:
    return BuddyRequest.objects.filter(person=person)


def links_of(person: Person) -> QuerySet[BuddyLink]:
    return (
        BuddyLink.objects.filter(Q(seeker=person) | Q(buddy=person))
        .select_related("seeker", "buddy", "request", "offer")
        .order_by("-matched_at", "-id")
    )


def referrals_of(person: Person) -> QuerySet[Referral]:
    return Referral.objects.filter(person=person).select_related("service", "provider")


def links_visible_to(user: AnyUser) -> QuerySet[BuddyLink]:
    """The links of the people the user may act for (either side), and for a coordinator
    the links of their caseload's requests."""
    people = people_for_peers(user)
    return BuddyLink.objects.filter(Q(seeker__in=people) | Q(buddy__in=people)).select_related(
        "seeker", "buddy", "request", "offer", "matched_by"
    )


def link_for(user: AnyUser, link_id: int) -> BuddyLink:
    return record_or_refused(
        links_visible_to(user), actor=user, object_id=link_id, person_path="seeker_id"
    )


def side_of(user: AnyUser, link: BuddyLink) -> str:
    """Which side of the link the user acts for: the buddy's, the seeker's, or neither
    (their team). A representative of both is taken as the seeker's."""
    if not user_can(user, "peer.agree"):
        return ""
    mine = set(
        people_for_peers(user)
        .filter(pk__in=[link.seeker_id, link.buddy_id])
        .values_list("pk", flat=True)
    )
    if link.seeker_id in mine:
        return BuddyLink.Side.SEEKER
    if link.buddy_id in mine:
        return BuddyLink.Side.BUDDY
    return ""


def requests_to_match(user: AnyUser) -> QuerySet[BuddyRequest]:
    """The coordinator's list: waiting requests of the people of their teams."""
    if not user_can(user, "peer.coordinate"):
        return BuddyRequest.objects.none()
    return BuddyRequest.objects.filter(
        status=BuddyRequest.Status.WAITING, person__in=people_for_peers(user)
    ).select_related("person")


def request_to_match(user: AnyUser, request_id: int) -> BuddyRequest:
    return record_or_refused(requests_to_match(user), actor=user, object_id=request_id)


def open_offers() -> QuerySet[BuddyOffer]:
    """Every open offer: buddies offer to help anyone in the council's area, so a
    coordinator matches from all of them (the offer form says so)."""
    return BuddyOffer.objects.filter(status=BuddyOffer.Status.OPEN).select_related("person")


def support_services(help_code: str = "") -> QuerySet[Service]:
    """Active directory services that give help with holding a budget (one of peers'
    taxonomy terms), optionally only those giving one kind of help."""
    codes = [help_code] if help_code in HELP_CODES else list(HELP_CODES)
    return (
        Service.objects.filter(status=Service.Status.ACTIVE, terms__code__in=codes)
        .distinct()
        .select_related("organization")
        .order_by("name", "id")
    )


def help_given(services: list[Service]) -> dict[str, list[str]]:
    """Each service's kinds of help (peers' terms), by service id as text."""
    rows = Service.terms.through.objects.filter(
        service_id__in=[s.pk for s in services], taxonomyterm__code__in=list(HELP_CODES)
    ).values_list("service_id", "taxonomyterm__code")
    given: dict[str, list[str]] = {}
    for service_id, code in rows:
        given.setdefault(str(service_id), []).append(HELP_CODES[code])
    return {k: sorted(v) for k, v in given.items()}


def referrals_for_provider(user: AnyUser) -> QuerySet[Referral]:
    """The referrals made to the user's organisation, newest first; none for anyone else."""
    if not user_can(user, "peer.referrals"):
        return Referral.objects.none()
    profile = getattr(user, "profile", None)
    provider_id = getattr(profile, "provider_id", None)
    if provider_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(provider_id=provider_id).select_related("person", "service")


def referral_for_provider(user: AnyUser, referral_id: int) -> Referral:
    return record_or_refused(referrals_for_provider(user), actor=user, object_id=referral_id)


def peers_record(person: Person) -> dict[str, list[dict[str, object]]]:
    """Everything peer support holds about the person, for the whole-record export: every
    stored field of their offers, requests and referrals, and of their matches, where the
    other side's person id appears only once both agreed (before that it was never theirs
    to see)."""
    links = []
    for link in BuddyLink.objects.filter(Q(seeker=person) | Q(buddy=person)).order_by("id"):
        fields = stored_fields(link)
        both = link.seeker_agreed_at is not None and link.buddy_agreed_at is not None
        if not both:
            other = "buddy_id" if link.seeker_id == person.pk else "seeker_id"
            fields[other] = None
            fields["offer_id" if other == "buddy_id" else "request_id"] = None
        links.append(fields)
    return {
        "buddy_offers": [stored_fields(o) for o in offers_of(person).order_by("id")],
        "buddy_requests": [stored_fields(r) for r in requests_of(person).order_by("id")],
        "buddy_matches": links,
        "referrals": [
            stored_fields(r) for r in Referral.objects.filter(person=person).order_by("id")
        ],
    }
