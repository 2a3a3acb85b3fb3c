"""The directory's forms: the search as a person asks it, and a provider's listing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms

from selfdirect.directory import editing, geo
from selfdirect.directory.models import Location, Service, Taxonomy, TaxonomyTerm
from selfdirect.directory.selectors import DAYS, TIMES_OF_DAY, WEEKEND, Search
from selfdirect.forms_gov import pounds_to_pence, required_message
from selfdirect.providers.models import Provider

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


# Staff keep the directory (directory.editing).

TIME_FORMAT = "{label}: enter a time like 09:00 or 17:30"
COST_SLOTS = 3


def _time_or_none(text: str, label: str) -> dt.time | None:
    text = (text or "").strip().replace(".", ":")
    if not text:
        return None
    match = re.fullmatch(r"([01]?\d|2[0-3]):?([0-5]\d)", text)
    if match is None:
        raise forms.ValidationError(TIME_FORMAT.format(label=label))
    return dt.time(int(match.group(1)), int(match.group(2)))


class StaffSearchForm(SearchForm):
    """The person's search, plus the status (staff see closed services too)."""

    status = forms.ChoiceField(
        label="Status", choices=[("", "Any status"), *Service.Status.choices], required=False
    )

    def search(self) -> Search:
        found = super().search()
        status = self.cleaned_data["status"]
        found.statuses = (status,) if status else tuple(Service.Status.values)
        return found


class ServiceForm(forms.Form):
    """A service in full, as council staff keep it (the rules: editing.service_create)."""

    name = forms.CharField(
        label="Name of the service",
        max_length=200,
        error_messages={"required": editing.NAME_NEEDED},
    )
    description = forms.CharField(
        label="What the service does",
        help_text="In plain English: who it is for and how it helps",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": editing.DESCRIPTION_NEEDED},
    )
    organization = forms.TypedChoiceField(
        label="Organisation",
        coerce=int,
        choices=[],
        error_messages={"required": editing.ORGANISATION_NEEDED},
    )
    status = forms.ChoiceField(
        label="Taking new people?",
        choices=Service.Status.choices,
        error_messages={"required": editing.STATUS_UNKNOWN},
    )
    url = forms.URLField(
        label="Website",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": editing.WEBSITE_FORMAT},
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={"invalid": editing.EMAIL_FORMAT.format(what="service’s")},
    )
    terms = forms.MultipleChoiceField(
        label="Needs and outcomes it helps with",
        help_text="People find the service by these, and by their plain-English words",
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": editing.TERM_UNKNOWN},
    )
    location_name = forms.CharField(label="Name of the place", required=False, max_length=200)
    address_1 = forms.CharField(label="Address", required=False, max_length=200)
    city = forms.CharField(label="Town or city", required=False, max_length=100)
    postal_code = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages={"required": editing.POSTCODE_NEEDED},
    )
    accessibility = forms.CharField(
        label="Access",
        help_text="Step-free entrance, hearing loop, parking",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cqc_location_id = RegistrationForm.base_fields["cqc_location_id"]
    cqc_rating = RegistrationForm.base_fields["cqc_rating"]
    areas = forms.CharField(
        label="Areas it covers",
        help_text="One area on each line, like ‘Dalesham and the villages’",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    languages = forms.CharField(
        label="Languages staff speak",
        help_text="Separate them with commas, like Polish, Urdu",
        required=False,
        max_length=400,
    )
    contact_name = forms.CharField(label="Contact name", required=False, max_length=200)
    contact_email = forms.EmailField(
        label="Contact email address",
        required=False,
        max_length=254,
        error_messages={"invalid": editing.EMAIL_FORMAT.format(what="contact’s")},
    )
    phone = forms.CharField(label="Telephone", required=False, max_length=40)

    def __init__(self, *args: Any, cost_slots: int = COST_SLOTS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = self.fields["organization"]
        assert isinstance(organisations, forms.TypedChoiceField)
        organisations.choices = [
            ("", "Choose an organisation"),
            *Provider.objects.order_by("name").values_list("pk", "name"),
        ]
        terms = self.fields["terms"]
        assert isinstance(terms, forms.MultipleChoiceField)
        terms.choices = [
            (str(pk), name) for pk, name in TaxonomyTerm.objects.values_list("pk", "name")
        ]
        self.cost_slots = cost_slots
        for n in range(1, cost_slots + 1):
            self.fields[f"cost_{n}_option"] = forms.CharField(
                label=f"Cost {n}: what it is for",
                help_text="Like ‘Weekdays’ or ‘Weekend sessions’ (optional)",
                required=False,
                max_length=200,
            )
            self.fields[f"cost_{n}_amount"] = forms.CharField(
                label=f"Cost {n}: price in pounds",
                help_text="0 if it is free",
                required=False,
                max_length=12,
            )
            self.fields[f"cost_{n}_unit"] = forms.CharField(
                label=f"Cost {n}: for each",
                help_text="Like ‘per hour’ or ‘per session’",
                required=False,
                max_length=200,
            )
        for day, name in DAYS.items():
            self.fields[f"opens_{day}"] = forms.CharField(
                label=f"{name}: opens", required=False, max_length=5
            )
            self.fields[f"closes_{day}"] = forms.CharField(
                label=f"{name}: closes", required=False, max_length=5
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, self.cost_slots + 1):
            name = f"cost_{n}_amount"
            try:
                data[name] = pounds_to_pence(data.get(name, ""), f"Cost {n}")
            except forms.ValidationError as bad:
                self.add_error(name, f"Cost {n}: {bad.messages[0]}")
        for day, label in DAYS.items():
            for part in ("opens", "closes"):
                name = f"{part}_{day}"
                try:
                    data[name] = _time_or_none(data.get(name, ""), f"{label} {part}")
                except forms.ValidationError as bad:
                    self.add_error(name, bad)
        return data

    def cost_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"cost_{n}_{part}"] for part in ("option", "amount", "unit")]
            for n in range(1, self.cost_slots + 1)
        ]

    def day_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(name, self[f"opens_{day}"], self[f"closes_{day}"]) for day, name in DAYS.items()]

    def draft(self) -> editing.ServiceDraft:
        d = self.cleaned_data
        return editing.ServiceDraft(
            name=d["name"],
            description=d["description"],
            organization_id=d["organization"],
            status=d["status"],
            url=d["url"],
            email=d["email"],
            term_ids=list(d["terms"]),
            location_name=d["location_name"],
            address_1=d["address_1"],
            city=d["city"],
            postal_code=d["postal_code"],
            accessibility=d["accessibility"],
            cqc_location_id=d["cqc_location_id"],
            cqc_rating=d["cqc_rating"],
            areas=[a for a in d["areas"].splitlines() if a.strip()],
            cost_slots=[
                editing.CostSlot(d[f"cost_{n}_option"], d[f"cost_{n}_amount"], d[f"cost_{n}_unit"])
                for n in range(1, self.cost_slots + 1)
            ],
            languages=[x for x in d["languages"].split(",") if x.strip()],
            hours={day: (d[f"opens_{day}"], d[f"closes_{day}"]) for day in DAYS},
            contact_name=d["contact_name"],
            contact_email=d["contact_email"],
            phone=d["phone"],
        )


