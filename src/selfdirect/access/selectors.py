"""Who a user is in Selfdirect: their roles, capabilities and teams. Which people they may
see is decided in ``people.selectors.people_visible_to`` (people builds on access)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from selfdirect.access.models import Team
from selfdirect.access.rules import allows

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
