"""The what-if page for commissioners: change the RAS's prices and bounds, or run a draft RAS
version (new points and uplifts), and see the effect on the whole caseload in seconds, a
week and a year, as tables, a chart and a downloadable table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user
from selfdirect.allocation import scenarios
from selfdirect.allocation.disclosure import SUPPRESSED
from selfdirect.allocation.engine import RasDefinition
from selfdirect.allocation.models import RasVersion, WhatIfScenario
from selfdirect.allocation.services import AllocationError, ras_definition, ras_version_in_force
from selfdirect.allocation.whatif import ShownRow, WhatIf, whatif_shown
from selfdirect.allocation.whatif_caseload import GROUPS, whatif_figures
from selfdirect.assessment.models import Questionnaire
from selfdirect.csv_export import csv_response
from selfdirect.forms_gov import pounds_to_pence
from selfdirect.money import pounds

CHOOSE_DRAFT = "Select a draft RAS version"


class DraftForm(forms.Form):
    """Run a draft RAS version (its own points, uplifts and prices) over the caseload."""

    draft = forms.TypedChoiceField(
        label="Draft RAS version",
        coerce=int,
        error_messages={"required": CHOOSE_DRAFT, "invalid_choice": CHOOSE_DRAFT},
    )

    def __init__(self, *args: Any, drafts: list[RasVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.drafts = {d.pk: d for d in drafts}
        choice = self.fields["draft"]
        assert isinstance(choice, forms.TypedChoiceField)
        choice.choices = [
            ("", ""),
            *[
                (
                    d.pk,
                    f"{d} (prices {d.questionnaire_version.questionnaire.title} "
                    f"version {d.questionnaire_version.number})",
                )
                for d in drafts
            ],
        ]


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
    "current_yearly_pence",
    "proposed_yearly_pence",
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
            r.current_yearly_pence if r.current_yearly_pence is not None else SUPPRESSED,
            r.proposed_yearly_pence if r.proposed_yearly_pence is not None else SUPPRESSED,
        ]
        for title, rows in [("Everyone", [overall]), *tables.items()]
        for r in rows
    ]


def _results(summary: WhatIf) -> dict[str, Any]:
    overall, tables = whatif_shown(summary, settings.SELFDIRECT_SMALL_COUNT_THRESHOLD)
    return {
        "overall": overall,
        "tables": tables,
        "threshold": settings.SELFDIRECT_SMALL_COUNT_THRESHOLD,
        "chart": _chart(tables["User group"]),
    }


def _sections_not_answered(draft: RasVersion, in_force: RasVersion) -> list[str]:
    """Sections a draft prices that the RAS in force does not: stored answers do not include
    them, so everyone scores their fewest points there. Named by their questionnaire title
    where the draft's questionnaire version has the section."""
    known = {s.section_id for s in ras_definition(in_force).sections}
    titles = {s.id: s.title for s in draft.questionnaire_version.parsed.sections}
    return [
        f"‘{titles.get(s.section_id, s.section_id)}’"
        for s in ras_definition(draft).sections
        if s.section_id not in known
    ]


class ScenarioForm(forms.Form):
    name = forms.CharField(
        label="Name of the scenario",
        max_length=120,
        error_messages={
            "required": scenarios.SCENARIO_NAME_NEEDED,
            "max_length": scenarios.SCENARIO_NAME_TOO_LONG,
        },
    )


