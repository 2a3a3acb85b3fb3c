"""ASCOF measure 3D (formerly 1C): the proportion of people using social care who receive
self-directed support, and of those receiving direct payments, for service users and for
carers (docs/ascof.md; the Adult Social Care Outcomes Framework handbook of definitions,
and NHS England's "Reproducing ASCOF metrics from CLD - ASCOF 3D", as the domain digest
gives them: shared/domain/standards.md §3).

Computed the way NHS England computes it from the Client Level Data: from the Service rows
of our own CLD return (``cld.cld_services``), so the measures and the return never disagree.

- Service users (parts 1a and 2a) are a **snapshot** on the chosen date (31 March for the
  year's figure): adults (18 or over on the date) with Client Type "Service User" and a
  long-term support service in force on the date. Each person counts once, in their
  highest setting (nursing, then residential, then community, then prison); the
  denominator is those whose setting is community. Part 1a's numerator: those with any
  service delivered as a Direct Payment or a CASSR Managed Personal Budget. Part 2a's:
  those with any service delivered as a Direct Payment (direct payment only, or part
  direct payment: a person with one direct payment line and one commissioned line counts
  in both numerators).
- Carers (parts 1b and 2b) are **in the year** ending on the chosen date, not a snapshot:
  carers (Client Type "Carer" or "Carer known by association") 18 or over on the date
  with a "Carer Support: Direct to Carer" service in force at any time in the year. The
  numerators as for users.

Proportions are (numerator / denominator) × 100, given to one decimal place, for 18 to 64,
65 and over, and everyone. Worked in whole numbers: no floats.

The Service rows are built once, for the carers' year (the snapshot's rows are those of
the year in force on its last day). Building them reads every plan of the council, seconds
at 100,000 people, so ``ascof_measures`` keeps each date's result in Django's cache under
a fingerprint of everything the rows are made from (``inputs_fingerprint``): any change to
a person, a plan, a plan line or a switch makes a new fingerprint, so a figure is never
older than the records (decision 0058)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache

from selfdirect.people import codes
from selfdirect.returns.cld import (
    CARER_DIRECT,
    DIRECT_PAYMENT,
    LTS_COMMUNITY,
    LTS_NURSING,
    LTS_PRISON,
    LTS_RESIDENTIAL,
    MANAGED_BUDGET,
    Period,
    cld_services,
)

# The SALT hierarchy of settings: a person with services in two settings counts in the first.
SETTING_ORDER = (LTS_NURSING, LTS_RESIDENTIAL, LTS_COMMUNITY, LTS_PRISON)
SELF_DIRECTED = frozenset({DIRECT_PAYMENT, MANAGED_BUDGET})
CARER_CLIENT_TYPES = frozenset(
    {str(codes.ClientType.CARER), str(codes.ClientType.CARER_BY_ASSOCIATION)}
)
USER_CLIENT_TYPE = str(codes.ClientType.SERVICE_USER)

USERS, CARERS = "users", "carers"
AGE_BANDS = ("18 to 64", "65 and over", "All ages")


@dataclass(frozen=True)
class Part:
    code: str
    name: str
    who: str  # USERS or CARERS
    direct_payments_only: bool


PARTS = (
    Part("3D part 1a", "Service users receiving self-directed support", USERS, False),
    Part("3D part 2a", "Service users receiving direct payments", USERS, True),
    Part("3D part 1b", "Carers receiving self-directed support", CARERS, False),
    Part("3D part 2b", "Carers receiving direct payments", CARERS, True),
)


def percent_tenths(numerator: int, denominator: int) -> int | None:
    """(numerator / denominator) × 100 in tenths of a per cent, rounded half up; None when
    no one is in the denominator."""
    if denominator == 0:
        return None
    return (2 * numerator * 1000 + denominator) // (2 * denominator)


def percent_text(tenths: int | None) -> str:
    return "no one to count" if tenths is None else f"{tenths // 10}.{tenths % 10}%"


@dataclass(frozen=True)
class Figure:
    part: Part
    age_band: str
    numerator: int
    denominator: int

    @property
    def tenths(self) -> int | None:
        return percent_tenths(self.numerator, self.denominator)

    @property
    def percent(self) -> str:
        return percent_text(self.tenths)


@dataclass
class Ascof:
    as_at: dt.date
    year: Period  # the carers' year, ending on ``as_at``
    figures: list[Figure] = field(default_factory=list)
    # People with a service who are left out, and why (the page says so).
    left_out: dict[str, int] = field(default_factory=dict)

    def total(self, code: str) -> Figure:
        return next(f for f in self.figures if f.part.code == code and f.age_band == AGE_BANDS[2])


@dataclass
class _Person:
    born: dt.date | None
    died: dt.date | None
    client_type: str
    settings: set[str] = field(default_factory=set)
    mechanisms: set[str] = field(default_factory=set)


def year_ending(day: dt.date) -> Period:
    """The twelve months ending on ``day`` (for 31 March 2026: 1 April 2025 to 31 March 2026)."""
    try:
        year_before = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        year_before = day.replace(year=day.year - 1, day=28)
    return Period(year_before + dt.timedelta(days=1), day)


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _people(rows: Iterable[dict[str, str]]) -> dict[str, _Person]:
    people: dict[str, _Person] = {}
    for row in rows:
        person = people.setdefault(
            row["_person_pk"],
            _Person(
                born=dt.date.fromisoformat(row["Date of Birth"]) if row["Date of Birth"] else None,
                died=dt.date.fromisoformat(row["Date of Death"]) if row["Date of Death"] else None,
                client_type=row["Client Type"],
            ),
        )
        person.settings.add(row["Service Type"])
        person.mechanisms.add(row["Delivery Mechanism"])
    return people


def _band(born: dt.date, day: dt.date) -> str | None:
    age = age_on(born, day)
    if age < 18:
        return None
    return AGE_BANDS[0] if age < 65 else AGE_BANDS[1]


def _count(
    people: Iterable[_Person],
    parts: list[Part],
    day: dt.date,
    left_out: dict[str, int],
    who: str,
) -> list[Figure]:
    """Numerators and denominators of ``parts`` over ``people`` (already those in the
    denominator but for age), by age band on ``day``."""
    counts = {(p.code, b): [0, 0] for p in parts for b in AGE_BANDS}
    for person in people:
        reason = ""
        band = None if person.born is None else _band(person.born, day)
        if person.born is None:
            reason = f"{who}: no date of birth, so not known to be 18 or over"
        elif band is None:
            reason = f"{who}: under 18"
        if band is None:
            left_out[reason] = left_out.get(reason, 0) + 1
            continue
        for part in parts:
            counted = (
                DIRECT_PAYMENT in person.mechanisms
                if part.direct_payments_only
                else bool(person.mechanisms & SELF_DIRECTED)
            )
            for b in (band, AGE_BANDS[2]):
                counts[(part.code, b)][1] += 1
                counts[(part.code, b)][0] += int(counted)
    return [Figure(p, b, *counts[(p.code, b)]) for p in parts for b in AGE_BANDS]


def _in_force_on(row: dict[str, str], day: dt.date) -> bool:
    start, end = row["Event Start Date"], row["Event End Date"]
    return start <= day.isoformat() and (not end or end >= day.isoformat())


def ascof_compute(as_at: dt.date) -> Ascof:
    """ASCOF 3D, all four parts, as at ``as_at``, from the records (reads only)."""
    result = Ascof(as_at=as_at, year=year_ending(as_at))
    # One build for both: the year's Service rows; the snapshot's are those in force on
    # its last day (dates are ISO text, so they compare as dates).
    rows = cld_services(result.year)
    users = [
        person
        for person in _people(
            row
            for row in rows
            if row["Client Type"] == USER_CLIENT_TYPE
            and row["Service Type"] in SETTING_ORDER
            and _in_force_on(row, as_at)
        ).values()
        if person.died is None or person.died >= as_at
    ]
    in_community = []
    for person in users:
        setting = min(person.settings, key=SETTING_ORDER.index)
        if setting == LTS_COMMUNITY:
            in_community.append(person)
        else:
            reason = f"Service users: in {setting}, not community support"
            result.left_out[reason] = result.left_out.get(reason, 0) + 1
    carers = _people(
        row
        for row in rows
        if row["Client Type"] in CARER_CLIENT_TYPES and row["Service Type"] == CARER_DIRECT
    ).values()
    user_parts = [p for p in PARTS if p.who == USERS]
    carer_parts = [p for p in PARTS if p.who == CARERS]
    result.figures = _count(
        in_community, user_parts, as_at, result.left_out, "Service users"
    ) + _count(carers, carer_parts, as_at, result.left_out, "Carers")
    order = {p.code: i for i, p in enumerate(PARTS)}
    result.figures.sort(key=lambda f: (order[f.part.code], AGE_BANDS.index(f.age_band)))
    return result


def inputs_fingerprint() -> str:
    """What the Service rows are made from, in a few aggregate queries: people (any save
    moves ``updated_at``), plans (added, approved, superseded), their lines, and switches
    (made or undone). Equal fingerprints mean the same rows (decision 0058)."""
    from django.db.models import Count, Max, Q

    from selfdirect.people.models import Person
    from selfdirect.planning.models import LineSwitch, PlanLine, SupportPlan

    parts = [
        Person.objects.aggregate(n=Count("pk"), top=Max("pk"), changed=Max("updated_at")),
        SupportPlan.objects.aggregate(
            n=Count("pk"),
            top=Max("pk"),
            approved=Count("pk", filter=Q(status=SupportPlan.Status.APPROVED)),
            superseded=Count("pk", filter=Q(status=SupportPlan.Status.SUPERSEDED)),
            last_approved=Max("approved_at"),
        ),
        PlanLine.objects.aggregate(n=Count("pk"), top=Max("pk")),
        LineSwitch.objects.aggregate(
            n=Count("pk"), top=Max("pk"), undone=Count("undone_at"), last=Max("undone_at")
        ),
    ]
    text = "|".join(",".join(str(part[k]) for k in sorted(part)) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()


CACHE_SECONDS = 7 * 24 * 3600


def ascof_measures(as_at: dt.date) -> Ascof:
    """ASCOF 3D as at ``as_at``: worked out once for each state of the records (cached
    under the inputs' fingerprint), so it always equals ``ascof_compute(as_at)``."""
    key = f"returns:ascof:{as_at.isoformat()}:{inputs_fingerprint()}"
    cached = cache.get(key)
    if isinstance(cached, Ascof):
        return cached
    result = ascof_compute(as_at)
    cache.set(key, result, CACHE_SECONDS)
    return result


def ascof_default_date(today: dt.date) -> dt.date:
    """The last 31 March on or before ``today``: the snapshot date of the latest full year."""
    this_year = dt.date(today.year, 3, 31)
    return this_year if this_year <= today else dt.date(today.year - 1, 3, 31)
