"""Changes to users and teams by administrators: one transaction each, audited.
Users are never deleted: they are switched off, so the audit log keeps its actors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from selfdirect.access.models import Profile, Team, TeamMembership, WorkItem
from selfdirect.access.roles import Role
from selfdirect.audit.models import Action
from selfdirect.audit.services import changes_between, event_record
from selfdirect.money import pounds
from selfdirect.people.models import Person
from selfdirect.providers.models import Provider

CANNOT_SWITCH_OFF_SELF = "You cannot switch off your own account"
CANNOT_DROP_OWN_ADMIN = "You cannot remove the administrator role from your own account"


class AccessError(ValueError):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _describe(user: User) -> dict[str, Any]:
    profile = getattr(user, "profile", None)
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


def _set_teams(user: User, teams: list[Team], manages: list[Team]) -> None:
    wanted = {t.pk: False for t in teams} | {t.pk: True for t in manages}
    user.team_memberships.exclude(team_id__in=wanted).delete()
    for team_id, is_manager in wanted.items():
        TeamMembership.objects.update_or_create(
            user=user, team_id=team_id, defaults={"is_manager": is_manager}
        )


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    roles: list[str],
    teams: list[Team],
    manages: list[Team],
    person: Person | None,
    provider: Provider | None,
    sign_off_limit_weekly_pence: int | None = None,
) -> User:
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    Profile.objects.create(
        user=user,
        roles=sorted(roles),
        person=person,
        provider=provider,
        sign_off_limit_weekly_pence=sign_off_limit_weekly_pence,
    )
    _set_teams(user, teams, manages)
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="user",
        object_id=user.pk,
        summary=f"Created user {username}",
        changes={k: [None, v] for k, v in _describe(user).items() if v},
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    roles: list[str],
    teams: list[Team],
    manages: list[Team],
    person: Person | None,
    provider: Provider | None,
    sign_off_limit_weekly_pence: int | None = None,
) -> User:
    if user.pk == actor.pk and Role.ADMIN not in roles:
        raise AccessError(CANNOT_DROP_OWN_ADMIN, field="roles")
    before = _describe(user)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.save(update_fields=["first_name", "last_name", "email"])
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.roles, profile.person, profile.provider = sorted(roles), person, provider
    profile.sign_off_limit_weekly_pence = sign_off_limit_weekly_pence
    profile.save()
    _set_teams(user, teams, manages)
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


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="user",
        object_id=user.pk,
        summary=f"Password changed for {user.username}",
    )


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    if user.pk == actor.pk and not active:
        raise AccessError(CANNOT_SWITCH_OFF_SELF)
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="user",
        object_id=user.pk,
        summary=f"{'Switched on' if active else 'Switched off'} user {user.username}",
        changes={"Active": ["No" if active else "Yes", "Yes" if active else "No"]},
    )
    return user


@transaction.atomic
def team_create(*, actor: User, name: str, code: str, area: str) -> Team:
    team = Team.objects.create(name=name, code=code, area=area)
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="team",
        object_id=team.pk,
        summary=f"Created team {name}",
        changes={"Name": [None, name], "Code": [None, code], "Area": [None, area]},
    )
    return team


@transaction.atomic
def team_update(*, actor: User, team: Team, name: str, code: str, area: str) -> Team:
    before = {"Name": team.name, "Code": team.code, "Area": team.area}
    team.name, team.code, team.area = name, code, area
    team.save()
    changes = changes_between(before, {"Name": name, "Code": code, "Area": area})
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
    Called inside the service that makes the work (so it is part of that change)."""
    return WorkItem.objects.create(
        title=title,
        kind=kind,
        person=person,
        team=person.team,
        for_role=for_role,
        due_date=due_date,
    )
