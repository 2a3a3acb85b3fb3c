"""Forms for asking to change support, deciding a request and marking a provider closing.
Their answers go to the services, which hold the rules (and their refusal texts)."""

from __future__ import annotations

from typing import Any

from django import forms

from selfdirect.forms_gov import GovDateField, pounds_to_pence, required_message
from selfdirect.money import pounds
from selfdirect.planning.models import PlanLine
from selfdirect.planning.streams import DEPLOYMENTS, SWITCH_REASONS
from selfdirect.providers.models import Provider


class LineChoice(forms.ModelChoiceField[PlanLine]):
    def label_from_instance(self, obj: Any) -> str:
        line: PlanLine = obj
        who = line.provider or line.provided_by or DEPLOYMENTS[line.deployment]
        return (
            f"{line.description} ({who}, {pounds(line.unit_cost_pence)} {line.get_unit_display()})"
        )


class AskForm(forms.Form):
    line = LineChoice(
        label="Which support do you want to change?",
        queryset=PlanLine.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the support you want to change"},
    )
    to_deployment = forms.ChoiceField(
        label="How should it be held?",
        choices=list(DEPLOYMENTS.items()),
        widget=forms.RadioSelect,
        help_text="Choose the way it is held now if you only want a different provider.",
        error_messages={"required": "Select how the support will be held"},
    )
    to_provider = forms.ModelChoiceField(
        label="New provider (optional)",
        queryset=Provider.objects.all(),
        required=False,
        empty_label="Not a provider on this list",
    )
    to_provided_by = forms.CharField(
        label="Or who you would like to provide it (optional)",
        required=False,
        max_length=120,
        help_text="For example a personal assistant you know.",
    )
    new_unit_cost = forms.CharField(
        label="What the new provider charges for each unit (£), if you know it (optional)",
        required=False,
        max_length=12,
    )
    reasons = forms.MultipleChoiceField(
        label="Why do you want to change?",
        choices=list(SWITCH_REASONS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply.",
    )
    in_their_words = forms.CharField(
        label="In your own words (optional)",
        required=False,
        widget=forms.Textarea,
        max_length=2000,
    )
    wanted_from = GovDateField(
        label="From when",
        help_text="For example, 27 3 2027.",
        error_messages=required_message("The date you want the change from"),
    )
    notice_weeks = forms.IntegerField(
        label="Weeks of notice the current provider needs (optional)",
        required=False,
        min_value=0,
        max_value=52,
        help_text="Leave blank if none or you do not know.",
        error_messages={
            "invalid": "Enter the weeks of notice as a number, like 4",
            "min_value": "Enter the weeks of notice as a number from 0 to 52",
            "max_value": "Enter the weeks of notice as a number from 0 to 52",
        },
    )

    def __init__(self, *args: Any, person_id: int, lines: list[PlanLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["line"]
        assert isinstance(field, forms.ModelChoiceField)
        # Every line of the person's plans may be posted; the service refuses one not in
        # the plan in force, naming the field (so an old line says why, not "not a choice").
        field.queryset = PlanLine.objects.filter(plan__person_id=person_id)
        field.choices = [(line.pk, field.label_from_instance(line)) for line in lines]

    def clean_new_unit_cost(self) -> int | None:
        return pounds_to_pence(self.cleaned_data.get("new_unit_cost", ""), "new unit cost")

    def request_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "line": d["line"],
            "to_deployment": d["to_deployment"],
            "to_provider": d["to_provider"],
            "to_provided_by": d["to_provided_by"],
            "to_unit_cost_pence": d["new_unit_cost"],
            "reasons": list(d["reasons"]),
            "in_their_words": d["in_their_words"],
            "wanted_from": d["wanted_from"],
            "notice_weeks": d["notice_weeks"] or 0,
        }


class DecideForm(forms.Form):
    agree = forms.TypedChoiceField(
        label="Is the change agreed?",
        choices=[("yes", "Yes, make the change"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the change is agreed"},
    )
    effective_date = GovDateField(
        label="From when (if agreed)",
        required=False,
        help_text="Leave blank for the date the person asked for.",
    )
    reasons = forms.CharField(
        label="Reasons for the decision",
        widget=forms.Textarea,
        max_length=2000,
        help_text="The person is told these, in these words.",
        error_messages={
            "required": "Give the reasons for the decision, in words the person will understand"
        },
    )


class ClosureForm(forms.Form):
    provider = forms.ModelChoiceField(
        label="Provider",
        queryset=Provider.objects.all(),
        empty_label="Select the provider",
        error_messages={"required": "Select the provider"},
    )
    closes_on = GovDateField(
        label="Date it stops providing support",
        error_messages=required_message("The date the provider stops providing support"),
    )
    reason = forms.CharField(
        label="Why it is leaving",
        widget=forms.Textarea,
        max_length=2000,
        help_text="For example: closing, failed a CQC inspection, handing back its contract.",
        error_messages={
            "required": "Say why the provider is leaving (closing, failing or withdrawing)"
        },
    )
