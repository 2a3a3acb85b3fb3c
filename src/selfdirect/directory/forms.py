"""The directory's forms: the search as a person asks it, and a provider's listing."""

from __future__ import annotations

from typing import Any

from django import forms

from selfdirect.directory import geo
from selfdirect.directory.models import Location, Service
from selfdirect.directory.selectors import DAYS, TIMES_OF_DAY, WEEKEND, Search
from selfdirect.forms_gov import pounds_to_pence, required_message

POSTCODE_FORMAT = "Enter a real postcode, like DM1 2AB"
POSTCODE_UNKNOWN = "We do not know where {postcode} is: check it, or search without a postcode"
DISTANCE_NEEDS_POSTCODE = "Enter your postcode to search by distance"
WITHIN = [("", "Any distance"), ("1", "1 mile"), ("3", "3 miles"), ("5", "5 miles")]
WITHIN += [("10", "10 miles"), ("25", "25 miles")]


class SearchForm(forms.Form):
    need = forms.CharField(
        label="What do you need help with?",
        help_text="In your own words, like ‘help getting up’ or ‘going out’",
        required=False,
        max_length=100,
    )
    postcode = forms.CharField(
        label="Postcode",
        help_text="To find services near you, like DM1 2AB",
        required=False,
        max_length=10,
    )
    within = forms.ChoiceField(label="Distance", choices=WITHIN, required=False)
    max_cost = forms.CharField(
        label="Most you want to pay, in pounds",
        help_text="For one hour or one session, like 20",
        required=False,
        max_length=10,
    )
    language = forms.CharField(
        label="Language",
        help_text="A language staff speak, like Polish",
        required=False,
        max_length=40,
    )
    day = forms.ChoiceField(
        label="Open on",
        choices=[("", "Any day"), (WEEKEND, "At weekends"), *DAYS.items()],
        required=False,
    )
    time = forms.ChoiceField(
        label="Open at",
        choices=[("", "Any time of day"), *((k, v[0]) for k, v in TIMES_OF_DAY.items())],
        required=False,
    )

    def clean_postcode(self) -> str | None:
        text = self.cleaned_data["postcode"]
        if not text.strip():
            return None
        key = geo.postcode_key(text)
        if key is None:
            raise forms.ValidationError(POSTCODE_FORMAT)
        return key

    def clean_max_cost(self) -> int | None:
        return pounds_to_pence(self.cleaned_data["max_cost"], "Most you want to pay")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("within") and not data.get("postcode") and "postcode" not in self.errors:
            self.add_error("postcode", DISTANCE_NEEDS_POSTCODE)
        return data

    def search(self) -> Search:
        d = self.cleaned_data
        return Search(
            need=d["need"].strip(),
            postcode=d["postcode"],
            within_miles=int(d["within"]) if d["within"] else None,
            max_pence=d["max_cost"],
            language=d["language"].strip(),
            day=d["day"],
            time=d["time"],
        )


class ListingForm(forms.Form):
    """What a provider may change of its own listing (the council keeps registration)."""

    name = forms.CharField(
        label="Name of the service", max_length=200, error_messages=required_message("Name")
    )
    description = forms.CharField(
        label="What the service does",
        help_text="In plain English: who it is for and how it helps",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=required_message("What the service does", "Say"),
    )
    status = forms.ChoiceField(label="Taking new people?", choices=Service.Status.choices)
    url = forms.URLField(label="Website", required=False, max_length=200, assume_scheme="https")
    email = forms.EmailField(label="Email address", required=False, max_length=254)
    alert = forms.CharField(
        label="Notice for now",
        help_text="Anything people need to know for a while, like a waiting list",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(forms.Form):
    person = forms.TypedChoiceField(label="Who is the review about?", coerce=int, choices=[])
    rating = forms.TypedChoiceField(
        label="How would you rate the service?",
        help_text="1 is very poor, 5 is very good",
        coerce=int,
        choices=[(n, f"{n} out of 5") for n in (5, 4, 3, 2, 1)],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating from 1 to 5"},
    )
    text = forms.CharField(
        label="What was it like?",
        help_text="What went well, and what could be better. Do not give anyone's name.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Say what the service was like"},
    )

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(p.pk, p.full_name) for p in people]
        if len(people) == 1:
            field.initial = people[0].pk  # the page sends it as a hidden value


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label="Your reply",
        help_text="People see it under the review",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter your reply"},
    )


class RegistrationForm(forms.Form):
    cqc_location_id = forms.CharField(
        label="CQC location ID",
        help_text="From the Care Quality Commission's register, like 1-123456789. Leave blank if not registered",
        required=False,
        max_length=20,
    )
    cqc_rating = forms.ChoiceField(
        label="Overall rating",
        choices=[("", "Not rated"), *Location.Rating.choices],
        required=False,
    )
