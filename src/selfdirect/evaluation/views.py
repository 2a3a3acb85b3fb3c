"""The POET outcomes reports for commissioners (and managers): figures only, never anyone's
answers (docs/evaluation-guide.md). Each report is a page and downloads as CSV, XLSX and
PDF with the same choice of version, period and proxy answers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import user_can
from selfdirect.evaluation import outcomes, selectors
from selfdirect.evaluation.forms import ReportChoiceForm
from selfdirect.evaluation.report import Report, report_response

BAD_CHOICE = "This choice of report is not valid: {errors}"

KINDS = {"holders": selectors.HOLDER_CODE, "carers": selectors.CARER_CODE}
PAGES = {"holders": "outcomes", "carers": "carers"}


def _choice(request: HttpRequest, key: str) -> tuple[ReportChoiceForm, Report | None]:
    code = KINDS[key]
    versions = selectors.instrument_versions(code)
    form = ReportChoiceForm(request.GET or None, versions=versions)
    if form.is_bound and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    version = data.get("version") or (str(versions[0].version) if versions else "")
    report = selectors.outcomes_report(
        code,
        form.versions.get(version),
        since=data.get("since"),
        until=data.get("until"),
        include_proxy=data.get("proxy") != "exclude",
    )
    return form, report


def _page(request: HttpRequest, key: str) -> HttpResponse:
    form, report = _choice(request, key)
    query = request.GET.urlencode()
    suffix = f"?{query}" if query else ""
    downloads = [
        (label, reverse(f"evaluation:{PAGES[key]}_{fmt}") + suffix)
        for fmt, label in (
            ("csv", "Every table (CSV, one figure a line)"),
            ("xlsx", "Every table (spreadsheet)"),
            ("pdf", "The report as printed (PDF)"),
        )
    ]
    return render(
        request,
        "evaluation/outcomes_report.html",
        {
            "nav": "outcomes",
            "form": form,
            "report": report,
            "title": outcomes.HOLDER_TITLE if key == "holders" else outcomes.CARER_TITLE,
            "downloads": downloads if report else [],
            "other": "carers" if key == "holders" else "outcomes",
            "can_see_ibsen": user_can(request.user, "evaluation.ibsen"),
        },
    )


def _download(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    form, report = _choice(request, key)
    if report is None:
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(BAD_CHOICE.format(errors=errors), status=400, content_type="text/plain")
    return report_response(report, fmt)


@requires("evaluation.view")
def holders(request: HttpRequest) -> HttpResponse:
    return _page(request, "holders")


@requires("evaluation.view")
def holders_csv(request: HttpRequest) -> HttpResponse:
    return _download(request, "holders", "csv")


@requires("evaluation.view")
def holders_xlsx(request: HttpRequest) -> HttpResponse:
    return _download(request, "holders", "xlsx")


@requires("evaluation.view")
def holders_pdf(request: HttpRequest) -> HttpResponse:
    return _download(request, "holders", "pdf")


@requires("evaluation.view")
def carers(request: HttpRequest) -> HttpResponse:
    return _page(request, "carers")


@requires("evaluation.view")
def carers_csv(request: HttpRequest) -> HttpResponse:
    return _download(request, "carers", "csv")


@requires("evaluation.view")
def carers_xlsx(request: HttpRequest) -> HttpResponse:
    return _download(request, "carers", "xlsx")


@requires("evaluation.view")
def carers_pdf(request: HttpRequest) -> HttpResponse:
    return _download(request, "carers", "pdf")
