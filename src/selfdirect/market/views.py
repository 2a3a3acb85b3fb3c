"""The market oversight dashboard for commissioners and managers: figures only, no one's
record (docs/commissioner-guide.md)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.csv_export import csv_response
from selfdirect.market.forms import PeriodForm
from selfdirect.market.selectors import Market, Row, market_figures, period_default

CHART_WIDTH = 720
LABEL_WIDTH = 240
BAR_SPACE = CHART_WIDTH - LABEL_WIDTH - 120


def _period_form(request: HttpRequest) -> PeriodForm:
    """The period asked for in the address (a preset or typed dates); unbound if none."""
    asked = any(k == "period" or k.startswith(("start_", "end_")) for k in request.GET)
    return PeriodForm(request.GET if asked else None, today=timezone.localdate())


def _market(form: PeriodForm) -> Market:
    today = timezone.localdate()
    period = form.chosen() if form.is_bound and form.is_valid() else period_default(today)
    # People each provider supports are counted on the period's last day (today at most).
    return market_figures(period=period, today=min(period.end, today))


def _chart(rows: list[Row]) -> dict[str, Any]:
    """Horizontal bars of spend by IBSEN category (the same figures are in a table)."""
    largest = max((r.pence for r in rows), default=0) or 1
    bars = []
    for i, r in enumerate(rows):
        y = 8 + i * 40
        width = r.pence * BAR_SPACE // largest
        bars.append(
            {
                "label": r.label,
                "pence": r.pence,
                "share": r.share,
                "y": y,
                "text_y": y + 19,
                "x": LABEL_WIDTH,
                "width": width,
                "text_x": LABEL_WIDTH + width + 6,
            }
        )
    return {"bars": bars, "height": 16 + 40 * len(rows), "width": CHART_WIDTH}


@requires("market.view")
def dashboard(request: HttpRequest) -> HttpResponse:
    form = _period_form(request)
    market = _market(form)
    query = urlencode([(k, v) for k, v in request.GET.items() if v]) if form.is_bound else ""
    return render(
        request,
        "market/dashboard.html",
        {
            "nav": "market",
            "form": form,
            "csv_url": reverse("market:dashboard_csv") + (f"?{query}" if query else ""),
            "market": market,
            "chart": _chart(market.by_category),
            "spend_tables": [
                ("Spend by provider", "Provider", market.by_provider),
                ("Spend by way of holding", "Way of holding", market.by_holding),
            ],
            "paid_tables": [
                ("Paid into budgets, by way of holding", "Way of holding", market.paid_by_holding),
                (
                    "Paid into budgets, spread by the plan lines’ providers",
                    "Provider",
                    market.paid_by_provider,
                ),
            ],
            "count_tables": [
                (
                    "People each provider supports on the last day",
                    "Provider",
                    "People",
                    market.people_per_provider,
                ),
                ("Reasons for switching", "Reason", "Switches", market.switch_reasons),
            ],
        },
    )


CSV_HEADER = [
    "section",
    "label",
    "pence",
    "share_of_spend",
    "people_or_count",
    "share_of_people",
    "ibsen_share_of_people",
    "fewest_results",
]


def csv_rows(market: Market) -> list[list[Any]]:
    """Every table of the dashboard in one list: section, label, then its figures."""
    period = f"{market.period.start:%Y-%m-%d} to {market.period.end:%Y-%m-%d}"
    rows: list[list[Any]] = [
        ["Period", period, "", "", "", "", "", ""],
        ["Total", "Spend committed in plans", market.total_pence, "", "", "", "", ""],
        ["Total", "People with a plan", "", "", market.people_with_plan, "", "", ""],
        ["Total", "Paid into budgets (ledger)", market.paid_pence, "", "", "", "", ""],
    ]
    for section, table in (
        ("Spend by provider", market.by_provider),
        ("Spend by way of holding", market.by_holding),
    ):
        rows += [[section, r.label, r.pence, r.share, "", "", "", ""] for r in table]
    for section, table in (
        ("Paid by way of holding (ledger)", market.paid_by_holding),
        ("Paid by provider (ledger, spread by plan lines)", market.paid_by_provider),
    ):
        rows += [[section, r.label, r.pence, r.share, "", "", "", ""] for r in table]
    for r in market.invoices_paid:
        rows.append(["Paid to providers on invoices (ledger)", r.label, r.pence] + [""] * 5)
    for r in market.by_category:
        ibsen = "" if r.ibsen_people_percent is None else f"{r.ibsen_people_percent}%"
        rows.append(
            [
                "Spend by IBSEN category",
                r.label,
                r.pence,
                r.share,
                r.people,
                r.people_share,
                ibsen,
                "",
            ]
        )
    for r in market.people_per_provider:
        rows.append(["People per provider", r.label, "", "", r.people, "", "", ""])
    rows.append(["Switching", "Switches", "", "", market.switches, "", "", ""])
    rows.append(
        [
            "Switching",
            "Switches per 100 people with a plan",
            "",
            "",
            market.switches_per_100,
            "",
            "",
            "",
        ]
    )
    for r in market.switch_reasons:
        rows.append(["Switching reasons", r.label, "", "", r.people, "", "", ""])
    for need, area, searches, fewest in market.gaps:
        rows.append(["Gaps", f"{need} ({area or 'no postcode'})", "", "", searches, "", "", fewest])
    return rows


@requires("market.view")
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    form = _period_form(request)
    if form.is_bound and not form.is_valid():
        # The page names what is wrong with the period.
        return redirect(f"{reverse('market:dashboard')}?{request.GET.urlencode()}")
    market = _market(form)
    return csv_response(
        f"market-{market.period.start:%Y-%m-%d}-to-{market.period.end:%Y-%m-%d}.csv",
        CSV_HEADER,
        csv_rows(market),
    )
