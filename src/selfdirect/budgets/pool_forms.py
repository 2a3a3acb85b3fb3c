"""Forms for setting up a pool and adding a person's share to it."""

from __future__ import annotations

from typing import Any

from django import forms

from selfdirect.forms_gov import GovDateField, pounds_to_pence, required_message
from selfdirect.money import pounds
from selfdirect.planning.models import PlanLine
from selfdirect.providers.models import Provider


class PoolForm(forms.Form):
    name = forms.CharField(
        label="Name of the pool", max_length=120, error_messages=required_message("The name")
    )
    activity = forms.CharField(
        label="The shared activity",
        widget=forms.Textarea,
        max_length=4000,
        help_text="What the members pay for together, for example a weekly art group with a tutor.",
        error_messages={"required": "Describe the shared activity"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation running it (optional)",
        queryset=Provider.objects.all(),
        required=False,
        empty_label="Not a provider in the directory",
    )
    starts_on = GovDateField(label="Start date", error_messages=required_message("The start date"))


class LineChoiceField(forms.ModelChoiceField[PlanLine]):
    def label_from_instance(self, obj: Any) -> str:
        line: PlanLine = obj
        person = line.plan.person
        return (
            f"{person.full_name} ({person.la_person_id}): {line.description}, "
            f"{pounds(line.weekly_cost_pence)} a week"
        )


class PoolShareForm(forms.Form):
    line = LineChoiceField(
        label="Whose share, paid from which line of their plan",
        queryset=PlanLine.objects.none(),
        empty_label="Select a line",
        help_text="Lines of approved plans held as a direct payment, an Individual Service Fund "
        "or a third-party managed account.",
        error_messages={
            "required": "Select the line of the plan that pays the share",
            "invalid_choice": "Select a line of an approved support plan",
        },
    )
    weekly = forms.CharField(
        label="Their share a week (£)",
        max_length=12,
        error_messages=required_message("Their share a week"),
    )
    joined_on = GovDateField(
        label="Date they join", error_messages=required_message("The date they join")
    )

    def __init__(self, *args: Any, lines: list[PlanLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        line_field = self.fields["line"]
        assert isinstance(line_field, forms.ModelChoiceField)
        line_field.queryset = (
            PlanLine.objects.filter(pk__in=[line.pk for line in lines])
            .select_related("plan__person")
            .order_by("plan__person__family_name", "plan__person__given_name", "id")
        )

    def clean_weekly(self) -> int:
        value = pounds_to_pence(self.cleaned_data.get("weekly", ""), "share")
        if value is None:
            raise forms.ValidationError("Enter their share a week")
        return value
