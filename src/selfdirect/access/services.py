"""Changes to users and teams by administrators: one transaction each, audited.

Users are never deleted: they are deactivated, so the audit log keeps its actors. The
checks here (``user_problems``, ``team_problems``...) are the rules; forms call the same
functions so a page can show every problem at once, and the services call them again so
no other caller can break the rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone

from selfdirect.access.models import Profile, RoleChange, Team, TeamMembership, WorkItem
from selfdirect.access.roles import PORTAL_ROLES, SECOND_ADMINISTRATOR_ROLES, Role
from selfdirect.access.selectors import roles_of
from selfdirect.audit.models import Action
from selfdirect.audit.services import changes_between, event_record
from selfdirect.money import pounds
from selfdirect.providers.models import Provider
from selfdirect.refusals import Refused, lost_race_refused

if TYPE_CHECKING:  # people builds on access: only the type is needed here
    from selfdirect.people.models import Person

ENTER_USERNAME = "Enter a username"
USERNAME_TAKEN = "A user with this username already exists"
SELECT_A_ROLE = "Select at least one role"
UNKNOWN_ROLE = "There is no role called {role}"
PERSON_NEEDED = "Enter the council person reference for a holder, representative or carer"
PERSON_LINKED = "Another user is already linked to {ref}"
PROVIDER_NEEDED = "Select the provider this user works for"
CANNOT_DEACTIVATE_SELF = "You cannot deactivate your own account"
CANNOT_CHANGE_OWN_ROLES = "You cannot change your own roles: ask another administrator"
CANNOT_DECIDE_OWN_REQUEST = (
    "Another administrator must confirm or refuse this role: you asked for it"
)
CANNOT_DECIDE_OWN_ROLE = "You cannot confirm or refuse a role for your own account"
ROLE_CHANGE_DECIDED = "This request has already been confirmed or refused"
ONLY_ADMINISTRATORS_DECIDE = "Only an administrator can confirm or refuse a role"
ENTER_TEAM_NAME = "Enter a team name"
TEAM_NAME_TAKEN = "A team with this name already exists"
ENTER_TEAM_CODE = "Enter a short code"
TEAM_CODE_TAKEN = "A team with this code already exists"
TEAM_CODE_INVALID = "The code can only contain lower-case letters, digits, hyphens and underscores"
# What the audit log says instead of a password: never its value, nor its hash.
PASSWORD_CHANGED = "Password changed"  # noqa: S105 - a message

Problems = list[tuple[str, str]]


class AccessError(Refused):
    """A change refused; ``field`` names what was wrong (``roles``, ``person``...)."""


def _refuse_if(problems: Problems) -> None:
    if problems:
        field, message = problems[0]
        raise AccessError(message, field=field)


def username_problems(username: str) -> Problems:
    """Empty, not allowed by Django's username rule, or already used (in any case)."""
    if not username.strip():
        return [("username", ENTER_USERNAME)]
    try:
        User.username_validator(username)
    except ValidationError as invalid:
        return [("username", message) for message in invalid.messages]
    if User.objects.filter(username__iexact=username).exists():
        return [("username", USERNAME_TAKEN)]
    return []


