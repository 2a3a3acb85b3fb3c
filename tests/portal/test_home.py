"""Each role's home page lists the work waiting for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from selfdirect.access.models import WorkItem
from selfdirect.access.roles import Role
from selfdirect.people import codes
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_practitioner_sees_team_work_and_caseload_gaps(client: Any, council: Any) -> None:
    WorkItem.objects.create(
        title="Annual review due",
        kind="review",
        person=council.holder_person,
        team=council.team_a,
        for_role=Role.PRACTITIONER,
        due_date=dt.date.today() - dt.timedelta(days=3),
    )
    WorkItem.objects.create(
        title="Review elsewhere",
        kind="review",
        person=council.other_person,
        team=council.team_b,
        for_role=Role.PRACTITIONER,
        due_date=dt.date.today(),
    )
    PersonFactory(team=council.team_a, nhs_number=None, family_name="Nonumber")
    PersonFactory(
        team=council.team_a, client_type=codes.ClientType.CARER, family_name="Carerperson"
    )
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get("/home/").content.decode()
    assert "Annual review due" in page and "Overdue" in page
    assert "Review elsewhere" not in page
    assert "People with no NHS number recorded: 1" in page and "Nonumber" in page
    # Carers' own records are not counted as people whose carer status is unknown.
    assert "People for whom it is not known whether they have an unpaid carer: 2" in page


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.HOLDER, "See your details, the people who support you and your consents"),
        (Role.REPRESENTATIVE, "People you act for"),
        (Role.CARER, "People you care for"),
        (Role.MANAGER, "Gaps in your caseload"),
        (Role.PROVIDER, "The people you support</a>: what you deliver for each"),
        (Role.FINANCE, "to answer a question about their budget"),
        (Role.COMMISSIONER, "See the caseload by user group"),
        (Role.ADMIN, "Manage users"),
    ],
)
def test_each_role_lands_on_its_own_home(
    client: Any, council: Any, role: str, expected: str
) -> None:
    client.force_login(council.users[role])
    assert expected in client.get("/home/").content.decode()


def test_caseload_figures_are_counts_only(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.COMMISSIONER])
    page = client.get("/caseload-figures/").content.decode()
    assert "Older people" in page
    assert council.holder_person.family_name not in page
