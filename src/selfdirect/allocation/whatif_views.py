"""The what-if page for commissioners: change the RAS's prices and bounds, see the effect
on the whole caseload in seconds, as tables, a chart and a downloadable table."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

import numpy as np
from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from selfdirect.access.decorators import requires
from selfdirect.allocation.disclosure import SUPPRESSED
from selfdirect.allocation.engine import RasDefinition
from selfdirect.allocation.pricing import Person as Priced
from selfdirect.allocation.pricing import price
from selfdirect.allocation.selectors import caseload_for_whatif
from selfdirect.allocation.services import AllocationError, ras_definition, ras_version_in_force
from selfdirect.allocation.whatif import (
    AGE_BANDS,
    CHANGE_BANDS,
    Dimension,
    ShownRow,
    WhatIf,
    age_band_index,
    change_band_index,
    compare,
    whatif_shown,
)
from selfdirect.assessment.models import Questionnaire
from selfdirect.csv_export import csv_response
from selfdirect.forms_gov import pounds_to_pence
from selfdirect.money import pounds
from selfdirect.people import codes

GROUPS = [(g.value, g.label) for g in codes.UserGroup]
SEX_LABELS = ("Female", "Male", "Other or not known")


class WhatIfForm(forms.Form):
    floor = forms.CharField(label="Smallest weekly amount (£)", max_length=10)
    ceiling = forms.CharField(label="Largest weekly amount (£)", max_length=10)
    carer_reduction = forms.IntegerField(
        label="Reduction when a carer is willing and able to carry on (%)",
        min_value=0,
        max_value=100,
        error_messages={
            "invalid": "Enter a whole number from 0 to 100",
            "min_value": "Enter a whole number from 0 to 100",
            "max_value": "Enter a whole number from 0 to 100",
        },
    )

    def __init__(self, *args: Any, groups: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in groups:
            self.fields[f"price_{value}"] = forms.CharField(
                label=f"Price per point: {label.lower()} (£)", max_length=10
            )

    def _pence(self, name: str) -> int:
        value = pounds_to_pence(self.cleaned_data.get(name, ""), name)
        if value is None:
            raise forms.ValidationError("Enter an amount in pounds, like 3.30")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in list(self.fields):
            if name == "carer_reduction" or name in self.errors:
                continue
            try:
                data[f"{name}_pence"] = self._pence(name)
            except forms.ValidationError as bad:
                self.add_error(name, bad)
        if (
            "floor_pence" in data
            and "ceiling_pence" in data
            and data["ceiling_pence"] < data["floor_pence"]
        ):
            self.add_error(
                "ceiling", "The largest weekly amount must not be less than the smallest"
            )
        return data


def _initial(ras: RasDefinition) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "floor": pounds(ras.floor_weekly_pence).lstrip("£").replace(",", ""),
        "ceiling": pounds(ras.ceiling_weekly_pence).lstrip("£").replace(",", ""),
    }
    for group, pence in ras.price_per_point_pence:
        initial[f"price_{group}"] = pounds(pence).lstrip("£").replace(",", "")
    if ras.carer is not None:
        initial["carer_reduction"] = (
            dict(ras.carer.reduction_basis_points).get("willing_able", 0) // 100
        )
    return initial


def _proposed(ras: RasDefinition, data: dict[str, Any]) -> RasDefinition:
    prices = tuple(
        (group, data.get(f"price_{group}_pence", pence))
        for group, pence in ras.price_per_point_pence
    )
    carer = ras.carer
    if carer is not None:
        reductions = dict(carer.reduction_basis_points)
        reductions["willing_able"] = data["carer_reduction"] * 100
        carer = replace(carer, reduction_basis_points=tuple(sorted(reductions.items())))
    return replace(
        ras,
        price_per_point_pence=prices,
        floor_weekly_pence=data["floor_pence"],
        ceiling_weekly_pence=data["ceiling_pence"],
        carer=carer,
        version=ras.version + 1,
        title=f"{ras.title} (what-if)",
    )


def _run(ras: RasDefinition, rows: list[dict[str, Any]], today: dt.date) -> WhatIf:
    people = [
        Priced(
            dict(r["inputs"]["answers"]), str(r["inputs"]["user_group"]), dict(r["inputs"]["flags"])
        )
        for r in rows
    ]
    current = np.array(
        [
            r["agreed_weekly_pence"]
            if r["agreed_weekly_pence"] is not None
            else r["indicative_weekly_pence"]
            for r in rows
        ],
        dtype=np.int64,
    )
    if not people:
        proposed = np.zeros(0, np.int64)
    else:
        _engine, result = price(ras, people)
        proposed = result.weekly_pence
    group_values = [g for g, _l in GROUPS]
    group_index = np.array(
        [
            group_values.index(r["person__user_group"])
            if r["person__user_group"] in group_values
            else 0
            for r in rows
        ],
        dtype=np.intp,
    )
    ages = np.array(
        [(today - r["person__date_of_birth"]).days * 4 // 1461 for r in rows], dtype=np.int64
    )
    sex = np.array(
        [
            0
            if r["person__gender"] == codes.Gender.FEMALE
            else 1
            if r["person__gender"] == codes.Gender.MALE
            else 2
            for r in rows
        ],
        dtype=np.intp,
    )
    dimensions = [
        Dimension("User group", tuple(label for _g, label in GROUPS), group_index),
        Dimension("Age band", tuple(label for _s, label in AGE_BANDS), age_band_index(ages)),
        Dimension("Sex", SEX_LABELS, sex),
        Dimension("Change", CHANGE_BANDS, change_band_index(current, proposed)),
    ]
    return compare(current, proposed, dimensions)


def _chart(rows: list[ShownRow]) -> dict[str, Any]:
    """An SVG bar chart of each user group's change in weekly cost (the table has the figures;
    groups whose figures are withheld have no bar)."""
    shown = [r for r in rows if r.people and r.change_pence is not None]
    largest = max((abs(r.change_pence or 0) for r in shown), default=0) or 1
    axis, reach = 400, 220
    bars = []
    for i, r in enumerate(shown):
        change = r.change_pence or 0
        width = abs(change) * reach // largest
        bars.append(
            {
                "label": r.label,
                "change": change,
                "negative": change < 0,
                "y": 10 + i * 36,
                "text_y": 28 + i * 36,
                "width": width,
                "x": axis - width if change < 0 else axis,
                "text_x": axis - width - 6 if change < 0 else axis + width + 6,
            }
        )
    return {"bars": bars, "height": 20 + 36 * len(bars), "axis": axis}


CSV_HEADER = [
    "dimension",
    "group",
    "people",
    "current_weekly_pence",
    "proposed_weekly_pence",
    "change_pence",
    "change_percent",
    "gainers",
    "losers",
    "unchanged",
    "losing_over_10_percent",
]


def _percent_number(text: str) -> Decimal | str:
    """The change as a number for a spreadsheet (21.6 for "+21.6%"); "–" (no amount now) as blank."""
    if text.endswith("%"):
        return Decimal(text.rstrip("%"))
    return "" if text == "–" else text


def _csv_rows(overall: ShownRow, tables: dict[str, list[ShownRow]]) -> list[list[Any]]:
    """One row a group: the same figures as the page, small counts suppressed alike."""
    return [
        [
            title,
            r.label,
            r.people,
            r.current_pence if r.current_pence is not None else SUPPRESSED,
            r.proposed_pence if r.proposed_pence is not None else SUPPRESSED,
            r.change_pence if r.change_pence is not None else SUPPRESSED,
            _percent_number(r.change_percent),
            r.gainers,
            r.losers,
            r.unchanged,
            r.losing_over_10_percent,
        ]
        for title, rows in [("Everyone", [overall]), *tables.items()]
        for r in rows
    ]


@requires("ras.whatif")
def what_if(request: HttpRequest) -> HttpResponse:
    try:
        version = ras_version_in_force(Questionnaire.objects.get(code="self-assessment"))
    except (AllocationError, Questionnaire.DoesNotExist):
        return render(request, "allocation/whatif.html", {"nav": "whatif", "no_ras": True})
    ras = ras_definition(version)
    groups = [(g, label) for g, label in GROUPS if g in dict(ras.price_per_point_pence)]
    form = WhatIfForm(
        request.GET if "floor" in request.GET else None, groups=groups, initial=_initial(ras)
    )
    context: dict[str, Any] = {"nav": "whatif", "form": form, "version": version}
    if form.is_bound and form.is_valid():
        proposed_ras = _proposed(ras, form.cleaned_data)
        rows = caseload_for_whatif()
        summary = _run(proposed_ras, rows, dt.date.today())
        overall, tables = whatif_shown(summary, settings.SELFDIRECT_SMALL_COUNT_THRESHOLD)
        if request.GET.get("format") == "csv":
            return csv_response("what-if.csv", CSV_HEADER, _csv_rows(overall, tables))
        context.update(
            {
                "overall": overall,
                "tables": tables,
                "threshold": settings.SELFDIRECT_SMALL_COUNT_THRESHOLD,
                "chart": _chart(tables["User group"]),
                "csv_query": request.GET.urlencode() + "&format=csv",
            }
        )
    return render(request, "allocation/whatif.html", context)
