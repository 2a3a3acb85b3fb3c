"""Budget buddies (issue 14, "Peer support and information"): a holder or carer asks, an
experienced holder offers, a coordinator matches, each side agrees before any name or contact
is shared, and either side can end it; every step audited, both sides told in their words.
Cited to holders-experience.md (REQ-34 a named contact, REQ-67 carers as first-class
users, REQ-69 people without an informal network offered support)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from selfdirect.access.models import Profile, WorkItem
from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.notify.models import Message
from selfdirect.peers import services as S
from selfdirect.peers.models import BuddyLink, BuddyOffer, BuddyRequest
from tests.peers.builders import buddy_holder, link_make, offer_make, request_make

pytestmark = pytest.mark.django_db


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _dot_user(dot: Any) -> Any:
    return Profile.objects.get(person=dot).user


def test_req69_holder_asks_staff_match_both_agree_then_contact_is_shared(council: Any) -> None:
    """The whole journey by pages: nothing of the other side is shown or sent until both
    said yes; then each sees the other's name and how to contact them."""
    ada = council.holder_person
    dot = buddy_holder(council)
    dot_client = _as(_dot_user(dot))
    answer = dot_client.post(
        reverse("peers:offer", args=[dot.pk]),
        {"help_with": "Employing a PA", "contact_how": "Phone 07700 900123", "areas": "Dalesham"},
    )
    assert answer.status_code == 302
    holder = _as(council.users[Role.HOLDER])
    answer = holder.post(
        reverse("peers:ask", args=[ada.pk]),
        {"help_wanted": "Finding a PA", "contact_how": "Email ada@example.org"},
    )
    assert answer.status_code == 302
    request = BuddyRequest.objects.get(person=ada)
    assert WorkItem.objects.filter(person=ada, kind=S.MATCH_TASK).exists()
    staff = _as(council.users[Role.PRACTITIONER])
    assert "Ada Holder" in staff.get(reverse("peers:coordinate")).content.decode()
    offer = BuddyOffer.objects.get(person=dot)
    answer = staff.post(reverse("peers:match", args=[request.pk]), {"offer": str(offer.pk)})
    link = BuddyLink.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("peers:link", args=[link.pk])
    assert not WorkItem.objects.filter(person=ada, kind=S.MATCH_TASK, status="open").exists()
    # Both told, neither named to the other.
    to_ada = Message.objects.get(recipient=council.users[Role.HOLDER], key__contains="proposed")
    to_dot = Message.objects.get(recipient=_dot_user(dot), key__contains="proposed")
    assert "Dot" not in to_ada.subject + to_ada.body
    assert "Ada" not in to_dot.subject + to_dot.body and "Finding a PA" in to_dot.body
    url = reverse("peers:link", args=[link.pk])
    page = _text(holder.get(url).content.decode())
    assert "Employing a PA" in page and "Dot Buddy" not in page and "07700" not in page
    holder.post(url, {"action": "agree"})
    link.refresh_from_db()
    assert link.status == BuddyLink.Status.PROPOSED and link.seeker_agreed_at is not None
    page = _text(dot_client.get(url).content.decode())
    assert "Finding a PA" in page and "Ada Holder" not in page and "ada@example.org" not in page
    dot_client.post(url, {"action": "agree"})
    link.refresh_from_db()
    assert link.status == BuddyLink.Status.ACTIVE
    page = _text(holder.get(url).content.decode())
    assert "Dot Buddy" in page and "Phone 07700 900123" in page
    page = _text(dot_client.get(url).content.decode())
    assert "Ada Holder" in page and "Email ada@example.org" in page
    assert Message.objects.filter(key=f"buddy-link-{link.pk}-active").count() == 3  # + Rita
    # The look at the other side's details is in each person's log.
    assert Event.objects.filter(
        person_id=dot.pk, object_type="buddylink", summary__contains="shared with the other"
    ).exists()


