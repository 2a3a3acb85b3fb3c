"""Administrators manage users and teams; every change is audited; nobody else can."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from selfdirect.access import forms as f
from selfdirect.access.models import Team, TeamMembership
from selfdirect.access.roles import Role
from selfdirect.access.services import CANNOT_DROP_OWN_ADMIN, CANNOT_SWITCH_OFF_SELF
from selfdirect.audit.models import Action, Event

pytestmark = pytest.mark.django_db

NEW_USER = {
    "username": "jsmith",
    "first_name": "Jo",
    "last_name": "Smith",
    "email": "jo@council.example",
    "password1": "a-strong-pass-phrase",
    "password2": "a-strong-pass-phrase",
    "roles": [Role.PRACTITIONER],
}


def test_admin_creates_a_practitioner_in_a_team(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.ADMIN])
    response = client.post(
        "/admin/users/new/",
        {**NEW_USER, "teams": [council.team_b.pk], "manages": [council.team_a.pk]},
    )
    assert response.status_code == 302
    user = User.objects.get(username="jsmith")
    assert user.check_password("a-strong-pass-phrase")
    assert user.profile.roles == [Role.PRACTITIONER]
    assert set(
        TeamMembership.objects.filter(user=user).values_list("team__name", "is_manager")
    ) == {("South team", False), ("North team", True)}
    event = Event.objects.get(object_type="user", object_id=str(user.pk), action=Action.CREATE)
    assert event.changes["Roles"] == [None, "Practitioner"]
    assert "password" not in str(event.changes).lower()
    listing = client.get("/admin/users/?role=practitioner").content.decode()
    assert "jsmith" in listing and "holder" not in listing.split("<tbody")[1]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": ""}, "username", f.ENTER_USERNAME),
        ({"username": "Practitioner"}, "username", f.USERNAME_TAKEN),
        ({"roles": []}, "roles", f.SELECT_A_ROLE),
        ({"roles": [Role.HOLDER]}, "person_ref", f.PERSON_NEEDED),
        (
            {"roles": [Role.HOLDER], "person_ref": "P404"},
            "person_ref",
            "No person has the reference P404",
        ),
        ({"roles": [Role.PROVIDER]}, "provider", f.PROVIDER_NEEDED),
        ({"password2": "something-else-entirely"}, "password2", f.PASSWORDS_DIFFER),
        (
            {"password1": "12345678", "password2": "12345678"},
            "password1",
            "This password is entirely numeric.",
        ),
    ],
)
def test_bad_input_is_named_and_nothing_is_created(
    client: Any, council: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    client.force_login(council.users[Role.ADMIN])
    before = User.objects.count()
    page = client.post("/admin/users/new/", {**NEW_USER, **changes}).content.decode()
    assert message in page
    assert f'href="#id_{field}' in page.split("govuk-error-summary__list")[1]
    assert User.objects.count() == before


def test_linking_a_holder_account_gives_access_to_their_record_only(
    client: Any, council: Any
) -> None:
    from tests.factories import PersonFactory

    person = PersonFactory(la_person_id="P777777", team=council.team_a)
    client.force_login(council.users[Role.ADMIN])
    client.post(
        "/admin/users/new/",
        {**NEW_USER, "username": "newholder", "roles": [Role.HOLDER], "person_ref": "p777777"},
    )
    holder = User.objects.get(username="newholder")
    assert holder.profile.person == person
    client.force_login(holder)
    assert client.get(f"/people/{person.pk}/").status_code == 200
    assert client.get(f"/people/{council.holder_person.pk}/").status_code == 404
    # Someone else cannot be linked to the same record.
    client.force_login(council.users[Role.ADMIN])
    page = client.post(
        "/admin/users/new/",
        {**NEW_USER, "username": "dup", "roles": [Role.HOLDER], "person_ref": "P777777"},
    ).content.decode()
    assert "Another user is already linked to P777777" in page


def test_edit_roles_and_deactivate_with_audit(client: Any, council: Any) -> None:
    admin, planner = council.users[Role.ADMIN], council.users[Role.PLANNER]
    client.force_login(admin)
    data = {
        "first_name": "Pat",
        "last_name": "Planner",
        "email": "",
        "roles": [Role.PLANNER, Role.PRACTITIONER],
        "teams": [council.team_b.pk],
    }
    assert client.post(f"/admin/users/{planner.pk}/", data).status_code == 302
    planner.refresh_from_db()
    assert sorted(planner.profile.roles) == ["planner", "practitioner"]
    event = Event.objects.filter(
        object_type="user", object_id=str(planner.pk), action=Action.UPDATE
    ).latest("id")
    assert event.changes["Teams"] == ["North team", "South team"]
    assert client.post(f"/admin/users/{planner.pk}/active/", {"active": "0"}).status_code == 302
    planner.refresh_from_db()
    assert not planner.is_active
    client.logout()
    refused = client.post(
        "/accounts/login/", {"username": "planner", "password": "a-long-test-password"}
    )
    assert refused.status_code == 200
    assert "Enter a correct username and password" in refused.content.decode()


def test_admin_cannot_lock_themselves_out(client: Any, council: Any) -> None:
    admin = council.users[Role.ADMIN]
    client.force_login(admin)
    page = client.post(
        f"/admin/users/{admin.pk}/active/", {"active": "0"}, follow=True
    ).content.decode()
    assert CANNOT_SWITCH_OFF_SELF in page
    data = {"first_name": "A", "last_name": "B", "email": "", "roles": [Role.PRACTITIONER]}
    page = client.post(f"/admin/users/{admin.pk}/", data).content.decode()
    assert CANNOT_DROP_OWN_ADMIN in page
    admin.refresh_from_db()
    assert admin.is_active and admin.profile.roles == [Role.ADMIN]


def test_set_password(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.ADMIN])
    target = council.users[Role.FINANCE]
    page = client.post(
        f"/admin/users/{target.pk}/password/", {"password1": "x", "password2": "y"}
    ).content.decode()
    assert f.PASSWORDS_DIFFER in page
    client.post(
        f"/admin/users/{target.pk}/password/",
        {"password1": "another-good-phrase", "password2": "another-good-phrase"},
    )
    target.refresh_from_db()
    assert target.check_password("another-good-phrase")
    assert Event.objects.filter(summary="Password changed for finance").exists()


def test_teams_create_edit_and_counts(
    client: Any, council: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(council.users[Role.ADMIN])
    page = client.post("/admin/teams/new/", {"name": "", "code": "Bad Code"}).content.decode()
    assert "Enter a team name" in page
    assert "The code can only contain lower-case letters, digits, hyphens and underscores" in page
    assert (
        client.post(
            "/admin/teams/new/", {"name": "East team", "code": "east", "area": "East"}
        ).status_code
        == 302
    )
    team = Team.objects.get(code="east")
    assert (
        client.post(
            f"/admin/teams/{team.pk}/",
            {"name": "East and coast team", "code": "east", "area": "East"},
        ).status_code
        == 302
    )
    assert Event.objects.get(object_type="team", action=Action.UPDATE).changes == {
        "Name": ["East team", "East and coast team"]
    }
    with django_assert_max_num_queries(8):
        listing = client.get("/admin/teams/").content.decode()
    assert "East and coast team" in listing


def test_users_list_query_count_is_bounded(
    client: Any, council: Any, django_assert_max_num_queries: Any
) -> None:
    from tests.factories import make_user

    for i in range(30):
        make_user(f"extra{i}", [Role.PRACTITIONER], teams=[council.team_a])
    client.force_login(council.users[Role.ADMIN])
    with django_assert_max_num_queries(8):
        assert client.get("/admin/users/").status_code == 200
