"""Choosing the dashboard's period: a preset (the last 12 months, a financial year or
quarter) or dates the commissioner types, in GOV.UK date inputs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from selfdirect.forms_gov import GovDateField
from selfdirect.market.selectors import Period, period_presets

START_NEEDED = "Enter the first day of the period"
END_NEEDED = "Enter the last day of the period"
END_BEFORE_START = "The last day must be the same as or after the first day"
TOO_LONG = "The period can be at most 5 years"
MAX_DAYS = 5 * 366


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label="Period", required=False, choices=[])
    start = GovDateField(
        label="First day",
        required=False,
        help_text="Or choose your own dates (they are used instead of the period). "
        "For example, 1 4 2026",
    )
    end = GovDateField(label="Last day", required=False, help_text="For example, 31 3 2027")

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.presets = {code: period for code, _label, period in period_presets(today)}
        field = self.fields["period"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(code, label) for code, label, _ in period_presets(today)]
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        typed = any(
            self.data.get(f"{name}_{part}")
            for name in ("start", "end")
            for part in ("day", "month", "year")
        )
        if not typed or "start" in self.errors or "end" in self.errors:
            return data
        if start is None:
            self.add_error("start", START_NEEDED)
        if end is None:
            self.add_error("end", END_NEEDED)
        if start and end and end < start:
            self.add_error("end", END_BEFORE_START)
        elif start and end and (end - start).days + 1 > MAX_DAYS:
            self.add_error("end", TOO_LONG)
        return data

    def chosen(self) -> Period:
        """The period asked for (call after is_valid)."""
        d = self.cleaned_data
        if d.get("start") and d.get("end"):
            return Period(d["start"], d["end"])
        return self.presets.get(d.get("period") or "", self.presets[""])
