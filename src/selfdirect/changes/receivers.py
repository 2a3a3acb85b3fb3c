"""Requests to change support on other apps' pages (decision 0011): on the person page, the
person's requests waiting, for those who decide; on a provider's home, the requests that
concern the provider (providers.signals.provider_home_shown)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.dispatch import receiver
from django.urls import reverse

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.changes.models import ChangeRequest
from selfdirect.changes.selectors import ProviderConcern, requests_concerning_provider
from selfdirect.people.models import Person
from selfdirect.people.signals import person_page_shown
from selfdirect.planning.streams import DEPLOYMENTS
from selfdirect.providers.models import Provider
from selfdirect.providers.signals import provider_home_shown


@receiver(person_page_shown, dispatch_uid="changes.person_page")
def _person_page(sender: Any, *, person: Person, user: AnyUser, **kwargs: Any) -> dict[str, Any]:
    if not user_can(user, "change.decide"):
        return {}
    return {
        "change_requests": {
            "waiting": ChangeRequest.objects.filter(
                person=person, status=ChangeRequest.Status.WAITING
            ).count(),
        }
    }


def _what(concern: ProviderConcern) -> str:
    """What was asked, as the provider reads it: never who else the person chose."""
    change = concern.request
    support = f"‘{change.line.description}’"
    if concern.coming:
        return f"asked to move {support} to you"
    if concern.same_provider:
        return f"asked to change how {support} is held: {DEPLOYMENTS[change.to_deployment]}"
    return f"asked to move {support} from you to someone else"


def _status(change: ChangeRequest) -> str:
    if change.status == ChangeRequest.Status.WAITING:
        return f"Waiting for the council to decide, by {change.decide_by:%-d %B %Y}"
    if change.status == ChangeRequest.Status.REFUSED:
        return "Not agreed: nothing changes"
    if change.switch is not None:
        return f"Agreed: from {change.switch.effective_date:%-d %B %Y}"
    return "Agreed"


@receiver(provider_home_shown, dispatch_uid="changes.provider_home")
def _provider_home(
    sender: Any,
    *,
    provider: Provider | None,
    user: AnyUser,
    people: Collection[int],
    today: dt.date,
    **kwargs: Any,
) -> dict[str, Any]:
    """The requests to change that concern the provider, for its staff: each links to its
    notices of people changing provider."""
    if provider is None or not user_can(user, "change.provider_notices"):
        return {}
    href = reverse("changes:provider_notices")
    return {
        "change_requests": [
            {
                "person": c.request.person,
                "what": _what(c),
                "status": _status(c.request),
                "href": href,
            }
            for c in requests_concerning_provider(provider, people, today)
        ]
    }
