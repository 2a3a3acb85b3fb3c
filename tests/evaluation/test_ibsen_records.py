"""The IBSEN reports from Selfdirect's records: who is in which group, what is left out and
why, the pages for commissioners (and no one else) and their downloads.

Ten people answer GHQ-12, ASCOT, quality of life, self-perceived health and satisfaction: five hold their plan as a direct
payment (£100.00 a week), five have council-commissioned support (£150.00 a week). The
direct payment group answers "no needs" in every ASCOT domain (placeholder score 4.57), the
council-arranged group "low needs" everywhere (2.28). One direct payment holder's answers
were given by a proxy. Bea answered too but has no plan, and one response is anonymous.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.evaluation import cohort, ibsen
from selfdirect.evaluation.report import SUPPRESSED
from selfdirect.planning.models import PlanLine, SupportPlan
from selfdirect.surveys import services
from selfdirect.surveys.models import Instrument
from tests.factories import PersonFactory
from tests.planning.test_plans import _approved_budget

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
WHEN = timezone.now() - dt.timedelta(days=2)


def _answer(council: Any, code: str, person: Any, answers: dict[str, Any], **kw: Any) -> None:
    services.response_record(
        actor=council.users[Role.PRACTITIONER],
        instrument=Instrument.objects.get(code=code, status=Instrument.Status.PUBLISHED),
        person=person,
        answered_by=kw.get("answered_by", "self"),
        channel="paper",
        submitted_at=kw.get("when", WHEN),
        answers=answers,
    )


def _build(council: Any) -> list[Any]:
    allocation = _approved_budget(council)
    people = []
    for i in range(10):
        direct = i < 5
        person = PersonFactory(
            team=council.holder_person.team,
            user_group="physical_disability" if i % 2 else "older_people",
            dementia="N",
            has_unpaid_carer="Y" if i % 3 else "N",
        )
        plan = SupportPlan.objects.create(
            person=person,
            allocation=allocation,
            led_by="person",
            starts_on=TODAY - dt.timedelta(days=30),
            status=SupportPlan.Status.APPROVED,
            created_by=council.users[Role.PRACTITIONER],
        )
        PlanLine.objects.create(
            plan=plan,
            description="support",
            category="personal_assistant" if direct else "home_care_agency",
            unit="week",
            unit_cost_pence=10_000 if direct else 15_000,
            quantity_hundredths=100,
            funding_stream="adult_social_care",
            deployment="direct_payment" if direct else "council_commissioned",
        )
        level = "no_needs" if direct else "low_needs"
        by = "proxy" if i == 0 else "self"
        ghq = {f"ghq{k:02d}": str((i + k) % 4) for k in range(1, 13)}
        _answer(council, "ghq-12", person, ghq, answered_by=by)
        _answer(
            council,
            "ascot",
            person,
            {f"current_{d}": level for d, _label in ibsen.ASCOT_DOMAINS},
            answered_by=by,
        )
        _answer(council, "quality-of-life", person, {"quality_of_life": str(2 + i % 4)})
        _answer(council, "self-perceived-health", person, {"health": "2" if direct else "3"})
        _answer(council, "satisfaction", person, {"support": "1" if direct else "4"})
        people.append(person)
    # An earlier answer of the first person's, replaced by the one above.
    _answer(
        council,
        "ascot",
        people[0],
        {f"current_{d}": "high_needs" for d, _label in ibsen.ASCOT_DOMAINS},
        when=WHEN - dt.timedelta(days=100),
    )
    _answer(council, "quality-of-life", council.other_person, {"quality_of_life": "4"})
    _answer(council, "quality-of-life", None, {"quality_of_life": "1"})
    return people


def test_the_cohort_from_records(council: Any) -> None:
    people = _build(council)
    gathered = cohort.cohort_from_records(on=TODAY)
    c = gathered.cohort
    assert gathered.anonymous == 1 and gathered.without_cost == 1  # Bea: no plan
    assert c.size == 10 and c.groups == ("Direct payment", "Council-arranged")
    assert sorted(c.group.tolist()) == ["Council-arranged"] * 5 + ["Direct payment"] * 5
    scores = ibsen.ascot(c.ascot_levels).scores
    by_group = {g: sorted(set(scores[c.group == g].round(2).tolist())) for g in c.groups}
    assert by_group == {"Direct payment": [4.57], "Council-arranged": [2.28]}  # latest only
    assert int(c.proxy.sum()) == 1
    assert c.satisfaction is not None and c.health is not None
    assert sorted(c.satisfaction.tolist()) == [1] * 5 + [4] * 5
    assert sorted(c.health.tolist()) == [2] * 5 + [3] * 5
    assert sorted(c.weekly_cost_pence.tolist()) == [10_000] * 5 + [15_000] * 5
    assert set(c.covariates["plan_not_agreed"].tolist()) == {0.0}
    assert set(c.covariates["physical_disability"].tolist()) == {0.0, 1.0}
    assert len(people) == 10


def test_grouped_by_user_group(council: Any) -> None:
    _build(council)
    c = cohort.cohort_from_records(on=TODAY, grouping=cohort.USER_GROUP).cohort
    assert sorted(set(c.group.tolist())) == ["Older people", "Physical disability"]


def test_commissioner_sees_the_outcomes_page_and_downloads_it(council: Any) -> None:
    _build(council)
    client = Client()
    client.force_login(council.users[Role.COMMISSIONER])
    page = client.get(reverse("ibsen:outcomes"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "placeholder preference weights" in text
    assert "anonymous responses are left out" in text
    assert "ASCOT current score" in text
    assert "Extremely or very satisfied with support (%)" in text
    download = client.get(reverse("ibsen:outcomes_download", kwargs={"fmt": "csv"}))
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    ascot = [r for r in rows if r[2] == "ASCOT current score" and r[3].endswith("mean or %")]
    assert [round(float(r[4]), 2) for r in ascot[:2]] == [4.57, 2.28]
    # Five people in each group: shown; a group of four would be suppressed.
    assert SUPPRESSED not in [r[4] for r in ascot[:2]]
    xlsx = client.get(reverse("ibsen:outcomes_download", kwargs={"fmt": "xlsx"}))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_commissioner_sees_cost_effectiveness_and_others_are_refused(council: Any) -> None:
    _build(council)
    client = Client()
    client.force_login(council.users[Role.COMMISSIONER])
    page = client.get(reverse("ibsen:cost_effectiveness"))
    assert page.status_code == 200
    text = page.content.decode()
    # Direct payment: £100.00 a week and ASCOT 4.57; council-arranged £150.00 and 2.28.
    assert "Direct payment dominates: it costs £50.00 a week less and does better." in text
    assert "Cost-effectiveness plane: ASCOT current score" in text
    assert "The approved support plan in force on the day" in text
    pdf = client.get(reverse("ibsen:cost_effectiveness_download", kwargs={"fmt": "pdf"}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    synthetic = client.get(reverse("ibsen:cost_effectiveness") + "?data=synthetic")
    assert "demonstration figures from synthetic data" in synthetic.content.decode()
    for role in (Role.PRACTITIONER, Role.MANAGER, Role.FINANCE, Role.HOLDER):
        other = Client()
        other.force_login(council.users[role])
        assert other.get(reverse("ibsen:cost_effectiveness")).status_code == 403
        assert other.get(reverse("ibsen:outcomes")).status_code == 403


def test_pages_with_no_answers_say_so(council: Any) -> None:
    client = Client()
    client.force_login(council.users[Role.COMMISSIONER])
    for name in ("ibsen:outcomes", "ibsen:cost_effectiveness"):
        page = client.get(reverse(name))
        assert page.status_code == 200
        assert "No one has answered the IBSEN questionnaires" in page.content.decode()


def test_cost_from_the_ledger_says_so_and_counts_who_has_no_payments(council: Any) -> None:
    from selfdirect.ledger import services as ledger

    people = _build(council)
    for i, person in enumerate(people[:4] + people[5:9]):
        ledger.budget_payment_post(
            actor=council.users[Role.FINANCE],
            person=person,
            deployment="direct_payment" if i < 4 else "council_commissioned",
            funding_stream="adult_social_care",
            period_key="this-month",
            amount_pence=84_000,  # £840 over the 12 weeks: £70.00 a week
            effective_date=TODAY - dt.timedelta(days=10),
        )
    client = Client()
    client.force_login(council.users[Role.COMMISSIONER])
    page = client.get(reverse("ibsen:cost_effectiveness") + "?source=ledger")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Weekly cost from the ledger: budget payments into the person" in text
    # Two people (and Bea) have no payments in the 12 weeks: left out, and counted.
    assert "3 people who answered are left out" in text
    # £70.00 a week in both groups: the difference in cost is nil.
    assert "Direct payment dominates: it costs the same and does better." in text


def test_the_pages_have_plain_titles_and_are_found_from_the_outcomes_report(
    council: Any,
) -> None:
    """The browser tab names the page in words (no markup), and a commissioner reaches the
    IBSEN pages from the outcomes report; a manager, who may not, is not offered them."""
    client = Client()
    client.force_login(council.users[Role.COMMISSIONER])
    for name, title in (
        ("ibsen:outcomes", "IBSEN outcomes by group"),
        ("ibsen:cost_effectiveness", "Cost-effectiveness by way of holding"),
    ):
        text = client.get(reverse(name)).content.decode()
        assert f"<title>{title} – Selfdirect</title>" in " ".join(text.split())
    report = client.get(reverse("evaluation:outcomes")).content.decode()
    assert reverse("ibsen:outcomes") in report and reverse("ibsen:cost_effectiveness") in report
    manager = Client()
    manager.force_login(council.users[Role.MANAGER])
    assert (
        reverse("ibsen:outcomes")
        not in manager.get(reverse("evaluation:outcomes")).content.decode()
    )
