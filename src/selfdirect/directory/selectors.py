"""Reading the directory: searching as a person would (need words to taxonomy terms,
distance from a postcode's centroid, cost, language, day), one service with all it needs
to show, and the services a provider may change. The directory holds no one's personal
data, so anyone may read it; reviews are published ones only."""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from selfdirect.directory import geo
from selfdirect.directory.models import (
    Location,
    Postcode,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceReview,
    TaxonomyTerm,
)

PAGE_SIZE = 20
DAYS = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday"}
DAYS |= {"SA": "Saturday", "SU": "Sunday"}
WEEKEND = "weekend"  # the day filter's "At weekends": Saturday or Sunday
# Parts of the day for the opening-time filter: a service is open in one when a schedule's
# hours overlap it (opens before it ends and closes after it starts; a schedule closing
# "before" it opens runs past midnight, so it is open in the evening).
MORNING, AFTERNOON, EVENING = "morning", "afternoon", "evening"
TIMES_OF_DAY: dict[str, tuple[str, dt.time, dt.time]] = {
    MORNING: ("In the morning (before 12 noon)", dt.time(0, 0), dt.time(12, 0)),
    AFTERNOON: ("In the afternoon (12 noon to 5pm)", dt.time(12, 0), dt.time(17, 0)),
    EVENING: ("In the evening (after 5pm)", dt.time(17, 0), dt.time(23, 59, 59)),
}
_WORD = re.compile(r"[a-z0-9']+")


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def term_phrases(term: TaxonomyTerm) -> list[str]:
    phrases = [term.name, *re.split(r"[,\n]", term.synonyms)]
    return [p for p in (_words(x) for x in phrases) if p]


def terms_for_need(need: str) -> list[TaxonomyTerm]:
    """The terms whose name or plain-English synonyms are in what the person typed (or
    what they typed is part of one): "help getting up in the morning" -> Personal care."""
    asked = _words(need)
    if len(asked) < 3:
        return []
    found = []
    for term in TaxonomyTerm.objects.all():
        for phrase in term_phrases(term):
            if f" {phrase} " in f" {asked} " or (len(asked) >= 4 and asked in phrase):
                found.append(term)
                break
    return found


