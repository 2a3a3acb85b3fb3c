"""Signing in and out, changing and resetting one's own password, and staff two-factor sign-in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import (
    LoginView,
    PasswordChangeDoneView,
    PasswordChangeView,
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from selfdirect.access.account_forms import (
    OwnPasswordChangeForm,
    OwnPasswordSetForm,
    ResetRequestForm,
)
from selfdirect.access.roles import DEMO_PASSWORD, Role
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record

DEMO_ACCOUNT_REFUSED = (
    "This is a demo account. Demo accounts cannot sign in to a live service: "
    "ask your service administrator to set a new password."
)


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Contact your service administrator.",
        "demo_account": DEMO_ACCOUNT_REFUSED,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].widget = forms.PasswordInput()

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        # A database built as a demo and then run in production: every demo account has the
        # published password, so any account that still has it is refused (decision 0009).
        if settings.PRODUCTION and user.check_password(DEMO_PASSWORD):
            event_record(
                actor=None,
                action=Action.SIGN_IN_FAILED,
                object_type="user",
                object_id=user.get_username(),
                summary=f"Refused sign-in for {user.get_username()}: the demo password in production",
            )
            raise ValidationError(self.error_messages["demo_account"], code="demo_account")


class SignInView(LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["has_errors"] = form.is_bound and bool(form.errors)
        if settings.DEMO_MODE:
            context["demo_sign_ins"] = [(role.value, role.label) for role in Role]
            context["demo_password"] = DEMO_PASSWORD
        return context


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        event_record(
            actor=request.user,
            action=Action.SIGN_OUT,
            object_type="user",
            object_id=request.user.pk,
            summary="Signed out",
        )
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _mail_folder() -> str:
    """Where reset emails go when they are written to files (development and the demo)."""
    if settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
        return str(settings.EMAIL_FILE_PATH)
    return ""


class OwnPasswordChangeView(PasswordChangeView):
    form_class = OwnPasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")


class OwnPasswordChangeDoneView(PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class ResetRequestView(PasswordResetView):
    """Always the same answer whether or not the address has an account."""

    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        self.use_https = settings.PRODUCTION
        return super().form_valid(form)


class ResetSentView(PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "mail_folder": _mail_folder()}


class ResetConfirmView(PasswordResetConfirmView):
    form_class = OwnPasswordSetForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class ResetCompleteView(PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own account: password and two-factor sign-in."""
    return render(request, "registration/account.html", {"nav": "account"})
