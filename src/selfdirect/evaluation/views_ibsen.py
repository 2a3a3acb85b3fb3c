"""The IBSEN outcomes and cost-effectiveness reports for commissioners and analysts:
figures about groups, never anyone's own record (docs/evaluation-guide.md "IBSEN measures
and cost-effectiveness"). Each page downloads as CSV, XLSX and PDF from the same Report.

Query parameters (anything else shows the default): ``grouping`` (holding | way |
user_group) on the outcomes page; ``source`` (plan | ledger) on the cost-effectiveness
page; ``data=synthetic`` on either for the demonstration figures."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.evaluation import cohort, costs, ibsen_report
from selfdirect.evaluation.report import Report, report_response

CAPABILITY = "evaluation.ibsen"
SYNTHETIC = "synthetic"
NO_ANSWERS = ibsen_report.NO_ANSWERS


def _choice(request: HttpRequest, name: str, allowed: dict[str, str], default: str) -> str:
    value = request.GET.get(name, default)
    return value if value in allowed else default


def _synthetic(request: HttpRequest) -> bool:
    return request.GET.get("data") == SYNTHETIC


def _outcomes_report(request: HttpRequest) -> tuple[Report, str]:
    grouping = _choice(request, "grouping", cohort.GROUPINGS, cohort.HOLDING)
    report = ibsen_report.outcomes_for(
        on=timezone.localdate(), grouping=grouping, synthetic=_synthetic(request)
    )
    return report, grouping


def _query(request: HttpRequest, **changes: str) -> str:
    params = {k: v for k, v in request.GET.items() if k in ("grouping", "source", "data")}
    params.update(changes)
    params = {k: v for k, v in params.items() if v}
    return f"?{urlencode(params)}" if params else ""


def _downloads(request: HttpRequest, name: str) -> list[tuple[str, str]]:
    query = _query(request)
    return [
        (f"Download as {label}", reverse(name, kwargs={"fmt": fmt}) + query)
        for fmt, label in (("csv", "CSV"), ("xlsx", "a spreadsheet (XLSX)"), ("pdf", "PDF"))
    ]


def _data_links(request: HttpRequest) -> dict[str, str]:
    return {
        "records": _query(request, data=""),
        "synthetic": _query(request, data=SYNTHETIC),
    }


@requires(CAPABILITY)
def outcomes(request: HttpRequest) -> HttpResponse:
    report, grouping = _outcomes_report(request)
    return render(
        request,
        "evaluation/ibsen_outcomes.html",
        {
            "report": report,
            "downloads": _downloads(request, "ibsen:outcomes_download"),
            "groupings": [
                (label, _query(request, grouping=key), key == grouping)
                for key, label in cohort.GROUPINGS.items()
            ],
            "synthetic": _synthetic(request),
            "data_links": _data_links(request),
        },
    )


@requires(CAPABILITY)
def outcomes_download(request: HttpRequest, fmt: str) -> HttpResponse:
    report, _grouping = _outcomes_report(request)
    return report_response(report, fmt)


def _cost_report(
    request: HttpRequest,
) -> tuple[Report, str, list[costs.CostEffectiveness]]:
    source = _choice(request, "source", costs.SOURCES, costs.PLAN)
    report, results = ibsen_report.cost_effectiveness_for(
        on=timezone.localdate(), source=source, synthetic=_synthetic(request)
    )
    return report, source, results


@requires(CAPABILITY)
def cost_effectiveness(request: HttpRequest) -> HttpResponse:
    report, source, _results = _cost_report(request)
    return render(
        request,
        "evaluation/ibsen_cost_effectiveness.html",
        {
            "report": report,
            "downloads": _downloads(request, "ibsen:cost_effectiveness_download"),
            "sources": [
                (words, _query(request, source=key), key == source)
                for key, words in costs.SOURCES.items()
            ],
            "synthetic": _synthetic(request),
            "data_links": _data_links(request),
        },
    )


@requires(CAPABILITY)
def cost_effectiveness_download(request: HttpRequest, fmt: str) -> HttpResponse:
    report, _source, _results = _cost_report(request)
    return report_response(report, fmt)
