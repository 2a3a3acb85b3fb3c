"""Forms for people, relationships and consents. The same ``PersonForm`` checks
pages, imports and the API, so a rule is written once."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import models
from django.db.models import QuerySet

from selfdirect.access.models import Team
from selfdirect.forms_gov import GovDateField, required_message
from selfdirect.people import codes
from selfdirect.people.models import Consent, Person, Relationship
from selfdirect.people.validation import (
    nhs_number_error,
    nhs_number_normalise,
    postcode_error,
    postcode_normalise,
)

PERSON_FIELDS = [
    "given_name",
    "family_name",
    "date_of_birth",
    "date_of_death",
    "nhs_number",
    "gender",
    "ethnicity",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "phone",
    "email",
    "client_type",
    "primary_support_reason",
    "user_group",
    "accommodation_status",
    "employment_status",
    "has_unpaid_carer",
    "autism",
    "visual_impairment",
    "hearing_impairment",
    "dementia",
    "needs_easy_read",
    "needs_large_print",
    "needs_bsl",
    "interpreter_language",
    "preferred_contact_method",
    "communication_notes",
    "team",
]


def _person_defaults() -> dict[str, Any]:
    defaults = {}
    for name in PERSON_FIELDS:
        field = Person._meta.get_field(name)
        if (
            isinstance(field, models.Field)
            and field.has_default()
            and not isinstance(field, models.BooleanField)
        ):
            defaults[name] = field.get_default()
    return defaults


# What a field left out of an import row or an API call is set to (e.g. gender "Not known").
PERSON_DEFAULTS = _person_defaults()


class PersonForm(forms.ModelForm[Person]):
    date_of_birth = GovDateField(
        label="Date of birth", past_only=True, error_messages=required_message("Date of birth")
    )
    date_of_death = GovDateField(label="Date of death", past_only=True, required=False)
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=14,
        help_text="10 digits, like 943 476 5919. Leave blank if not known.",
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        error_messages = {
            "given_name": required_message("First name"),
            "family_name": required_message("Last name"),
        }
        labels = {"given_name": "First name", "family_name": "Last name", "team": "Allocated team"}

    def __init__(
        self, *args: Any, teams: Any = None, check_unique: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.check_unique = check_unique
        if "team" in self.fields:
            team_field = self.fields["team"]
            assert isinstance(team_field, forms.ModelChoiceField)
            team_field.queryset = teams if teams is not None else Team.objects.all()
            team_field.empty_label = "Not allocated"
        for name in (
            "gender",
            "ethnicity",
            "client_type",
            "primary_support_reason",
            "user_group",
            "accommodation_status",
            "employment_status",
            "has_unpaid_carer",
            "autism",
            "visual_impairment",
            "hearing_impairment",
            "dementia",
            "preferred_contact_method",
        ):
            field = self.fields[name]
            field.error_messages["invalid_choice"] = (
                f"Select a valid {field.label.lower() if field.label else name}"
            )

    def clean_nhs_number(self) -> str | None:
        value = self.cleaned_data.get("nhs_number") or ""
        if not value.strip():
            return None
        error = nhs_number_error(value)
        if error:
            raise forms.ValidationError(error)
        digits = nhs_number_normalise(value)
        if self.check_unique:
            clash = Person.objects.filter(nhs_number=digits).exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError("Another person already has this NHS number")
        return digits

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode") or ""
        if not value.strip():
            return ""
        error = postcode_error(value)
        if error:
            raise forms.ValidationError(error)
        return postcode_normalise(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        birth, death = data.get("date_of_birth"), data.get("date_of_death")
        if birth and death and death < birth:
            self.add_error(
                "date_of_death", "Date of death must be the same as or after the date of birth"
            )
        return data

    def validate_unique(self) -> None:
        if self.check_unique:
            super().validate_unique()


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label="Search by name, NHS number, postcode or date of birth",
        required=False,
        max_length=100,
        help_text="For example, Smith, 943 476 5919, SW1A 1AA or 14/03/1948",
    )


class RelationshipForm(forms.ModelForm[Relationship]):
    start_date = GovDateField(label="Start date", error_messages=required_message("Start date"))
    related_la_person_id = forms.CharField(
        label="Council person reference of the carer or representative",
        help_text="Their own person record, for example P000123. Create it first if they are new.",
        error_messages=required_message("The council person reference"),
    )

    class Meta:
        model = Relationship
        fields = [
            "kind",
            "legal_basis",
            "description",
            "is_main_carer",
            "shares_household",
            "can_see_record",
            "start_date",
        ]
        labels = {
            "kind": "Type of relationship",
            "legal_basis": "Legal basis for acting for the person",
            "can_see_record": "The person consents to this person seeing their record",
        }
        widgets = {"kind": forms.RadioSelect}
        error_messages = {"kind": required_message("Type of relationship", "Select")}

    def __init__(self, *args: Any, linkable: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.linkable = linkable  # people_linkable_by(user): others are "not found"

    def clean_related_la_person_id(self) -> Person:
        ref = self.cleaned_data["related_la_person_id"].strip().upper()
        try:
            return self.linkable.get(la_person_id=ref)
        except Person.DoesNotExist as missing:
            raise forms.ValidationError(f"No person has the reference {ref}") from missing

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, basis = data.get("kind"), data.get("legal_basis")
        if kind in codes.REPRESENTATIVE_KINDS and not basis:
            self.add_error("legal_basis", "Select the legal basis for a representative")
        if (
            kind == codes.RelationshipKind.AUTHORISED_PERSON
            and basis == codes.LegalBasis.PERSON_NOMINATED
        ):
            self.add_error(
                "legal_basis",
                "An authorised person acts for someone who lacks capacity: select the legal basis for that",
            )
        return data


class ConsentForm(forms.ModelForm[Consent]):
    decided_on = GovDateField(
        label="Date of the decision",
        past_only=True,
        error_messages=required_message("Date of the decision"),
    )

    class Meta:
        model = Consent
        fields = ["purpose", "status", "decided_on", "given_by", "notes"]
        labels = {
            "purpose": "What the consent is for",
            "status": "Decision",
            "given_by": "Given by (if not the person)",
        }
        widgets = {"status": forms.RadioSelect, "purpose": forms.RadioSelect}
        error_messages = {
            "purpose": required_message("What the consent is for", "Select"),
            "status": required_message("The decision", "Select"),
        }


class NamedWorkerForm(forms.Form):
    """Choose the named worker among the practitioners of the person's team, with a reason."""

    worker = forms.TypedChoiceField(
        label="Named worker",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the named worker"},
    )
    reason = forms.CharField(
        label="Reason for the allocation",
        widget=forms.Textarea,
        max_length=2000,
        help_text="For example: new referral, worker leaving the team, the person asked for a change.",
        error_messages={"required": "Give the reason for the allocation"},
    )

    def __init__(self, *args: Any, workers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workers = {u.pk: u for u in workers}
        cast(forms.ChoiceField, self.fields["worker"]).choices = [
            (u.pk, u.get_full_name() or u.get_username()) for u in workers
        ]
