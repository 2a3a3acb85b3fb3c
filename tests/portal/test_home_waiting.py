"""The person's home page shows what is in progress and what they are waiting for
(issue 13: "today 'Nothing is waiting for you' beside an open request, a submitted
assessment and a reduction notice"; holders-experience REQ: being told what happens next)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.allocation.models import Challenge
from selfdirect.assessment.models import Assessment
from selfdirect.planning.models import Review
from tests.access.records import _allocation, records_build

pytestmark = pytest.mark.django_db

NOTHING = "Nothing is waiting for you."


def _home(client: Any, council: Any, role: str = Role.HOLDER) -> str:
    client.force_login(council.users[role])
    return str(client.get(reverse("home")).content.decode())


def test_nothing_waiting_only_when_nothing_is_in_progress(client: Any, council: Any) -> None:
    # Ada's self-assessment is still in progress: she has nothing to wait for yet.
    assert NOTHING in _home(client, council)


def test_submitted_assessment_is_waiting_for_a_decision(client: Any, council: Any) -> None:
    Assessment.objects.filter(pk=council.holder_assessment.pk).update(
        status=Assessment.Status.SUBMITTED
    )
    page = _home(client, council)
    assert NOTHING not in page
    assert "In progress: what you are waiting for" in page
    assert "self-assessment has been sent" in page
    assert "decides what support is needed" in page


def test_budget_waiting_for_sign_off_says_what_happens_next(client: Any, council: Any) -> None:
    _allocation(council, council.holder_assessment)  # awaiting sign-off
    page = _home(client, council)
    assert "Your budget is waiting for sign-off" in page
    assert "A manager checks the amount and signs it off." in page
    assert NOTHING not in page


def test_open_request_to_look_again_shows_its_date(client: Any, council: Any) -> None:
    allocation = _allocation(council, council.holder_assessment)
    Challenge.objects.create(
        allocation=allocation,
        ras_version=allocation.ras_version,
        contested_weekly_pence=2000,
        reasons="My needs are higher",
        raised_by=council.users[Role.HOLDER],
        respond_by=dt.date(2031, 3, 4),
    )
    page = _home(client, council)
    assert "Your request to look again at the budget" in page
    assert "By 4 March 2031" in page
    assert NOTHING not in page


def test_representative_sees_the_persons_open_items_by_name(client: Any, council: Any) -> None:
    """On behalf of: the representative reads "Ada Holder's", not "Your"."""
    records_build(council)
    page = _home(client, council, Role.REPRESENTATIVE)
    assert "Ada Holder&#x27;s request to look again at the budget" in page
    assert "By 1 January 2030" in page


def test_review_asked_for_is_listed_until_done(client: Any, council: Any) -> None:
    r = records_build(council)["own"]
    review = Review.objects.create(
        plan=r.approved,
        kind=Review.Kind.REQUESTED,
        reason="My needs changed",
        due_date=dt.date(2031, 5, 6),
    )
    page = _home(client, council)
    assert "Your review that was asked for" in page and "By 6 May 2031" in page
    Review.objects.filter(pk=review.pk).update(status=Review.Status.DONE)
    assert "Your review that was asked for" not in _home(client, council)


def test_someone_elses_items_are_not_listed(client: Any, council: Any) -> None:
    """Bea's open request (team B) is not on Ada's home page."""
    records_build(council)
    Challenge.objects.filter(allocation__person=council.holder_person).delete()
    page = _home(client, council)
    assert "Bea" not in page


def test_only_the_kinds_in_progress_are_read(council: Any) -> None:
    """Issue 10 (the holder's home under load): two small queries find which kinds of thing
    are in progress, and only those kinds' lists are read; nothing in progress, nothing more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from selfdirect.portal.waiting import KINDS, in_progress_kinds, waiting_for

    holder = council.users[Role.HOLDER]
    today = dt.date.today()
    assert in_progress_kinds(holder, today) == frozenset()
    with CaptureQueriesContext(connection) as asked:
        assert waiting_for(holder, today) == []
    assert len(asked) == 2
    Assessment.objects.filter(pk=council.holder_assessment.pk).update(
        status=Assessment.Status.SUBMITTED
    )
    assert in_progress_kinds(holder, today) == {"assessment"}
    assert [w.what for w in waiting_for(holder, today)] == [
        w.what for w in waiting_for(holder, today, kinds=KINDS)
    ]
    # Staff read by their own rules: every kind is read for them.
    assert in_progress_kinds(council.users[Role.PRACTITIONER], today) == KINDS


def test_what_a_representative_waits_for_is_found_through_the_relationship(
    council: Any,
) -> None:
    """The one query looks past the person's own record to everyone they act for."""
    from selfdirect.portal.waiting import KINDS, in_progress_kinds, waiting_for

    records_build(council)
    representative = council.users[Role.REPRESENTATIVE]
    today = dt.date.today()
    assert "challenge" in in_progress_kinds(representative, today)
    gated = [w.what for w in waiting_for(representative, today)]
    assert gated and gated == [w.what for w in waiting_for(representative, today, kinds=KINDS)]
