"""Forms to work out an indicative budget and to sign it off."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from selfdirect.allocation.models import PanelDecision, SignOff
from selfdirect.forms_gov import GovDateField, pounds_to_pence


class CalculateForm(forms.Form):
    rural = forms.BooleanField(
        label="The person lives in a rural area (travel time adds to the cost)", required=False
    )
    agency = forms.BooleanField(
        label="Support will be bought from an agency rather than personal assistants",
        required=False,
    )
    previous_package = forms.CharField(
        label="Weekly cost of their current package, if they have one (optional)",
        required=False,
        max_length=12,
        help_text="In pounds, for example 210.00. Kept apart from the RAS amount so changes can be seen.",
    )

    def clean_previous_package(self) -> int | None:
        return pounds_to_pence(self.cleaned_data.get("previous_package", ""), "previous package")


class SignOffForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=SignOff.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a decision"},
    )
    agreed_amount = forms.CharField(
        label="Agreed weekly amount, if different",
        required=False,
        max_length=12,
        help_text="In pounds, for example 150.00.",
    )
    reason_code = forms.ChoiceField(
        label="Reason for a different amount", choices=SignOff.Reason.choices, required=False
    )
    reason = forms.CharField(
        label="Explain your decision",
        required=False,
        widget=forms.Textarea,
        max_length=4000,
        help_text="Needed when you approve a different amount or return it for rework. The person can read this.",
    )

    other_amount = forms.CharField(
        label="Other public money in the budget each week (optional)",
        required=False,
        max_length=12,
        help_text="For example NHS funding in an integrated budget, in pounds.",
    )
    other_source = forms.CharField(
        label="Where the other public money comes from (optional)", required=False, max_length=120
    )

    def clean_agreed_amount(self) -> int | None:
        return pounds_to_pence(self.cleaned_data.get("agreed_amount", ""), "agreed amount")

    def clean_other_amount(self) -> int:
        return pounds_to_pence(self.cleaned_data.get("other_amount", ""), "other amount") or 0

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        return data


class ChallengeForm(forms.Form):
    reasons = forms.CharField(
        label="Why do you think the amount is wrong?",
        widget=forms.Textarea,
        max_length=4000,
        help_text="For example, a need the questions missed, or help from family that has changed.",
        error_messages={"required": "Tell us why you think the amount is wrong"},
    )
    proposed = forms.CharField(
        label="What weekly amount do you think is right? (optional)",
        required=False,
        max_length=12,
        help_text="In pounds, for example 150.00",
    )
    evidence = forms.CharField(
        label="Anything that shows this (optional)",
        required=False,
        widget=forms.Textarea,
        max_length=4000,
        help_text="For example, a letter from your GP or a list of what support costs. Say where we can see it.",
    )

    def clean_proposed(self) -> int | None:
        return pounds_to_pence(self.cleaned_data.get("proposed", ""), "proposed")


class ChallengeLogForm(ChallengeForm):
    """Staff take down a request that came by phone, letter or in person."""

    channel = forms.ChoiceField(
        label="How did the request come?",
        choices=[
            ("phone", "By phone"),
            ("letter", "By letter"),
            ("in_person", "In person"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the request came"},
    )
    taken_from = forms.CharField(
        label="Who asked",
        max_length=200,
        help_text="The person, or the name and relationship of who asked for them",
        error_messages={
            "required": "Enter who asked: the person, or the name of who asked for them"
        },
    )
    field_order = ["channel", "taken_from", "reasons", "proposed", "evidence"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reasons"].label = "Why they think the amount is wrong"
        self.fields["reasons"].help_text = "In their words, as they said or wrote it"
        self.fields["reasons"].error_messages["required"] = (
            "Enter why they think the amount is wrong"
        )
        self.fields["proposed"].label = "The weekly amount they think is right (optional)"
        self.fields["evidence"].label = "Anything they sent or mentioned that shows this (optional)"
        self.fields["evidence"].help_text = ""


class ChallengeDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[
            ("upheld", "Upheld: the amount will change"),
            ("partly", "Partly upheld"),
            ("not_upheld", "Not upheld: the amount stays"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    reason = forms.CharField(
        label="Explain the decision",
        widget=forms.Textarea,
        max_length=4000,
        help_text="The person will read this.",
        error_messages={"required": "Explain the decision: the person will read it"},
    )
    new_amount = forms.CharField(
        label="New weekly amount, if upheld or partly upheld",
        required=False,
        max_length=12,
        help_text="In pounds, for example 720.00. It becomes the personal budget from today.",
    )
    reassessment_needed = forms.BooleanField(
        label="The person needs a new assessment", required=False
    )
    panel_members = forms.TypedMultipleChoiceField(
        label="If the panel decided it: who sat on the panel",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only for a new amount above your sign-off limit. Select at least two. "
        "The worker who worked out the budget cannot sit.",
    )

    def __init__(self, *args: Any, members: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {u.pk: u for u in members or []}
        cast(forms.ChoiceField, self.fields["panel_members"]).choices = [
            (u.pk, u.get_full_name() or u.get_username()) for u in members or []
        ]

    def clean_new_amount(self) -> int | None:
        return pounds_to_pence(self.cleaned_data.get("new_amount", ""), "new weekly amount")


class PanelReferralForm(forms.Form):
    reason = forms.CharField(
        label="Why does this budget need the panel?",
        widget=forms.Textarea,
        max_length=4000,
        help_text="For example: the amount is above your sign-off limit.",
        error_messages={"required": "Say why this budget needs the panel"},
    )


class PanelDecisionForm(forms.Form):
    members = forms.TypedMultipleChoiceField(
        label="Who sat on the panel",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select at least two. The worker who worked out the budget cannot sit.",
        error_messages={"required": "Choose at least two panel members"},
    )
    decided_on = GovDateField(
        label="Date of the panel",
        past_only=True,
        error_messages={"required": "Enter the date of the panel"},
    )
    outcome = forms.ChoiceField(
        label="The panel's decision",
        choices=PanelDecision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the panel's decision"},
    )
    agreed_amount = forms.CharField(
        label="Weekly amount the panel agreed, if different",
        required=False,
        max_length=12,
        help_text="In pounds, for example 950.00.",
    )
    reasons = forms.CharField(
        label="The panel's reasons",
        widget=forms.Textarea,
        max_length=4000,
        help_text="In plain English: the person will read them in a letter.",
        error_messages={"required": "Give the panel's reasons: the person will read them"},
    )

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {u.pk: u for u in members}
        cast(forms.ChoiceField, self.fields["members"]).choices = [
            (u.pk, u.get_full_name() or u.get_username()) for u in members
        ]

    def clean_agreed_amount(self) -> int | None:
        return pounds_to_pence(self.cleaned_data.get("agreed_amount", ""), "agreed amount")