def service_initial(draft: editing.ServiceDraft) -> dict[str, Any]:
    """The staff form's starting values for a service's draft."""
    initial: dict[str, Any] = {
        name: getattr(draft, name)
        for name in [
            "name",
            "description",
            "status",
            "url",
            "email",
            "location_name",
            "address_1",
            "city",
            "postal_code",
            "accessibility",
            "cqc_location_id",
            "cqc_rating",
            "contact_name",
            "contact_email",
            "phone",
        ]
    }
    initial["organization"] = draft.organization_id
    initial["terms"] = draft.term_ids
    initial["areas"] = "\n".join(draft.areas)
    initial["languages"] = ", ".join(draft.languages)
    for n, slot in enumerate(draft.cost_slots, start=1):
        initial[f"cost_{n}_option"] = slot.option
        initial[f"cost_{n}_amount"] = (
            "" if slot.amount_pence is None else f"{slot.amount_pence / 100:.2f}"
        )
        initial[f"cost_{n}_unit"] = slot.unit
    for day, (opens, closes) in draft.hours.items():
        initial[f"opens_{day}"] = opens.strftime("%H:%M") if opens else ""
        initial[f"closes_{day}"] = closes.strftime("%H:%M") if closes else ""
    return initial


class TermForm(forms.Form):
    taxonomy = forms.ChoiceField(label="List of terms", choices=[], required=False)
    name = forms.CharField(
        label="Name of the term",
        help_text="Like ‘Personal care’ or ‘Getting out and about’",
        max_length=200,
        error_messages={"required": editing.TERM_NAME_NEEDED},
    )
    synonyms = forms.CharField(
        label="Words people use for it",
        help_text="Separated by commas or one on each line, like ‘help getting up, getting dressed’",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    code = forms.CharField(label="Code", help_text="Optional", required=False, max_length=100)

    def __init__(self, *args: Any, adding: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not adding:
            del self.fields["taxonomy"]
            return
        taxonomy = self.fields["taxonomy"]
        assert isinstance(taxonomy, forms.ChoiceField)
        taxonomy.choices = [
            ("", "None"),
            *((str(pk), name) for pk, name in Taxonomy.objects.values_list("pk", "name")),
        ]
