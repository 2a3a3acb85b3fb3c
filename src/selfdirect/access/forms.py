"""Forms administrators use for users and teams."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import User

from selfdirect.access.models import Team
from selfdirect.access.roles import PORTAL_ROLES, Role
from selfdirect.people.models import Person
from selfdirect.providers.models import Provider

ENTER_USERNAME = "Enter a username"
USERNAME_TAKEN = "A user with this username already exists"
SELECT_A_ROLE = "Select at least one role"
PERSON_NEEDED = "Enter the council person reference for a holder, representative or carer"
PROVIDER_NEEDED = "Select the provider this user works for"
PASSWORDS_DIFFER = "The passwords do not match"
NO_SUCH_PERSON = "No person has the reference {ref}"
PERSON_LINKED = "Another user is already linked to {ref}"


class UserForm(forms.Form):
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter a first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter a last name"}
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": SELECT_A_ROLE},
    )
    teams = forms.ModelMultipleChoiceField(
        label="Works in these teams",
        queryset=Team.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    manages = forms.ModelMultipleChoiceField(
        label="Manages these teams",
        queryset=Team.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    person_ref = forms.CharField(
        label="Council person reference of their own record (optional)",
        required=False,
        max_length=20,
        help_text="Needed for a budget holder, representative or carer, for example P000123.",
    )
    sign_off_limit = forms.CharField(
        label="Largest weekly budget they may sign off (managers, optional)",
        required=False,
        max_length=12,
        help_text="In pounds. Leave blank for no limit: the panel.",
    )
    provider = forms.ModelChoiceField(
        label="Provider they work for (optional)",
        queryset=Provider.objects.all(),
        required=False,
        empty_label="Not a provider",
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = user

    def clean_sign_off_limit(self) -> int | None:
        from selfdirect.allocation.forms import pounds_to_pence

        return pounds_to_pence(self.cleaned_data.get("sign_off_limit", ""), "sign-off limit")

    def clean_person_ref(self) -> Person | None:
        ref = self.cleaned_data.get("person_ref", "").strip().upper()
        if not ref:
            return None
        person = Person.objects.filter(la_person_id=ref).first()
        if person is None:
            raise forms.ValidationError(NO_SUCH_PERSON.format(ref=ref))
        linked = getattr(person, "user_profile", None)
        if linked is not None and (self.editing is None or linked.user_id != self.editing.pk):
            raise forms.ValidationError(PERSON_LINKED.format(ref=ref))
        return person

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        roles = set(data.get("roles") or [])
        if (
            roles & set(PORTAL_ROLES)
            and not data.get("person_ref")
            and "person_ref" not in self.errors
        ):
            self.add_error("person_ref", PERSON_NEEDED)
        if Role.PROVIDER in roles and not data.get("provider"):
            self.add_error("provider", PROVIDER_NEEDED)
        return data


class NewUserForm(UserForm):
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": ENTER_USERNAME},
        help_text="Letters, digits and @ . + - _ only.",
    )
    password1 = forms.CharField(
        label="Password",
        widget=forms.PasswordInput,
        error_messages={"required": "Enter a password"},
        help_text="At least 8 characters, not a common password and not all numbers.",
    )
    password2 = forms.CharField(
        label="Confirm password",
        widget=forms.PasswordInput,
        error_messages={"required": "Confirm the password"},
    )

    field_order = [
        "username",
        "first_name",
        "last_name",
        "email",
        "password1",
        "password2",
        "roles",
        "teams",
        "manages",
        "person_ref",
        "provider",
    ]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(USERNAME_TAKEN)
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", PASSWORDS_DIFFER)
        elif p1:
            try:
                password_validation.validate_password(
                    p1,
                    User(username=data.get("username", ""), first_name=data.get("first_name", "")),
                )
            except forms.ValidationError as weak:
                self.add_error("password1", weak)
        return data


class PasswordForm(forms.Form):
    password1 = forms.CharField(
        label="New password",
        widget=forms.PasswordInput,
        error_messages={"required": "Enter a password"},
    )
    password2 = forms.CharField(
        label="Confirm new password",
        widget=forms.PasswordInput,
        error_messages={"required": "Confirm the password"},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", PASSWORDS_DIFFER)
        elif p1:
            try:
                password_validation.validate_password(p1, self.user)
            except forms.ValidationError as weak:
                self.add_error("password1", weak)
        return data


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "code", "area"]
        labels = {"name": "Team name", "code": "Short code", "area": "Area (optional)"}
        help_texts = {"code": "Lower-case letters, digits and hyphens, for example north-east."}
        error_messages = {
            "name": {
                "required": "Enter a team name",
                "unique": "A team with this name already exists",
            },
            "code": {
                "required": "Enter a short code",
                "unique": "A team with this code already exists",
                "invalid": "The code can only contain lower-case letters, digits, hyphens and underscores",
            },
        }
