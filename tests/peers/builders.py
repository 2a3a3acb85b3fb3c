"""Peer support records for tests: a second holder who offers to be a budget buddy (Dot,
signing in), and a support organisation's service with one of peers' help terms."""

from __future__ import annotations

from typing import Any

from selfdirect.access.roles import Role
from selfdirect.directory.models import Service, TaxonomyTerm
from selfdirect.peers.models import BuddyLink, BuddyOffer, BuddyRequest
from selfdirect.providers.models import Provider
from tests.directory.builders import service_build
from tests.factories import PersonFactory, make_user


def buddy_holder(council: Any, *, username: str = "dot") -> Any:
    """Dot, an experienced holder in team A with her own sign-in."""
    person = PersonFactory(
        team=council.team_a,
        given_name="Dot",
        family_name="Buddy",
        phone="07700 900123",
        email="dot@example.org",
    )
    make_user(username, [Role.HOLDER], person=person)
    return person


def support_service(
    *, provider: Provider | None = None, code: str = "help.brokerage", name: str = "Ring Brokerage"
) -> Service:
    service = service_build(provider=provider, name=name)
    service.terms.add(TaxonomyTerm.objects.get(code=code))
    return service


def offer_make(person: Any, user: Any) -> BuddyOffer:
    return BuddyOffer.objects.create(
        person=person,
        help_with="Employing a PA",
        contact_how="Phone 07700 900123 after 6pm",
        areas="Dalesham",
        made_as="person",
        made_by=user,
    )


def request_make(person: Any, user: Any) -> BuddyRequest:
    return BuddyRequest.objects.create(
        person=person,
        help_wanted="Finding a personal assistant",
        contact_how="Email ada@example.org",
        asked_as="person",
        asked_by=user,
    )


def link_make(request: BuddyRequest, offer: BuddyOffer, user: Any) -> BuddyLink:
    request.status = BuddyRequest.Status.MATCHED
    request.save(update_fields=["status"])
    return BuddyLink.objects.create(
        request=request,
        offer=offer,
        seeker_id=request.person_id,
        buddy_id=offer.person_id,
        matched_by=user,
    )
