"""The analysts' pages: the NHS England Client Level Data return for a period (made by a
background job and kept; its validation report read on a page; both downloaded), and the
ASCOF self-directed support measures as at a date (docs/cld.md, docs/ascof.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user, user_can
from selfdirect.audit.services import looks_record
from selfdirect.csv_export import csv_response
from selfdirect.forms_gov import posted
from selfdirect.returns.ascof import AGE_BANDS, PARTS, Ascof, ascof_default_date, ascof_measures
from selfdirect.returns.forms import AscofDateForm, CldPeriodForm
from selfdirect.returns.models import CldExport
from selfdirect.returns.selectors import (
    GROUP_SHOWN,
    cld_export_get,
    cld_exports,
    cld_report_groups,
)
from selfdirect.returns.services import cld_export_download_record, cld_export_start

EXPORTS_LISTED = 50


@requires("returns.cld")
def cld(request: HttpRequest) -> HttpResponse:
    """Choose a period: the return already made for it, or a background job making it."""
    user = acting_user(request.user)
    form = CldPeriodForm(posted(request))
    if request.method == "POST" and form.is_valid():
        export, job = cld_export_start(
            actor=user, period=form.period(), again=form.cleaned_data["again"]
        )
        if export is not None:
            return redirect(reverse("returns:cld_export", args=[export.pk]) + "?kept=1")
        assert job is not None
        return redirect("jobs:detail", job_id=job.pk)
    return render(
        request,
        "returns/cld.html",
        {"form": form, "exports": list(cld_exports()[:EXPORTS_LISTED]), "nav": "market"},
    )


@requires("returns.cld")
def cld_export(request: HttpRequest, export_id: int) -> HttpResponse:
    """A kept return: its figures and checksum, its downloads, and its validation report
    grouped by reason (a look at each person the page names)."""
    user = acting_user(request.user)
    export = cld_export_get(export_id)
    groups, named = cld_report_groups(export, user)
    looks_record(
        actor=user,
        people=named,
        summary=f"Named in the validation report of the Client Level Data return for "
        f"{export.period_text}",
    )
    versions = list(
        cld_exports()
        .filter(period_start=export.period_start, period_end=export.period_end)
        .exclude(pk=export.pk)
    )
    again = CldPeriodForm(
        initial={"period_start": export.period_start, "period_end": export.period_end}
    )
    return render(
        request,
        "returns/cld_export.html",
        {
            "export": export,
            "groups": groups,
            "group_shown": GROUP_SHOWN,
            "versions": versions,
            "kept": request.GET.get("kept") == "1",
            "again": again,
            "nav": "market",
        },
    )


def _file(export: CldExport, *, report: bool) -> HttpResponse:
    text = export.report if report else export.content
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    name = export.report_name if report else export.file_name
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Checksum-SHA256"] = export.report_sha256 if report else export.sha256
    return response


@requires("returns.cld")
def cld_download(request: HttpRequest, export_id: int) -> HttpResponse:
    """The return as kept, byte for byte (its checksum in X-Checksum-SHA256)."""
    user = acting_user(request.user)
    export = cld_export_get(export_id)
    cld_export_download_record(actor=user, export=export)
    return _file(export, report=False)


@requires("returns.cld")
def cld_report_download(request: HttpRequest, export_id: int) -> HttpResponse:
    user = acting_user(request.user)
    export = cld_export_get(export_id)
    cld_export_download_record(actor=user, export=export, report=True)
    return _file(export, report=True)


# --- ASCOF ------------------------------------------------------------------------------------

CHART_WIDTH = 720
LABEL_WIDTH = 330
BAR_SPACE = CHART_WIDTH - LABEL_WIDTH - 80
BAR_STEP = 44


def _chart(result: Ascof) -> dict[str, Any]:
    """Horizontal bars of the four parts' proportions for all ages, on a 0 to 100% scale
    (the same figures are in the table)."""
    bars = []
    for i, part in enumerate(PARTS):
        figure = result.total(part.code)
        y = 8 + i * BAR_STEP
        width = (figure.tenths or 0) * BAR_SPACE // 1000
        bars.append(
            {
                "label": part.name,
                "percent": figure.percent,
                "y": y,
                "text_y": y + 19,
                "x": LABEL_WIDTH,
                "width": width,
                "text_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "bars": bars,
        "height": 16 + BAR_STEP * len(PARTS),
        "width": CHART_WIDTH,
        "axis_x": LABEL_WIDTH,
        "axis_end": LABEL_WIDTH + BAR_SPACE,
    }


def _as_at(request: HttpRequest) -> tuple[AscofDateForm, dt.date | None]:
    asked = any(key.startswith("as_at") for key in request.GET)
    form = AscofDateForm(request.GET if asked else None)
    if not asked:
        return form, ascof_default_date(timezone.localdate())
    return form, form.cleaned_data["as_at"] if form.is_valid() else None


@requires("returns.ascof")
def ascof(request: HttpRequest) -> HttpResponse:
    """ASCOF 3D as at a date: a table, a chart and a download. Figures only."""
    form, as_at = _as_at(request)
    result = ascof_measures(as_at) if as_at else None
    return render(
        request,
        "returns/ascof.html",
        {
            "form": form,
            "result": result,
            "chart": _chart(result) if result else None,
            "parts": PARTS,
            "age_bands": AGE_BANDS,
            "can_make_cld": user_can(request.user, "returns.cld"),
            "nav": "market",
        },
    )


CSV_HEADER = [
    "measure",
    "name",
    "who",
    "age_band",
    "numerator",
    "denominator",
    "percent",
    "as_at",
    "counted_from",
]


@requires("returns.ascof")
def ascof_csv(request: HttpRequest) -> HttpResponse:
    form, as_at = _as_at(request)
    if as_at is None:
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    result = ascof_measures(as_at)
    rows = [
        [
            f.part.code,
            f.part.name,
            f.part.who,
            f.age_band,
            f.numerator,
            f.denominator,
            "" if f.tenths is None else f"{f.tenths // 10}.{f.tenths % 10}",
            as_at.isoformat(),
            (as_at if f.part.who == "users" else result.year.start).isoformat(),
        ]
        for f in result.figures
    ]
    return csv_response(f"ascof-3d-{as_at:%Y-%m-%d}.csv", CSV_HEADER, rows)
