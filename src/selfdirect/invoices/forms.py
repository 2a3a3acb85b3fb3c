"""The invoice pages' forms: GOV.UK date inputs and errors that name the field."""

from __future__ import annotations

from typing import Any

from django import forms

from selfdirect.forms_gov import GovDateField, required_message
from selfdirect.invoices import parsing
from selfdirect.invoices.services import LineIn
from selfdirect.people.models import Person
from selfdirect.planning.models import PlanLine


class PersonChoiceForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Who is the invoice for?",
        queryset=Person.objects.none(),
        empty_label="Choose the person",
        error_messages={
            "required": "Choose who the invoice is for",
            "invalid_choice": "Choose who the invoice is for",
        },
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["person"].widget.attrs["class"] = "govuk-select"


class InvoiceForm(forms.Form):
    reference = forms.CharField(
        label="Your invoice number",
        max_length=60,
        error_messages=required_message("Your invoice number"),
    )
    period_start = GovDateField(
        label="Start of the period", error_messages=required_message("The start of the period")
    )
    period_end = GovDateField(
        label="End of the period", error_messages=required_message("The end of the period")
    )

    def __init__(self, *args: Any, plan_lines: list[PlanLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan_lines = plan_lines
        for line in plan_lines:
            self.fields[f"units_{line.pk}"] = forms.CharField(
                label=f"{line.description}: units (optional)",
                required=False,
                max_length=12,
                help_text=f"The plan provides {line.quantity_hundredths / 100:g} "
                f"{'in all' if line.is_one_off else 'a week'}",
            )
            self.fields[f"rate_{line.pk}"] = forms.CharField(
                label=f"{line.description}: rate per unit in £ (optional)",
                required=False,
                max_length=12,
            )

    def line_fields(self) -> list[tuple[PlanLine, Any, Any]]:
        return [
            (line, self[f"units_{line.pk}"], self[f"rate_{line.pk}"]) for line in self.plan_lines
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.lines: list[LineIn] = []
        for line in self.plan_lines:
            units_name, rate_name = f"units_{line.pk}", f"rate_{line.pk}"
            units, rate = cleaned.get(units_name, ""), cleaned.get(rate_name, "")
            if not units and not rate:
                continue
            try:
                hundredths = parsing.units_hundredths(units)
            except ValueError as bad:
                self.add_error(units_name, f"{line.description}: {bad}")
                continue
            try:
                pence = parsing.rate_pence(rate)
            except ValueError as bad:
                self.add_error(rate_name, f"{line.description}: {bad}")
                continue
            self.lines.append(LineIn(line.pk, hundredths, pence, field=units_name))
        if not self.errors and not self.lines:
            first = f"units_{self.plan_lines[0].pk}" if self.plan_lines else None
            self.add_error(first, "Enter the units and rate for at least one line")
        return cleaned


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        error_messages={"required": "Choose a CSV file", "empty": "The file is empty"},
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class PaidForm(forms.Form):
    paid_on = GovDateField(
        label="Date it was paid", error_messages=required_message("The date it was paid")
    )
