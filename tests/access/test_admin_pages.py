"""Administrators manage users and teams through their pages; every change is audited
with before and after; nobody else reaches these pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from selfdirect.access import forms as f
from selfdirect.access.admin_views import USERS_PER_PAGE
from selfdirect.access.models import RoleChange, Team, TeamMembership
from selfdirect.access.roles import Role
from selfdirect.access.services import (
    CANNOT_CHANGE_OWN_ROLES,
    CANNOT_DEACTIVATE_SELF,
    PASSWORD_CHANGED,
)
from selfdirect.audit.models import Action, Event
from tests.factories import PersonFactory, ProviderFactory, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-strong-pass-phrase"
NEW_USER = {
    "username": "jsmith",
    "first_name": "Jo",
    "last_name": "Smith",
    "email": "jo@council.example",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "roles": [Role.PRACTITIONER],
}


def _summary(page: str) -> str:
    """The error summary's list of links."""
    assert "govuk-error-summary__list" in page, "no error summary"
    return page.split("govuk-error-summary__list")[1].split("</ul>")[0]


def _user_events(user: User, action: str = Action.UPDATE) -> Any:
    return Event.objects.filter(object_type="user", object_id=str(user.pk), action=action)


def _confirm_as_second_admin(client: Any, user: User) -> None:
    """Another administrator confirms every role waiting for ``user``, from the user's page."""
    second = User.objects.filter(username="admin2").first() or make_user("admin2", [Role.ADMIN])
    client.force_login(second)
    for change in RoleChange.objects.filter(user=user, status=RoleChange.Status.PENDING):
        response = client.post(
            f"/admin/role-changes/{change.pk}/confirm/", {"from": "user"}, follow=True
        )
        assert "now has the role" in response.content.decode()


def _sign_in(client: Any, username: str, password: str) -> Any:
    """Through the real sign-in page (django-axes needs the request)."""
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_admin_creates_a_practitioner_in_a_team(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.ADMIN])
    response = client.post(
        "/admin/users/new/",
        {**NEW_USER, "teams": [council.team_b.pk], "manages": [council.team_a.pk]},
    )
    user = User.objects.get(username="jsmith")
    assert response.status_code == 302 and response["Location"] == f"/admin/users/{user.pk}/"
    assert user.check_password(PASSWORD)
    assert (user.first_name, user.last_name, user.email) == ("Jo", "Smith", "jo@council.example")
    # A practitioner sees people's records: the role waits for a second administrator.
    assert user.profile.roles == []
    assert set(
        TeamMembership.objects.filter(user=user).values_list("team__name", "is_manager")
    ) == {("South team", False), ("North team", True)}
    event = _user_events(user, Action.CREATE).get()
    assert event.actor == council.users[Role.ADMIN]
    assert "Roles" not in event.changes
    assert event.changes["Teams"] == [None, "North team (manager), South team"]
    assert PASSWORD not in str(event.changes) and "password" not in str(event.changes).lower()
    page = client.get(response["Location"]).content.decode()
    assert (
        "User jsmith has been created. Waiting for a second administrator to confirm: Practitioner"
        in page
    )
    assert "Waiting for a second administrator</h2>" in page and "Confirm<span" not in page
    _confirm_as_second_admin(client, user)
    user.refresh_from_db()
    assert user.profile.roles == [Role.PRACTITIONER]


def test_users_list_shows_and_filters_by_role(client: Any, council: Any) -> None:
    council.users[Role.FINANCE].is_active = False
    council.users[Role.FINANCE].save()
    client.force_login(council.users[Role.ADMIN])
    everyone = client.get("/admin/users/").content.decode()
    rows = everyone.split("<tbody")[1]
    assert f"{User.objects.count()} users" in everyone
    assert "Team manager" in rows and "North team (manager)" in rows
    assert "Deactivated" in rows and "Never" in rows
    managers = client.get("/admin/users/?role=manager").content.decode().split("<tbody")[1]
    assert ">manager<" in managers
    assert ">practitioner<" not in managers and ">holder<" not in managers
    # An unknown role shows everyone rather than failing.
    assert client.get("/admin/users/?role=nonsense").content.decode().count("<tr") == (
        everyone.count("<tr")
    )


