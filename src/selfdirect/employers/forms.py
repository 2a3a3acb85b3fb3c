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


def _scaled(value: str, places: int, message: str) -> int | None:
    """'15' or '13.8' -> whole units of 10^-places ('13.8', 2 -> 1380); empty -> None."""
    text = (value or "").strip().replace("%", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as bad:
        raise forms.ValidationError(message) from bad
    step = Decimal(1).scaleb(-places)
    if number < 0 or number != number.quantize(step) or number > 10_000:
        raise forms.ValidationError(message)
    return int(number.scaleb(places))


PERCENT_FORMAT = "Enter a percentage as a number, like 15 or 13.8"
WEEKS_FORMAT = "Enter the weeks as a number with at most one decimal place, like 5.6"

# Each figure: its label, and how it is typed ("pounds", "percent" or "weeks").
RATE_INPUTS = {
    "employer_ni_rate_bp": ("Employer's National Insurance rate, per cent", "percent"),
    "secondary_threshold_year_pence": ("Secondary threshold, pounds a year", "pounds"),
    "employment_allowance_year_pence": ("Employment Allowance, pounds a year", "pounds"),
    "holiday_weeks_tenths": ("Paid holiday, weeks a year", "weeks"),
    "pension_lower_year_pence": (
        "Pension: lower limit of qualifying earnings, pounds a year",
        "pounds",
    ),
    "pension_upper_year_pence": (
        "Pension: upper limit of qualifying earnings, pounds a year",
        "pounds",
    ),
    "pension_trigger_year_pence": ("Pension: earnings trigger, pounds a year", "pounds"),
    "pension_employer_rate_bp": ("Pension: employer's minimum contribution, per cent", "percent"),
    "national_living_wage_pence": ("National Living Wage (21 and over), pounds an hour", "pounds"),
    "insurance_year_pence": (
        "Employer's liability insurance, the council's estimate, pounds a year",
        "pounds",
    ),
    "payroll_fee_year_pence": ("Payroll service, the council's estimate, pounds a year", "pounds"),
}


def rate_as_typed(name: str, value: int) -> str:
    """A stored figure as the form shows it: 1500 bp -> '15', 56 tenths -> '5.6', pence -> '12.71'."""
    kind = RATE_INPUTS[name][1]
    places = {"percent": 2, "weeks": 1, "pounds": 2}[kind]
    text = f"{Decimal(value).scaleb(-places):.{places}f}"
    return text.rstrip("0").rstrip(".") if kind != "pounds" else text


class CostRatesForm(forms.Form):
    """A tax year's rates for the true cost, typed as people read them."""

    effective_from = GovDateField(
        label="The rates start on",
        help_text="Usually 6 April, the first day of the tax year. After the latest rates.",
        error_messages=required_message("The date the rates start"),
    )
    source = forms.CharField(
        label="Where the figures come from",
        help_text="The publication for each figure, such as HMRC's rates and thresholds.",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": services.RATES_SOURCE_NEEDED},
    )
    not_yet_checked = forms.CharField(
        label="Figures not yet checked against their source (optional)",
        help_text="Shown on the true cost page, so people know which figures are not checked.",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (label, _kind) in RATE_INPUTS.items():
            self.fields[name] = forms.CharField(
                label=label,
                max_length=14,
                error_messages={
                    "required": services.RATES_FIGURE_NEEDED.format(what=services.RATE_WORDS[name])
                },
            )

    def rate_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in RATE_INPUTS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, (_label, kind) in RATE_INPUTS.items():
            if name in self.errors:
                continue
            text = str(self.data.get(name, ""))
            try:
                if kind == "pounds":
                    cleaned[name] = pounds_to_pence(text, name)
                elif kind == "percent":
                    cleaned[name] = _scaled(text, 2, PERCENT_FORMAT)
                else:
                    cleaned[name] = _scaled(text, 1, WEEKS_FORMAT)
            except forms.ValidationError as wrong:
                self.add_error(name, wrong)
        return cleaned

    def figures(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name in RATE_INPUTS}
