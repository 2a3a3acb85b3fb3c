"""Staff two-factor sign-in with django-otp: an authenticator app (TOTP) set up by scanning
a QR code, and ten single-use recovery codes shown once. Whether a user must use it, and
the changes (set up, turn off, new recovery codes) with their audit events.

The devices are django-otp's own models (``otp_totp``, ``otp_static``); checking a code
uses their throttling: after each wrong code the next try must wait twice as long.
"""

from __future__ import annotations

import math
import time
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_otp.models import VerifyNotAllowed
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from selfdirect.access.roles import STAFF_ROLES
from selfdirect.access.selectors import roles_of
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
TRY_AGAIN_LATER = "You have entered too many wrong codes. Wait {seconds} seconds and try again"


def two_factor_required(user: Any) -> bool:
    """Staff must use two-factor sign-in where the council requires it (production's default)."""
    if not settings.SELFDIRECT_REQUIRE_TWO_FACTOR or not user.is_authenticated:
        return False
    return bool(set(roles_of(user)) & {str(r) for r in STAFF_ROLES})


def app_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    if not user.is_authenticated:
        return None
    found: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return found


def recovery_device(user: Any) -> StaticDevice | None:
    found: StaticDevice | None = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return found


def recovery_codes_left(user: Any) -> int:
    left: int = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return left


@dataclass(frozen=True)
class AppSecret:
    """A new authenticator app's secret, before the user proves they have it."""

    key_hex: str
    username: str

    @property
    def base32(self) -> str:
        return b32encode(unhexlify(self.key_hex)).decode()

    @property
    def grouped(self) -> str:
        """The secret in groups of four, for typing into an app by hand."""
        text = self.base32.rstrip("=")
        return " ".join(text[i : i + 4] for i in range(0, len(text), 4))

    def config_url(self) -> str:
        url: str = TOTPDevice(key=self.key_hex, user=User(username=self.username)).config_url
        return url

    def qr_svg(self) -> str:
        """The otpauth:// address as an inline SVG QR code (no image request, no script)."""
        return str(
            segno.make(self.config_url(), error="m").svg_inline(
                scale=5, dark="#0b0c0c", light="#ffffff", omitsize=False
            )
        )

    def verified_step(self, code: str) -> int | None:
        """The time step whose code this is (within one step either way), or None."""
        try:
            token = int(code)
        except ValueError:
            return None
        totp = TOTP(unhexlify(self.key_hex))
        totp.time = time.time()
        if not totp.verify(token, tolerance=1):
            return None
        return int(totp.t())


def app_secret_new(*, user: User) -> AppSecret:
    return AppSecret(key_hex=default_key(), username=user.get_username())


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def two_factor_set_up(*, actor: User, secret: AppSecret, step: int) -> tuple[TOTPDevice, list[str]]:
    """The user has typed the code of time ``step`` from their new app: keep the app
    (replacing any earlier one; that code cannot be used again) and give them new recovery
    codes, which exist in full only in the return value."""
    TOTPDevice.objects.filter(user=actor).delete()
    device = TOTPDevice.objects.create(
        user=actor, name=APP_DEVICE_NAME, key=secret.key_hex, confirmed=True, last_t=step
    )
    codes = _new_recovery_codes(actor)
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="two_factor",
        object_id=actor.pk,
        summary=f"Set up two-factor sign-in with an authenticator app for {actor.username}",
    )
    return device, codes


@transaction.atomic
def two_factor_recovery_codes_renew(*, actor: User) -> list[str]:
    codes = _new_recovery_codes(actor)
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="two_factor",
        object_id=actor.pk,
        summary=f"New two-factor recovery codes for {actor.username} (the old ones no longer work)",
    )
    return codes


@transaction.atomic
def two_factor_turn_off(*, actor: User | None, user: User) -> None:
    """Remove the user's app and recovery codes: by the user (when not required), or by a
    command when they have lost both (``actor`` None); they set up again if required."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    event_record(
        actor=actor,
        action=Action.DELETE,
        object_type="two_factor",
        object_id=user.pk,
        summary=f"Turned off two-factor sign-in for {user.username}",
    )


def _wait_message(device: TOTPDevice | StaticDevice) -> str | None:
    allowed, detail = device.verify_is_allowed()
    if allowed:
        return None
    seconds = 1
    if detail and detail.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        left = (detail["locked_until"] - timezone.now()).total_seconds()
        seconds = max(math.ceil(left), 1)
    return TRY_AGAIN_LATER.format(seconds=seconds)


def two_factor_check(
    *, actor: User, device: TOTPDevice | StaticDevice, code: str
) -> tuple[bool, str | None]:
    """Check a code (the app's, or a recovery code, which is then used up). Returns whether
    it was right, and a wait message when the device is throttled. A wrong code and a
    recovery code's use go to the audit log."""
    is_recovery = isinstance(device, StaticDevice)
    wait = _wait_message(device)
    if wait is not None:
        return False, wait
    with transaction.atomic():
        accepted = bool(device.verify_token(code))
    kind = "recovery code" if is_recovery else "authenticator app code"
    if not accepted:
        event_record(
            actor=actor,
            action=Action.SIGN_IN_FAILED,
            object_type="two_factor",
            object_id=actor.pk,
            summary=f"Wrong two-factor {kind} for {actor.username}",
        )
    elif is_recovery:
        event_record(
            actor=actor,
            action=Action.SIGN_IN,
            object_type="two_factor",
            object_id=actor.pk,
            summary=f"Signed in with a recovery code for {actor.username}; "
            f"{recovery_codes_left(actor)} left",
        )
    return accepted, None
