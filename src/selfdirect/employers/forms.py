"""Forms for PA records: a PA, a course, the insurance, a timesheet, and the calculator's
what-if. Amounts are typed in pounds and hours as numbers; both become whole units here."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from selfdirect.employers import services
from selfdirect.forms_gov import GovDateField, pounds_to_pence, required_message

HOURS_FORMAT = "Enter the hours as a number, like 7.5"


def hours_to_hundredths(value: str, message: str) -> int:
    """'7.5' -> 750; at most two decimal places, more than 0, at most 168 a week."""
    text = (value or "").strip()
    try:
        hours = Decimal(text)
    except InvalidOperation as bad:
        raise forms.ValidationError(HOURS_FORMAT) from bad
    if hours != hours.quantize(Decimal("0.01")):
        raise forms.ValidationError(HOURS_FORMAT)
    hundredths = int(hours * 100)
    if not 0 < hundredths <= services.MAX_WEEK_HUNDREDTHS:
        raise forms.ValidationError(message)
    return hundredths


class AssistantForm(forms.Form):
    name = forms.CharField(
        label="Name of the personal assistant",
        max_length=120,
        error_messages={"required": services.NAME_NEEDED},
    )
    role = forms.CharField(
        label="What they do",
        help_text="For example: personal care in the morning, going out, help at home.",
        max_length=120,
        error_messages={"required": services.ROLE_NEEDED},
    )
    hours = forms.CharField(
        label="Hours a week",
        help_text="For example, 7.5",
        max_length=8,
        error_messages={"required": services.HOURS_NEEDED},
    )
    hourly_rate = forms.CharField(
        label="Hourly rate, in pounds",
        help_text="Before tax, for example 13.50",
        max_length=12,
        error_messages={"required": services.RATE_NEEDED},
    )
    start_date = GovDateField(
        label="Date they started",
        help_text="For example, 27 3 2025",
        error_messages=required_message("Date they started"),
    )
    end_date = GovDateField(
        label="Date they stopped (if they have)",
        help_text="Leave empty if they still work for you.",
        required=False,
    )
    dbs_checked_on = GovDateField(
        label="Date of their DBS check", help_text="The date on the certificate.", required=False
    )
    right_to_work_checked_on = GovDateField(
        label="Date you checked their right to work in the UK", required=False
    )

    def clean_hours(self) -> int:
        return hours_to_hundredths(self.cleaned_data.get("hours", ""), services.HOURS_NEEDED)

    def clean_hourly_rate(self) -> int:
        pence = pounds_to_pence(self.cleaned_data.get("hourly_rate", ""), "hourly rate")
        if not pence:
            raise forms.ValidationError(services.RATE_NEEDED)
        return pence

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "role": d["role"],
            "hours_hundredths": d["hours"],
            "hourly_rate_pence": d["hourly_rate"],
            "start_date": d["start_date"],
            "end_date": d.get("end_date"),
            "dbs_checked_on": d.get("dbs_checked_on"),
            "right_to_work_checked_on": d.get("right_to_work_checked_on"),
        }


class TrainingForm(forms.Form):
    course = forms.CharField(
        label="Course", max_length=120, error_messages={"required": services.COURSE_NEEDED}
    )
    completed_on = GovDateField(
        label="Date they did it", error_messages=required_message("Date they did it")
    )
    renew_by = GovDateField(label="Date to do it again by (if it needs renewing)", required=False)


class InsuranceForm(forms.Form):
    insurer = forms.CharField(
        label="Insurer", max_length=120, error_messages={"required": services.INSURER_NEEDED}
    )
    policy_number = forms.CharField(
        label="Policy number", max_length=60, error_messages={"required": services.POLICY_NEEDED}
    )
    expires_on = GovDateField(
        label="Date the policy runs out",
        error_messages=required_message("Date the policy runs out"),
    )
    premium = forms.CharField(
        label="What it costs a year, in pounds (if you know)", max_length=12, required=False
    )

    def clean_premium(self) -> int | None:
        return pounds_to_pence(self.cleaned_data.get("premium", ""), "premium")


class TimesheetForm(forms.Form):
    assistant = forms.TypedChoiceField(
        label="Personal assistant",
        coerce=int,
        error_messages={"required": "Select the personal assistant"},
    )
    week_starting = GovDateField(
        label="First day of the week",
        help_text="For example, 1 12 2026",
        error_messages=required_message("First day of the week"),
    )
    hours = forms.CharField(
        label="Hours worked that week",
        max_length=8,
        error_messages={"required": services.WEEK_HOURS_TOO_MANY},
    )
    note = forms.CharField(
        label="Anything to note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, assistants: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assistant"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(a.pk, a.name) for a in assistants]
        if len(assistants) > 1:
            field.choices = [("", "Select a personal assistant"), *field.choices]

    def clean_hours(self) -> int:
        return hours_to_hundredths(self.cleaned_data.get("hours", ""), services.WEEK_HOURS_TOO_MANY)


class WhatIfForm(forms.Form):
    """The calculator's what-if: a rate and hours for one more PA (or instead of them)."""

    hourly_rate = forms.CharField(label="Hourly rate, in pounds", max_length=12, required=False)
    hours = forms.CharField(label="Hours a week", max_length=8, required=False)
    employment_allowance = forms.BooleanField(
        label="I claim the Employment Allowance from HMRC", required=False
    )

    def clean_hourly_rate(self) -> int | None:
        return pounds_to_pence(self.cleaned_data.get("hourly_rate", ""), "hourly rate")

    def clean_hours(self) -> int | None:
        text = self.cleaned_data.get("hours", "")
        if not (text or "").strip():
            return None
        return hours_to_hundredths(text, services.HOURS_NEEDED)

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if bool(d.get("hourly_rate")) != bool(d.get("hours")) and not self.errors:
            raise forms.ValidationError(
                "Enter both an hourly rate and the hours a week, or neither"
            )
        return d


class PaTimesheetForm(forms.Form):
    """The PA's own timesheet, on their link: a week and its hours (the PA is the link's)."""

    week_starting = GovDateField(
        label="First day of the week",
        help_text="For example, 1 12 2026",
        error_messages=required_message("First day of the week"),
    )
    hours = forms.CharField(
        label="Hours you worked that week",
        help_text="For example, 7.5",
        max_length=8,
        error_messages={"required": services.WEEK_HOURS_TOO_MANY},
    )
    note = forms.CharField(
        label="Anything to tell your employer (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_hours(self) -> int:
        return hours_to_hundredths(self.cleaned_data.get("hours", ""), services.WEEK_HOURS_TOO_MANY)


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label="Why are you sending it back?",
        help_text="The PA reads this on their timesheet link, so they can put it right.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": services.REASON_NEEDED},
    )