def test_users_list_is_paginated(client: Any, council: Any) -> None:
    for i in range(USERS_PER_PAGE + 1):
        make_user(f"zz-extra-{i:03d}", [Role.PLANNER])
    client.force_login(council.users[Role.ADMIN])
    first = client.get("/admin/users/?role=planner").content.decode()
    second = client.get("/admin/users/?role=planner&page=2").content.decode()
    assert first.split("<tbody")[1].count("<tr") == USERS_PER_PAGE
    assert second.split("<tbody")[1].count("<tr") == 2  # the fixture's planner is first
    assert 'href="?role=planner&amp;page=2"' in first and "zz-extra-050" in second


def test_users_list_query_count_is_bounded(
    client: Any, council: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        make_user(f"extra{i}", [Role.PRACTITIONER], teams=[council.team_a, council.team_b])
    client.force_login(council.users[Role.ADMIN])
    # A fixed number, whatever the number of users: the session, the user, their roles,
    # their two-factor devices, the page's count, rows, teams, roles and waiting requests.
    with django_assert_max_num_queries(9):
        page = client.get("/admin/users/")
    assert page.status_code == 200 and "extra29" in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": ""}, "username", f.ENTER_USERNAME),
        ({"username": "Practitioner"}, "username", f.USERNAME_TAKEN),
        ({"first_name": ""}, "first_name", f.ENTER_FIRST_NAME),
        ({"email": "not-an-email"}, "email", f.EMAIL_FORMAT),
        ({"roles": []}, "roles", f.SELECT_A_ROLE),
        ({"roles": [Role.HOLDER]}, "person_ref", f.PERSON_NEEDED),
        ({"roles": [Role.CARER]}, "person_ref", f.PERSON_NEEDED),
        ({"roles": [Role.REPRESENTATIVE]}, "person_ref", f.PERSON_NEEDED),
        (
            {"roles": [Role.HOLDER], "person_ref": "P123"},
            "person_ref",
            "No person has the reference P123",
        ),
        ({"roles": [Role.PROVIDER]}, "provider", f.PROVIDER_NEEDED),
        ({"password1": ""}, "password1", f.ENTER_PASSWORD),
        ({"password2": "something-else-entirely"}, "password2", f.PASSWORDS_DIFFER),
        (
            {"password1": "8041739527", "password2": "8041739527"},
            "password1",
            "This password is entirely numeric.",
        ),
        (
            {"password1": "short", "password2": "short"},
            "password1",
            "This password is too short. It must contain at least 8 characters.",
        ),
        ({"sign_off_limit": "lots"}, "sign_off_limit", "Enter an amount in pounds, like 125.50"),
    ],
)
def test_bad_input_is_named_and_nothing_is_created(
    client: Any, council: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    client.force_login(council.users[Role.ADMIN])
    users, events = User.objects.count(), Event.objects.count()
    response = client.post("/admin/users/new/", {**NEW_USER, **changes})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#id_{field}">{message}</a>' in _summary(page)
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}</p>' in page
    assert "<title>Error: " in page
    assert User.objects.count() == users and Event.objects.count() == events


def test_every_problem_is_shown_at_once(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.ADMIN])
    page = client.post(
        "/admin/users/new/",
        {**NEW_USER, "username": "", "roles": [Role.HOLDER, Role.PROVIDER], "password2": "x"},
    ).content.decode()
    summary = _summary(page)
    # Every problem, in the order the questions are on the page.
    expected = [f.ENTER_USERNAME, f.PASSWORDS_DIFFER, f.PERSON_NEEDED, f.PROVIDER_NEEDED]
    assert [summary.index(message) for message in expected] == sorted(
        summary.index(message) for message in expected
    )


