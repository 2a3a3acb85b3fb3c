"""Peer support at the same moment twice (PostgreSQL, real concurrent transactions): two
coordinators matching one request make one match; both sides agreeing at once both count,
so the match becomes active (the match row is locked, decision 0052)."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.access.models import Profile
from selfdirect.access.roles import Role
from selfdirect.peers import services as S
from selfdirect.peers.models import BuddyLink, BuddyRequest
from tests.concurrency import one_success_one_refusal, race
from tests.factories import second_user
from tests.peers.builders import buddy_holder, link_make, offer_make, request_make


@pytest.mark.postgres
def test_two_coordinators_matching_one_request_make_one_match(committed_council: Any) -> None:
    council = committed_council
    dot = buddy_holder(council)
    request = request_make(council.holder_person, council.users[Role.HOLDER])
    offer = offer_make(dot, Profile.objects.get(person=dot).user)
    staff = [council.users[Role.PRACTITIONER], second_user(council, Role.PRACTITIONER)]
    outcomes = race(
        lambda _i: BuddyRequest.objects.get(pk=request.pk),
        lambda i, loaded: S.buddy_match(actor=staff[i], request=loaded, offer=offer),
    )
    refused = one_success_one_refusal(outcomes, S.PeerError)
    assert str(refused) == S.REQUEST_NOT_WAITING
    assert BuddyLink.objects.count() == 1


@pytest.mark.postgres
def test_both_sides_agreeing_at_once_make_the_match_active(committed_council: Any) -> None:
    council = committed_council
    dot = buddy_holder(council)
    dot_user = Profile.objects.get(person=dot).user
    link = link_make(
        request_make(council.holder_person, council.users[Role.HOLDER]),
        offer_make(dot, dot_user),
        council.users[Role.PRACTITIONER],
    )
    sides = [(council.users[Role.HOLDER], "seeker"), (dot_user, "buddy")]
    outcomes = race(
        lambda _i: BuddyLink.objects.get(pk=link.pk),
        lambda i, loaded: S.buddy_link_agree(actor=sides[i][0], link=loaded, side=sides[i][1]),
    )
    assert not [o for o in outcomes if isinstance(o, Exception)]
    link.refresh_from_db()
    assert link.status == BuddyLink.Status.ACTIVE
    assert link.seeker_agreed_at is not None and link.buddy_agreed_at is not None