def password_problems(password: str, *, user: User) -> Problems:
    """What Django's password validators (settings.AUTH_PASSWORD_VALIDATORS) say."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as weak:
        return [("password", message) for message in weak.messages]
    return []


def user_problems(
    *,
    roles: Collection[str],
    person: Person | None,
    provider: Provider | None,
    user: User | None = None,
) -> Problems:
    """What is wrong with these roles and links for ``user`` (None: a new user).

    A holder, representative or carer must be linked to their own person record (which
    no other account uses); a provider's staff to their provider.
    """
    problems: Problems = []
    if not roles:
        problems.append(("roles", SELECT_A_ROLE))
    problems += [("roles", UNKNOWN_ROLE.format(role=r)) for r in roles if r not in Role.values]
    if set(roles) & PORTAL_ROLES and person is None:
        problems.append(("person", PERSON_NEEDED))
    if person is not None:
        others = Profile.objects.filter(person=person)
        if user is not None:
            others = others.exclude(user=user)
        if others.exists():
            problems.append(("person", PERSON_LINKED.format(ref=person.la_person_id)))
    if Role.PROVIDER in roles and provider is None:
        problems.append(("provider", PROVIDER_NEEDED))
    return problems


def team_problems(*, name: str, code: str, team: Team | None = None) -> Problems:
    """A team needs a unique name and a unique slug code."""
    problems: Problems = []
    others = Team.objects.exclude(pk=team.pk) if team is not None else Team.objects.all()
    if not name.strip():
        problems.append(("name", ENTER_TEAM_NAME))
    elif others.filter(name__iexact=name.strip()).exists():
        problems.append(("name", TEAM_NAME_TAKEN))
    if not code:
        problems.append(("code", ENTER_TEAM_CODE))
    else:
        try:
            validate_slug(code)
        except ValidationError:
            problems.append(("code", TEAM_CODE_INVALID))
        else:
            if code != code.lower():
                problems.append(("code", TEAM_CODE_INVALID))
            elif others.filter(code=code).exists():
                problems.append(("code", TEAM_CODE_TAKEN))
    return problems


def _describe(user: User) -> dict[str, Any]:
    """The audited picture of a user: what an administrator can set (never the password)."""
    profile: Profile | None = getattr(user, "profile", None)
    memberships = user.team_memberships.select_related("team").order_by("team__name")
    return {
        "Username": user.username,
        "First name": user.first_name,
        "Last name": user.last_name,
        "Email": user.email,
        "Roles": ", ".join(sorted(Role(r).label for r in profile.roles)) if profile else "",
        "Teams": ", ".join(
            f"{m.team.name}{' (manager)' if m.is_manager else ''}" for m in memberships
        ),
        "Linked person": profile.person.la_person_id if profile and profile.person else "",
        "Provider": profile.provider.name if profile and profile.provider else "",
        "Sign-off limit": (
            pounds(profile.sign_off_limit_weekly_pence)
            if profile and profile.sign_off_limit_weekly_pence is not None
            else ""
        ),
        "Active": "Yes" if user.is_active else "No",
    }


def _set_teams(user: User, teams: Collection[Team], manages: Collection[Team]) -> None:
    # A team in both lists is managed (a manager also works in the team they manage).
    wanted = {t.pk: False for t in teams} | {t.pk: True for t in manages}
    user.team_memberships.exclude(team_id__in=wanted).delete()
    for team_id, is_manager in wanted.items():
        TeamMembership.objects.update_or_create(
            user=user, team_id=team_id, defaults={"is_manager": is_manager}
        )


def _forget_cached_roles(user: User) -> None:
    """``selectors.roles_of`` caches roles on the user object; a role change must not be
    hidden by it (the admin editing their own account in the same request)."""
    user.__dict__.pop("_selfdirect_roles", None)


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    roles: Collection[str],
    teams: Collection[Team] = (),
    manages: Collection[Team] = (),
    person: Person | None = None,
    provider: Provider | None = None,
    sign_off_limit_weekly_pence: int | None = None,
) -> User:
    username = username.strip()
    candidate = User(username=username, first_name=first_name, last_name=last_name, email=email)
    _refuse_if(
        username_problems(username)
        + user_problems(roles=roles, person=person, provider=provider)
        + password_problems(password, user=candidate)
    )
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    profile = Profile.objects.create(
        user=user,
        roles=[],
        person=person,
        provider=provider,
        sign_off_limit_weekly_pence=sign_off_limit_weekly_pence,
    )
    _set_teams(user, teams, manages)
    _change_roles(actor=actor, profile=profile, wanted=roles)
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="user",
        object_id=user.pk,
        summary=f"Created user {username}",
        changes={k: [None, v] for k, v in _describe(user).items() if v},
    )
    return user


ROLES_CHANGED_MEANWHILE = (
    "Another administrator changed this user at the same moment: check the page and try again"
)


@lost_race_refused(lambda **_: AccessError(ROLES_CHANGED_MEANWHILE, field="roles"))
@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    roles: Collection[str],
    teams: Collection[Team] = (),
    manages: Collection[Team] = (),
    person: Person | None = None,
    provider: Provider | None = None,
    sign_off_limit_weekly_pence: int | None = None,
) -> User:
    """Everything an administrator can change about a user but the password and whether
    the account is active. Records before and after of what changed. Roles change the
    rule's way (``_change_roles``): never your own; some only with a second administrator."""
    # Locked and read afresh, so two administrators changing one user at once take turns and
    # the second sees the first's roles and requests (one request per user and role).
    User.objects.select_for_update().filter(pk=user.pk).exists()
    profile: Profile = Profile.objects.select_for_update().filter(user=user).first() or Profile(
        user=user
    )
    _refuse_if(user_problems(roles=roles, person=person, provider=provider, user=user))
    before = _describe(user)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.save(update_fields=["first_name", "last_name", "email"])
    profile.person, profile.provider = person, provider
    profile.sign_off_limit_weekly_pence = sign_off_limit_weekly_pence
    profile.save()
    user.profile = profile
    _set_teams(user, teams, manages)
    _change_roles(actor=actor, profile=profile, wanted=roles)
    changes = changes_between(before, _describe(user))
    if changes:
        event_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="user",
            object_id=user.pk,
            summary=f"Changed user {user.username}",
            changes=changes,
        )
    return user


