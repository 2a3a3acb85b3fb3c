"""Who a user is in Selfdirect: their roles, capabilities and teams. Which people they may
see is decided in ``people.selectors.people_visible_to`` (people builds on access)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from selfdirect.access.models import RoleChange, Team
from selfdirect.access.rules import allows
from selfdirect.audit.services import member_teams

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


def team_ids_of(user: AnyUser) -> list[int]:
    """The ids of the user's teams, by name (read once a request with their names, which
    the audit log records: ``audit.services.member_teams``): a staff page asks who-sees-what
    of several selectors, each needing them."""
    if not isinstance(user, User):
        return []
    return [pk for pk, _name in member_teams(user)]


def role_changes(*, username: str = "", status: str = "") -> QuerySet[RoleChange]:
    """Role changes for the administrators' page, newest first (by when each was last
    acted on), optionally for one user and in one status."""
    changes = RoleChange.objects.select_related("user", "requested_by", "decided_by")
    if username:
        changes = changes.filter(user__username__iexact=username)
    if status in RoleChange.Status.values:
        changes = changes.filter(status=status)
    return changes.order_by(Coalesce("decided_at", "requested_at").desc(), "-id")


def role_changes_pending_for(user: User) -> QuerySet[RoleChange]:
    return RoleChange.objects.filter(user=user, status=RoleChange.Status.PENDING).select_related(
        "requested_by"
    )


def team_members_with(team: Team, role: str) -> list[User]:
    """The active users in ``team`` who hold ``role`` (teams are small; roles are a JSON list,
    read in Python so the rule is the same on SQLite and PostgreSQL)."""
    users = (
        User.objects.filter(team_memberships__team=team, is_active=True)
        .select_related("profile")
        .order_by("first_name", "last_name", "username")
        .distinct()
    )
    return [u for u in users if role in roles_of(u)]


def manages_team(user: AnyUser, team: Team | None) -> bool:
    """Whether ``user`` is a team manager (the role) who manages ``team`` (the membership)."""
    from selfdirect.access.models import TeamMembership
    from selfdirect.access.roles import Role

    if team is None or not isinstance(user, User) or Role.MANAGER not in roles_of(user):
        return False
    return TeamMembership.objects.filter(user=user, team=team, is_manager=True).exists()
