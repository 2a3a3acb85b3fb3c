"""Peer support on other apps' pages (decision 0011): on a provider's home, the referrals
waiting for its answer (providers.signals.provider_home_shown)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.dispatch import receiver
from django.urls import reverse

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.peers.models import Referral
from selfdirect.providers.models import Provider
from selfdirect.providers.signals import provider_home_shown


@receiver(provider_home_shown, dispatch_uid="peers.provider_home")
def _provider_home(
    sender: Any,
    *,
    provider: Provider | None,
    user: AnyUser,
    people: Collection[int],
    today: dt.date,
    **kwargs: Any,
) -> dict[str, Any]:
    """How many referrals wait for the organisation's answer, and where to answer them."""
    if provider is None or not user_can(user, "peer.referrals"):
        return {}
    waiting = Referral.objects.filter(provider=provider, status=Referral.Status.WAITING).count()
    return {"referrals": {"waiting": waiting, "href": reverse("peer_referrals:list")}}
