"""Forms for peer support. Their answers go to the services, which hold the rules (and
their refusal texts); fields left empty here are refused there, naming the field."""

from __future__ import annotations

from typing import Any

from django import forms

from selfdirect.peers.models import BuddyOffer
from selfdirect.peers.rules import SHAREABLE

LONG = {"rows": 4}


class OfferForm(forms.Form):
    help_with = forms.CharField(
        label="What could you help with?",
        help_text="For example: employing a personal assistant, keeping records, "
        "finding activities, talking about your own experience.",
        widget=forms.Textarea(attrs=LONG),
        required=False,
        max_length=2000,
    )
    contact_how = forms.CharField(
        label="How would you like to be contacted?",
        help_text="Only shared with the person once you have both agreed. "
        "For example: a phone number and the best times, or an email address.",
        widget=forms.Textarea(attrs=LONG),
        required=False,
        max_length=500,
    )
    areas = forms.CharField(
        label="Which areas could you help in?",
        help_text="Towns or parts of the county, or say if you can help by phone or online.",
        required=False,
        max_length=200,
    )


class AskForm(forms.Form):
    help_wanted = forms.CharField(
        label="What would you like help with?",
        help_text="In your own words. The council shows this to the budget buddy before you "
        "are matched, without your name.",
        widget=forms.Textarea(attrs=LONG),
        required=False,
        max_length=2000,
    )
    contact_how = forms.CharField(
        label="How would you like to be contacted?",
        help_text="Only shared with the budget buddy once you have both agreed.",
        widget=forms.Textarea(attrs=LONG),
        required=False,
        max_length=500,
    )


class OfferChoice(forms.ModelChoiceField[BuddyOffer]):
    def label_from_instance(self, obj: Any) -> str:
        offer: BuddyOffer = obj
        return f"{offer.person.full_name} ({offer.areas}): {offer.help_with}"


class MatchForm(forms.Form):
    offer = OfferChoice(
        label="Which budget buddy?",
        queryset=BuddyOffer.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        required=False,
    )
    note = forms.CharField(
        label="Why this match (optional, for the council's record)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args: Any, offers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers  # type: ignore[attr-defined]


class ReferForm(forms.Form):
    share = forms.MultipleChoiceField(
        label="Which details may they have?",
        help_text="Tick your name and at least one way to contact you.",
        choices=list(SHAREABLE.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    help_wanted = forms.CharField(
        label="What would you like help with?",
        widget=forms.Textarea(attrs=LONG),
        required=False,
        max_length=2000,
    )
    consent = forms.BooleanField(
        label="I agree that this organisation may have the details I ticked, to contact me",
        required=False,
    )


class DecideForm(forms.Form):
    accept = forms.ChoiceField(
        label="Can you help?",
        choices=[("yes", "Yes, we will get in touch"), ("no", "No, we cannot help")],
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label="What to tell the person",
        help_text="Needed if you cannot help: say why, and where else they might go.",
        widget=forms.Textarea(attrs=LONG),
        required=False,
        max_length=2000,
    )

    def accepted(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("accept") or "")
