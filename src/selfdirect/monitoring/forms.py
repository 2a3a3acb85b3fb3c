"""The monitoring forms: a statement upload (with the columns named for an unrecognised
layout), a risk record, a person's explanation of a flag, finance's decision on one."""

from __future__ import annotations

from typing import Any

from django import forms

from selfdirect.file_checks import MAX_UPLOAD_BYTES, TOO_BIG
from selfdirect.monitoring.statements import SELECT_FILE, WRONG_TYPE

COLUMN_NAMES_NEEDED = "Enter the names of the date, description and amount columns"
LAYOUT_NEEDED = "Select how the statement's columns are laid out"
AMOUNT_COLUMNS_NEEDED = "Enter the amount column, or the paid out and paid in columns"


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a statement",
        help_text="A CSV or OFX file from your bank or prepaid card account.",
        error_messages={"required": SELECT_FILE, "empty": SELECT_FILE},
    )
    layout = forms.ChoiceField(
        label="How are the columns laid out?",
        choices=[
            ("named", "My bank's usual layout (the first row names the columns)"),
            ("columns", "I will say which column is which"),
        ],
        initial="named",
        widget=forms.RadioSelect,
        help_text="An OFX file needs no columns.",
        error_messages={"required": LAYOUT_NEEDED},
    )
    date_column = forms.CharField(label="Name of the date column", required=False, max_length=60)
    description_column = forms.CharField(
        label="Name of the description column", required=False, max_length=60
    )
    amount_column = forms.CharField(
        label="Name of the amount column (money out as a minus)", required=False, max_length=60
    )
    paid_out_column = forms.CharField(
        label="Or: name of the paid out column", required=False, max_length=60
    )
    paid_in_column = forms.CharField(
        label="And: name of the paid in column", required=False, max_length=60
    )
    balance_column = forms.CharField(
        label="Name of the balance column (if there is one)", required=False, max_length=60
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".ofx", ".qfx")):
            raise forms.ValidationError(WRONG_TYPE)
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_BIG)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("layout") == "columns":
            if not data.get("date_column") or not data.get("description_column"):
                self.add_error("date_column", COLUMN_NAMES_NEEDED)
            if not data.get("amount_column") and not (
                data.get("paid_out_column") or data.get("paid_in_column")
            ):
                self.add_error("amount_column", AMOUNT_COLUMNS_NEEDED)
        return data


class RiskForm(forms.Form):
    high_risk = forms.TypedChoiceField(
        label="Is the risk high?",
        choices=[("yes", "Yes: monitor the direct payment closely"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        help_text="High risk puts the direct payment under a full audit, whatever its size.",
        error_messages={"required": "Select whether the risk is high"},
    )
    reason = forms.CharField(
        label="Why?",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Enter why the risk is recorded"},
    )


class ExplainForm(forms.Form):
    explanation = forms.CharField(
        label="What was it for?",
        widget=forms.Textarea,
        max_length=4000,
        help_text="In your own words. For example: taxi to my day centre, or saving for my holiday in August.",
        error_messages={"required": "Enter what the payment or balance was for"},
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("clear", "Clear the flag"), ("keep", "Keep it open")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to clear the flag or keep it"},
    )
    note = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Enter the reason for the decision"},
    )
