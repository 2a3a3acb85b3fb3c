"""Forms for the front door and case notes; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms

from selfdirect.casework.models import CaseNote, Contact
from selfdirect.forms_gov import GovDateField


def _choose(label: str) -> dict[str, str]:
    return {"required": f"Select {label}"}


class PersonFindForm(forms.Form):
    q = forms.CharField(
        label="Name, date of birth or NHS number",
        max_length=100,
        required=False,
    )


class ContactForm(forms.Form):
    received_on = GovDateField(
        label="Date of the contact",
        past_only=True,
        error_messages={"required": "Enter the date of the contact"},
    )
    made_by = forms.ChoiceField(
        label="Who made contact",
        choices=Contact.MadeBy.choices,
        widget=forms.RadioSelect,
        error_messages=_choose("who made contact"),
    )
    made_by_name = forms.CharField(
        label="Their name (if not the person)", max_length=120, required=False
    )
    made_by_relationship = forms.CharField(
        label="Their relationship to the person or their role (optional)",
        max_length=120,
        required=False,
        help_text="For example: daughter, GP, ward sister",
    )
    channel = forms.ChoiceField(
        label="How they made contact",
        choices=Contact.Channel.choices,
        widget=forms.RadioSelect,
        error_messages=_choose("how they made contact"),
    )
    reason = forms.ChoiceField(
        label="What it is about",
        choices=[("", "Select a reason"), *Contact.Reason.choices],
        error_messages=_choose("what the contact is about"),
    )
    about = forms.CharField(
        label="What they told you",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Enter what they told you"},
    )
    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=Contact.Urgency.choices,
        widget=forms.RadioSelect,
        error_messages=_choose("how urgent it is"),
    )


class TriageForm(forms.Form):
    decision = forms.ChoiceField(
        label="Triage decision",
        choices=[c for c in Contact.Decision.choices if c[0]],
        widget=forms.RadioSelect,
        error_messages=_choose("the triage decision"),
    )
    decision_notes = forms.CharField(
        label="The information and advice given, or what happens next",
        help_text="Needed for information and advice, and for an urgent contact",
        widget=forms.Textarea,
        max_length=4000,
        required=False,
    )


class CaseNoteForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of note",
        choices=CaseNote.Kind.choices,
        widget=forms.RadioSelect,
        error_messages=_choose("the kind of note"),
    )
    happened_on = GovDateField(
        label="Date it happened",
        past_only=True,
        error_messages={"required": "Enter the date it happened"},
    )
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea,
        max_length=10000,
        error_messages={"required": "Enter the note"},
    )
    shared_with_person = forms.BooleanField(
        label="Share this note with the person (they and their representative can read it)",
        required=False,
        help_text="Leave unticked for a note only staff may read",
    )


class CarerOfferForm(forms.Form):
    """A carer offered an assessment: accepted (start it now) or declined, with why."""

    carer = forms.ChoiceField(
        label="Which carer",
        widget=forms.RadioSelect,
        error_messages={
            **_choose("the carer"),
            "invalid_choice": "Select one of the person's carers",
        },
    )
    outcome = forms.ChoiceField(
        label="What did the carer say?",
        choices=[
            ("start", "They want the assessment: start it now"),
            ("declined", "They declined the assessment"),
        ],
        widget=forms.RadioSelect,
        error_messages=_choose("whether the carer wants the assessment"),
    )
    reason = forms.CharField(
        label="Why they declined (if they did)",
        widget=forms.Textarea,
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, carers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["carer"].choices = carers  # type: ignore[attr-defined]
