"""Signing in and out, changing and resetting one's own password, and staff two-factor sign-in."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
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
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from selfdirect.access import two_factor as two_factor_rules
from selfdirect.access.account_forms import (
    CODE_WRONG,
    RECOVERY_CODE_WRONG,
    OwnPasswordChangeForm,
    OwnPasswordSetForm,
    RecoveryCodeForm,
    ResetRequestForm,
    TotpCodeForm,
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
    two_factor_on = two_factor_rules.app_device(request.user) is not None
    return render(
        request, "registration/account.html", {"nav": "account", "two_factor_on": two_factor_on}
    )


# Staff two-factor sign-in -------------------------------------------------------------

SECRET_SESSION_KEY = "two_factor_secret"  # noqa: S105 - the name of a session key
NEW_CODES_SESSION_KEY = "two_factor_new_codes"  # shown once, then removed from the session
TWO_FACTOR_STILL_REQUIRED = "Two-factor sign-in is required for your role: it cannot be turned off"


def _next(request: HttpRequest) -> str:
    """Where to go after the code: the page asked for, if it is on this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return str(settings.LOGIN_REDIRECT_URL)


def _verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Two-factor sign-in on one's account: on or off, recovery codes left, changes."""
    user = request.user
    return render(
        request,
        "registration/two_factor.html",
        {
            "nav": "account",
            "app": two_factor_rules.app_device(user),
            "required": two_factor_rules.two_factor_required(user),
            "codes_left": two_factor_rules.recovery_codes_left(user),
        },
    )


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if two_factor_rules.app_device(user) is not None and not _verified(request):
        return redirect("two_factor_verify")
    key_hex = request.session.get(SECRET_SESSION_KEY)
    if not key_hex:
        key_hex = two_factor_rules.app_secret_new(user=user).key_hex
        request.session[SECRET_SESSION_KEY] = key_hex
    secret = two_factor_rules.AppSecret(key_hex=key_hex, username=user.get_username())
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = secret.verified_step(form.cleaned_data["code"])
        if step is None:
            form.add_error("code", CODE_WRONG)
        else:
            device, codes = two_factor_rules.two_factor_set_up(actor=user, secret=secret, step=step)
            otp_login(request, device)
            del request.session[SECRET_SESSION_KEY]
            request.session[NEW_CODES_SESSION_KEY] = codes
            return redirect("two_factor_codes")
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "nav": "account",
            "form": form,
            "qr_svg": mark_safe(secret.qr_svg()),  # noqa: S308 - segno's own SVG markup
            "secret_text": secret.grouped,
            "required": two_factor_rules.two_factor_required(user),
        },
    )


@login_required
def two_factor_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once; a POST makes a new set (the old ones stop working)."""
    user = cast(User, request.user)
    has_app = two_factor_rules.app_device(user) is not None
    if request.method == "POST" and has_app:
        codes = two_factor_rules.two_factor_recovery_codes_renew(actor=user)
        request.session[NEW_CODES_SESSION_KEY] = codes
        return redirect("two_factor_codes")
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    return render(
        request,
        "registration/two_factor_codes.html",
        {
            "nav": "account",
            "codes": codes,
            "has_app": has_app,
            "codes_left": two_factor_rules.recovery_codes_left(user),
        },
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the code from the authenticator app."""
    return _check_code(request, recovery=False)


@login_required
def two_factor_recovery(request: HttpRequest) -> HttpResponse:
    return _check_code(request, recovery=True)


def _check_code(request: HttpRequest, *, recovery: bool) -> HttpResponse:
    user = cast(User, request.user)
    if _verified(request):
        return redirect(_next(request))
    device = (
        two_factor_rules.recovery_device(user) if recovery else two_factor_rules.app_device(user)
    )
    if two_factor_rules.app_device(user) is None:
        return redirect("two_factor_setup")
    form_class = RecoveryCodeForm if recovery else TotpCodeForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accepted, wait = (
            two_factor_rules.two_factor_check(
                actor=user, device=device, code=form.cleaned_data["code"]
            )
            if device is not None
            else (False, None)
        )
        if accepted and device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", wait or (RECOVERY_CODE_WRONG if recovery else CODE_WRONG))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "recovery": recovery, "next": _next(request)},
    )


@require_POST
@login_required
def two_factor_off(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if two_factor_rules.two_factor_required(user):
        messages.error(request, TWO_FACTOR_STILL_REQUIRED)
    else:
        two_factor_rules.two_factor_turn_off(actor=user, user=user)
        messages.success(request, "Two-factor sign-in is off")
    return redirect("two_factor")