def test_either_side_ends_it_the_other_is_told_and_nothing_more_is_shared(council: Any) -> None:
    ada = council.holder_person
    dot = buddy_holder(council)
    link = link_make(
        request_make(ada, council.users[Role.HOLDER]),
        offer_make(dot, _dot_user(dot)),
        council.users[Role.PRACTITIONER],
    )
    S.buddy_link_agree(actor=council.users[Role.HOLDER], link=link, side="seeker")
    S.buddy_link_agree(actor=_dot_user(dot), link=link, side="buddy")
    dot_client = _as(_dot_user(dot))
    url = reverse("peers:link", args=[link.pk])
    assert dot_client.post(url, {"action": "end"}).status_code == 302
    link.refresh_from_db()
    assert link.status == BuddyLink.Status.ENDED and link.ended_by_side == "buddy"
    told = Message.objects.get(recipient=council.users[Role.HOLDER], key__endswith="ended")
    assert told.subject == "Your budget buddy match has ended"
    assert "Nothing more is shared" in told.body and "Dot" not in told.body
    assert not Message.objects.filter(recipient=_dot_user(dot), key__endswith="ended").exists()
    page = _text(_as(council.users[Role.HOLDER]).get(url).content.decode())
    assert "Dot Buddy" not in page and "07700" not in page
    # The request can be matched again, and the team is asked to.
    assert BuddyRequest.objects.get(pk=link.request_id).status == BuddyRequest.Status.WAITING
    assert WorkItem.objects.filter(person=ada, kind=S.MATCH_TASK, status="open").exists()
    assert Event.objects.filter(object_type="buddy_link", summary__contains="ended").exists()


def test_withdrawing_an_offer_ends_its_match_and_tells_the_person(council: Any) -> None:
    ada = council.holder_person
    dot = buddy_holder(council)
    offer = offer_make(dot, _dot_user(dot))
    link = link_make(request_make(ada, council.users[Role.HOLDER]), offer, council.users["manager"])
    answer = _as(_dot_user(dot)).post(reverse("peers:offer_withdraw", args=[offer.pk]))
    assert answer.status_code == 302
    link.refresh_from_db()
    assert link.status == BuddyLink.Status.ENDED
    assert Message.objects.filter(recipient=council.users[Role.HOLDER], key__endswith="ended")


def test_only_the_two_sides_agree(council: Any) -> None:
    """The coordinator reads the match but cannot agree for anyone; a representative agrees
    for the person they represent."""
    ada = council.holder_person
    dot = buddy_holder(council)
    link = link_make(
        request_make(ada, council.users[Role.HOLDER]),
        offer_make(dot, _dot_user(dot)),
        council.users[Role.PRACTITIONER],
    )
    url = reverse("peers:link", args=[link.pk])
    staff = _as(council.users[Role.PRACTITIONER])
    assert staff.post(url, {"action": "agree"}).status_code == 403
    link.refresh_from_db()
    assert link.seeker_agreed_at is None
    _as(council.users[Role.REPRESENTATIVE]).post(url, {"action": "agree"})
    link.refresh_from_db()
    assert link.seeker_agreed_at is not None and link.buddy_agreed_at is None


def test_a_holder_sees_only_their_own_and_another_link_is_refused(council: Any) -> None:
    """Bea's match answers 404 to Ada's side, and the refusal is recorded."""
    dot = buddy_holder(council)
    bea_user_link = link_make(
        request_make(council.other_person, council.users[Role.FINANCE]),
        offer_make(dot, _dot_user(dot)),
        council.users[Role.FINANCE],
    )
    holder = _as(council.users[Role.HOLDER])
    assert holder.get(reverse("peers:link", args=[bea_user_link.pk])).status_code == 404
    assert holder.get(reverse("peers:person", args=[dot.pk])).status_code == 404
    assert Event.objects.filter(action="denied", object_type="buddylink").exists()


