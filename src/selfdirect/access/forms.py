"""Forms administrators use for users and teams. The rules are in ``access.services``;
these forms turn what was typed into values and show every problem at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth.models import User

from selfdirect.access import tokens
from selfdirect.access.models import Profile, Team
from selfdirect.access.roles import Role
from selfdirect.access.services import (
    ENTER_TEAM_CODE,
    ENTER_TEAM_NAME,
    ENTER_USERNAME,
    PERSON_LINKED,
    PERSON_NEEDED,
    PROVIDER_NEEDED,
    SELECT_A_ROLE,
    TEAM_CODE_INVALID,
    TEAM_CODE_TAKEN,
    TEAM_NAME_TAKEN,
    USERNAME_TAKEN,
    Problems,
    password_problems,
    team_problems,
    user_problems,
    username_problems,
)
from selfdirect.forms_gov import pounds_to_pence
from selfdirect.providers.models import Provider

if TYPE_CHECKING:  # people builds on access: only the type is needed here
    from selfdirect.people.models import Person

__all__ = [
    "ENTER_TEAM_CODE",
    "ENTER_TEAM_NAME",
    "ENTER_USERNAME",
    "PERSON_LINKED",
    "PERSON_NEEDED",
    "PROVIDER_NEEDED",
    "SELECT_A_ROLE",
    "TEAM_CODE_INVALID",
    "TEAM_CODE_TAKEN",
    "TEAM_NAME_TAKEN",
    "USERNAME_TAKEN",
    "ApiTokenForm",
    "NewUserForm",
    "PasswordForm",
    "TeamForm",
    "UserForm",
]

ENTER_FIRST_NAME = "Enter a first name"
ENTER_LAST_NAME = "Enter a last name"
EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
NO_SUCH_PERSON = "No person has the reference {ref}"
ENTER_PASSWORD = "Enter a password"  # noqa: S105 - a message, not a password
CONFIRM_PASSWORD = "Confirm the password"  # noqa: S105 - a message
PASSWORDS_DIFFER = "The passwords do not match"

# Where a problem the services name (``person``, ``password``) is shown on these forms.
FORM_FIELD = {"person": "person_ref", "password": "password1"}


def add_problems(form: forms.Form, problems: Problems) -> None:
    """Show each problem on its field, unless that field already showed one (a value that
    could not be read is not also reported as missing)."""
    already = set(form.errors)
    for name, message in problems:
        field = FORM_FIELD.get(name, name)
        if field not in already:
            form.add_error(field if field in form.fields else None, message)


class _PasswordPair(forms.Form):
    """A password typed twice, checked by Django's password validators."""

    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": ENTER_PASSWORD},
        help_text="At least 8 characters, not a common password and not all numbers.",
    )
    password2 = forms.CharField(
        label="Confirm password",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": CONFIRM_PASSWORD},
    )

    def check_passwords(self, data: dict[str, Any], user: User) -> None:
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", PASSWORDS_DIFFER)
        elif first:
            add_problems(self, password_problems(first, user=user))


class UserForm(forms.Form):
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": ENTER_FIRST_NAME}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": ENTER_LAST_NAME}
    )
    email = forms.EmailField(
        label="Email address", required=False, error_messages={"invalid": EMAIL_FORMAT}
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
        help_text="A manager sees the caseload of the teams they manage.",
    )
    sign_off_limit = forms.CharField(
        label="Largest weekly budget they may sign off (managers, optional)",
        required=False,
        max_length=12,
        help_text="In pounds. Leave blank for no limit: the panel.",
    )
    person_ref = forms.CharField(
        label="Council person reference of their own record (optional)",
        required=False,
        max_length=20,
        help_text="Needed for a budget holder, representative or carer, for example P000123.",
    )
    provider = forms.ModelChoiceField(
        label="Provider they work for (optional)",
        queryset=Provider.objects.order_by("name"),
        required=False,
        empty_label="Not a provider",
        help_text="Needed for a provider's staff.",
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = user

    def clean_sign_off_limit(self) -> int | None:
        return pounds_to_pence(self.cleaned_data.get("sign_off_limit", ""), "sign-off limit")

    def clean_person_ref(self) -> Person | None:
        ref = self.cleaned_data.get("person_ref", "").strip().upper()
        if not ref:
            return None
        # Found through the relation access's own Profile declares ("people.Person"): people
        # builds on access, so access does not import it (decision 0011).
        people = Profile.person.field.related_model._default_manager
        person = cast("Person | None", people.filter(la_person_id=ref).first())
        if person is None:
            raise forms.ValidationError(NO_SUCH_PERSON.format(ref=ref))
        return person

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "roles" in data:
            problems = user_problems(
                roles=data["roles"],
                person=data.get("person_ref"),
                provider=data.get("provider"),
                user=self.editing,
            )
            add_problems(self, problems)
        return data


class NewUserForm(UserForm, _PasswordPair):
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": ENTER_USERNAME},
        help_text="Letters, digits and @ . + - _ only.",
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
        "sign_off_limit",
        "person_ref",
        "provider",
    ]

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        problems = username_problems(username)
        if problems:
            raise forms.ValidationError([message for _field, message in problems])
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        candidate = User(
            username=data.get("username", ""),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            email=data.get("email", ""),
        )
        self.check_passwords(data, candidate)
        return data


class PasswordForm(_PasswordPair):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password1"].label = "New password"
        self.fields["password2"].label = "Confirm new password"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_passwords(data, self.user)
        return data


class TeamForm(forms.Form):
    name = forms.CharField(
        label="Team name", max_length=120, error_messages={"required": ENTER_TEAM_NAME}
    )
    code = forms.CharField(
        label="Short code",
        max_length=40,
        help_text="Lower-case letters, digits and hyphens, for example north-east.",
        error_messages={"required": ENTER_TEAM_CODE},
    )
    area = forms.CharField(label="Area (optional)", max_length=120, required=False)

    def __init__(self, *args: Any, team: Team | None = None, **kwargs: Any) -> None:
        if team is not None:
            kwargs.setdefault("initial", {"name": team.name, "code": team.code, "area": team.area})
        super().__init__(*args, **kwargs)
        self.team = team

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        add_problems(
            self,
            team_problems(name=data.get("name", ""), code=data.get("code", ""), team=self.team),
        )
        return data


TOKEN_LIFETIMES = [("7", "7 days"), ("30", "30 days"), ("90", "90 days"), ("365", "1 year")]
CHOOSE_TOKEN_LIFETIME = "Select how long the token will work for"  # noqa: S105 - a message


class ApiTokenForm(forms.Form):
    """A new API token: what it is for and how long it works."""

    name = forms.CharField(
        label="Name",
        max_length=tokens.NAME_MAX_LENGTH,
        help_text="What the token is for, such as the system that will use it.",
        error_messages={
            "required": tokens.ENTER_TOKEN_NAME,
            "max_length": tokens.TOKEN_NAME_TOO_LONG,
        },
    )
    days = forms.TypedChoiceField(
        label="How long will it work for?",
        choices=TOKEN_LIFETIMES,
        coerce=int,
        widget=forms.RadioSelect,
        initial=str(tokens.DEFAULT_TOKEN_DAYS),
        help_text="After this, the token stops working and you make a new one.",
        error_messages={"required": CHOOSE_TOKEN_LIFETIME, "invalid_choice": CHOOSE_TOKEN_LIFETIME},
    )
