"""The PA's own timesheet link (decision 0054): the person makes a private link for one PA,
the PA enters their hours on it without signing in, and the person approves the timesheet
or sends it back with the reason. The link is kept only as a hash, works until it expires,
is stopped or is locked after bad submissions in a row, and shows nothing of the person's
record but their first name."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.employers import services
from selfdirect.employers.models import PaLink, Timesheet
from selfdirect.notify.models import Message
from selfdirect.refusals import Refused
from tests.employers.conftest import add_pa

pytestmark = pytest.mark.django_db

WEEK = dt.date(2025, 6, 9)  # a Monday after the PA started


def _week(day: dt.date = WEEK, hours: str = "12.5", note: str = "") -> dict[str, str]:
    return {
        "week_starting_day": str(day.day),
        "week_starting_month": str(day.month),
        "week_starting_year": str(day.year),
        "hours": hours,
        "note": note,
    }


def _link(council: Any, pa: Any = None) -> tuple[Any, PaLink, str]:
    pa = pa or add_pa(council)
    link, token = services.pa_link_create(actor=council.users[Role.HOLDER], assistant=pa)
    return pa, link, token


def _url(token: str) -> str:
    return reverse("employers:pa_timesheet", args=[token])


def test_the_holder_makes_a_link_shown_once_and_kept_only_as_a_hash(
    client: Any, council: Any
) -> None:
    pa = add_pa(council)
    client.force_login(council.users[Role.HOLDER])
    response = client.post(reverse("employers:pa_link", args=[pa.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    address = re.search(r'id="pa-link"[^>]*>(http[^<]+)</textarea>', page)
    assert address is not None
    token = address.group(1).rstrip("/").rsplit("/", 1)[1]
    link = PaLink.objects.get()
    assert link.assistant == pa and link.revoked_at is None
    assert link.token_hash == services.link_hash(token) and token not in link.token_hash
    assert len(token) >= 40  # 32 random bytes
    assert link.expires_at - timezone.now() > dt.timedelta(days=services.LINK_DAYS - 1)
    event = Event.objects.get(object_type="palink", action=Action.CREATE)
    assert event.actor == council.users[Role.HOLDER] and event.person == council.holder_person
    assert token not in str(event.changes) + event.summary
    # Shown once: the link's own page lists it, never the token again.
    again = client.get(reverse("employers:pa_link", args=[pa.pk])).content.decode()
    assert token not in again and "Working" in again


def test_a_new_link_stops_the_one_before(council: Any) -> None:
    pa, first, first_token = _link(council)
    _pa, second, second_token = _link(council, pa)
    first.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None
    assert Client().get(_url(first_token)).status_code == 410
    assert Client().get(_url(second_token)).status_code == 200


def test_the_pa_sees_only_their_name_and_the_employers_first_name(council: Any) -> None:
    pa, link, token = _link(council)
    person = council.holder_person
    response = Client().get(_url(token))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Your hours for {person.given_name}" in page and pa.name in page
    assert person.family_name not in page
    assert person.la_person_id not in page
    assert "Sign out" not in page
    assert response["Referrer-Policy"] == "same-origin"  # never to another site
    assert "no-store" in response["Cache-Control"]
    # The look is recorded about the person, with no actor and the link's id.
    look = Event.objects.filter(action=Action.VIEW, object_type="palink").get()
    assert look.actor is None and look.person == person and look.object_id == str(link.pk)


def test_the_pa_enters_a_week_and_it_waits_for_the_holders_approval(council: Any) -> None:
    pa, link, token = _link(council)
    pa_client = Client()
    response = pa_client.post(_url(token), _week(note="Covered the bank holiday"))
    assert response.status_code == 302 and response["Location"] == _url(token)
    sheet = Timesheet.objects.get()
    assert sheet.status == Timesheet.Status.ENTERED
    assert sheet.entered_by is None and sheet.entered_via == link and sheet.by_the_pa
    assert (sheet.hours_hundredths, sheet.amount_pence) == (1250, 16250)  # 12.5 x £13.00
    event = Event.objects.get(object_type="timesheet", action=Action.CREATE)
    assert event.actor is None and event.actor_username == ""
    assert event.changes["Entered through link"] == [None, link.pk]
    assert "through their timesheet link" in event.summary
    told = Message.objects.get(recipient=council.users[Role.HOLDER])
    assert told.subject == f"{pa.name} has sent a timesheet to approve"
    assert "Waiting for approval" in pa_client.get(_url(token)).content.decode()
    link.refresh_from_db()
    assert link.last_used_at is not None


def test_a_bad_timesheet_names_the_field_and_adds_nothing(council: Any) -> None:
    _pa, link, token = _link(council)
    response = Client().post(_url(token), _week(hours="200"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert 'href="#id_hours"' in page and services.WEEK_HOURS_TOO_MANY in page
    future = timezone.localdate() + dt.timedelta(days=14)
    page = Client().post(_url(token), _week(day=future)).content.decode()
    assert services.WEEK_NOT_STARTED in page and 'href="#id_week_starting' in page
    assert not Timesheet.objects.exists()
    link.refresh_from_db()
    assert link.failures == 2


def test_repeated_bad_submissions_lock_the_link(council: Any) -> None:
    _pa, link, token = _link(council)
    pa_client = Client()
    for _ in range(services.LINK_MAX_FAILURES - 1):
        assert pa_client.post(_url(token), _week(hours="0")).status_code == 200
    locked = pa_client.post(_url(token), _week(hours="0"))
    assert locked.status_code == 410
    assert "locked after too many wrong tries" in locked.content.decode()
    link.refresh_from_db()
    assert link.locked_at is not None
    event = Event.objects.get(object_type="palink", summary__contains="locked")
    assert event.actor is None and event.person == council.holder_person
    # Locked: even a good week is not taken, and the page stays plain.
    assert pa_client.post(_url(token), _week()).status_code == 410
    assert pa_client.get(_url(token)).status_code == 410
    assert not Timesheet.objects.exists()


def test_a_good_timesheet_starts_the_count_of_bad_ones_again(council: Any) -> None:
    _pa, link, token = _link(council)
    pa_client = Client()
    for _ in range(services.LINK_MAX_FAILURES - 1):
        pa_client.post(_url(token), _week(hours="0"))
    assert pa_client.post(_url(token), _week()).status_code == 302
    link.refresh_from_db()
    assert link.failures == 0 and link.locked_at is None


def test_expired_and_stopped_links_answer_a_plain_page_and_unknown_ones_404(
    council: Any,
) -> None:
    pa, link, token = _link(council)
    PaLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    expired = Client().get(_url(token))
    assert expired.status_code == 410
    page = expired.content.decode()
    assert "This link no longer works" in page and pa.name not in page
    assert Client().post(_url(token), _week()).status_code == 410
    _pa, stopped, stopped_token = _link(council, pa)
    services.pa_link_revoke(actor=council.users[Role.REPRESENTATIVE], link=stopped)
    assert Client().get(_url(stopped_token)).status_code == 410
    with pytest.raises(Refused, match=services.LINK_ALREADY_REVOKED):
        services.pa_link_revoke(actor=council.users[Role.HOLDER], link=stopped)
    assert Client().get(_url("no-such-link-at-all")).status_code == 404
    assert not Timesheet.objects.exists()


def test_the_service_refuses_a_stopped_link_though_the_page_was_open(council: Any) -> None:
    _pa, link, _token = _link(council)
    services.pa_link_revoke(actor=council.users[Role.HOLDER], link=link)
    with pytest.raises(Refused, match=services.LINK_NOT_WORKING):
        services.pa_link_timesheet_enter(link=link, week_starting=WEEK, hours_hundredths=100)
    assert not Timesheet.objects.exists()


def test_the_link_stops_when_the_pa_has_stopped(council: Any) -> None:
    pa, _link_made, token = _link(council)
    pa.end_date = timezone.localdate() - dt.timedelta(days=1)
    pa.save()
    assert Client().get(_url(token)).status_code == 410
    with pytest.raises(Refused, match=services.LINK_FOR_PAST_PA):
        services.pa_link_create(actor=council.users[Role.HOLDER], assistant=pa)


def test_the_pa_form_needs_its_csrf_token(council: Any) -> None:
    _pa, _link_made, token = _link(council)
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(_url(token)).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert strict.post(_url(token), _week()).status_code == 403
    assert not Timesheet.objects.exists()


def test_the_holder_sends_a_timesheet_back_and_the_pa_enters_the_week_again(
    client: Any, council: Any
) -> None:
    pa, _link_made, token = _link(council)
    pa_client = Client()
    pa_client.post(_url(token), _week(hours="40"))
    sheet = Timesheet.objects.get()
    client.force_login(council.users[Role.HOLDER])
    back = reverse("employers:timesheet_send_back", args=[sheet.pk])
    refused = client.post(back, {"reason": "  "})
    assert refused.status_code == 200 and services.REASON_NEEDED in refused.content.decode()
    assert client.post(back, {"reason": "You worked 30 hours that week"}).status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == Timesheet.Status.RETURNED
    assert sheet.returned_by == council.users[Role.HOLDER]
    event = Event.objects.get(object_type="timesheet", summary__startswith="Timesheet sent back")
    assert event.changes["Reason"] == [None, "You worked 30 hours that week"]
    # The PA reads the reason on their link, and enters the week again.
    assert "You worked 30 hours that week" in pa_client.get(_url(token)).content.decode()
    assert pa_client.post(_url(token), _week(hours="30")).status_code == 302
    again = Timesheet.objects.get(status=Timesheet.Status.ENTERED)
    assert again.week_starting == WEEK and again.hours_hundredths == 3000
    # A sent-back timesheet is never approved; the new one is.
    with pytest.raises(Refused, match=services.RETURNED_NOT_APPROVED):
        services.timesheet_approve(actor=council.users[Role.HOLDER], timesheet=sheet)
    response = client.post(reverse("employers:timesheet_approve", args=[again.pk]))
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.status == Timesheet.Status.APPROVED
    page = client.get(reverse("employers:person", args=[council.holder_person.pk])).content
    assert f"Entered by {pa.name}" in page.decode()


def test_only_a_waiting_timesheet_is_sent_back(council: Any) -> None:
    pa = add_pa(council)
    holder = council.users[Role.HOLDER]
    sheet = services.timesheet_enter(
        actor=holder, assistant=pa, week_starting=WEEK, hours_hundredths=1000
    )
    services.timesheet_approve(actor=holder, timesheet=sheet)
    with pytest.raises(Refused, match=services.ONLY_WAITING_RETURNED):
        services.timesheet_send_back(actor=holder, timesheet=sheet, reason="Wrong")
    sheet.refresh_from_db()
    assert sheet.status == Timesheet.Status.APPROVED and sheet.returned_reason == ""


def test_a_week_after_the_pa_stopped_is_refused(council: Any) -> None:
    pa = add_pa(council, end_date=WEEK - dt.timedelta(days=1))
    with pytest.raises(Refused, match=services.WEEK_AFTER_END) as refused:
        services.timesheet_enter(
            actor=council.users[Role.HOLDER], assistant=pa, week_starting=WEEK, hours_hundredths=1
        )
    assert refused.value.field == "week_starting"


def test_another_holders_link_is_refused_and_recorded(client: Any, council: Any) -> None:
    _pa, link, token = _link(council)
    from tests.factories import PersonFactory, make_user

    stranger = make_user("stranger", [Role.HOLDER], person=PersonFactory(team=council.team_b))
    client.force_login(stranger)
    response = client.post(reverse("employers:pa_link_revoke", args=[link.pk]))
    assert response.status_code == 404
    assert Event.objects.filter(action=Action.DENIED, actor=stranger, object_type="palink")
    link.refresh_from_db()
    assert link.revoked_at is None
    assert Client().get(_url(token)).status_code == 200


def test_the_whole_record_export_lists_the_links_without_their_secret(council: Any) -> None:
    from selfdirect.employers.selectors import employer_record

    _pa, link, _token = _link(council)
    exported = employer_record(council.holder_person)["timesheet_links"]
    assert [row["id"] for row in exported] == [link.pk]
    assert "token_hash" not in exported[0] and link.token_hash not in str(exported)
