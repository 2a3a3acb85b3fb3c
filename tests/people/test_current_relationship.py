"""One rule for a current relationship, used everywhere: it has started on or before today
and has not ended on or before today. A nomination starting tomorrow does not open the
record; one that ended yesterday does not; one starting today does. Linking someone by
council reference reveals nothing about people outside the user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.access.tokens import api_token_create
from selfdirect.budgets.services import acts_for_person
from selfdirect.people import codes
from selfdirect.people.models import Relationship, relationship_current_on
from selfdirect.people.selectors import people_visible_to, representatives_of
from selfdirect.portal.selectors import my_people
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)
# (start, end, current today?)
CASES = [
    ("starts tomorrow", TODAY + DAY, None, False),
    ("ended yesterday", TODAY - 30 * DAY, TODAY - DAY, False),
    ("ends today", TODAY - 30 * DAY, TODAY, False),
    ("starts today", TODAY, None, True),
    ("ends tomorrow", TODAY - 30 * DAY, TODAY + DAY, True),
]


def _nomination(council: Any, start: dt.date, end: dt.date | None) -> Relationship:
    rel = Relationship.objects.get(
        person=council.holder_person, kind=codes.RelationshipKind.NOMINATED_PERSON
    )
    rel.start_date, rel.end_date = start, end
    rel.save()
    return rel


@pytest.mark.parametrize(("case", "start", "end", "current"), CASES)
def test_every_place_agrees_on_a_current_nomination(
    client: Any, council: Any, case: str, start: dt.date, end: dt.date | None, current: bool
) -> None:
    rel = _nomination(council, start, end)
    rep = council.users[Role.REPRESENTATIVE]
    holder = council.holder_person
    assert rel.is_current is current, case
    assert Relationship.objects.current().filter(pk=rel.pk).exists() is current
    assert Relationship.objects.filter(relationship_current_on(TODAY), pk=rel.pk).exists() is (
        current
    )
    assert people_visible_to(rep).filter(pk=holder.pk).exists() is current
    assert (rel.related_person in representatives_of(holder, TODAY)) is current
    assert acts_for_person(rep, holder) is current
    assert (holder in my_people(rep)["represented"]) is current
    client.force_login(rep)
    assert (client.get(f"/people/{holder.pk}/").status_code == 200) is current
    start_page = client.get("/assessments/start/").content.decode()
    assert (holder.full_name in start_page) is current


def _link(council: Any, ref: str) -> dict[str, Any]:
    return {
        "related_la_person_id": ref,
        "kind": codes.RelationshipKind.UNPAID_CARER,
        "start_date": TODAY.isoformat(),
    }


def test_linking_someone_in_another_teams_caseload_reveals_nothing(
    client: Any, council: Any
) -> None:
    other = council.other_person  # in the South team; the practitioner works in the North
    holder = council.holder_person
    client.force_login(council.users[Role.PRACTITIONER])
    for ref in (other.la_person_id, "P999999"):
        data = {
            "related_la_person_id": ref,
            "kind": codes.RelationshipKind.UNPAID_CARER,
            "start_date_day": str(TODAY.day),
            "start_date_month": str(TODAY.month),
            "start_date_year": str(TODAY.year),
        }
        page = client.post(f"/people/{holder.pk}/relationships/new/", data).content.decode()
        assert f"No person has the reference {ref}" in page
        assert other.family_name not in page
    token = api_token_create(actor=None, user=council.users[Role.PRACTITIONER], name="tests")
    api = Client()
    answer = api.post(
        f"/api/v1/people/{holder.pk}/relationships",
        _link(council, other.la_person_id),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert answer.status_code == 422
    assert other.family_name not in answer.content.decode()
    assert answer.json()["detail"][0]["msg"] == f"No person has the reference {other.la_person_id}"
    assert not Relationship.objects.filter(person=holder, related_person=other).exists()
    # Someone in no team's caseload (a carer's own record) can still be linked.
    carer = PersonFactory(team=None, la_person_id="P900002")
    answer = api.post(
        f"/api/v1/people/{holder.pk}/relationships",
        _link(council, "P900002"),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert answer.status_code == 201
    assert Relationship.objects.filter(person=holder, related_person=carer).exists()


def test_a_nomination_starting_later_is_listed_as_starting_and_can_be_ended(
    client: Any, council: Any
) -> None:
    rel = _nomination(council, TODAY + DAY, None)
    holder = council.holder_person
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get(f"/people/{holder.pk}/").content.decode()
    assert f"Starts {(TODAY + DAY).strftime('%-d %b %Y')}" in page
    answer = client.post(f"/people/{holder.pk}/relationships/{rel.pk}/end/")
    assert answer.status_code == 302
    rel.refresh_from_db()
    assert rel.end_date == rel.start_date  # ends before it ever applies
    assert not Relationship.objects.current(TODAY + DAY).filter(pk=rel.pk).exists()
