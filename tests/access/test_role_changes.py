"""Roles the two-administrator way: no one changes their own roles; a role that opens
personal data (or the administrator role) waits until a different administrator confirms
it; every change is listed for administrators, newest first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from selfdirect.access import services as s
from selfdirect.access.models import RoleChange
from selfdirect.access.roles import PERSONAL_DATA_ROLES, SECOND_ADMINISTRATOR_ROLES, Role
from selfdirect.access.selectors import roles_of, teams_of
from selfdirect.audit.models import Event
from selfdirect.people.models import Person
from selfdirect.people.selectors import people_visible_to
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PENDING, CONFIRMED, REFUSED, APPLIED = (
    RoleChange.Status.PENDING,
    RoleChange.Status.CONFIRMED,
    RoleChange.Status.REFUSED,
    RoleChange.Status.APPLIED,
)


def _set_roles(actor: User, user: User, roles: list[str]) -> User:
    profile = user.profile
    return s.user_update(
        actor=actor,
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        roles=roles,
        teams=[m.team for m in user.team_memberships.filter(is_manager=False)],
        manages=[m.team for m in user.team_memberships.filter(is_manager=True)],
        person=profile.person,
        provider=profile.provider,
    )


def _fresh(user: User) -> User:
    return User.objects.select_related("profile").get(pk=user.pk)


@pytest.fixture
def admins(council: Any) -> tuple[User, User]:
    """Two administrators (the second made directly, as at installation)."""
    return council.users[Role.ADMIN], make_user("admin2", [Role.ADMIN])


def test_the_personal_data_roles_are_the_ones_that_open_records() -> None:
    assert {
        Role.HOLDER,
        Role.REPRESENTATIVE,
        Role.CARER,
        Role.PRACTITIONER,
        Role.MANAGER,
        Role.PLANNER,
        Role.PROVIDER,
        Role.FINANCE,
        Role.DPO,  # exports anyone's audit trail
    } == PERSONAL_DATA_ROLES
    assert PERSONAL_DATA_ROLES | {Role.ADMIN} == SECOND_ADMINISTRATOR_ROLES
    assert Role.COMMISSIONER not in SECOND_ADMINISTRATOR_ROLES


def test_an_administrator_cannot_change_their_own_roles(admins: Any) -> None:
    admin, _second = admins
    for roles in ([Role.ADMIN, Role.COMMISSIONER], [Role.ADMIN, Role.FINANCE], [Role.FINANCE]):
        with pytest.raises(s.AccessError) as refused:
            _set_roles(admin, admin, roles)
        assert (str(refused.value), refused.value.field) == (s.CANNOT_CHANGE_OWN_ROLES, "roles")
    assert _fresh(admin).profile.roles == [Role.ADMIN]
    assert not RoleChange.objects.exists()
    assert not Event.objects.filter(object_type="user").exists()


def test_a_personal_data_role_waits_for_a_second_administrator(council: Any, admins: Any) -> None:
    admin, second = admins
    commissioner = council.users[Role.COMMISSIONER]
    _set_roles(admin, commissioner, [Role.COMMISSIONER, Role.FINANCE])
    commissioner = _fresh(commissioner)
    assert roles_of(commissioner) == {Role.COMMISSIONER}
    assert not people_visible_to(commissioner).exists()
    change = RoleChange.objects.get()
    assert (change.role, change.kind, change.status, change.requested_by) == (
        Role.FINANCE,
        RoleChange.Kind.GRANT,
        PENDING,
        admin,
    )
    asked = Event.objects.get(object_type="user", object_id=str(commissioner.pk))
    assert asked.actor == admin and asked.summary.startswith("Asked for the role Finance officer")
    # Asking again while it waits makes no second request.
    _set_roles(admin, commissioner, [Role.COMMISSIONER, Role.FINANCE])
    assert RoleChange.objects.count() == 1

    s.role_change_confirm(actor=second, change=change)
    commissioner = _fresh(commissioner)
    assert roles_of(commissioner) == {Role.COMMISSIONER, Role.FINANCE}
    assert people_visible_to(commissioner).count() == Person.objects.count()  # finance: all
    change.refresh_from_db()
    assert (change.status, change.decided_by) == (CONFIRMED, second)
    confirmed = Event.objects.filter(summary__startswith="Confirmed").get()
    assert confirmed.actor == second
    assert confirmed.changes == {
        "Roles": ["Commissioner or analyst", "Commissioner or analyst, Finance officer"]
    }


def test_the_administrator_who_asked_cannot_confirm_or_refuse(council: Any, admins: Any) -> None:
    admin, _second = admins
    commissioner = council.users[Role.COMMISSIONER]
    _set_roles(admin, commissioner, [Role.COMMISSIONER, Role.PRACTITIONER])
    change = RoleChange.objects.get()
    for decide in (s.role_change_confirm, s.role_change_refuse):
        with pytest.raises(s.AccessError, match=s.CANNOT_DECIDE_OWN_REQUEST):
            decide(actor=admin, change=change)
    change.refresh_from_db()
    assert change.status == PENDING and change.decided_by is None
    assert roles_of(_fresh(commissioner)) == {Role.COMMISSIONER}


def test_no_one_confirms_a_role_for_themselves_and_only_administrators_decide(
    council: Any, admins: Any
) -> None:
    admin, second = admins
    third = make_user("admin3", [Role.ADMIN])
    _set_roles(admin, third, [Role.ADMIN, Role.FINANCE])
    change = RoleChange.objects.get()
    with pytest.raises(s.AccessError, match=s.CANNOT_DECIDE_OWN_ROLE):
        s.role_change_confirm(actor=third, change=change)
    with pytest.raises(s.AccessError, match=s.ONLY_ADMINISTRATORS_DECIDE):
        s.role_change_confirm(actor=council.users[Role.MANAGER], change=change)
    assert roles_of(_fresh(third)) == {Role.ADMIN}
    s.role_change_confirm(actor=second, change=change)
    assert roles_of(_fresh(third)) == {Role.ADMIN, Role.FINANCE}


def test_a_refused_role_is_never_given_and_a_decision_is_final(council: Any, admins: Any) -> None:
    admin, second = admins
    planner = council.users[Role.PLANNER]
    _set_roles(admin, planner, [Role.PLANNER, Role.MANAGER])
    change = RoleChange.objects.get()
    s.role_change_refuse(actor=second, change=change)
    change.refresh_from_db()
    assert (change.status, change.decided_by) == (REFUSED, second)
    assert roles_of(_fresh(planner)) == {Role.PLANNER}
    assert Event.objects.filter(actor=second, summary__startswith="Refused the role").exists()
    for decide in (s.role_change_confirm, s.role_change_refuse):
        with pytest.raises(s.AccessError, match=s.ROLE_CHANGE_DECIDED):
            decide(actor=make_user(f"admin-{decide.__name__}", [Role.ADMIN]), change=change)
    assert roles_of(_fresh(planner)) == {Role.PLANNER}


def test_other_roles_and_removals_apply_at_once(council: Any, admins: Any) -> None:
    admin, _second = admins
    planner = council.users[Role.PLANNER]
    _set_roles(admin, planner, [Role.COMMISSIONER])
    assert roles_of(_fresh(planner)) == {Role.COMMISSIONER}
    rows = set(RoleChange.objects.values_list("role", "kind", "status"))
    assert rows == {
        (Role.PLANNER, RoleChange.Kind.REMOVE, APPLIED),
        (Role.COMMISSIONER, RoleChange.Kind.GRANT, APPLIED),
    }


def test_the_administrator_role_also_needs_a_second_administrator(
    council: Any, admins: Any
) -> None:
    admin, second = admins
    finance = council.users[Role.FINANCE]
    _set_roles(admin, finance, [Role.FINANCE, Role.ADMIN])
    assert roles_of(_fresh(finance)) == {Role.FINANCE}
    s.role_change_confirm(actor=second, change=RoleChange.objects.get())
    assert roles_of(_fresh(finance)) == {Role.FINANCE, Role.ADMIN}


def test_the_database_holds_the_rule_too(council: Any, admins: Any) -> None:
    admin, _second = admins
    target = council.users[Role.COMMISSIONER]
    now = timezone.now()
    base = {"role": Role.FINANCE, "kind": "grant", "requested_at": now}
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleChange.objects.create(user=admin, requested_by=admin, status=APPLIED, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleChange.objects.create(
            user=target,
            requested_by=admin,
            decided_by=admin,
            decided_at=now + dt.timedelta(minutes=1),
            status=CONFIRMED,
            **base,
        )
    RoleChange.objects.create(user=target, requested_by=admin, status=PENDING, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleChange.objects.create(user=target, requested_by=admin, status=PENDING, **base)


# The pages.


def test_role_changes_page_lists_newest_first_and_filters(
    client: Any, council: Any, admins: Any
) -> None:
    admin, second = admins
    planner, finance = council.users[Role.PLANNER], council.users[Role.FINANCE]
    _set_roles(admin, planner, [Role.PLANNER, Role.COMMISSIONER])
    with pytest.raises(s.AccessError, match=s.PERSON_NEEDED):  # nothing recorded
        _set_roles(admin, finance, [Role.FINANCE, Role.CARER])
    _set_roles(second, finance, [Role.FINANCE, Role.MANAGER])
    client.force_login(admin)
    page = client.get("/admin/role-changes/").content.decode()
    body = page.split("<tbody")[1]
    assert body.index("Team manager") < body.index("Commissioner or analyst")  # newest first
    assert "3 changes" not in page and "2 changes" in page
    assert "Waiting for a second administrator" in body
    # admin can confirm second's request; the button names what it confirms.
    assert 'Confirm<span class="govuk-visually-hidden"> Team manager for finance' in body
    only_planner = client.get("/admin/role-changes/", {"user": "planner"}).content.decode()
    assert "Commissioner or analyst" in only_planner and "Team manager" not in only_planner
    waiting = client.get("/admin/role-changes/", {"status": "pending"}).content.decode()
    assert "1 change<" in waiting and "Team manager" in waiting
    # The one who asked sees no buttons for their own request.
    client.force_login(second)
    assert "Confirm<span" not in client.get("/admin/role-changes/").content.decode()


def test_confirming_your_own_request_shows_the_problem(
    client: Any, council: Any, admins: Any
) -> None:
    admin, second = admins
    planner = council.users[Role.PLANNER]
    _set_roles(admin, planner, [Role.PLANNER, Role.MANAGER])
    change = RoleChange.objects.get()
    client.force_login(admin)
    page = client.post(f"/admin/role-changes/{change.pk}/confirm/", follow=True).content.decode()
    assert "There is a problem" in page and s.CANNOT_DECIDE_OWN_REQUEST in page
    assert roles_of(_fresh(planner)) == {Role.PLANNER}
    client.force_login(second)
    response = client.post(f"/admin/role-changes/{change.pk}/refuse/")
    assert response["Location"] == "/admin/role-changes/"
    change.refresh_from_db()
    assert change.status == REFUSED


def test_only_administrators_reach_role_changes(client: Any, council: Any, admins: Any) -> None:
    admin, second = admins
    planner = council.users[Role.PLANNER]
    _set_roles(admin, planner, [Role.PLANNER, Role.MANAGER])
    change = RoleChange.objects.get()
    client.force_login(council.users[Role.MANAGER])
    assert client.get("/admin/role-changes/").status_code == 403
    assert client.post(f"/admin/role-changes/{change.pk}/confirm/").status_code == 403
    client.force_login(second)
    assert client.get(f"/admin/role-changes/{change.pk}/confirm/").status_code == 403  # POST only
    change.refresh_from_db()
    assert change.status == PENDING


@pytest.mark.postgres
def test_two_administrators_asking_for_one_role_at_once_make_one_request(
    committed_council: Any,
) -> None:
    """Both read the user before either writes: the second waits for the first's lock, sees
    its request, and adds no second one (never a server error)."""
    from tests.concurrency import race

    council = committed_council
    admins = [council.users[Role.ADMIN], make_user("second-admin", [Role.ADMIN])]
    target = council.users[Role.PRACTITIONER]

    def ask(i: int, loaded: Any) -> Any:
        return s.user_update(
            actor=admins[i],
            user=loaded,
            first_name=loaded.first_name,
            last_name=loaded.last_name,
            email=loaded.email,
            roles=[Role.PRACTITIONER, Role.PLANNER],
            teams=list(loaded.team_memberships_teams),
        )

    def load(_i: int) -> Any:
        user = User.objects.select_related("profile").get(pk=target.pk)
        user.team_memberships_teams = list(teams_of(user))
        return user

    outcomes = race(load, ask)
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    pending = RoleChange.objects.filter(
        user=target, role=Role.PLANNER, status=RoleChange.Status.PENDING
    )
    assert pending.count() == 1


def test_the_data_protection_officer_role_needs_a_second_administrator(
    council: Any, admins: Any
) -> None:
    """The officer exports anyone's audit trail: one administrator alone cannot give it."""
    admin, second = admins
    commissioner = council.users[Role.COMMISSIONER]
    _set_roles(admin, commissioner, [Role.COMMISSIONER, Role.DPO])
    assert roles_of(_fresh(commissioner)) == {Role.COMMISSIONER}
    change = RoleChange.objects.get(user=commissioner, role=Role.DPO)
    assert change.status == PENDING
    s.role_change_confirm(actor=second, change=change)
    assert roles_of(_fresh(commissioner)) == {Role.COMMISSIONER, Role.DPO}
