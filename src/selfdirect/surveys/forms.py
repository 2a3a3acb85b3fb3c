"""Forms for campaigns, who is answering, check your answers and paper references. Rules
live in the services (surveys.campaigns); forms only read what was typed."""

from __future__ import annotations

from typing import Any

from django import forms

from selfdirect.forms_gov import GovDateField, required_message
from selfdirect.surveys.models import Campaign, Instrument, Response
from selfdirect.surveys.selectors import instruments_open


class InstrumentChoice(forms.ModelChoiceField[Instrument]):
    def label_from_instance(self, obj: Instrument) -> str:
        return f"{obj.name} (version {obj.version})"


class CampaignForm(forms.Form):
    name = forms.CharField(
        label="Name of the campaign",
        max_length=200,
        help_text="For example, Reviews October to December 2026.",
        error_messages=required_message("A name for the campaign"),
    )
    instrument = InstrumentChoice(
        label="Which survey?",
        queryset=Instrument.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select which survey to ask"},
    )
    selection = forms.ChoiceField(
        label="Who is asked?",
        choices=Campaign.Selection.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who is asked"},
    )
    period_start = GovDateField(
        label="Start of the period",
        help_text="Reviews due or held from this date. For example, 1 10 2026.",
        error_messages=required_message("The start of the period"),
    )
    period_end = GovDateField(
        label="End of the period",
        help_text="For example, 31 12 2026.",
        error_messages=required_message("The end of the period"),
    )
    sample_size = forms.IntegerField(
        label="How many people to ask (a sample only)",
        required=False,
        min_value=1,
        max_value=100000,
    )
    seed = forms.IntegerField(
        label="Seed for the random sample (a sample only)",
        required=False,
        help_text="Any whole number. The same seed draws the same people again.",
    )
    invite_by = forms.ChoiceField(
        label="How are people invited?",
        choices=Campaign.InviteBy.choices,
        widget=forms.RadioSelect,
        help_text="People who do not sign in to the portal are sent a letter either way.",
        error_messages={"required": "Select how people are invited"},
    )
    consent_wording = forms.CharField(
        label="Consent wording",
        widget=forms.Textarea,
        max_length=2000,
        help_text="What people read before they say whether their answers may be used in reports.",
        error_messages=required_message("The consent wording"),
    )
    anonymous = forms.TypedChoiceField(
        label="Are the answers anonymous?",
        choices=[("yes", "Yes: answers are not linked to the person"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the answers are anonymous"},
    )
    closes_on = GovDateField(
        label="Closing date",
        help_text="For example, 31 1 2027.",
        error_messages=required_message("The closing date"),
    )
    reminder_days = forms.IntegerField(
        label="Days between reminders",
        initial=14,
        min_value=1,
        max_value=90,
        error_messages=required_message("The days between reminders"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["instrument"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = instruments_open()

    def campaign_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in (
                "name",
                "instrument",
                "selection",
                "period_start",
                "period_end",
                "sample_size",
                "seed",
                "invite_by",
                "consent_wording",
                "anonymous",
                "closes_on",
                "reminder_days",
            )
        }


WHO_LABELS = {
    Response.AnsweredBy.SELF: "I am answering on my own",
    Response.AnsweredBy.WITH_HELP: "I am answering with help from someone",
    Response.AnsweredBy.PROXY: "Someone else is answering for me",
}
PAPER_WHO_LABELS = {
    Response.AnsweredBy.SELF: "The person on their own",
    Response.AnsweredBy.WITH_HELP: "The person with help from someone else",
    Response.AnsweredBy.PROXY: "Someone else on the person's behalf",
}


class WhoForm(forms.Form):
    answered_by = forms.ChoiceField(
        label="Who is answering?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who is answering"},
    )

    def __init__(self, *args: Any, paper: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["answered_by"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list((PAPER_WHO_LABELS if paper else WHO_LABELS).items())
        if paper:
            field.label = "Who filled in the paper form?"
            field.error_messages = {"required": "Select who filled in the paper form"}


class CheckForm(forms.Form):
    consent = forms.ChoiceField(
        label="Can we use your answers in our reports?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether we can use your answers in our reports"},
    )

    def __init__(self, *args: Any, paper: bool, consent_wording: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["consent"]
        field.help_text = consent_wording
        if paper:
            field.label = "Did the person agree to their answers being used in reports?"
            field.error_messages = {"required": "Select what the paper form says about consent"}


class PaperReferenceForm(forms.Form):
    UNKNOWN = "There is no survey letter with this reference: check it and try again"

    reference = forms.CharField(
        label="Reference on the paper form",
        max_length=20,
        help_text="8 letters and numbers, for example ABCD-EF23.",
        error_messages=required_message("The reference on the paper form"),
    )
