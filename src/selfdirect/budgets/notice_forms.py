"""The form for giving written notice of a reduction or a stop."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from selfdirect.budgets.models import ChangeNotice
from selfdirect.forms_gov import GovDateField, pounds_to_pence, required_message


class NoticeForm(forms.Form):
    change = forms.ChoiceField(
        label="What is the change?",
        choices=[
            (ChangeNotice.Change.REDUCE, "Reduce it"),
            (ChangeNotice.Change.STOP, "Stop it"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the budget is reduced or stopped"},
    )
    applies_to = forms.ChoiceField(
        label="What does it apply to?",
        choices=ChangeNotice.AppliesTo.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the change is to the personal budget or the direct payment"
        },
    )
    new_amount = forms.CharField(
        label="New amount a week (£), if reducing",
        required=False,
        max_length=12,
        help_text="Leave blank when stopping.",
    )
    reasons = forms.CharField(
        label="Reasons for the change",
        widget=forms.Textarea,
        max_length=4000,
        help_text="These are written in the letter to the person, in full.",
        error_messages={"required": "Give the reasons for the change"},
    )
    takes_effect_on = GovDateField(
        label="Date it takes effect",
        error_messages=required_message("The date it takes effect"),
    )

    def __init__(self, *args: Any, notice_days: int, earliest: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["takes_effect_on"].help_text = (
            f"At least {notice_days} days from today: on or after {earliest:%-d %B %Y}. "
            f"For example, {earliest:%-d %-m %Y}."
        )

    def clean_new_amount(self) -> int | None:
        return pounds_to_pence(self.cleaned_data.get("new_amount", ""), "new amount")
