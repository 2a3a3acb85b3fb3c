"""The market oversight dashboard for commissioners and managers: figures only, no one's
record (docs/commissioner-guide.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.csv_export import csv_response
from selfdirect.market.selectors import Market, Row, market_figures, period_default

CHART_WIDTH = 720
LABEL_WIDTH = 240
BAR_SPACE = CHART_WIDTH - LABEL_WIDTH - 120


def _market() -> Market:
    today = timezone.localdate()
    return market_figures(period=period_default(today), today=today)


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
    market = _market()
    return render(
        request,
        "market/dashboard.html",
        {
            "nav": "market",
            "market": market,
            "chart": _chart(market.by_category),
            "spend_tables": [
                ("Spend by provider", "Provider", market.by_provider),
                ("Spend by way of holding", "Way of holding", market.by_holding),
            ],
            "count_tables": [
                (
                    "People each provider supports now",
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
    ]
    for section, table in (
        ("Spend by provider", market.by_provider),
        ("Spend by way of holding", market.by_holding),
    ):
        rows += [[section, r.label, r.pence, r.share, "", "", "", ""] for r in table]
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
    market = _market()
    return csv_response(
        f"market-{market.period.end:%Y-%m-%d}.csv",
        CSV_HEADER,
        csv_rows(market),
    )
