"""The forms to prepare a payment run, to set a budget's payment schedule, and to record
a payment the bank sent back (one by one, or the bank's returns file)."""

from __future__ import annotations

from django import forms

from selfdirect.charging.forms import pence_from
from selfdirect.forms_gov import GovDateField, required_message
from selfdirect.payments.models import FREQUENCIES, PAID_WAYS, RETURN_REASONS


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


class ScheduleForm(forms.Form):
    deployment = forms.ChoiceField(
        label="Which budget is paid",
        choices=list(PAID_WAYS.items()),
        widget=forms.RadioSelect,
        error_messages=required_message("which budget is paid", "Choose"),
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=FREQUENCIES,
        widget=forms.RadioSelect,
        error_messages=required_message("how often it is paid", "Choose"),
    )
    anchor_date = GovDateField(
        label="First day of the first payment period",
        help_text="Later periods follow it: every 28 days, or on the same day each month",
        error_messages=required_message("The first day of the first period"),
    )
    starts_on = GovDateField(
        label="First day paid for",
        help_text="If it is inside a period, that period is paid for its days only",
        error_messages=required_message("The first day paid for"),
    )
    ends_on = GovDateField(label="Last day paid for (optional)", required=False)
    payee_name = forms.CharField(
        label="Name on the bank account",
        max_length=120,
        error_messages=required_message("the name on the bank account"),
    )
    sort_code = forms.CharField(
        label="Sort code",
        max_length=8,
        error_messages=required_message("the sort code"),
    )
    account_number = forms.CharField(
        label="Account number",
        max_length=10,
        error_messages=required_message("the account number"),
    )


class ProblemForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why the bank sent it back",
        choices=[(code, f"{words} (code {code})") for code, words in RETURN_REASONS.items()],
        widget=forms.RadioSelect,
        error_messages=required_message("why the bank sent the payment back", "Choose"),
    )
    returned_on = GovDateField(
        label="Day the bank sent it back",
        help_text="For example, 27 4 2026",
        error_messages=required_message("The day the bank sent it back"),
    )
    bank_reference = forms.CharField(
        label="The bank's reference (optional)", max_length=40, required=False
    )
    notes = forms.CharField(
        label="Notes (optional)",
        help_text="What the bank said, if the reason is not in the list",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProblemStopForm(forms.Form):
    reason = forms.CharField(
        label="Why it is not to be paid again",
        help_text="For example, the account is closed and the direct payment has ended",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_message("why it is not to be paid again", "Say"),
    )


class ReturnsUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the bank's returns file (CSV)",
        error_messages={"required": "Choose a CSV file", "empty": "The file is empty"},
    )


class ContributionReceiptForm(forms.Form):
    amount = forms.CharField(
        label="Amount received, in pounds",
        max_length=12,
        error_messages=required_message("the amount received, like 60.00"),
    )
    received_on = GovDateField(
        label="Day it was received",
        help_text="For example, 27 4 2026",
        error_messages=required_message("The day it was received"),
    )
    reference = forms.CharField(
        label="Reference in the council's finance system",
        max_length=100,
        error_messages=required_message("the reference in the council's finance system"),
    )

    def clean_amount(self) -> int:
        return pence_from(
            self.cleaned_data.get("amount", ""), message="Enter the amount in pounds, like 60.00"
        )
