"""The forms of a recovery case: each step's fields, error texts the tests assert."""

from __future__ import annotations

from django import forms

from selfdirect.forms_gov import GovDateField, pounds_to_pence, required_message
from selfdirect.recovery import services as S
from selfdirect.recovery.models import RecoveryCase as Case


class CaseOpenForm(forms.Form):
    source = forms.ChoiceField(
        label="Where does the balance come from?",
        choices=Case.Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": S.SOURCE_NEEDED},
    )
    balance_on = GovDateField(
        label="Date of the balance", error_messages=required_message("The date of the balance")
    )
    balance = forms.CharField(
        label="Balance found (£), from a statement or typed",
        required=False,
        max_length=12,
        help_text="Leave blank to use the ledger balance on that date.",
    )
    source_reference = forms.CharField(label="Statement reference", required=False, max_length=120)
    weekly = forms.CharField(
        label="Direct payment a week (£)",
        required=False,
        max_length=12,
        help_text="Leave blank to use the part of the plan in force held as a direct payment.",
    )

    def clean_balance(self) -> int | None:
        return pounds_to_pence(self.cleaned_data.get("balance", ""), "balance")

    def clean_weekly(self) -> int | None:
        return pounds_to_pence(self.cleaned_data.get("weekly", ""), "weekly amount")


class ExplanationForm(forms.Form):
    kind = forms.ChoiceField(
        label="What was the money being kept for?",
        choices=Case.Explanation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": S.EXPLANATION_KIND_NEEDED},
    )
    explanation = forms.CharField(
        label="Why is the money there?",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": S.EXPLANATION_NEEDED},
    )
    evidence_note = forms.CharField(
        label="Anything that shows this (optional)",
        widget=forms.Textarea,
        max_length=2000,
        required=False,
        help_text="For example a holiday booking, or a PA's holiday pay due in the summer.",
    )


class AdjustmentsForm(forms.Form):
    adjustments = forms.CharField(
        label="Reasonable adjustments made",
        widget=forms.Textarea,
        max_length=4000,
        help_text="For example more time to reply, an easy read letter, a phone call, an advocate.",
        error_messages={"required": S.ADJUSTMENTS_NEEDED},
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="What is decided?",
        choices=Case.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": S.DECISION_NEEDED},
    )
    amount = forms.CharField(
        label="Amount to recover (£), if recovering part",
        required=False,
        max_length=12,
    )
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea,
        max_length=4000,
        help_text="These are written in the decision letter, in full.",
        error_messages={"required": S.REASONS_NEEDED},
    )

    def clean_amount(self) -> int | None:
        return pounds_to_pence(self.cleaned_data.get("amount", ""), "amount")


class PlanForm(forms.Form):
    kind = forms.ChoiceField(
        label="How will the money be recovered?",
        choices=Case.PlanKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": S.PLAN_KIND_NEEDED},
    )
    count = forms.IntegerField(
        label="How many payments or instalments",
        min_value=1,
        max_value=S.MOST_PERIODS,
        initial=1,
        help_text="For one sum, leave it at 1.",
        error_messages={
            "required": S.COUNT_RANGE.format(most=S.MOST_PERIODS),
            "invalid": S.COUNT_RANGE.format(most=S.MOST_PERIODS),
            "min_value": S.COUNT_RANGE.format(most=S.MOST_PERIODS),
            "max_value": S.COUNT_RANGE.format(most=S.MOST_PERIODS),
        },
    )
    first_due_on = GovDateField(
        label="Date of the first recovery",
        error_messages=required_message("The date of the first recovery"),
    )


class AppealForm(forms.Form):
    appeal = forms.CharField(
        label="Why do you think the decision is wrong?",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": S.APPEAL_NEEDED},
    )


class AppealDecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What is the outcome of the appeal?",
        choices=Case.AppealOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": S.OUTCOME_NEEDED},
    )
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": S.APPEAL_REASONS_NEEDED},
    )


def field_of(refused_field: str) -> str:
    """The form field a service's refusal names."""
    return {
        "balance_pence": "balance",
        "weekly_pence": "weekly",
        "amount_pence": "amount",
    }.get(refused_field, refused_field)