def _role_label(code: str) -> str:
    return Role(code).label if code in Role.values else code


def _change_roles(*, actor: User, profile: Profile, wanted: Collection[str]) -> None:
    """Make ``profile``'s roles ``wanted``, the rule's way: roles taken away and roles that
    open no one's data change at once; a role in SECOND_ADMINISTRATOR_ROLES becomes a
    request another administrator confirms (one request per user and role at a time).
    Every change is a RoleChange row; see ``_role_change_record`` for how it is audited."""
    user = profile.user
    if user.pk == actor.pk and set(wanted) != set(profile.roles):
        raise AccessError(CANNOT_CHANGE_OWN_ROLES, field="roles")
    current, wanted_set = set(profile.roles), set(wanted)
    pending = set(
        RoleChange.objects.filter(user=user, status=RoleChange.Status.PENDING).values_list(
            "role", flat=True
        )
    )
    now = timezone.now()
    applied = set(current)
    for role in sorted(current - wanted_set):
        applied.discard(role)
        _role_change_record(
            actor, user, role, RoleChange.Kind.REMOVE, RoleChange.Status.APPLIED, now
        )
    for role in sorted(wanted_set - current):
        if role not in SECOND_ADMINISTRATOR_ROLES:
            applied.add(role)
            _role_change_record(
                actor, user, role, RoleChange.Kind.GRANT, RoleChange.Status.APPLIED, now
            )
        elif role not in pending:
            _role_change_record(
                actor, user, role, RoleChange.Kind.GRANT, RoleChange.Status.PENDING, now
            )
    if applied != current:
        profile.roles = sorted(applied)
        profile.save(update_fields=["roles"])
        _forget_cached_roles(user)


def _role_change_record(
    actor: User,
    user: User,
    role: str,
    kind: RoleChange.Kind,
    status: RoleChange.Status,
    now: dt.datetime,
) -> RoleChange:
    """The row on the role changes page. A change applied at once is audited by the user's
    own change event (roles before and after); a request has its own event, as the user's
    roles do not change yet."""
    change = RoleChange.objects.create(
        user=user, role=role, kind=kind, status=status, requested_by=actor, requested_at=now
    )
    if status == RoleChange.Status.PENDING:
        event_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="user",
            object_id=user.pk,
            summary=(
                f"Asked for the role {_role_label(role)} for {user.username}: "
                "a second administrator must confirm it"
            ),
            changes={"Roles waiting for a second administrator": [None, _role_label(role)]},
        )
    return change


def _role_change_lock(*, actor: User, change: RoleChange) -> RoleChange:
    """The pending request, locked, if ``actor`` may decide it; refused otherwise."""
    if Role.ADMIN not in roles_of(actor):
        raise AccessError(ONLY_ADMINISTRATORS_DECIDE)
    locked = RoleChange.objects.select_for_update().select_related("user").get(pk=change.pk)
    if locked.status != RoleChange.Status.PENDING:
        raise AccessError(ROLE_CHANGE_DECIDED)
    if locked.requested_by_id == actor.pk:
        raise AccessError(CANNOT_DECIDE_OWN_REQUEST)
    if locked.user_id == actor.pk:
        raise AccessError(CANNOT_DECIDE_OWN_ROLE)
    return locked


