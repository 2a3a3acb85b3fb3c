"""Who a user is in Selfdirect, and the one rule for which people they may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404

from selfdirect.access.models import Team
from selfdirect.access.roles import Role
from selfdirect.access.rules import allows
from selfdirect.people.codes import REPRESENTATIVE_KINDS, RelationshipKind
from selfdirect.people.models import Person

AnyUser = User | AnonymousUser


def roles_of(user: AnyUser) -> frozenset[str]:
    """The user's roles (cached on the user object for the request)."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_selfdirect_roles", None)
    if cached is None:
        profile = getattr(user, "profile", None)
        cached = frozenset(profile.roles) if profile is not None else frozenset()
        setattr(user, "_selfdirect_roles", cached)  # noqa: B010 - a per-request cache
    return cached


def user_can(user: AnyUser, capability: str) -> bool:
    return allows(roles_of(user), capability)


def acting_user(user: AnyUser) -> User:
    """The signed-in user behind a request that a guard has already let through."""
    if not isinstance(user, User):
        raise PermissionError("Sign in first")
    return user


def teams_of(user: AnyUser) -> QuerySet[Team]:
    if not isinstance(user, User):
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user).distinct()


def _own_person_id(user: Any) -> int | None:
    profile = getattr(user, "profile", None)
    return profile.person_id if profile is not None else None


def people_visible_to(user: AnyUser, *, today: dt.date | None = None) -> QuerySet[Person]:
    """Every person whose record ``user`` may see; the single who-sees-what rule.

    Built as one OR of per-role conditions (subqueries, so no row repeats) so a user
    with several roles sees the union.
    """
    roles = roles_of(user)
    if not roles:
        return Person.objects.none()
    today = today or dt.date.today()
    current = Q(end_date__isnull=True) | Q(end_date__gte=today)
    own_id = _own_person_id(user)
    condition = Q(pk__in=[])
    if Role.FINANCE in roles:
        return Person.objects.all()
    if Role.HOLDER in roles and own_id is not None:
        condition |= Q(pk=own_id)
    if Role.REPRESENTATIVE in roles and own_id is not None:
        represented = _relationships(own_id, current).filter(kind__in=REPRESENTATIVE_KINDS)
        condition |= Q(pk__in=represented.values("person_id"))
    if Role.CARER in roles and own_id is not None:
        cared_for = _relationships(own_id, current).filter(
            kind=RelationshipKind.UNPAID_CARER, can_see_record=True
        )
        condition |= Q(pk__in=cared_for.values("person_id"))
    if roles & {Role.PRACTITIONER, Role.MANAGER, Role.PLANNER}:
        team_ids = list(teams_of(user).values_list("pk", flat=True))
        condition |= Q(team_id__in=team_ids)
    if Role.PROVIDER in roles:
        profile = getattr(user, "profile", None)
        if profile is not None and profile.provider_id is not None:
            from selfdirect.providers.models import ProviderClient

            clients = ProviderClient.objects.filter(provider_id=profile.provider_id).filter(current)
            condition |= Q(pk__in=clients.values("person_id"))
    return Person.objects.filter(condition)


def _relationships(own_id: int, current: Q) -> QuerySet[Any]:
    from selfdirect.people.models import Relationship

    return Relationship.objects.filter(related_person_id=own_id).filter(current)


def person_for(user: AnyUser, person_id: int) -> Person:
    """The person, if ``user`` may see them; otherwise 404, so ids reveal nothing."""
    try:
        return people_visible_to(user).select_related("team").get(pk=person_id)
    except Person.DoesNotExist as missing:
        raise Http404("No such person") from missing
