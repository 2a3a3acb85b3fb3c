"""Forms for a person's own account: changing or resetting their password, and the
two-factor codes. Django's auth forms with GOV.UK wording; saving goes through the
services, so the audit log says the password changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import User

from selfdirect.access.services import user_set_password

ENTER_CURRENT_PASSWORD = "Enter your current password"  # noqa: S105 - a message
CURRENT_PASSWORD_WRONG = "Your current password is not correct"  # noqa: S105 - a message
ENTER_NEW_PASSWORD = "Enter a new password"  # noqa: S105 - a message
CONFIRM_NEW_PASSWORD = "Confirm your new password"  # noqa: S105 - a message
NEW_PASSWORDS_DIFFER = "The new passwords do not match"
ENTER_EMAIL = "Enter your email address"
EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
NEW_PASSWORD_HINT = "At least 8 characters, not a common password and not all numbers."  # noqa: S105
ENTER_CODE = "Enter the 6-digit code from your authenticator app"
CODE_WRONG = "The code is not correct or has expired. Enter the code your app shows now"
ENTER_RECOVERY_CODE = "Enter one of your recovery codes"
RECOVERY_CODE_WRONG = "The recovery code is not correct or has already been used"


def _word_new_password(form: SetPasswordForm[User]) -> None:
    """The new password fields' labels and messages, shared by change and reset."""
    form.error_messages = {**form.error_messages, "password_mismatch": NEW_PASSWORDS_DIFFER}
    first, second = form.fields["new_password1"], form.fields["new_password2"]
    first.label, first.help_text = "New password", NEW_PASSWORD_HINT
    first.error_messages["required"] = ENTER_NEW_PASSWORD
    second.label, second.help_text = "Confirm new password", ""
    second.error_messages["required"] = CONFIRM_NEW_PASSWORD


def _save_new_password(form: SetPasswordForm[User]) -> User:
    # Django's validators already ran in clean(); the service sets, saves and audits.
    user: User = form.user
    user_set_password(actor=user, user=user, password=form.cleaned_data["new_password1"])
    return user


class OwnPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _word_new_password(self)
        self.error_messages = {**self.error_messages, "password_incorrect": CURRENT_PASSWORD_WRONG}
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = ENTER_CURRENT_PASSWORD

    def save(self, commit: bool = True) -> User:
        return _save_new_password(self)


if TYPE_CHECKING:
    _SetPasswordBase = SetPasswordForm[User]
else:  # Django's SetPasswordForm is generic only in the type stubs
    _SetPasswordBase = SetPasswordForm


class OwnPasswordSetForm(_SetPasswordBase):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _word_new_password(self)

    def save(self, commit: bool = True) -> User:
        return _save_new_password(self)


class ResetRequestForm(PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.help_text = "The email address your council has for your account."
        email.error_messages.update({"required": ENTER_EMAIL, "invalid": EMAIL_FORMAT})


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6 digits your app shows for Selfdirect.",
        max_length=12,
        error_messages={"required": ENTER_CODE},
    )

    def clean_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split())


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label="Recovery code",
        help_text="One of the recovery codes you saved when you set up two-factor sign-in. Each works once.",
        max_length=40,
        error_messages={"required": ENTER_RECOVERY_CODE},
    )

    def clean_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split()).lower()
