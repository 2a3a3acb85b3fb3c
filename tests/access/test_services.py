"""The services behind the administrators' pages: the rules hold for any caller, each
change is one audited transaction, and passwords never reach the audit log."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from selfdirect.access import services as s
from selfdirect.access.models import Profile, Team, TeamMembership
from selfdirect.access.roles import Role
from selfdirect.access.selectors import roles_of, user_can
from selfdirect.audit.models import Action, Event
from selfdirect.people.selectors import people_visible_to
from tests.factories import PersonFactory, ProviderFactory, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-strong-pass-phrase"


def _second_admin() -> User:
    """Another administrator, made directly (as at installation), not by an admin page."""
    return make_user("admin2", [Role.ADMIN])


def _create(admin: User, **changes: Any) -> User:
    fields: dict[str, Any] = {
        "actor": admin,
        "username": "newuser",
        "first_name": "New",
        "last_name": "User",
        "email": "",
        "password": PASSWORD,
        "roles": [Role.PRACTITIONER],
    }
    return s.user_create(**{**fields, **changes})


def _update(admin: User, user: User, **changes: Any) -> User:
    profile = user.profile
    fields: dict[str, Any] = {
        "actor": admin,
        "user": user,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "roles": list(profile.roles),
        "teams": [m.team for m in user.team_memberships.filter(is_manager=False)],
        "manages": [m.team for m in user.team_memberships.filter(is_manager=True)],
        "person": profile.person,
        "provider": profile.provider,
    }
    return s.user_update(**{**fields, **changes})


def test_user_create_records_every_value_but_the_password(council: Any) -> None:
    admin = council.users[Role.ADMIN]
    user = _create(
        admin,
        roles=[Role.COMMISSIONER],
        teams=[council.team_a],
        manages=[council.team_b],
        email="n@x.example",
    )
    assert user.check_password(PASSWORD)
    event = Event.objects.get(object_type="user", object_id=str(user.pk))
    assert (event.action, event.actor, event.summary) == (
        Action.CREATE,
        admin,
        "Created user newuser",
    )
    assert event.changes == {
        "Username": [None, "newuser"],
        "First name": [None, "New"],
        "Last name": [None, "User"],
        "Email": [None, "n@x.example"],
        "Roles": [None, "Commissioner or analyst"],
        "Teams": [None, "North team, South team (manager)"],
        "Active": [None, "Yes"],
    }
    assert PASSWORD not in str(event.changes) and user.password not in str(event.changes)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": " "}, "username", s.ENTER_USERNAME),
        ({"username": "HOLDER"}, "username", s.USERNAME_TAKEN),
        (
            {"username": "no spaces"},
            "username",
            "Enter a valid username. This value may contain only letters, numbers, and "
            "@/./+/-/_ characters.",
        ),
        ({"roles": []}, "roles", s.SELECT_A_ROLE),
        ({"roles": ["wizard"]}, "roles", "There is no role called wizard"),
        ({"roles": [Role.CARER]}, "person", s.PERSON_NEEDED),
        ({"roles": [Role.PROVIDER]}, "provider", s.PROVIDER_NEEDED),
        ({"password": "password"}, "password", "This password is too common."),
    ],
)
def test_user_create_refuses_broken_rules_and_changes_nothing(
    council: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    users, events = User.objects.count(), Event.objects.count()
    with pytest.raises(s.AccessError) as refused:
        _create(council.users[Role.ADMIN], **changes)
    assert (refused.value.field, str(refused.value)) == (field, message)
    assert User.objects.count() == users and Event.objects.count() == events


def test_one_person_record_links_to_one_account(council: Any) -> None:
    with pytest.raises(s.AccessError) as refused:
        _create(council.users[Role.ADMIN], roles=[Role.HOLDER], person=council.holder_person)
    assert (
        str(refused.value)
        == f"Another user is already linked to {council.holder_person.la_person_id}"
    )
    # The account already linked may keep its link when edited.
    holder = council.users[Role.HOLDER]
    _update(council.users[Role.ADMIN], holder, first_name="Ada")
    holder.refresh_from_db()
    assert holder.profile.person == council.holder_person


def test_a_failed_audit_write_leaves_no_user(council: Any, monkeypatch: Any) -> None:
    def broken(**_kwargs: Any) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(s, "event_record", broken)
    with pytest.raises(RuntimeError):
        _create(council.users[Role.ADMIN], teams=[council.team_a])
    assert not User.objects.filter(username="newuser").exists()
    assert not Profile.objects.filter(user__username="newuser").exists()


def test_role_change_takes_effect_on_the_same_user_object(council: Any) -> None:
    admin, planner = council.users[Role.ADMIN], council.users[Role.PLANNER]
    assert roles_of(planner) == {"planner"}  # cached on the object now
    assert not user_can(planner, "person.create")
    assert not user_can(planner, "caseload.statistics")
    _update(admin, planner, roles=[Role.PLANNER, Role.COMMISSIONER])
    assert roles_of(planner) == {"planner", "commissioner"}
    assert user_can(planner, "caseload.statistics")


def test_linking_a_holder_gives_access_to_their_record_only(council: Any) -> None:
    admin = council.users[Role.ADMIN]
    person = PersonFactory(team=council.team_b)
    user = _create(admin, roles=[Role.HOLDER], person=person)
    assert list(people_visible_to(user)) == []  # until a second administrator confirms
    s.role_change_confirm(actor=_second_admin(), change=user.role_changes.get())
    user = User.objects.get(pk=user.pk)
    assert list(people_visible_to(user)) == [person]
    other = PersonFactory(team=council.team_b)
    _update(admin, user, person=other)
    assert list(people_visible_to(user)) == [other]
    event = Event.objects.filter(
        object_type="user", action=Action.UPDATE, summary__startswith="Changed"
    ).get()
    assert event.changes == {"Linked person": [person.la_person_id, other.la_person_id]}


def test_user_update_before_and_after_and_nothing_when_unchanged(council: Any) -> None:
    admin, practitioner = council.users[Role.ADMIN], council.users[Role.PRACTITIONER]
    provider = ProviderFactory(name="Kind Hands")
    _update(
        admin,
        practitioner,
        email="p@council.example",
        roles=[Role.PRACTITIONER, Role.COMMISSIONER],
        provider=provider,
        teams=[council.team_b],
        sign_off_limit_weekly_pence=50_000,
    )
    event = Event.objects.get(object_type="user", object_id=str(practitioner.pk))
    assert event.changes == {
        "Email": ["", "p@council.example"],
        "Roles": ["Practitioner", "Commissioner or analyst, Practitioner"],
        "Teams": ["North team", "South team"],
        "Provider": ["", "Kind Hands"],
        "Sign-off limit": ["", "£500.00"],
    }
    assert list(TeamMembership.objects.filter(user=practitioner).values_list("team__name")) == [
        ("South team",)
    ]
    practitioner.refresh_from_db()
    _update(admin, practitioner, sign_off_limit_weekly_pence=50_000)
    assert Event.objects.filter(object_type="user", object_id=str(practitioner.pk)).count() == 1


def test_admin_keeps_their_own_admin_role_and_account(council: Any) -> None:
    admin = council.users[Role.ADMIN]
    with pytest.raises(s.AccessError, match=s.CANNOT_CHANGE_OWN_ROLES):
        _update(admin, admin, roles=[Role.COMMISSIONER])
    with pytest.raises(s.AccessError, match=s.CANNOT_DEACTIVATE_SELF):
        s.user_deactivate(actor=admin, user=admin)
    admin.refresh_from_db()
    assert admin.is_active and admin.profile.roles == [Role.ADMIN]
    assert not Event.objects.filter(object_type="user").exists()
    # Another administrator may.
    other_admin = _second_admin()
    s.user_deactivate(actor=other_admin, user=admin)
    admin.refresh_from_db()
    assert not admin.is_active


def test_deactivate_and_reactivate_are_audited_once(council: Any) -> None:
    admin, finance = council.users[Role.ADMIN], council.users[Role.FINANCE]
    s.user_deactivate(actor=admin, user=finance)
    s.user_deactivate(actor=admin, user=finance)  # already: nothing more to record
    finance.refresh_from_db()
    assert not finance.is_active
    s.user_reactivate(actor=admin, user=finance)
    finance.refresh_from_db()
    assert finance.is_active
    events = Event.objects.filter(object_type="user", object_id=str(finance.pk)).order_by("id")
    assert [(e.summary, e.changes) for e in events] == [
        ("Deactivated user finance", {"Active": ["Yes", "No"]}),
        ("Reactivated user finance", {"Active": ["No", "Yes"]}),
    ]


def test_set_password_logs_that_it_changed_and_nothing_else(council: Any) -> None:
    admin, finance = council.users[Role.ADMIN], council.users[Role.FINANCE]
    with pytest.raises(s.AccessError) as refused:
        s.user_set_password(actor=admin, user=finance, password="12345678")
    assert refused.value.field == "password"
    s.user_set_password(actor=admin, user=finance, password="new-long-phrase-9")
    finance.refresh_from_db()
    assert finance.check_password("new-long-phrase-9")
    event = Event.objects.get(object_type="user", object_id=str(finance.pk))
    assert event.changes == {"Password": [None, s.PASSWORD_CHANGED]}
    assert "new-long-phrase-9" not in event.summary + str(event.changes)
    assert finance.password not in str(event.changes)


def test_teams_are_unique_by_name_and_code_and_audited(council: Any) -> None:
    admin = council.users[Role.ADMIN]
    team = s.team_create(actor=admin, name=" East team ", code="east", area="Coast")
    assert (team.name, team.code, team.area) == ("East team", "east", "Coast")
    for name, code, message in [
        ("east TEAM", "east-2", s.TEAM_NAME_TAKEN),
        ("West", "east", s.TEAM_CODE_TAKEN),
        ("West", "West", s.TEAM_CODE_INVALID),
        ("West", "we st", s.TEAM_CODE_INVALID),
        ("", "west", s.ENTER_TEAM_NAME),
        ("West", "", s.ENTER_TEAM_CODE),
    ]:
        with pytest.raises(s.AccessError, match=message):
            s.team_create(actor=admin, name=name, code=code)
    assert Team.objects.count() == 3
    s.team_update(actor=admin, team=team, name="East team", code="east-coast", area="Coast")
    s.team_update(actor=admin, team=team, name="East team", code="east-coast", area="Coast")
    events = Event.objects.filter(object_type="team", object_id=str(team.pk)).order_by("id")
    assert [(e.action, e.changes) for e in events] == [
        (
            Action.CREATE,
            {"Name": [None, "East team"], "Code": [None, "east"], "Area": [None, "Coast"]},
        ),
        (Action.UPDATE, {"Code": ["east", "east-coast"]}),
    ]
    with pytest.raises(s.AccessError, match=s.TEAM_NAME_TAKEN):
        s.team_update(actor=admin, team=team, name="North team", code="east-coast")
    team.refresh_from_db()
    assert team.name == "East team"
