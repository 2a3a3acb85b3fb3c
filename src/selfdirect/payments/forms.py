"""The form to prepare a payment run."""

from __future__ import annotations

from django import forms

from selfdirect.forms_gov import required_message
from selfdirect.payments.models import FREQUENCIES


class RunPrepareForm(forms.Form):
    period = forms.CharField(
        label="Month the payment periods start in",
        help_text="For example, 2026-04 for April 2026",
        max_length=7,
        error_messages=required_message("the month, like 2026-04"),
    )
    frequency = forms.ChoiceField(
        label="Which schedules",
        choices=FREQUENCIES,
        widget=forms.RadioSelect,
        error_messages=required_message("which schedules to pay", "Choose"),
    )