def services_for_export() -> QuerySet[Service]:
    """Services with everything service_oruk writes, in few queries."""
    return Service.objects.select_related("organization").prefetch_related(
        "schedules",
        "areas",
        "languages",
        "cost_options",
        "contacts__phones",
        Prefetch("at_locations", queryset=ServiceAtLocation.objects.select_related("location")),
        Prefetch("terms", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
    )


def service_get(service_id: Any) -> Service | None:
    try:
        pk = uuid.UUID(str(service_id))
    except ValueError:  # a malformed id: as if it did not exist
        return None
    return services_for_export().filter(pk=pk).first()


def postcode_centroid(key: str) -> Postcode | None:
    return Postcode.objects.filter(postcode=key).first()


@dataclass
class Found:
    service: Service
    distance_m: int | None
    from_pence: int | None

    @property
    def distance_text(self) -> str:
        return geo.miles_text(self.distance_m) if self.distance_m is not None else ""


@dataclass
class Search:
    need: str = ""
    postcode: str | None = None  # the key, "DM12AB"
    within_miles: int | None = None
    max_pence: int | None = None
    language: str = ""
    day: str = ""  # a DAYS code, WEEKEND, or "" for any day
    time: str = ""  # a TIMES_OF_DAY code, or "" for any time
    statuses: tuple[str, ...] = (Service.Status.ACTIVE,)  # staff search every status


@dataclass
class Results:
    items: list[Found]
    count: int
    page: int
    pages: int
    terms: list[TaxonomyTerm] = field(default_factory=list)
    postcode_known: bool = True


def _nearest(locations: list[Location], centre: Postcode) -> int | None:
    metres = [
        geo.distance_m(centre.latitude, centre.longitude, loc.latitude, loc.longitude)
        for loc in locations
        if loc.latitude is not None and loc.longitude is not None
    ]
    return min(metres) if metres else None


def open_when(day: str, time: str, today: dt.date) -> Q:
    """Services with a weekly schedule in force today that opens on ``day`` (a DAYS code
    or WEEKEND) and overlaps the part of the day ``time``. All on one schedule: open on
    Saturday mornings is not open on Saturday evenings and on Monday mornings. A schedule
    without hours does not match a time (the hours are not known)."""
    q = Q(schedules__freq="WEEKLY") & (
        Q(schedules__valid_from__isnull=True) | Q(schedules__valid_from__lte=today)
    )
    q &= Q(schedules__valid_to__isnull=True) | Q(schedules__valid_to__gte=today)
    if day == WEEKEND:
        q &= Q(schedules__byday__contains="SA") | Q(schedules__byday__contains="SU")
    elif day in DAYS:
        q &= Q(schedules__byday__contains=day)
    if time in TIMES_OF_DAY:
        _label, starts, ends = TIMES_OF_DAY[time]
        q &= Q(schedules__opens_at__isnull=False, schedules__closes_at__isnull=False)
        q &= Q(schedules__opens_at__lt=ends)
        q &= Q(schedules__closes_at__gt=starts) | Q(
            schedules__closes_at__lt=F("schedules__opens_at")
        )
    return q


def service_search(search: Search, page: int = 1) -> Results:
    services = Service.objects.filter(status__in=search.statuses).select_related("organization")
    terms = terms_for_need(search.need) if search.need else []
    if terms:
        services = services.filter(terms__in=terms)
    elif search.need:
        words = _words(search.need)
        services = services.filter(Q(name__icontains=words) | Q(description__icontains=words))
    if search.language:
        services = services.filter(
            Q(languages__name__iexact=search.language) | Q(languages__code__iexact=search.language)
        )
    if search.day in DAYS or search.day == WEEKEND or search.time in TIMES_OF_DAY:
        services = services.filter(open_when(search.day, search.time, timezone.localdate()))
    if search.max_pence is not None:
        services = services.filter(cost_options__amount_pence__lte=search.max_pence)
    centre = postcode_centroid(search.postcode) if search.postcode else None
    if centre is not None and search.within_miles:
        # A box around the circle first (a degree of latitude is 69 miles), then the exact
        # distance below.
        dlat = Decimal(search.within_miles) / 69
        cos = Decimal(max(0.1, math.cos(math.radians(float(centre.latitude)))))
        dlon = dlat / cos
        services = services.filter(
            at_locations__location__latitude__range=(
                centre.latitude - dlat,
                centre.latitude + dlat,
            ),
            at_locations__location__longitude__range=(
                centre.longitude - dlon,
                centre.longitude + dlon,
            ),
        )
    services = services.distinct().annotate(from_pence=Min("cost_options__amount_pence"))
    services = services.prefetch_related(
        Prefetch("at_locations", queryset=ServiceAtLocation.objects.select_related("location"))
    )
    found = []
    for service in services:
        distance = None
        if centre is not None:
            distance = _nearest([sal.location for sal in service.at_locations.all()], centre)
            limit = search.within_miles
            if limit and (distance is None or distance > limit * geo.METRES_PER_MILE):
                continue
        found.append(Found(service, distance, service.from_pence))
    if centre is not None:
        found.sort(key=lambda f: (f.distance_m is None, f.distance_m or 0, f.service.name))
    else:
        found.sort(key=lambda f: (f.service.name.lower(), str(f.service.pk)))
    pages = max(1, math.ceil(len(found) / PAGE_SIZE))
    page = min(max(1, page), pages)
    return Results(
        items=found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        count=len(found),
        page=page,
        pages=pages,
        terms=terms,
        postcode_known=centre is not None or not search.postcode,
    )


def schedule_text(schedule: Schedule) -> str:
    """ "Monday, Tuesday: 9:00am to 5:00pm" (with the schedule's own words, if any)."""
    days = [DAYS[d.strip()] for d in schedule.byday.split(",") if d.strip() in DAYS]
    parts = [", ".join(days)] if days else []
    if schedule.opens_at and schedule.closes_at:
        hours = f"{_clock(schedule.opens_at)} to {_clock(schedule.closes_at)}"
        parts = [f"{parts[0]}: {hours}"] if parts else [hours]
    if schedule.description:
        parts.append(f"({schedule.description})" if parts else schedule.description)
    return " ".join(parts)


def _clock(t: dt.time) -> str:
    return f"{t.hour % 12 or 12}:{t.minute:02d}{'am' if t.hour < 12 else 'pm'}"


def reviews_published(service: Service) -> list[ServiceReview]:
    return list(service.reviews.filter(status=ServiceReview.Status.PUBLISHED))


def services_of_provider(provider_id: int | None) -> QuerySet[Service]:
    if provider_id is None:
        return Service.objects.none()
    return Service.objects.filter(organization_id=provider_id).order_by("name")


def service_unit_cost(service: Service) -> int | None:
    """The price a plan line takes from a service: its lowest priced option in force."""
    prices = [c.amount_pence for c in service.cost_options.all() if c.amount_pence]
    return min(prices) if prices else None
