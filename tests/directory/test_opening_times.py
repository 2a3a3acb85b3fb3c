"""Searching by opening time: a day, "at weekends", and a part of the day (morning,
afternoon, evening), all read from the services' weekly schedules in force today, in the
person's search and in the staff's choosing of a service for a plan line."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from selfdirect.directory.models import Schedule, Service
from selfdirect.directory.selectors import Search, service_search
from tests.directory.builders import service_build

pytestmark = pytest.mark.django_db


def _hours(service: Service, byday: str, opens: str, closes: str, **extra: Any) -> None:
    service.schedules.all().delete()
    Schedule.objects.create(
        service=service,
        byday=byday,
        opens_at=dt.time.fromisoformat(opens),
        closes_at=dt.time.fromisoformat(closes),
        **extra,
    )


@pytest.fixture
def week() -> dict[str, Service]:
    mornings = service_build(name="Weekday Mornings")  # MO-FR 07:00-10:30
    saturday = service_build(name="Saturday Club")
    _hours(saturday, "SA", "10:00", "16:00")
    evenings = service_build(name="Evening Sitters")
    _hours(evenings, "TU,TH", "18:00", "22:00")
    nights = service_build(name="Night Support")
    _hours(nights, "SU", "21:00", "07:00")  # past midnight
    unknown = service_build(name="Hours Unknown")
    unknown.schedules.update(opens_at=None, closes_at=None, byday="MO,SA")
    return {"mornings": mornings, "saturday": saturday, "evenings": evenings}


def _names(**search: Any) -> list[str]:
    return sorted(f.service.name for f in service_search(Search(**search)).items)


def test_a_part_of_the_day_finds_services_open_then(week: Any) -> None:
    assert _names(time="morning") == ["Saturday Club", "Weekday Mornings"]
    assert _names(time="afternoon") == ["Saturday Club"]
    assert _names(time="evening") == ["Evening Sitters", "Night Support"]


def test_at_weekends_finds_saturday_or_sunday(week: Any) -> None:
    assert _names(day="weekend") == ["Hours Unknown", "Night Support", "Saturday Club"]


def test_day_and_time_must_be_on_the_same_schedule(week: Any) -> None:
    # Open on Saturdays, and in the mornings, but not on Saturday mornings.
    mixed = service_build(name="Mixed Hours")
    _hours(mixed, "SA", "18:00", "20:00")
    Schedule.objects.create(service=mixed, byday="MO", opens_at=dt.time(8), closes_at=dt.time(11))
    assert _names(day="SA", time="morning") == ["Saturday Club"]
    assert "Mixed Hours" in _names(day="SA", time="evening")
    assert "Mixed Hours" in _names(day="MO", time="morning")


def test_a_schedule_no_longer_in_force_does_not_count(week: Any) -> None:
    _hours(
        week["saturday"], "SA", "10:00", "16:00", valid_to=dt.date.today() - dt.timedelta(days=1)
    )
    assert "Saturday Club" not in _names(day="weekend")
    assert "Saturday Club" not in _names(time="afternoon")


def test_the_person_searches_by_opening_time_on_the_page(client: Any, week: Any) -> None:
    response = client.get(reverse("directory:search"), {"day": "weekend", "time": "morning"})
    text = response.content.decode()
    assert "1 service found" in text
    assert "Saturday Club" in text and "Weekday Mornings" not in text
    assert 'value="weekend" selected' in text and 'value="morning" selected' in text


def test_an_unknown_time_of_day_is_an_error_naming_the_field(client: Any, week: Any) -> None:
    response = client.get(reverse("directory:search"), {"time": "midnight"})
    text = response.content.decode()
    assert "<title>Error: " in text
    assert 'href="#time"' in text or 'href="#id_time"' in text
