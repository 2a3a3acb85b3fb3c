"""The calibration page for commissioners: upload existing packages, see how well the RAS
in force fits them by user group, the fitted prices, a chart and the outliers."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from selfdirect.access.decorators import requires
from selfdirect.allocation.calibration import Calibration, calibrate, packages_load
from selfdirect.allocation.disclosure import SUPPRESSED, counts_suppress
from selfdirect.allocation.ras_file import RasFileError, ras_to_file
from selfdirect.allocation.services import AllocationError, ras_definition, ras_version_in_force
from selfdirect.assessment.models import Questionnaire
from selfdirect.file_checks import MAX_UPLOAD_BYTES, TOO_BIG, FileRefused, upload_read_text
from selfdirect.forms_gov import posted


class PackagesForm(forms.Form):
    packages = forms.FileField(
        label="Upload existing packages (CSV)",
        error_messages={"required": "Select a CSV file of packages"},
        help_text="One row per person: person_ref, user_group, one column per section with the agreed answer, "
        "rural, agency, and actual_weekly_pence.",
    )

    def clean_packages(self) -> Any:
        upload = self.cleaned_data["packages"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV file")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_BIG)
        return upload


def _scatter(result: Calibration) -> dict[str, Any]:
    """Up to 400 points of RAS amount against actual cost, on the same scale."""
    size, step = 360, max(1, len(result.refs) // 400)
    top = max(int(result.actual_pence.max(initial=0)), int(result.fitted_pence.max(initial=0)), 1)
    points = [
        {
            "x": 40 + int(result.actual_pence[i]) * size // top,
            "y": 10 + size - int(result.fitted_pence[i]) * size // top,
            "outlier": bool(result.outlier[i]),
        }
        for i in range(0, len(result.refs), step)
    ]
    return {"points": points, "size": size, "top_pence": top}


def fits_shown(result: Calibration, threshold: int) -> list[dict[str, Any]]:
    """The fit by user group with small counts suppressed (``disclosure.counts_suppress``):
    a group's R² and median error are withheld with its count of people."""
    table = counts_suppress([[f.people, f.outliers] for f in result.fits], threshold)
    return [
        {
            "group": f.group,
            "people": table.cells[i][0],
            "price_before_pence": f.price_before_pence,
            "price_fitted_pence": f.price_fitted_pence,
            "r_squared": SUPPRESSED if table.hidden(i, 0) else f.r_squared,
            "median_abs_percent_error": (
                SUPPRESSED if table.hidden(i, 0) else f.median_abs_percent_error
            ),
            "outliers": table.cells[i][1],
        }
        for i, f in enumerate(result.fits)
    ]


@requires("ras.calibrate")
def calibration(request: HttpRequest) -> HttpResponse:
    try:
        version = ras_version_in_force(Questionnaire.objects.get(code="self-assessment"))
    except (AllocationError, Questionnaire.DoesNotExist):
        return render(request, "allocation/calibration.html", {"nav": "whatif", "no_ras": True})
    form = PackagesForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
    )
    context: dict[str, Any] = {"nav": "whatif", "form": form, "version": version}
    if request.method == "POST" and form.is_valid():
        ras = ras_definition(version)
        upload = form.cleaned_data["packages"]
        try:
            refs, inputs, actual = packages_load(upload_read_text(upload, upload.name), ras)
            result = calibrate(ras, refs, inputs, actual)
        except FileRefused as bad:
            form.add_error("packages", str(bad))
        except RasFileError as bad:
            form.add_error("packages", str(bad))
        else:
            outliers = [
                {
                    "ref": result.refs[i],
                    "group": result.groups[i],
                    "actual": int(result.actual_pence[i]),
                    "ras": int(result.fitted_pence[i]),
                    "percent": (int(result.fitted_pence[i]) - int(result.actual_pence[i]))
                    * 100
                    // max(int(result.actual_pence[i]), 1),
                }
                for i in range(len(refs))
                if result.outlier[i]
            ]
            context.update(
                {
                    "result": result,
                    "fits": fits_shown(result, settings.SELFDIRECT_SMALL_COUNT_THRESHOLD),
                    "threshold": settings.SELFDIRECT_SMALL_COUNT_THRESHOLD,
                    "scatter": _scatter(result),
                    "outliers": outliers,
                    "fitted_json": json.dumps(ras_to_file(result.fitted), indent=2),
                }
            )
    return render(request, "allocation/calibration.html", context)