def test_created_holder_signs_in_and_sees_only_their_record(client: Any, council: Any) -> None:
    person = PersonFactory(la_person_id="P777777", team=council.team_a)
    client.force_login(council.users[Role.ADMIN])
    response = client.post(
        "/admin/users/new/",
        {**NEW_USER, "username": "newholder", "roles": [Role.HOLDER], "person_ref": "p777777"},
    )
    assert response.status_code == 302
    holder = User.objects.get(username="newholder")
    assert holder.profile.person == person
    assert _user_events(holder, Action.CREATE).get().changes["Linked person"] == [
        None,
        "P777777",
    ]
    client.logout()
    assert _sign_in(client, "newholder", PASSWORD).status_code == 302
    assert client.get(f"/people/{person.pk}/").status_code == 403  # not a holder yet
    _confirm_as_second_admin(client, holder)
    client.logout()
    assert _sign_in(client, "newholder", PASSWORD).status_code == 302
    assert client.get(f"/people/{person.pk}/").status_code == 200
    assert client.get(f"/people/{council.holder_person.pk}/").status_code == 404
    # Someone else cannot be linked to the same record.
    client.force_login(council.users[Role.ADMIN])
    page = client.post(
        "/admin/users/new/",
        {**NEW_USER, "username": "dup", "roles": [Role.HOLDER], "person_ref": "P777777"},
    ).content.decode()
    assert '<a href="#id_person_ref">Another user is already linked to P777777</a>' in page


def test_provider_account_names_its_provider(client: Any, council: Any) -> None:
    provider = ProviderFactory(name="Kind Hands")
    client.force_login(council.users[Role.ADMIN])
    response = client.post(
        "/admin/users/new/",
        {**NEW_USER, "username": "kh", "roles": [Role.PROVIDER], "provider": provider.pk},
    )
    assert response.status_code == 302
    assert User.objects.get(username="kh").profile.provider == provider


def test_user_page_shows_only_the_linked_persons_reference_and_name(
    client: Any, council: Any
) -> None:
    holder = council.users[Role.HOLDER]
    person = council.holder_person
    client.force_login(council.users[Role.ADMIN])
    page = client.get(f"/admin/users/{holder.pk}/").content.decode()
    assert f"{person.la_person_id}, Ada Holder" in page
    assert person.nhs_number not in page and person.postcode not in page
    assert person.date_of_birth.strftime("%Y") not in page.split("<main")[1]


def test_edit_roles_teams_and_links_with_before_and_after(client: Any, council: Any) -> None:
    admin, planner = council.users[Role.ADMIN], council.users[Role.PLANNER]
    client.force_login(admin)
    form = client.get(f"/admin/users/{planner.pk}/").content.decode()
    assert 'value="planner" checked' in form
    data = {
        "first_name": "Pat",
        "last_name": "Planner",
        "email": "",
        "roles": [Role.PLANNER, Role.COMMISSIONER],
        "teams": [council.team_b.pk],
        "manages": [council.team_a.pk],
    }
    assert client.post(f"/admin/users/{planner.pk}/", data).status_code == 302
    planner.refresh_from_db()
    assert planner.profile.roles == ["commissioner", "planner"]
    assert (planner.first_name, planner.last_name) == ("Pat", "Planner")
    event = _user_events(planner).get()
    assert event.changes["Roles"] == [
        "Support planner or broker",
        "Commissioner or analyst, Support planner or broker",
    ]
    assert event.changes["Teams"] == ["North team", "North team (manager), South team"]
    assert event.changes["First name"] == ["", "Pat"]
    assert "Username" not in event.changes  # only what changed
    # Saving again without changes writes no event.
    assert client.post(f"/admin/users/{planner.pk}/", data).status_code == 302
    assert _user_events(planner).count() == 1


