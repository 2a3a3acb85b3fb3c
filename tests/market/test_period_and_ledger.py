"""The market dashboard's period (presets or typed dates, errors named on their fields,
the CSV honouring it) and spend paid through the ledger beside spend committed in plans,
worked out by hand on the council of test_dashboard.py plus these payments in 2025:

- Ada, council-commissioned, 10,000p on 1 August: her council-commissioned lines that day
  are home care with Acme (£140.00 a week) and, added here, transport with Kindred (£10.00
  a week): 10,000 x 140/150 = 9,333.33 and 10,000 x 10/150 = 666.67, so 9,333p and, with
  the penny left over to the larger remainder, 667p.
- Ada, Individual Service Fund, 9,001p on 1 November: home care had switched to Kindred
  (ISF) on 1 October, so all 9,001p to Kindred.
- Ada, direct payment, 5,501p on 1 August: her personal assistant and gym lines name no
  provider: all 5,501p to "No provider named".
- Bea, council-commissioned, 3,000p on 1 May, reversed on 2 May: nothing, net.
- Bea, direct payment, 2,000p on 1 June: Bea has no direct payment line: not matched.
- Ada, council-commissioned, 7,000p on 15 December 2024: before the period, not counted.
- Acme is paid 5,000p on its invoice on 1 September.
Paid into budgets: 10,000 + 9,001 + 5,501 + 2,000 = 26,502p.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.directory.models import NeedSearch
from selfdirect.ledger import services as ledger
from selfdirect.ledger.models import Transaction
from selfdirect.market import forms
from selfdirect.market.selectors import (
    NO_PROVIDER,
    NOT_MATCHED,
    Period,
    market_figures,
    period_presets,
    spread,
)
from selfdirect.planning.models import SupportPlan
from selfdirect.providers.models import Provider
from tests.market.test_dashboard import YEAR, YEAR_ASKED, _line, _market_build

pytestmark = pytest.mark.django_db

CC, ISF, DP = "council_commissioned", "isf", "direct_payment"


def _pay(council: Any, person: Any, way: str, pence: int, on: dt.date) -> Transaction:
    return ledger.budget_payment_post(
        actor=council.users[Role.FINANCE],
        person=person,
        deployment=way,
        funding_stream="adult_social_care",
        period_key=f"{on:%Y-%m-%d}",
        amount_pence=pence,
        effective_date=on,
    )


@pytest.fixture
def paid(council: Any) -> Any:
    _market_build(council)
    ada, bea = council.holder_person, council.other_person
    kindred, acme = (
        Provider.objects.get(name="Kindred Care"),
        Provider.objects.get(name="Acme Care"),
    )
    plan = SupportPlan.objects.get(person=ada)
    _line(plan, "transport", "week", 1000, 100, provider=kindred, deployment=CC)
    _pay(council, ada, CC, 10_000, dt.date(2025, 8, 1))
    _pay(council, ada, ISF, 9_001, dt.date(2025, 11, 1))
    _pay(council, ada, DP, 5_501, dt.date(2025, 8, 1))
    reversed_ = _pay(council, bea, CC, 3_000, dt.date(2025, 5, 1))
    ledger.transaction_reverse(
        actor=council.users[Role.FINANCE], original=reversed_, effective_date=dt.date(2025, 5, 2)
    )
    _pay(council, bea, DP, 2_000, dt.date(2025, 6, 1))
    _pay(council, ada, CC, 7_000, dt.date(2024, 12, 15))
    ledger.invoice_post(
        actor=council.users[Role.FINANCE],
        person=ada,
        deployment=CC,
        provider=acme,
        amount_pence=5_000,
        effective_date=dt.date(2025, 8, 20),
    )
    ledger.invoice_payment_post(
        actor=council.users[Role.FINANCE],
        provider=acme,
        amount_pence=5_000,
        effective_date=dt.date(2025, 9, 1),
    )
    return council


def test_spend_paid_matches_the_hand_worked_payments(paid: Any) -> None:
    m = market_figures(period=YEAR, today=YEAR.end)
    assert m.paid_pence == 26_502
    holding = {r.label: r.pence for r in m.paid_by_holding}
    assert holding["Council-commissioned service"] == 10_000
    assert holding["Individual Service Fund held by a provider"] == 9_001
    assert holding["Direct payment"] == 5_501 + 2_000
    provider = {r.label: r.pence for r in m.paid_by_provider}
    assert provider == {
        "Acme Care": 9_333,
        "Kindred Care": 667 + 9_001,
        NO_PROVIDER: 5_501,
        NOT_MATCHED: 2_000,
    }
    assert sum(provider.values()) == m.paid_pence
    assert [(r.label, r.pence) for r in m.invoices_paid] == [("Acme Care", 5_000)]
    # Spend committed in plans is unchanged by payments (the added transport line:
    # 1,000 x 183 / 7 = 26,142.86 -> 26,143p on top of test_dashboard's total).
    assert m.total_pence == 1_257_643 + 26_143


def test_spread_keeps_every_penny_and_gives_leftovers_to_the_largest_remainders() -> None:
    assert spread(10_000, [("A", 14_000), ("K", 1_000)]) == {"A": 9_333, "K": 667}
    assert spread(100, [("A", 1), ("B", 1), ("C", 1)]) == {"A": 34, "B": 33, "C": 33}
    assert spread(-100, [("A", 1), ("B", 1), ("C", 1)]) == {"A": -34, "B": -33, "C": -33}
    assert spread(5, []) == {}


def test_the_page_and_csv_show_paid_beside_committed_for_the_typed_period(paid: Any) -> None:
    client = Client()
    client.force_login(paid.users[Role.COMMISSIONER])
    page = html.unescape(client.get("/market/", YEAR_ASKED).content.decode())
    assert "from 1 January 2025 to 31 December 2025" in page
    for text in ("Spend paid into budgets (ledger)", "£265.02", "£96.68", "Not matched"):
        assert text in page, text
    assert "dashboard.csv?" in page and "start_year=2025" in page
    rows = list(
        csv.reader(
            io.StringIO(client.get("/market/dashboard.csv", YEAR_ASKED).content.decode("utf-8-sig"))
        )
    )
    got = {(r[0], r[1]): r for r in rows}
    assert got[("Period", "2025-01-01 to 2025-12-31")]
    assert got[("Total", "Paid into budgets (ledger)")][2] == "26502"
    assert got[("Paid by provider (ledger, spread by plan lines)", "Kindred Care")][2] == "9668"
    assert got[("Paid to providers on invoices (ledger)", "Acme Care")][2] == "5000"


def test_presets_are_financial_years_and_quarters_begun() -> None:
    presets = {code: (label, p) for code, label, p in period_presets(dt.date(2026, 12, 7))}
    assert presets[""][1] == Period(dt.date(2025, 12, 8), dt.date(2026, 12, 7))
    assert presets["fy-2026"] == (
        "Financial year 2026 to 2027",
        Period(dt.date(2026, 4, 1), dt.date(2027, 3, 31)),
    )
    assert "fy-2024" in presets and "fy-2023" not in presets
    assert presets["q-2026-3"] == (
        "Quarter 3: October to December 2026",
        Period(dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    )
    assert "q-2026-4" not in presets  # January 2027 has not begun
    assert presets["q-2025-4"][1] == Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def test_a_preset_period_applies_to_the_gaps_and_the_csv(council: Any) -> None:
    code, _label, period = period_presets(timezone.localdate())[2]  # last financial year
    NeedSearch.objects.create(searched_on=period.start, need="Sign language", area="DM1", results=0)
    NeedSearch.objects.create(
        searched_on=period.start - dt.timedelta(days=1), need="Dementia cafe", area="DM2", results=0
    )
    client = Client()
    client.force_login(council.users[Role.MANAGER])
    page = client.get("/market/", {"period": code}).content.decode()
    assert f"from {period.start:%-d %B %Y} to {period.end:%-d %B %Y}" in page
    assert "sign language" in page and "dementia cafe" not in page
    assert f'value="{code}" selected' in page
    text = client.get("/market/dashboard.csv", {"period": code}).content.decode("utf-8-sig")
    assert f"{period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}" in text
    assert "sign language (DM1)" in text and "dementia cafe" not in text


@pytest.mark.parametrize(
    ("asked", "field", "message"),
    [
        ({"start_day": "1", "start_month": "4", "start_year": "2025"}, "end", forms.END_NEEDED),
        ({"end_day": "1", "end_month": "4", "end_year": "2025"}, "start", forms.START_NEEDED),
        (
            YEAR_ASKED | {"end_year": "2024"},
            "end",
            forms.END_BEFORE_START,
        ),
        (YEAR_ASKED | {"end_year": "2031"}, "end", forms.TOO_LONG),
        (
            YEAR_ASKED | {"start_day": "30", "start_month": "2"},
            "start",
            "First day must be a real date",
        ),
    ],
)
def test_a_wrong_period_is_named_on_its_field(
    council: Any, asked: dict[str, str], field: str, message: str
) -> None:
    client = Client()
    client.force_login(council.users[Role.COMMISSIONER])
    page = html.unescape(client.get("/market/", asked).content.decode())
    assert "<title>Error: " in page
    assert message in page
    assert f'href="#id_{field}' in page
    # The download does not guess: it sends you to the page that names the problem.
    response = client.get("/market/dashboard.csv", asked)
    assert response.status_code == 302 and response["Location"].startswith("/market/?")