def test_refusals_name_the_field_and_change_nothing(council: Any) -> None:
    ada = council.holder_person
    holder = _as(council.users[Role.HOLDER])
    page = holder.post(reverse("peers:ask", args=[ada.pk]), {"help_wanted": " "})
    assert page.status_code == 200
    assert S.HELP_WANTED_NEEDED in page.content.decode()
    assert page.content.decode().count("Error:") >= 1
    assert not BuddyRequest.objects.exists()
    request_make(ada, council.users[Role.HOLDER])
    with pytest.raises(S.PeerError) as refused:
        S.buddy_request_make(
            actor=council.users[Role.HOLDER], person=ada, help_wanted="x", contact_how="y"
        )
    assert str(refused.value) == S.ALREADY_ASKING and refused.value.field == "help_wanted"
    assert BuddyRequest.objects.count() == 1


def test_a_person_cannot_be_their_own_buddy_or_matched_to_a_withdrawn_offer(
    council: Any,
) -> None:
    ada = council.holder_person
    request = request_make(ada, council.users[Role.HOLDER])
    own = offer_make(ada, council.users[Role.HOLDER])
    with pytest.raises(S.PeerError, match=S.SAME_PERSON):
        S.buddy_match(actor=council.users["manager"], request=request, offer=own)
    dot = buddy_holder(council)
    offer = offer_make(dot, _dot_user(dot))
    S.buddy_offer_withdraw(actor=_dot_user(dot), offer=offer)
    with pytest.raises(S.PeerError, match=S.OFFER_NOT_OPEN):
        S.buddy_match(actor=council.users["manager"], request=request, offer=offer)
    assert not BuddyLink.objects.exists()


def test_req67_a_carer_asks_for_a_buddy_for_themselves_not_for_the_person(council: Any) -> None:
    """A carer asks on their own record; the cared-for person's peer support is not theirs."""
    carer = _as(council.users[Role.CARER])
    carl = council.users[Role.CARER].profile.person
    answer = carer.post(
        reverse("peers:ask", args=[carl.pk]),
        {"help_wanted": "Talking to another carer", "contact_how": "Phone"},
    )
    assert answer.status_code == 302
    assert BuddyRequest.objects.get().person == carl
    # The cared-for person's team matches it, though the carer's record is in no team.
    assert carl.team_id is None
    coordinator = _as(council.users[Role.PRACTITIONER])
    assert "Carl Carer" in coordinator.get(reverse("peers:coordinate")).content.decode()
    assert carer.get(reverse("peers:person", args=[council.holder_person.pk])).status_code == 404
    # A carer cannot offer to be a buddy (an experienced holder does).
    assert carer.get(reverse("peers:offer", args=[carl.pk])).status_code == 403


def test_the_whole_record_export_names_the_other_side_only_once_both_agreed(
    council: Any,
) -> None:
    from selfdirect.portal.record_export import person_record

    ada = council.holder_person
    dot = buddy_holder(council)
    link = link_make(
        request_make(ada, council.users[Role.HOLDER]),
        offer_make(dot, _dot_user(dot)),
        council.users[Role.PRACTITIONER],
    )
    (match,) = person_record(ada)["peer_support"]["buddy_matches"]
    assert match["id"] == link.pk and match["buddy_id"] is None and match["offer_id"] is None
    S.buddy_link_agree(actor=council.users[Role.HOLDER], link=link, side="seeker")
    S.buddy_link_agree(actor=_dot_user(dot), link=link, side="buddy")
    (match,) = person_record(ada)["peer_support"]["buddy_matches"]
    assert match["buddy_id"] == dot.pk
    (match,) = person_record(dot)["peer_support"]["buddy_matches"]
    assert match["seeker_id"] == ada.pk
    assert len(person_record(ada)["peer_support"]["buddy_requests"]) == 1


def test_req67_people_find_peer_support_from_their_home_page(council: Any) -> None:
    """The holder, the representative (for the person they act for) and the carer (for
    themselves) each have a link on their home page."""
    ada = council.holder_person
    carl = council.users[Role.CARER].profile.person
    for role, person in ((Role.HOLDER, ada), (Role.REPRESENTATIVE, ada), (Role.CARER, carl)):
        home = _as(council.users[role]).get("/home/").content.decode()
        assert f'href="{reverse("peers:person", args=[person.pk])}"' in home, role
