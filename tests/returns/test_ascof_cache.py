"""ASCOF 3D kept per date under a fingerprint of its inputs (decision 0058): the page
reads the kept figures with a few aggregate queries instead of building every Service row
of the council again, yet a change to a person, a plan, a line or a switch is counted at
once. And the snapshot read from the year's rows equals the snapshot's own rows.

The caseload is tests/returns/test_ascof.py's, worked out by hand there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache

from selfdirect.people import codes
from selfdirect.people.models import Person
from selfdirect.planning.models import LineSwitch, PlanLine
from selfdirect.returns import ascof
from selfdirect.returns.cld import Period, cld_services
from tests.factories import make_user
from tests.returns.test_ascof import AS_AT, _held, caseload  # noqa: F401 (the fixture)


def _figures(result: ascof.Ascof) -> tuple[Any, ...]:
    return (
        [(f.part.code, f.age_band, f.numerator, f.denominator) for f in result.figures],
        dict(result.left_out),
    )


def test_the_kept_figures_are_a_fresh_count_and_follow_every_change(
    caseload: None,  # noqa: F811
    django_assert_num_queries: Any,
) -> None:
    cache.clear()
    first = ascof.ascof_measures(AS_AT)
    assert _figures(first) == _figures(ascof.ascof_compute(AS_AT))
    # Read again: only the fingerprint's four aggregate queries, no Service rows.
    with django_assert_num_queries(4):
        again = ascof.ascof_measures(AS_AT)
    assert _figures(again) == _figures(first)
    users = first.total("3D part 1a")

    # A service user moves into a nursing home (saved through the model, as every service
    # does): no longer in community support, so out of the denominator at once.
    person = Person.objects.get(la_person_id="U1")
    person.accommodation_status = codes.AccommodationStatus.NURSING_HOME
    person.save()
    moved = ascof.ascof_measures(AS_AT)
    assert moved.total("3D part 1a").denominator == users.denominator - 1
    assert _figures(moved) == _figures(ascof.ascof_compute(AS_AT))

    # A new person with a direct payment: counted at once.
    _held(make_user("worker-2", ["practitioner"]), "NEW", dt.date(1970, 1, 1), ["direct_payment"])
    added = ascof.ascof_measures(AS_AT)
    assert added.total("3D part 2a").numerator == moved.total("3D part 2a").numerator + 1
    assert _figures(added) == _figures(ascof.ascof_compute(AS_AT))

    # Their line switches to council-arranged support before the date: no longer a direct
    # payment; the switch undone: a direct payment again.
    line = PlanLine.objects.get(plan__person__la_person_id="NEW")
    switch = LineSwitch.objects.create(
        line=line,
        effective_date=AS_AT - dt.timedelta(days=10),
        from_deployment="direct_payment",
        to_deployment="council_commissioned",
        old_part_pence=0,
        new_part_pence=0,
        switched_by=make_user("worker-3", ["practitioner"]),
    )
    switched = ascof.ascof_measures(AS_AT)
    assert switched.total("3D part 2a").numerator == moved.total("3D part 2a").numerator
    assert _figures(switched) == _figures(ascof.ascof_compute(AS_AT))
    from django.utils import timezone

    switch.undone_at = timezone.now()
    switch.undone_by = switch.switched_by
    switch.save()
    assert _figures(ascof.ascof_measures(AS_AT)) == _figures(added)


def test_the_snapshot_from_the_years_rows_is_the_snapshots_own(caseload: None) -> None:  # noqa: F811
    for day in (AS_AT, dt.date(2026, 4, 1), dt.date(2025, 9, 30)):
        from_year = {
            (r["_person_pk"], r["Event Reference"], r["Service Type"], r["Delivery Mechanism"])
            for r in cld_services(ascof.year_ending(day))
            if ascof._in_force_on(r, day)
        }
        own = {
            (r["_person_pk"], r["Event Reference"], r["Service Type"], r["Delivery Mechanism"])
            for r in cld_services(Period(day, day))
        }
        assert from_year == own and own
