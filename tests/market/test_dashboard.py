"""The market oversight dashboard (issue 14): a small council built by hand gives figures
worked out by hand below; the CSV has the same figures; only managers and commissioners
see either.

The period is 2025 (1 January to 31 December, 365 days). Spend is plan lines' weekly cost
x days in force / 7, rounded to the penny once for each stretch of a line:

Ada, one approved plan from 2 July (183 days in the period):
- L1 home care, 7 hours at £20.00 = £140.00 a week, Acme (council-commissioned) until it
  switched to Kindred (ISF) on 1 October: 91 days -> 182,000p; 92 days -> 184,000p.
- L2 personal assistant Sam, 3 hours at £15.00 = £45.00 a week, direct payment:
  4,500 x 183 / 7 = 117,642.86 -> 117,643p.
- L3 gym, £10.00 a week, direct payment: 1,000 x 183 / 7 = 26,142.86 -> 26,143p.
- L4 a one-off £300.00 of equipment: once, as the plan started in 2025 -> 30,000p.
Bea, version 1 (from June 2024, switched from Acme to Kindred in July 2024) replaced by
version 2 on 1 April 2025; a draft version 3 does not count:
- v1 day centre, 2 days at £50.00 = £100.00 a week, Kindred since 2024: 1 January to 31
  March, 90 days: 10,000 x 90 / 7 = 128,571.43 -> 128,571p.
- v2 day centre, 3 days = £150.00 a week, Acme: 275 days: 15,000 x 275 / 7 = 589,285.71
  -> 589,286p (a switch to Kindred in June was undone: it never happened).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.directory.models import NeedSearch
from selfdirect.market.selectors import Period, market_figures, share_text
from selfdirect.planning.models import LineSwitch, PlanLine, SupportPlan
from selfdirect.providers.models import Provider
from tests.factories import ProviderClientFactory
from tests.planning.test_plans import _approved_budget

pytestmark = pytest.mark.django_db

YEAR = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
TODAY = dt.date(2025, 12, 31)
TOTAL = 182_000 + 184_000 + 117_643 + 26_143 + 30_000 + 128_571 + 589_286


def _plan(council: Any, allocation: Any, person: Any, starts_on: dt.date, **kw: Any) -> Any:
    return SupportPlan.objects.create(
        person=person,
        allocation=allocation,
        led_by="person",
        starts_on=starts_on,
        status=kw.pop("status", SupportPlan.Status.APPROVED),
        created_by=council.users[Role.PRACTITIONER],
        **kw,
    )


def _line(plan: Any, category: str, unit: str, cost: int, hundredths: int, **kw: Any) -> Any:
    return PlanLine.objects.create(
        plan=plan,
        description=category,
        category=category,
        unit=unit,
        unit_cost_pence=cost,
        quantity_hundredths=hundredths,
        funding_stream="adult_social_care",
        **kw,
    )


def _switch(council: Any, line: Any, on: dt.date, to: Any, reasons: list[str], **kw: Any) -> None:
    LineSwitch.objects.create(
        line=line,
        effective_date=on,
        from_deployment=line.deployment,
        to_deployment=kw.pop("to_deployment", line.deployment),
        from_provider=line.provider,
        to_provider=to,
        reasons=reasons,
        old_part_pence=0,
        new_part_pence=0,
        switched_by=council.users[Role.PRACTITIONER],
        **kw,
    )


def _market_build(council: Any) -> None:
    allocation = _approved_budget(council)
    ada, bea = council.holder_person, council.other_person
    acme = Provider.objects.get(name="Acme Care")
    kindred = Provider.objects.create(name="Kindred Care")
    plan = _plan(council, allocation, ada, dt.date(2025, 7, 2))
    cc = "council_commissioned"
    home = _line(plan, "home_care_agency", "hour", 2000, 700, provider=acme, deployment=cc)
    _switch(
        council,
        home,
        dt.date(2025, 10, 1),
        kindred,
        ["NO_CONTINUITY", "RUSHED_VISITS"],
        to_deployment="isf",
    )
    dp = "direct_payment"
    _line(plan, "personal_assistant", "hour", 1500, 300, provided_by="Sam", deployment=dp)
    _line(plan, "leisure", "week", 1000, 100, deployment=dp)
    _line(plan, "equipment_purchase", "item", 30000, 100, deployment=dp)
    old = _plan(council, allocation, bea, dt.date(2024, 6, 1), status=SupportPlan.Status.SUPERSEDED)
    day = _line(old, "day_activity", "day", 5000, 200, provider=acme, deployment=cc)
    _switch(council, day, dt.date(2024, 7, 1), kindred, ["COST"])
    new = _plan(council, allocation, bea, dt.date(2025, 4, 1), previous=old, version=2)
    day2 = _line(new, "day_activity", "day", 5000, 300, provider=acme, deployment=cc)
    _switch(
        council,
        day2,
        dt.date(2025, 6, 1),
        kindred,
        ["COST"],
        undone_at=timezone.now(),
        undone_by=council.users[Role.PRACTITIONER],
    )
    draft = _plan(
        council,
        allocation,
        bea,
        dt.date(2025, 9, 1),
        previous=new,
        version=3,
        status=SupportPlan.Status.DRAFT,
    )
    _line(draft, "day_activity", "day", 5000, 700, provider=acme, deployment=cc)
    # Who each provider supports on 31 December 2025 (Acme supports Ada: the council's).
    ProviderClientFactory(provider=kindred, person=ada)
    ProviderClientFactory(provider=kindred, person=bea)
    ProviderClientFactory(provider=acme, person=bea, end_date=dt.date(2025, 3, 31))
    # Directory searches that found little (one before the period).
    for on, need, area, results in (
        (dt.date(2025, 2, 1), "Deaf sign language", "DM1", 0),
        (dt.date(2025, 5, 1), "deaf  sign language", "dm1", 1),
        (dt.date(2025, 6, 1), "Dementia cafe", "DM2", 2),
        (dt.date(2024, 12, 31), "Dementia cafe", "DM2", 0),
    ):
        NeedSearch.objects.create(searched_on=on, need=need, area=area, results=results)


def _rows(rows: list[Any]) -> dict[str, Any]:
    return {r.label: (r.pence, r.people, r.share) for r in rows}


def test_figures_match_the_hand_worked_council(council: Any) -> None:
    _market_build(council)
    m = market_figures(period=YEAR, today=TODAY)
    assert m.total_pence == TOTAL == 1_257_643
    assert m.people_with_plan == 2
    by_provider = {r.label: r.pence for r in m.by_provider}
    assert by_provider == {
        "Acme Care": 182_000 + 589_286,
        "Kindred Care": 184_000 + 128_571,
        "No provider named (personal assistants, universal services)": 117_643 + 26_143 + 30_000,
    }
    assert m.by_provider[0].label == "Acme Care"  # the largest first
    by_holding = {r.label: r.pence for r in m.by_holding}
    assert by_holding["Council-commissioned service"] == 182_000 + 128_571 + 589_286
    assert by_holding["Individual Service Fund held by a provider"] == 184_000
    assert by_holding["Direct payment"] == 117_643 + 26_143 + 30_000
    assert by_holding["Third-party managed account"] == 0
    by_category = {
        r.label: (r.pence, r.people, r.people_share, r.ibsen_people_percent) for r in m.by_category
    }
    assert by_category == {
        "Mainstream services": (182_000 + 184_000 + 128_571 + 589_286, 2, "100.0%", 59),
        "Personal assistance": (117_643, 1, "50.0%", 59),
        "Payment in kind": (0, 0, "0.0%", 2),
        "Leisure activities": (26_143, 1, "50.0%", 37),
        "One-off items": (30_000, 1, "50.0%", None),
        "Not in IBSEN's categories": (0, 0, "0.0%", None),
    }
    # 1,083,857 / 1,257,643 = 86.18%; 117,643 / 1,257,643 = 9.35%
    shares = {r.label: r.share for r in m.by_category}
    assert shares["Mainstream services"] == "86.2%"
    assert shares["Personal assistance"] == "9.4%"
    assert [(r.label, r.people) for r in m.people_per_provider] == [
        ("Kindred Care", 2),
        ("Acme Care", 1),
    ]
    # One switch in 2025 (the undone one and the 2024 one do not count): 1 per 2 people.
    assert m.switches == 1
    assert m.switches_per_100 == "50.0"
    assert [(r.label, r.people) for r in m.switch_reasons] == [
        ("No continuity: different carers each time", 1),
        ("Rushed or shortened visits", 1),
    ]
    assert m.gaps == [("deaf sign language", "DM1", 2, 0), ("dementia cafe", "DM2", 1, 2)]


def test_share_text_rounds_halves_up_in_whole_numbers() -> None:
    assert share_text(1, 3) == "33.3%"
    assert share_text(2, 3) == "66.7%"
    assert share_text(1, 8) == "12.5%"
    assert share_text(1, 2000) == "0.1%"  # 0.05% rounds up
    assert share_text(5, 0) == "0.0%"


YEAR_ASKED = {
    "start_day": "1",
    "start_month": "1",
    "start_year": "2025",
    "end_day": "31",
    "end_month": "12",
    "end_year": "2025",
}


def test_the_csv_has_the_pages_figures(council: Any) -> None:
    _market_build(council)
    client = Client()
    client.force_login(council.users[Role.COMMISSIONER])
    response = client.get("/market/dashboard.csv", YEAR_ASKED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    got = {(r["section"], r["label"]): r for r in rows}
    assert got[("Total", "Spend committed in plans")]["pence"] == "1257643"
    assert got[("Spend by provider", "Acme Care")]["pence"] == "771286"
    assert got[("Spend by provider", "Kindred Care")]["pence"] == "312571"
    assert got[("Spend by way of holding", "Direct payment")]["pence"] == "173786"
    mainstream = got[("Spend by IBSEN category", "Mainstream services")]
    assert (mainstream["pence"], mainstream["share_of_spend"]) == ("1083857", "86.2%")
    assert (mainstream["people_or_count"], mainstream["ibsen_share_of_people"]) == ("2", "59%")
    assert got[("People per provider", "Kindred Care")]["people_or_count"] == "2"
    assert got[("Switching", "Switches per 100 people with a plan")]["people_or_count"] == "50.0"
    assert got[("Switching reasons", "Rushed or shortened visits")]["people_or_count"] == "1"
    gap = got[("Gaps", "deaf sign language (DM1)")]
    assert (gap["people_or_count"], gap["fewest_results"]) == ("2", "0")
    # The page shows the same figures.
    page = client.get("/market/", YEAR_ASKED).content.decode()
    for text in ("£12,576.43", "£7,712.86", "£10,838.57", "86.2%", "50.0 per 100", "dementia cafe"):
        assert text in page, text


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.MANAGER, Role.COMMISSIONER)])
def test_only_managers_and_commissioners_see_the_market(council: Any, role: Role) -> None:
    client = Client()
    client.force_login(council.users[str(role)])
    assert client.get("/market/").status_code == 403
    assert client.get("/market/dashboard.csv").status_code == 403


def test_a_manager_sees_the_dashboard(council: Any) -> None:
    client = Client()
    client.force_login(council.users[Role.MANAGER])
    response = client.get("/market/")
    assert response.status_code == 200
    assert b'role="img"' in response.content


def test_the_menu_links_the_market_only_for_those_who_may_see_it(council: Any) -> None:
    for role, shown in ((Role.COMMISSIONER, True), (Role.MANAGER, True), (Role.FINANCE, False)):
        client = Client()
        client.force_login(council.users[role])
        page = client.get("/home/").content.decode()
        assert ('href="/market/"' in page) is shown, role
