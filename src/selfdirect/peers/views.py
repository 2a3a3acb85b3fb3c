"""Peer support pages: a person's page (their offers, requests, matches and referrals), offering
to be a budget buddy, asking for one, agreeing or saying no; the coordinator's list and the
match; support organisations and "Ask them to contact me"; the organisation's referrals.
Every look is audited; a record the user may not see answers 404, recorded as refused."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user, user_can
from selfdirect.audit.services import look_record, look_refused, looks_record, record_or_refused
from selfdirect.directory.models import Service
from selfdirect.forms_gov import posted
from selfdirect.peers import forms as F
from selfdirect.peers import selectors as Q
from selfdirect.peers import services as S
from selfdirect.peers.models import BuddyLink, BuddyOffer, BuddyRequest
from selfdirect.peers.rules import HELP_CODES, SHAREABLE
from selfdirect.refusals import require_post, run_and_tell, run_on_form


def _is_self(user: Any, person: Any) -> bool:
    return bool(Q.own_person_id(user) == person.pk)


@requires("peer.view")
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request.user)
    who = Q.person_for_peers(user, person_id)
    look_record(actor=user, record=who, summary="Peer support: budget buddies and referrals")
    links = list(Q.links_of(who))
    return render(
        request,
        "peers/person.html",
        {
            "person": who,
            "offers": list(Q.offers_of(who)),
            "requests": list(Q.requests_of(who)),
            "links": [{"link": link, "as_buddy": link.buddy_id == who.pk} for link in links],
            "referrals": list(Q.referrals_of(who)),
            "can_offer": user_can(user, "peer.offer"),
            "can_ask": user_can(user, "peer.ask"),
            "can_withdraw": user_can(user, "peer.agree"),
            "is_self": _is_self(user, who),
            "nav": "home",
        },
    )


@requires("peer.offer")
def offer(request: HttpRequest, person_id: int) -> HttpResponse:
    """An experienced holder (or their representative) offers to be a budget buddy."""
    user = acting_user(request.user)
    who = Q.person_for_peers(user, person_id)
    look_record(actor=user, record=who, summary="Offer to be a budget buddy: the form")
    form = F.OfferForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form, lambda: S.buddy_offer_make(actor=user, person=who, **form.cleaned_data)
        )
    ):
        messages.success(request, "Thank you: your offer to be a budget buddy has been sent")
        return redirect("peers:person", person_id=who.pk)
    return render(
        request,
        "peers/offer.html",
        {"person": who, "form": form, "is_self": _is_self(user, who), "nav": "home"},
    )


@requires("peer.ask")
def ask(request: HttpRequest, person_id: int) -> HttpResponse:
    """A holder or carer (or someone for them) asks for a budget buddy."""
    user = acting_user(request.user)
    who = Q.person_for_peers(user, person_id)
    look_record(actor=user, record=who, summary="Ask for a budget buddy: the form")
    form = F.AskForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form, lambda: S.buddy_request_make(actor=user, person=who, **form.cleaned_data)
        )
    ):
        messages.success(request, "Your request for a budget buddy has been sent")
        return redirect("peers:person", person_id=who.pk)
    return render(
        request,
        "peers/ask.html",
        {"person": who, "form": form, "is_self": _is_self(user, who), "nav": "home"},
    )


@requires("peer.agree")
def offer_withdraw(request: HttpRequest, offer_id: int) -> HttpResponse:
    require_post(request)
    user = acting_user(request.user)
    mine = BuddyOffer.objects.filter(person__in=Q.people_for_peers(user))
    found = record_or_refused(mine, actor=user, object_id=offer_id)
    run_and_tell(
        request,
        lambda: S.buddy_offer_withdraw(actor=user, offer=found),
        "Your offer to be a budget buddy has been withdrawn",
    )
    return redirect("peers:person", person_id=found.person_id)


@requires("peer.agree")
def request_withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    require_post(request)
    user = acting_user(request.user)
    mine = BuddyRequest.objects.filter(person__in=Q.people_for_peers(user))
    found = record_or_refused(mine, actor=user, object_id=request_id)
    run_and_tell(
        request,
        lambda: S.buddy_request_withdraw(actor=user, request=found),
        "The request for a budget buddy has been withdrawn",
    )
    return redirect("peers:person", person_id=found.person_id)


@requires("peer.view")
def link(request: HttpRequest, link_id: int) -> HttpResponse:
    """A match: each side reads what the other offers or wants, agrees or says no; names and
    contact details appear only once both agreed. The coordinator reads its progress."""
    user = acting_user(request.user)
    found = Q.link_for(user, link_id)
    side = Q.side_of(user, found)
    if request.method == "POST":
        if not side:
            raise PermissionDenied(S.NOT_YOUR_SIDE)  # the coordinator reads, never agrees
        if request.POST.get("action") == "agree":
            run_and_tell(
                request,
                lambda: S.buddy_link_agree(actor=user, link=found, side=side),
                "You have said yes",
            )
        else:
            run_and_tell(
                request,
                lambda: S.buddy_link_end(actor=user, link=found, side=side),
                "The match has ended. Nothing more is shared.",
            )
        return redirect("peers:link", link_id=found.pk)
    me = found.seeker if side == BuddyLink.Side.SEEKER else found.buddy
    shared = found.status == BuddyLink.Status.ACTIVE
    if side:
        look_record(
            actor=user,
            record=found,
            person_id=me.pk,
            summary="A budget buddy match"
            + (": the other side's name and contact" if shared else ""),
        )
        if shared:
            other = found.buddy if side == BuddyLink.Side.SEEKER else found.seeker
            look_record(
                actor=user,
                record=found,
                person_id=other.pk,
                summary="A budget buddy match: name and contact shared with the other side",
            )
    else:
        looks_record(
            actor=user,
            people=[found.seeker_id, found.buddy_id],
            summary="A budget buddy match, for the coordinator",
        )
    agreed = found.seeker_agreed_at if side == BuddyLink.Side.SEEKER else found.buddy_agreed_at
    return render(
        request,
        "peers/link.html",
        {
            "link": found,
            "side": side,
            "me": me,
            "shared": shared,
            "agreed": agreed is not None,
            "nav": "home",
        },
    )


@requires("peer.coordinate")
def coordinate(request: HttpRequest) -> HttpResponse:
    """The coordinator's list: the team's people waiting for a budget buddy, and the offers."""
    user = acting_user(request.user)
    waiting = list(Q.requests_to_match(user))
    offers = list(Q.open_offers())
    looks_record(
        actor=user,
        people=[r.person_id for r in waiting] + [o.person_id for o in offers],
        summary="Budget buddies: requests waiting and offers",
    )
    return render(
        request,
        "peers/coordinate.html",
        {"waiting": waiting, "offers": offers, "nav": "home"},
    )


@requires("peer.coordinate")
def match(request: HttpRequest, request_id: int) -> HttpResponse:
    user = acting_user(request.user)
    found = Q.request_to_match(user, request_id)
    offers = Q.open_offers().exclude(person_id=found.person_id)
    look_record(actor=user, record=found, summary="Match a budget buddy: the form")
    looks_record(actor=user, people=[o.person_id for o in offers], summary="Buddy offers")
    form = F.MatchForm(posted(request), offers=offers)
    made: list[BuddyLink] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: made.append(
                S.buddy_match(
                    actor=user,
                    request=found,
                    offer=form.cleaned_data.get("offer"),
                    note=form.cleaned_data.get("note", ""),
                )
            ),
        )
    ):
        messages.success(request, "Matched: both have been asked to agree")
        return redirect("peers:link", link_id=made[0].pk)
    return render(
        request,
        "peers/match.html",
        {"request_": found, "person": found.person, "form": form, "nav": "home"},
    )


@requires("peer.refer")
def support(request: HttpRequest, person_id: int) -> HttpResponse:
    """Support and user-led organisations in the directory, by the help they give, each with
    "Ask them to contact me"."""
    user = acting_user(request.user)
    who = Q.person_for_peers(user, person_id)
    look_record(actor=user, record=who, summary="Support organisations to ask for help")
    chosen = request.GET.get("help", "")
    chosen = chosen if chosen in HELP_CODES else ""
    services = list(Q.support_services(chosen)[:50])
    given = Q.help_given(services)
    return render(
        request,
        "peers/support.html",
        {
            "person": who,
            "rows": [(s, given.get(str(s.pk), [])) for s in services],
            "helps": list(HELP_CODES.items()),
            "chosen": chosen,
            "is_self": _is_self(user, who),
            "nav": "home",
        },
    )


@requires("peer.refer")
def refer(request: HttpRequest, person_id: int, service_id: str) -> HttpResponse:
    """ "Ask them to contact me", with consent to share the named details ticked (REQ-55)."""
    user = acting_user(request.user)
    who = Q.person_for_peers(user, person_id)
    service = Q.support_services().filter(pk=service_id).first()
    if service is None:
        raise look_refused(actor=user, model=Service, object_id=service_id, person_path=None)
    look_record(actor=user, record=who, summary=f"Ask {service.name} to make contact: the form")
    form = F.ReferForm(posted(request), initial={"share": ["name"]})
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: S.referral_make(
                actor=user,
                person=who,
                service=service,
                share=list(form.cleaned_data.get("share") or []),
                help_wanted=form.cleaned_data.get("help_wanted", ""),
                consent=bool(form.cleaned_data.get("consent")),
            ),
            lambda f, name: name if name in f.fields else None,
        )
    ):
        messages.success(request, f"{service.name} has been asked to contact you")
        return redirect("peers:person", person_id=who.pk)
    return render(
        request,
        "peers/refer.html",
        {
            "person": who,
            "service": service,
            "form": form,
            "shareable": SHAREABLE,
            "is_self": _is_self(user, who),
            "nav": "home",
        },
    )


@requires("peer.referrals")
def provider_referrals(request: HttpRequest) -> HttpResponse:
    """The organisation's referrals: who asked, what they want and the details they shared."""
    user = acting_user(request.user)
    rows = list(Q.referrals_for_provider(user)[:200])
    looks_record(actor=user, people=rows, summary="Referrals made to the organisation")
    return render(
        request,
        "peers/provider_referrals.html",
        {"referrals": rows, "shareable": SHAREABLE, "nav": "home"},
    )


@requires("peer.referrals")
def provider_decide(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = acting_user(request.user)
    found = Q.referral_for_provider(user, referral_id)
    look_record(actor=user, record=found, summary="A referral made to the organisation")
    form = F.DecideForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: S.referral_decide(
                actor=user,
                referral=found,
                accept=form.accepted(),
                reason=form.cleaned_data.get("reason", ""),
            ),
        )
    ):
        messages.success(request, "Your answer has been sent to the person")
        return redirect("peer_referrals:list")
    return render(
        request,
        "peers/provider_decide.html",
        {"referral": found, "form": form, "shareable": SHAREABLE, "nav": "home"},
    )