def test_edit_refuses_a_holder_without_a_person(client: Any, council: Any) -> None:
    holder = council.users[Role.HOLDER]
    client.force_login(council.users[Role.ADMIN])
    data = {"first_name": "A", "last_name": "H", "roles": [Role.HOLDER], "person_ref": ""}
    page = client.post(f"/admin/users/{holder.pk}/", data).content.decode()
    assert f'<a href="#id_person_ref">{f.PERSON_NEEDED}</a>' in _summary(page)
    holder.refresh_from_db()
    assert holder.profile.person == council.holder_person
    assert not _user_events(holder).exists()


def test_deactivate_and_reactivate(client: Any, council: Any) -> None:
    planner = council.users[Role.PLANNER]
    client.force_login(council.users[Role.ADMIN])
    response = client.post(f"/admin/users/{planner.pk}/active/", {"active": "0"}, follow=True)
    assert "The account planner has been deactivated" in response.content.decode()
    planner.refresh_from_db()
    assert not planner.is_active and User.objects.filter(pk=planner.pk).exists()
    assert _user_events(planner).get().changes == {"Active": ["Yes", "No"]}
    client.logout()
    refused = _sign_in(client, "planner", "a-long-test-password")
    assert refused.status_code == 200
    assert "Enter a correct username and password" in refused.content.decode()

    client.force_login(council.users[Role.ADMIN])
    page = client.get(f"/admin/users/{planner.pk}/").content.decode()
    assert "Reactivate this account" in page
    client.post(f"/admin/users/{planner.pk}/active/", {"active": "1"})
    planner.refresh_from_db()
    assert planner.is_active
    assert _user_events(planner).latest("id").changes == {"Active": ["No", "Yes"]}
    client.logout()
    assert _sign_in(client, "planner", "a-long-test-password").status_code == 302


def test_admin_cannot_lock_themselves_out(client: Any, council: Any) -> None:
    admin = council.users[Role.ADMIN]
    client.force_login(admin)
    own_page = client.get(f"/admin/users/{admin.pk}/").content.decode()
    assert "Deactivate this account" not in own_page
    page = client.post(f"/admin/users/{admin.pk}/active/", {"active": "0"}).content.decode()
    assert f'<a href="#account-active">{CANNOT_DEACTIVATE_SELF}</a>' in _summary(page)
    data = {"first_name": "A", "last_name": "B", "email": "", "roles": [Role.PRACTITIONER]}
    page = client.post(f"/admin/users/{admin.pk}/", data).content.decode()
    assert f'<a href="#id_roles">{CANNOT_CHANGE_OWN_ROLES}</a>' in _summary(page)
    admin.refresh_from_db()
    assert admin.is_active and admin.profile.roles == [Role.ADMIN]
    assert not _user_events(admin).exists()
    # Nor add one, even a role that needs no second administrator.
    data["roles"] = [Role.ADMIN, Role.COMMISSIONER]
    page = client.post(f"/admin/users/{admin.pk}/", data).content.decode()
    assert f'<a href="#id_roles">{CANNOT_CHANGE_OWN_ROLES}</a>' in _summary(page)
    admin.refresh_from_db()
    assert admin.profile.roles == [Role.ADMIN]
    # Their own name, with their roles as they are, is fine.
    data["roles"] = [Role.ADMIN]
    assert client.post(f"/admin/users/{admin.pk}/", data).status_code == 302
    admin.refresh_from_db()
    assert (admin.first_name, admin.profile.roles) == ("A", [Role.ADMIN])


def test_set_password(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.ADMIN])
    target = council.users[Role.FINANCE]
    form = client.get(f"/admin/users/{target.pk}/password/").content.decode()
    assert 'data-module="govuk-password-input"' in form
    assert 'autocomplete="new-password"' in form
    page = client.post(
        f"/admin/users/{target.pk}/password/",
        {"password1": "another-good-phrase", "password2": "another-good-phrasE"},
    ).content.decode()
    assert f'<a href="#id_password2">{f.PASSWORDS_DIFFER}</a>' in _summary(page)
    page = client.post(
        f"/admin/users/{target.pk}/password/", {"password1": "finance1", "password2": "finance1"}
    ).content.decode()
    assert "The password is too similar to the username." in _summary(page)
    client.post(
        f"/admin/users/{target.pk}/password/",
        {"password1": "another-good-phrase", "password2": "another-good-phrase"},
    )
    target.refresh_from_db()
    assert target.check_password("another-good-phrase")
    event = _user_events(target).get()
    assert event.summary == "Password changed for finance"
    assert event.changes == {"Password": [None, PASSWORD_CHANGED]}
    assert "another-good-phrase" not in str(event.changes)


