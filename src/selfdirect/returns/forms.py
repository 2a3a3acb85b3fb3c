"""The analysts' forms: the period of a Client Level Data return, and the date of the ASCOF
snapshot (GOV.UK date inputs; each error names the date that is wrong)."""

from __future__ import annotations

from typing import Any

from django import forms

from selfdirect.forms_gov import GovDateField
from selfdirect.returns.cld import PERIOD_BACKWARDS, Period

START_LABEL = "Start of the period"
END_LABEL = "End of the period"
AS_AT_LABEL = "Date of the snapshot"
START_NEEDED = "Enter the first day of the period"
END_NEEDED = "Enter the last day of the period"
AS_AT_NEEDED = "Enter the date of the snapshot"


class CldPeriodForm(forms.Form):
    period_start = GovDateField(
        label=START_LABEL,
        help_text="The first day the return covers, for example 1 4 2025",
        error_messages={"required": START_NEEDED},
    )
    period_end = GovDateField(
        label=END_LABEL,
        help_text="The last day it covers, for example 31 3 2026",
        error_messages={"required": END_NEEDED},
    )
    again = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error(
                "period_end",
                PERIOD_BACKWARDS.format(start=start.isoformat(), end=end.isoformat()),
            )
        return data

    def period(self) -> Period:
        return Period(self.cleaned_data["period_start"], self.cleaned_data["period_end"])


class AscofDateForm(forms.Form):
    as_at = GovDateField(
        label=AS_AT_LABEL,
        help_text="Service users are counted on this day, carers over the year ending on it. "
        "For the year's figures use 31 March, for example 31 3 2026",
        error_messages={"required": AS_AT_NEEDED},
    )
