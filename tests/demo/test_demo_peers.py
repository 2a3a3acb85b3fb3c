"""The demo council's peer support (issue 14): a few buddy offers, the demo holder matched
with one (both agreed, so the holder sees the buddy's contact), support organisations tagged
with the help they give, and referrals, one waiting for the demo provider; the same from the
same seed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from selfdirect.access.models import Profile
from selfdirect.demo.generator import demo_council_build
from selfdirect.directory.models import Service
from selfdirect.peers.models import BuddyLink, BuddyOffer, Referral
from selfdirect.peers.selectors import referrals_for_provider, support_services

TODAY = dt.date(2026, 11, 24)

pytestmark = pytest.mark.django_db


def _peers(seed: int) -> list[tuple[object, ...]]:
    with transaction.atomic():
        demo_council_build(people=120, seed=seed, today=TODAY, money_people=0)
        rows = list(
            BuddyOffer.objects.order_by("person__la_person_id").values_list(
                "person__la_person_id", "help_with", "areas"
            )
        )
        transaction.set_rollback(True)
    return rows


def test_the_demo_has_buddies_a_match_and_referrals() -> None:
    summary = demo_council_build(people=200, seed=6, today=TODAY, money_people=0)
    assert 1 <= summary.counts["buddy offers"] == BuddyOffer.objects.count() <= 4
    link = BuddyLink.objects.get()
    assert link.seeker_id == summary.holder_person_id
    assert link.status == BuddyLink.Status.ACTIVE and link.buddy_id != link.seeker_id
    assert support_services("help.brokerage").exists() and support_services("help.payroll").exists()
    provider_user = Profile.objects.get(user__username="provider").user
    waiting = referrals_for_provider(provider_user).filter(status=Referral.Status.WAITING)
    assert [r.person_id for r in waiting] == [summary.holder_person_id]
    assert summary.counts["referrals"] == Referral.objects.count() == 2
    # Existing services are tagged: the directory keeps its size.
    assert Service.objects.count() == summary.counts["directory services"]


def test_the_same_seed_gives_the_same_buddies() -> None:
    assert _peers(3) == _peers(3)