@transaction.atomic
def role_change_confirm(*, actor: User, change: RoleChange) -> RoleChange:
    """A second administrator confirms a requested role: the user has it from now on."""
    locked = _role_change_lock(actor=actor, change=change)
    profile = Profile.objects.select_for_update().get(user_id=locked.user_id)
    roles = sorted(set(profile.roles) | {locked.role})
    _refuse_if(
        user_problems(
            roles=roles, person=profile.person, provider=profile.provider, user=locked.user
        )
    )
    before = ", ".join(sorted(_role_label(r) for r in profile.roles))
    profile.roles = roles
    profile.save(update_fields=["roles"])
    _forget_cached_roles(locked.user)
    return _role_change_decided(
        actor=actor,
        locked=locked,
        status=RoleChange.Status.CONFIRMED,
        changes={"Roles": [before, ", ".join(sorted(_role_label(r) for r in roles))]},
    )


def _role_change_decided(
    *,
    actor: User,
    locked: RoleChange,
    status: RoleChange.Status,
    changes: dict[str, list[str]] | None = None,
) -> RoleChange:
    """Record a second administrator's decision on a locked request, and audit it."""
    locked.status, locked.decided_by, locked.decided_at = status, actor, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    verb = "Confirmed" if status == RoleChange.Status.CONFIRMED else "Refused"
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="user",
        object_id=locked.user_id,
        summary=(
            f"{verb} the role {_role_label(locked.role)} for {locked.user.username}, "
            f"asked for by {locked.requested_by.username}"
        ),
        changes=changes,
    )
    return locked


@transaction.atomic
def role_change_refuse(*, actor: User, change: RoleChange) -> RoleChange:
    """A second administrator refuses a requested role: the user never has it."""
    locked = _role_change_lock(actor=actor, change=change)
    return _role_change_decided(actor=actor, locked=locked, status=RoleChange.Status.REFUSED)


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> None:
    """A new password chosen by an administrator; the audit log says only that it changed."""
    _refuse_if(password_problems(password, user=user))
    user.set_password(password)
    user.save(update_fields=["password"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="user",
        object_id=user.pk,
        summary=f"{PASSWORD_CHANGED} for {user.username}",
        changes={"Password": [None, PASSWORD_CHANGED]},
    )


def _set_active(*, actor: User, user: User, active: bool) -> User:
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="user",
        object_id=user.pk,
        summary=f"{'Reactivated' if active else 'Deactivated'} user {user.username}",
        changes={"Active": ["No" if active else "Yes", "Yes" if active else "No"]},
    )
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """The user can no longer sign in (sessions and API tokens stop working too); nothing
    is deleted. Administrators cannot deactivate themselves."""
    if user.pk == actor.pk:
        raise AccessError(CANNOT_DEACTIVATE_SELF)
    return _set_active(actor=actor, user=user, active=False)


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> User:
    return _set_active(actor=actor, user=user, active=True)


def _team_describe(team: Team) -> dict[str, str]:
    return {"Name": team.name, "Code": team.code, "Area": team.area}


@transaction.atomic
def team_create(*, actor: User, name: str, code: str, area: str = "") -> Team:
    name = name.strip()
    _refuse_if(team_problems(name=name, code=code))
    team = Team.objects.create(name=name, code=code, area=area.strip())
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="team",
        object_id=team.pk,
        summary=f"Created team {name}",
        changes={k: [None, v] for k, v in _team_describe(team).items() if v},
    )
    return team


@transaction.atomic
def team_update(*, actor: User, team: Team, name: str, code: str, area: str = "") -> Team:
    name = name.strip()
    _refuse_if(team_problems(name=name, code=code, team=team))
    before = _team_describe(team)
    team.name, team.code, team.area = name, code, area.strip()
    team.save()
    changes = changes_between(before, _team_describe(team))
    if changes:
        event_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="team",
            object_id=team.pk,
            summary=f"Changed team {name}",
            changes=changes,
        )
    return team


def work_item_add(
    *, person: Person, title: str, kind: str, for_role: Role, due_date: dt.date
) -> WorkItem:
    """Work about a person for their team, shown on the home pages of that role in the team.
    Work for a practitioner is assigned to the person's named worker, if they have one (the
    team still sees it). Called inside the service that makes the work (so it is part of
    that change)."""
    return WorkItem.objects.create(
        title=title[:200],
        kind=kind,
        person=person,
        team=person.team,
        assigned_to_id=person.named_worker_id if for_role == Role.PRACTITIONER else None,
        for_role=for_role,
        due_date=due_date,
    )