@requires("ras.whatif")
def what_if(request: HttpRequest) -> HttpResponse:
    try:
        version = ras_version_in_force(Questionnaire.objects.get(code="self-assessment"))
    except (AllocationError, Questionnaire.DoesNotExist):
        return render(request, "allocation/whatif.html", {"nav": "whatif", "no_ras": True})
    ras = ras_definition(version)
    groups = [(g, label) for g, label in GROUPS if g in dict(ras.price_per_point_pence)]
    drafts = list(
        RasVersion.objects.filter(
            questionnaire=version.questionnaire, status=RasVersion.Status.DRAFT
        )
        .select_related("questionnaire_version__questionnaire")
        .order_by("code", "-number")
    )
    # Saving posts the name with the what-if's own query, which is run again to be saved.
    saving = request.method == "POST"
    query = QueryDict(request.POST.get("query", "")) if saving else request.GET
    draft_form = DraftForm(query if "draft" in query else None, drafts=drafts)
    form = WhatIfForm(query if "floor" in query else None, groups=groups, initial=_initial(ras))
    save_form = ScenarioForm(request.POST if saving else None)
    today = dt.date.today()
    context: dict[str, Any] = {
        "nav": "whatif",
        "form": form,
        "draft_form": draft_form,
        "save_form": save_form,
        "version": version,
        "data_date": today,
    }
    run: dict[str, Any] | None = None
    if draft_form.is_bound and draft_form.is_valid():
        draft = draft_form.drafts[draft_form.cleaned_data["draft"]]
        run = {"draft": draft}
        context.update({"draft": draft, "not_answered": _sections_not_answered(draft, version)})
    elif form.is_bound and form.is_valid():
        run = {"edits": edits_of(form.cleaned_data)}
    if run is not None and saving and save_form.is_valid():
        try:
            scenario = scenarios.scenario_save(
                actor=acting_user(request.user),
                name=save_form.cleaned_data["name"],
                in_force=version,
                on=today,
                **run,
            )
        except AllocationError as refused:
            save_form.add_error("name" if refused.field == "name" else None, str(refused))
        else:
            messages.success(request, f"The scenario ‘{scenario.name}’ has been saved")
            return redirect("allocation:scenario", scenario_id=scenario.pk)
    if run is not None:
        results = _results(whatif_figures(in_force=version, on=today, **run).summary)
        if request.GET.get("format") == "csv":
            return csv_response(
                "what-if.csv", CSV_HEADER, _csv_rows(results["overall"], results["tables"])
            )
        context.update(results)
        context["csv_query"] = query.urlencode() + "&format=csv"
        context["query"] = query.urlencode()
    context["has_errors"] = bool(save_form.errors or draft_form.errors)
    return render(request, "allocation/whatif.html", context)


def _reopen_query(scenario: WhatIfScenario) -> str:
    """The what-if page's address for a scenario's settings (to change and run again)."""
    if scenario.draft_id is not None:
        return urlencode({"draft": scenario.draft_id})
    edits = scenario.edits
    query = {
        key.removesuffix("_pence"): pounds(value).lstrip("£").replace(",", "")
        for key, value in edits.items()
        if key.endswith("_pence")
    }
    query["carer_reduction"] = str(edits.get("carer_reduction", 0))
    return urlencode(query)


def _changes_shown(edits: dict[str, int]) -> list[tuple[str, str]]:
    """A scenario's parameter edits in words, for its page."""
    labels = dict(GROUPS)
    shown = []
    for key, value in sorted(edits.items()):
        if key == "floor_pence":
            shown.append(("Smallest weekly amount", pounds(value)))
        elif key == "ceiling_pence":
            shown.append(("Largest weekly amount", pounds(value)))
        elif key == "carer_reduction":
            shown.append(("Reduction when a carer is willing and able to carry on", f"{value}%"))
        elif key.startswith("price_"):
            group = key.removeprefix("price_").removesuffix("_pence")
            shown.append((f"Price per point: {labels.get(group, group).lower()}", pounds(value)))
    return shown


@requires("ras.whatif")
def scenario_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "allocation/scenarios.html",
        {"nav": "whatif", "scenarios": list(scenarios.scenarios_list())},
    )


@requires("ras.whatif")
def scenario_detail(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = get_object_or_404(scenarios.scenarios_list().defer(None), pk=scenario_id)
    overall, tables = scenarios.shown_rows(scenario.summary)
    context: dict[str, Any] = {
        "nav": "whatif",
        "scenario": scenario,
        "overall": overall,
        "tables": tables,
        "threshold": scenario.summary["threshold"],
        "chart": _chart(tables["User group"]),
        "reopen": _reopen_query(scenario),
        "changes": _changes_shown(scenario.edits),
        "own": scenario.created_by_id == request.user.pk,
    }
    if "again" in request.GET:
        again = scenarios.shown_summary(scenarios.scenario_rerun(scenario).summary)
        context["again_same"] = again == scenario.summary
        again_overall, again_tables = scenarios.shown_rows(again)
        context["again"] = {
            "overall": again_overall,
            "tables": again_tables,
            "chart": _chart(again_tables["User group"]),
        }
    return render(request, "allocation/scenario.html", context)


@requires("ras.whatif")
def scenario_delete(request: HttpRequest, scenario_id: int) -> HttpResponse:
    if request.method != "POST":
        raise PermissionDenied("Delete with the button on the scenario's page")
    scenario = get_object_or_404(WhatIfScenario, pk=scenario_id)
    try:
        scenarios.scenario_delete(actor=acting_user(request.user), scenario=scenario)
    except AllocationError as refused:
        raise PermissionDenied(str(refused)) from None
    messages.success(request, f"The scenario ‘{scenario.name}’ has been deleted")
    return redirect("allocation:scenarios")


def edits_of(cleaned: dict[str, Any]) -> dict[str, int]:
    """The parameter edits a scenario keeps: the form's figures in pence and per cent."""
    return {
        key: int(value)
        for key, value in cleaned.items()
        if key.endswith("_pence") or key == "carer_reduction"
    }
