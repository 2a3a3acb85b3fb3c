"""Forms for answering questions, reviewing answers and deciding eligibility."""

from __future__ import annotations

from typing import Any

from django import forms

from selfdirect.assessment.eligibility import FACS_BANDS, UNABLE_WORDS, Criteria, Unable
from selfdirect.assessment.questionnaire import Section
from selfdirect.forms_gov import GovDateField, required_message

SELECT_AN_ANSWER = "Select an answer"


class AnswerForm(forms.Form):
    """One question on its own page: the section's options as radios."""

    def __init__(self, *args: Any, section: Section, label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["option"] = forms.ChoiceField(
            label=label or section.question,
            help_text=section.hint,
            choices=[(o.id, o.text) for o in section.options],
            widget=forms.RadioSelect,
            error_messages={"required": SELECT_AN_ANSWER, "invalid_choice": SELECT_AN_ANSWER},
        )


class ReviewForm(forms.Form):
    """A practitioner's view of one answer and the agreed answer."""

    def __init__(self, *args: Any, section: Section, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(o.id, o.text) for o in section.options]
        self.fields["worker"] = forms.ChoiceField(
            label="Your view as the worker",
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Select your view", "invalid_choice": "Select your view"},
        )
        self.fields["agreed"] = forms.ChoiceField(
            label="The answer agreed with the person",
            choices=[("", "Not agreed yet"), *choices],
            required=False,
            widget=forms.RadioSelect,
        )


YES_NO = [("yes", "Yes"), ("no", "No")]


class EligibilityForm(forms.Form):
    needs_from_condition = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=required_message("Whether the needs arise from the condition", "Select"),
    )
    significant_impact = forms.ChoiceField(
        label="As a consequence, is there (or is there likely to be) a significant impact on their wellbeing?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether there is a significant impact on wellbeing"},
    )
    decided_on = GovDateField(
        label="Date of the decision",
        past_only=True,
        error_messages=required_message("Date of the decision"),
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea, max_length=4000
    )
    facs_band = forms.ChoiceField(
        label="FACS band (only for records from before April 2015)",
        required=False,
        choices=[("", "Not applicable"), *[(b, b.capitalize()) for b in FACS_BANDS]],
    )

    def __init__(self, *args: Any, criteria: Criteria, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        carer = criteria.applies_to == "carer"
        self.fields["needs_from_condition"].label = (
            "Do the carer's needs arise from providing necessary care to an adult?"
            if carer
            else "Do the needs arise from or relate to a physical or mental impairment or illness?"
        )
        if carer:
            self.fields["health_deteriorating"] = forms.ChoiceField(
                label="Is the carer's physical or mental health deteriorating, or at risk of deteriorating?",
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": "Select whether the carer's health is deteriorating"},
            )
        ways = [
            (w.value, UNABLE_WORDS[w].capitalize()) for w in Unable if w in criteria.allowed_unable
        ]
        for code, outcome in criteria.outcomes.items():
            self.fields[f"unable_{code}"] = forms.MultipleChoiceField(
                label=f"{outcome[0].upper()}{outcome[1:]}",
                choices=ways,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text="Select all that apply. Leave blank if they can achieve this.",
            )

    def outcome_fields(self) -> list[forms.BoundField]:
        return [self[f"unable_{code}"] for code in self.criteria.outcomes]


class ReferralActionForm(forms.Form):
    """What the worker did with a referral an answer raised."""

    action = forms.ChoiceField(
        label="What did you do?",
        choices=[("sent", "Sent the referral"), ("declined", "Decided it is not needed")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you did with the referral"},
    )
    sent_to = forms.CharField(
        label="Who it was sent to (if sent)",
        max_length=200,
        required=False,
        help_text="The organisation or team, for example: the council's housing options team",
    )
    sent_on = GovDateField(label="Date it was sent (if sent)", required=False, past_only=True)
    reason = forms.CharField(
        label="Why it is not needed (if not needed)",
        widget=forms.Textarea,
        max_length=2000,
        required=False,
    )
