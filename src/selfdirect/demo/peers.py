"""The demo council's peer support (issue 14, "Peer support and information"): the
directory's brokerage and payroll services tagged with the help they give (peers' shipped
terms), and two services of the demo provider's organisation taking referrals, a few experienced holders offering to be budget buddies, the demo holder
matched with one (both agreed), and two referrals to support organisations, one waiting for
the demo provider's answer. Made directly, as staff and people would have left them;
deterministic from the seed, and a few dozen rows at any size."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import User
from django.utils import timezone

from selfdirect.directory.models import Service, TaxonomyTerm
from selfdirect.peers.models import BuddyLink, BuddyOffer, BuddyRequest, Referral
from selfdirect.peers.rules import shared_values
from selfdirect.people.models import Person
from selfdirect.providers.models import Provider

OFFERS = [
    ("Employing a personal assistant: contracts, payroll and holiday cover", "Northam and online"),
    ("Keeping records and sending statements on time", "Anywhere, by phone"),
    ("Finding day activities and things to do at weekends", "Eastby"),
    ("Being a family member managing a budget for someone with a learning disability", "Westford"),
]
# The demo needs' codes (demo.directory.NEEDS) and the help each such service gives.
HELP_FOR_NEED = {
    "brokerage": ["help.brokerage", "help.support_planning"],
    "payroll": ["help.payroll", "help.managed_account"],
}


def _tag_services(provider: Provider | None) -> list[Service]:
    """Tag the brokerage and payroll services with peers' help terms, and return two active
    services of the demo provider's organisation that take referrals."""
    terms = {t.code: t for t in TaxonomyTerm.objects.filter(code__startswith="help.")}
    through = Service.terms.through
    links = []
    for need, codes in HELP_FOR_NEED.items():
        for service_id in (
            Service.objects.filter(terms__code=need).order_by("pk").values_list("pk", flat=True)
        ):
            links += [through(service_id=service_id, taxonomyterm_id=terms[c].pk) for c in codes]
    through.objects.bulk_create(links, ignore_conflicts=True)
    if provider is None:
        return []
    # The demo provider's organisation takes referrals: its brokerage or payroll services,
    # and, so it has two, its first other services as advocacy (no new services: the
    # directory keeps its size).
    mine = list(
        Service.objects.filter(organization=provider, status=Service.Status.ACTIVE).order_by("pk")
    )
    own = [s for s in mine if s.terms.filter(code__in=list(terms)).exists()][:2]
    extra = [s for s in mine if s not in own][: 2 - len(own)]
    through.objects.bulk_create(
        [through(service_id=s.pk, taxonomyterm_id=terms["help.advocacy"].pk) for s in extra],
        ignore_conflicts=True,
    )
    return own + extra


def demo_peers_build(
    *,
    seed: int,
    holder: Person,
    holder_user: User,
    recorder: User,
    provider_user: User | None,
    today: dt.date,
) -> dict[str, int]:
    rng = random.Random(seed + 52)
    profile = getattr(provider_user, "profile", None)
    provider = profile.provider if profile is not None else None
    own_services = _tag_services(provider)
    # Experienced holders: people of the holder's team with an approved plan, not the holder.
    candidates = list(
        Person.objects.filter(team=holder.team, support_plans__status="approved")
        .exclude(pk=holder.pk)
        .distinct()
        .order_by("pk")[:40]
    )
    buddies = sorted(rng.sample(candidates, min(len(OFFERS), len(candidates))), key=lambda p: p.pk)
    offers = BuddyOffer.objects.bulk_create(
        [
            BuddyOffer(
                person=person,
                help_with=help_with,
                contact_how=f"Phone {person.phone or '01632 960000'}, weekday evenings",
                areas=areas,
                made_as="staff",
                made_by=recorder,
            )
            for person, (help_with, areas) in zip(buddies, OFFERS, strict=False)
        ]
    )
    links = 0
    if offers:
        request = BuddyRequest.objects.create(
            person=holder,
            help_wanted="Someone who has employed a personal assistant to talk it through with",
            contact_how=f"Email {holder.email or 'the address on my record'}",
            status=BuddyRequest.Status.MATCHED,
            asked_as="person",
            asked_by=holder_user,
        )
        agreed = timezone.now()
        BuddyLink.objects.create(
            request=request,
            offer=offers[0],
            seeker=holder,
            buddy=offers[0].person,
            status=BuddyLink.Status.ACTIVE,
            matched_by=recorder,
            seeker_agreed_at=agreed,
            buddy_agreed_at=agreed,
        )
        links = 1
    referrals = 0
    if own_services:
        Referral.objects.create(
            person=holder,
            service=own_services[-1],
            provider=own_services[-1].organization,
            shared=shared_values(holder, ["name", "phone", "email"]),
            help_wanted="Help to review my support plan before my review",
            asked_as="person",
            asked_by=holder_user,
        )
        other = candidates[-1] if candidates else None
        if other is not None:
            Referral.objects.create(
                person=other,
                service=own_services[0],
                provider=own_services[0].organization,
                shared=shared_values(other, ["name", "phone"]),
                help_wanted="An advocate for my review",
                asked_as="staff",
                asked_by=recorder,
                status=Referral.Status.ACCEPTED,
                decided_by=provider_user,
                decided_at=timezone.now(),
                decision_reason="We will phone this week to arrange a visit.",
            )
        referrals = Referral.objects.count()
    return {"buddy offers": len(offers), "buddy matches": links, "referrals": referrals}
