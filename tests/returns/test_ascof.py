"""ASCOF 3D (formerly 1C), docs/ascof.md: a small caseload worked out by hand gives exactly
these numerators, denominators and proportions, for service users (a snapshot on 31 March
2026) and carers (the year to 31 March 2026), by age. A person with a direct payment for
one service and council-arranged support for another ("part direct payment") counts in
both numerators, as the definition says. And the page, its chart and its CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse

from selfdirect.allocation.services import ras_versions_install_defaults
from selfdirect.assessment.services import questionnaires_install_defaults
from selfdirect.people import codes
from selfdirect.planning.models import SupportPlan
from selfdirect.returns.ascof import (
    ascof_default_date,
    ascof_measures,
    percent_tenths,
    year_ending,
)
from tests.factories import PersonFactory, make_user
from tests.returns.test_cld_export import _allocation, _assessment, _line

AS_AT = dt.date(2026, 3, 31)
UTC = dt.UTC


def _held(
    worker: Any,
    la_id: str,
    born: dt.date,
    deployments: list[str],
    *,
    client_type: str = codes.ClientType.SERVICE_USER,
    starts: dt.date = dt.date(2025, 4, 1),
    ends: dt.date | None = None,
    status: str = SupportPlan.Status.APPROVED,
    stream: str = "adult_social_care",
    accommodation: str = codes.AccommodationStatus.UNKNOWN,
) -> Any:
    """A person with one plan version and one line for each way of holding given."""
    person = PersonFactory(
        la_person_id=la_id,
        date_of_birth=born,
        client_type=client_type,
        accommodation_status=accommodation,
    )
    assessment = _assessment(
        worker, person, "self-assessment", dt.datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    )
    plan = SupportPlan.objects.create(
        person=person,
        allocation=_allocation(worker, assessment),
        led_by="person",
        starts_on=starts,
        ends_on=ends,
        status=status,
        created_by=worker,
    )
    for deployment in deployments:
        _line(plan, deployment=deployment, funding_stream=stream)
    return person


@pytest.fixture
def caseload(db: Any) -> None:
    questionnaires_install_defaults()
    ras_versions_install_defaults()
    w = make_user("worker", ["practitioner"])
    # Service users on 31 March 2026 (age on that day):
    _held(w, "U1", dt.date(1950, 1, 1), ["direct_payment"])  # 76: DP only
    _held(w, "U2", dt.date(1986, 1, 1), ["direct_payment", "council_commissioned"])  # 40: part DP
    _held(w, "U3", dt.date(1956, 1, 1), ["isf", "council_commissioned"])  # 70: managed PB
    _held(w, "U4", dt.date(1976, 1, 1), ["council_commissioned"])  # 50: commissioned only
    _held(w, "U5", dt.date(1996, 1, 1), ["third_party"])  # 30: DP through a third party
    # Not in the denominator:
    _held(
        w,
        "U6",
        dt.date(1950, 1, 1),
        ["direct_payment"],
        accommodation=codes.AccommodationStatus.CARE_HOME,
    )  # residential, not community
    _held(w, "U7", dt.date(1950, 1, 1), ["direct_payment"], ends=dt.date(2026, 2, 28))  # ended
    _held(w, "U8", dt.date(2008, 6, 1), ["direct_payment"])  # 17
    _held(w, "U9", dt.date(1950, 1, 1), ["direct_payment"], stream="nhs_chc")  # not social care
    _held(w, "U10", dt.date(1950, 1, 1), ["direct_payment"], status=SupportPlan.Status.DRAFT)
    _held(w, "U11", dt.date(1950, 1, 1), ["direct_payment"], starts=dt.date(2026, 4, 1))  # later
    # Carers in the year 1 April 2025 to 31 March 2026:
    carer = {"client_type": codes.ClientType.CARER, "stream": "carers_budget"}
    _held(w, "C1", dt.date(1976, 1, 1), ["direct_payment"], ends=dt.date(2025, 9, 30), **carer)
    _held(w, "C2", dt.date(1956, 1, 1), ["council_commissioned"], **carer)  # 70
    _held(w, "C3", dt.date(1960, 1, 1), ["managed_account"], **carer)  # 66
    _held(w, "C4", dt.date(1976, 1, 1), ["direct_payment"], ends=dt.date(2025, 3, 15), **carer)


# (part, age band) -> (numerator, denominator, proportion), worked out by hand above.
EXPECTED = {
    ("3D part 1a", "18 to 64"): (2, 3, "66.7%"),  # U2, U5 of U2, U4, U5
    ("3D part 1a", "65 and over"): (2, 2, "100.0%"),  # U1, U3
    ("3D part 1a", "All ages"): (4, 5, "80.0%"),
    ("3D part 2a", "18 to 64"): (2, 3, "66.7%"),  # U2 (part DP) and U5
    ("3D part 2a", "65 and over"): (1, 2, "50.0%"),  # U1, not U3 (managed)
    ("3D part 2a", "All ages"): (3, 5, "60.0%"),
    ("3D part 1b", "18 to 64"): (1, 1, "100.0%"),  # C1
    ("3D part 1b", "65 and over"): (1, 2, "50.0%"),  # C3 of C2, C3
    ("3D part 1b", "All ages"): (2, 3, "66.7%"),
    ("3D part 2b", "18 to 64"): (1, 1, "100.0%"),
    ("3D part 2b", "65 and over"): (0, 2, "0.0%"),
    ("3D part 2b", "All ages"): (1, 3, "33.3%"),
}


def test_hand_worked_caseload_gives_exact_proportions(caseload: None) -> None:
    result = ascof_measures(AS_AT)
    got = {
        (f.part.code, f.age_band): (f.numerator, f.denominator, f.percent) for f in result.figures
    }
    assert got == EXPECTED
    assert result.year.start == dt.date(2025, 4, 1) and result.year.end == AS_AT
    assert result.left_out == {
        "Service users: in Long Term Support: Residential Care, not community support": 1,
        "Service users: under 18": 1,
    }


def test_part_direct_payment_counts_in_both_numerators(db: Any) -> None:
    questionnaires_install_defaults()
    ras_versions_install_defaults()
    worker = make_user("worker", ["practitioner"])
    _held(worker, "MIX", dt.date(1980, 1, 1), ["council_commissioned", "direct_payment"])
    result = ascof_measures(AS_AT)
    assert (result.total("3D part 1a").numerator, result.total("3D part 1a").denominator) == (1, 1)
    assert (result.total("3D part 2a").numerator, result.total("3D part 2a").denominator) == (1, 1)


def test_a_snapshot_the_day_before_a_plan_starts_does_not_count_it(caseload: None) -> None:
    # U11's plan starts on 1 April 2026: counted on that day, not on 31 March.
    later = ascof_measures(dt.date(2026, 4, 1)).total("3D part 2a")
    assert (later.numerator, later.denominator) == (4, 6)  # U1, U2, U5, U11 of those + U4, U3


def test_proportions_are_rounded_half_up_in_whole_numbers() -> None:
    assert percent_tenths(2, 3) == 667
    assert percent_tenths(1, 8) == 125  # 12.5% exactly
    assert percent_tenths(1, 16) == 63  # 6.25% -> 6.3%
    assert percent_tenths(0, 0) is None


def test_the_year_and_the_default_snapshot_date() -> None:
    assert year_ending(dt.date(2024, 2, 29)).start == dt.date(2023, 3, 1)
    assert ascof_default_date(dt.date(2026, 3, 30)) == dt.date(2025, 3, 31)
    assert ascof_default_date(dt.date(2026, 3, 31)) == dt.date(2026, 3, 31)


def test_the_page_shows_the_table_chart_and_definitions(client: Any, caseload: None) -> None:
    client.force_login(make_user("analyst", ["commissioner"]))
    page = client.get(
        reverse("returns:ascof"), {"as_at_day": "31", "as_at_month": "3", "as_at_year": "2026"}
    ).content.decode()
    assert "As at 31 March 2026" in page
    assert '<title id="ascof-chart-title">ASCOF 3D as at 31 March 2026, all ages</title>' in page
    assert 'data-part="3D part 1a" data-age="All ages"' in page
    assert "80.0%" in page and "33.3%" in page
    assert "Carers (18 or over on the date) with support direct to the carer" in page


def test_a_bad_date_is_named_and_nothing_is_counted(client: Any, db: Any) -> None:
    client.force_login(make_user("analyst", ["commissioner"]))
    response = client.get(
        reverse("returns:ascof"), {"as_at_day": "31", "as_at_month": "2", "as_at_year": "2026"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "Date of the snapshot must be a real date" in page
    assert "ascof-table" not in page
    csv_answer = client.get(reverse("returns:ascof_csv"), {"as_at": "2026-02-31"})
    assert csv_answer.status_code == 400
    assert "Date of the snapshot must be a real date" in csv_answer.content.decode()


def test_the_csv_has_every_figure(client: Any, caseload: None) -> None:
    client.force_login(make_user("analyst", ["commissioner"]))
    response = client.get(reverse("returns:ascof_csv"), {"as_at": "2026-03-31"})
    assert response["Content-Disposition"] == 'attachment; filename="ascof-3d-2026-03-31.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    got = {
        (r["measure"], r["age_band"]): (int(r["numerator"]), int(r["denominator"]), r["percent"])
        for r in rows
    }
    assert got == {k: (n, d, p.rstrip("%")) for k, (n, d, p) in EXPECTED.items()}
    assert {r["counted_from"] for r in rows if r["who"] == "carers"} == {"2025-04-01"}


@pytest.mark.parametrize(
    ("role", "status"),
    [("commissioner", 200), ("manager", 200), ("holder", 403), ("practitioner", 403)],
)
def test_who_may_see_the_measures(client: Any, db: Any, role: str, status: int) -> None:
    client.force_login(make_user(f"someone-{role}", [role]))
    assert client.get(reverse("returns:ascof")).status_code == status
    assert client.get(reverse("returns:ascof_csv")).status_code == status


def test_the_market_dashboard_links_to_the_measures(client: Any, db: Any) -> None:
    client.force_login(make_user("analyst", ["commissioner"]))
    page = client.get(reverse("market:dashboard")).content.decode()
    assert f'href="{reverse("returns:ascof")}"' in page


def test_a_service_user_who_died_before_the_date_is_not_counted(db: Any) -> None:
    from selfdirect.people.models import Person

    questionnaires_install_defaults()
    ras_versions_install_defaults()
    worker = make_user("worker", ["practitioner"])
    alive = _held(worker, "A1", dt.date(1950, 1, 1), ["direct_payment"])
    died = _held(worker, "D1", dt.date(1950, 1, 1), ["direct_payment"])
    Person.objects.filter(pk=died.pk).update(date_of_death=dt.date(2026, 3, 30))
    Person.objects.filter(pk=alive.pk).update(date_of_death=AS_AT)  # died on the day: counted
    figure = ascof_measures(AS_AT).total("3D part 2a")
    assert (figure.numerator, figure.denominator) == (1, 1)