def test_teams_create_edit_and_counts(
    client: Any, council: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(council.users[Role.ADMIN])
    page = client.post("/admin/teams/new/", {"name": "", "code": "Bad Code"}).content.decode()
    assert f'<a href="#id_name">{f.ENTER_TEAM_NAME}</a>' in _summary(page)
    assert f'<a href="#id_code">{f.TEAM_CODE_INVALID}</a>' in _summary(page)
    page = client.post(
        "/admin/teams/new/", {"name": "north TEAM", "code": council.team_a.code}
    ).content.decode()
    assert f.TEAM_NAME_TAKEN in _summary(page) and f.TEAM_CODE_TAKEN in _summary(page)
    assert not Event.objects.filter(object_type="team").exists()

    created = client.post("/admin/teams/new/", {"name": "East team", "code": "east", "area": "E"})
    assert created.status_code == 302
    team = Team.objects.get(code="east")
    assert Event.objects.get(object_type="team", action=Action.CREATE).changes == {
        "Name": [None, "East team"],
        "Code": [None, "east"],
        "Area": [None, "E"],
    }
    edited = client.post(
        f"/admin/teams/{team.pk}/", {"name": "East and coast team", "code": "east", "area": "E"}
    )
    assert edited.status_code == 302
    assert Event.objects.get(object_type="team", action=Action.UPDATE).changes == {
        "Name": ["East team", "East and coast team"]
    }
    # Members, managers and caseload are counted independently (no join multiplying them).
    make_user("east-1", [Role.PRACTITIONER], teams=[team])
    make_user("east-2", [Role.PRACTITIONER], teams=[team])
    make_user("east-boss", [Role.MANAGER], manages=[team])
    for _ in range(4):
        PersonFactory(team=team)
    with django_assert_max_num_queries(8):
        listing = client.get("/admin/teams/").content.decode()
    row = listing.split(f'href="/admin/teams/{team.pk}/">East and coast team')[1].split("</tr>")[0]
    numbers = [cell.split(">")[-1] for cell in row.split("</td>")[:-1]][-3:]
    assert numbers == ["3", "1", "4"]


NON_ADMINS = [str(r) for r in Role if r != Role.ADMIN]


@pytest.mark.parametrize("role", NON_ADMINS)
def test_only_administrators_reach_these_pages(client: Any, council: Any, role: str) -> None:
    client.force_login(council.users[role])
    target = council.users[Role.PLANNER]
    for url in (
        "/admin/users/",
        "/admin/users/new/",
        f"/admin/users/{target.pk}/",
        f"/admin/users/{target.pk}/password/",
        "/admin/teams/",
        "/admin/teams/new/",
        f"/admin/teams/{council.team_a.pk}/",
    ):
        assert client.get(url).status_code == 403, url
    posts = {
        "/admin/users/new/": {**NEW_USER, "roles": [Role.ADMIN]},
        f"/admin/users/{target.pk}/active/": {"active": "0"},
        f"/admin/users/{target.pk}/password/": {"password1": PASSWORD, "password2": PASSWORD},
        "/admin/teams/new/": {"name": "Sneaky", "code": "sneaky"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    target.refresh_from_db()
    assert target.is_active and not target.check_password(PASSWORD)
    assert not User.objects.filter(username="jsmith").exists()
    assert not Team.objects.filter(code="sneaky").exists()


def test_signed_out_visitors_are_sent_to_sign_in(client: Any, council: Any) -> None:
    response = client.get("/admin/users/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
