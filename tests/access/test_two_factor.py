"""Staff two-factor sign-in: required for staff roles when the council says so (production's
default), set up by scanning a QR code, a code after the password before any other page,
single-use recovery codes, throttled guesses, audited; API tokens unaffected."""

from __future__ import annotations

import time
from binascii import unhexlify
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from selfdirect.access import account_forms as texts
from selfdirect.access import two_factor
from selfdirect.access.tokens import api_token_create
from selfdirect.access.views import SECRET_SESSION_KEY, TWO_FACTOR_STILL_REQUIRED
from selfdirect.audit.models import Action, Event
from tests.access.test_production import GOOD
from tests.access.test_security import _settings_in_production

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def code_for(key_hex: str, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or ``steps_ahead`` 30-second steps on)."""
    totp = TOTP(unhexlify(key_hex))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _sign_in(client: Client, username: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def _set_up(client: Client) -> tuple[str, list[str]]:
    """Set up the app as the signed-in user; returns its key and the recovery codes shown."""
    page = client.get("/accounts/two-factor/set-up/").content.decode()
    assert "<svg" in page
    key_hex = client.session[SECRET_SESSION_KEY]
    secret = two_factor.AppSecret(key_hex=key_hex, username="x")
    assert secret.grouped in page  # the key in text, for those who cannot scan
    done = client.post("/accounts/two-factor/set-up/", {"code": code_for(key_hex)})
    assert done["Location"] == "/accounts/two-factor/recovery-codes/"
    shown = client.get("/accounts/two-factor/recovery-codes/")
    codes = shown.context["codes"]
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT
    assert all(c in shown.content.decode() for c in codes)
    return key_hex, codes


def test_required_staff_set_up_after_the_password(
    client: Client, council: Any, settings: Any
) -> None:
    settings.SELFDIRECT_REQUIRE_TWO_FACTOR = True
    assert _sign_in(client, "practitioner")["Location"] == "/home/"
    home = client.get("/home/")
    assert home["Location"] == "/accounts/two-factor/set-up/?next=%2Fhome%2F"
    assert client.get("/people/")["Location"].startswith("/accounts/two-factor/set-up/")
    # The session cannot use the API either; a bearer token can.
    assert client.get("/api/v1/people").status_code == 401
    token = api_token_create(actor=None, user=council.users["practitioner"], name="tests")
    assert Client().get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200

    wrong = client.post("/accounts/two-factor/set-up/", {"code": "000000"})
    assert texts.CODE_WRONG in wrong.content.decode()
    _key_hex, codes = _set_up(client)
    # Shown once: the page does not show them again.
    again = client.get("/accounts/two-factor/recovery-codes/").content.decode()
    assert codes[0] not in again and "were shown once" in again
    assert client.get("/home/").status_code == 200
    assert Event.objects.filter(
        action=Action.CREATE, object_type="two_factor", actor=council.users["practitioner"]
    ).exists()


def test_holders_are_not_required(client: Client, council: Any, settings: Any) -> None:
    settings.SELFDIRECT_REQUIRE_TWO_FACTOR = True
    _sign_in(client, "holder")
    assert client.get("/home/").status_code == 200
    assert not two_factor.two_factor_required(council.users["holder"])
    assert two_factor.two_factor_required(council.users["admin"])
    settings.SELFDIRECT_REQUIRE_TWO_FACTOR = False
    assert not two_factor.two_factor_required(council.users["admin"])


def test_a_code_before_any_other_page_throttled_and_audited(
    client: Client, council: Any, settings: Any
) -> None:
    settings.SELFDIRECT_REQUIRE_TWO_FACTOR = True
    _sign_in(client, "manager")
    key_hex, _codes = _set_up(client)
    client.post("/accounts/logout/")

    _sign_in(client, "manager")
    assert client.get("/people/")["Location"] == "/accounts/two-factor/code/?next=%2Fpeople%2F"
    # Having an app, the set-up page cannot be used to skip the code.
    assert client.get("/accounts/two-factor/set-up/")["Location"].startswith(
        "/accounts/two-factor/code/"
    )
    wrong = client.post("/accounts/two-factor/code/", {"code": "123456", "next": "/people/"})
    assert texts.CODE_WRONG in wrong.content.decode()
    assert Event.objects.filter(
        action=Action.SIGN_IN_FAILED, object_type="two_factor", summary__contains="manager"
    ).exists()
    # Straight after a wrong code even the right one must wait (django-otp's throttling).
    right = code_for(key_hex, steps_ahead=1)
    throttled = client.post("/accounts/two-factor/code/", {"code": right, "next": "/people/"})
    assert "You have entered too many wrong codes. Wait" in throttled.content.decode()
    assert client.get("/people/").status_code == 302
    TOTPDevice.objects.update(throttling_failure_timestamp=None, throttling_failure_count=0)
    ok = client.post("/accounts/two-factor/code/", {"code": right, "next": "/people/"})
    assert ok["Location"] == "/people/"
    assert client.get("/people/").status_code == 200
    # An address elsewhere is not followed.
    assert _next_after_code(client, key_hex, "https://evil.example/") == "/home/"


def _next_after_code(client: Client, key_hex: str, wanted: str) -> str:
    client.post("/accounts/logout/")
    _sign_in(client, "manager")
    TOTPDevice.objects.update(last_t=-1)
    response = client.post(
        "/accounts/two-factor/code/", {"code": code_for(key_hex), "next": wanted}
    )
    return str(response["Location"])


def test_recovery_codes_work_once_and_are_audited(
    client: Client, council: Any, settings: Any
) -> None:
    settings.SELFDIRECT_REQUIRE_TWO_FACTOR = True
    _sign_in(client, "finance")
    _key, codes = _set_up(client)
    client.post("/accounts/logout/")
    _sign_in(client, "finance")
    used = client.post("/accounts/two-factor/recovery-code/", {"code": codes[0].upper()})
    assert used["Location"] == "/home/"
    assert client.get("/home/").status_code == 200
    assert Event.objects.filter(
        action=Action.SIGN_IN, object_type="two_factor", summary__contains="recovery code"
    ).exists()
    assert two_factor.recovery_codes_left(council.users["finance"]) == 9
    client.post("/accounts/logout/")
    _sign_in(client, "finance")
    again = client.post("/accounts/two-factor/recovery-code/", {"code": codes[0]})
    assert texts.RECOVERY_CODE_WRONG in again.content.decode()
    assert client.get("/home/").status_code == 302


def test_opt_in_and_turn_off_when_not_required(client: Client, council: Any, settings: Any) -> None:
    settings.SELFDIRECT_REQUIRE_TWO_FACTOR = False
    _sign_in(client, "holder")
    assert "Two-factor sign-in is off." in client.get("/accounts/two-factor/").content.decode()
    key_hex, _codes = _set_up(client)
    client.post("/accounts/logout/")
    _sign_in(client, "holder")
    assert client.get("/home/")["Location"].startswith("/accounts/two-factor/code/")
    client.post("/accounts/two-factor/code/", {"code": code_for(key_hex, steps_ahead=1)})
    assert client.get("/home/").status_code == 200
    client.post("/accounts/two-factor/turn-off/")
    assert two_factor.app_device(council.users["holder"]) is None
    assert Event.objects.filter(action=Action.DELETE, object_type="two_factor").exists()


def test_required_two_factor_cannot_be_turned_off(
    client: Client, council: Any, settings: Any
) -> None:
    settings.SELFDIRECT_REQUIRE_TWO_FACTOR = True
    _sign_in(client, "admin")
    _set_up(client)
    page = client.post("/accounts/two-factor/turn-off/", follow=True).content.decode()
    assert TWO_FACTOR_STILL_REQUIRED in page
    assert two_factor.app_device(council.users["admin"]) is not None


def test_required_by_default_in_production_only() -> None:
    code = "from django.conf import settings; print(settings.SELFDIRECT_REQUIRE_TWO_FACTOR)"
    assert _settings_in_production(GOOD, code).stdout.strip() == "True"
    off = _settings_in_production({**GOOD, "SELFDIRECT_REQUIRE_TWO_FACTOR": "0"}, code)
    assert off.stdout.strip() == "False"
    demo = _settings_in_production({**GOOD, "SELFDIRECT_ENV": "development"}, code)
    assert demo.stdout.strip() == "False"


def test_reset_command_for_a_lost_phone(client: Client, council: Any, settings: Any) -> None:
    from django.core.management import CommandError, call_command

    settings.SELFDIRECT_REQUIRE_TWO_FACTOR = True
    _sign_in(client, "planner")
    _set_up(client)
    with pytest.raises(CommandError, match="No user has the username nobody"):
        call_command("reset_two_factor", "nobody")
    call_command("reset_two_factor", "planner")
    planner = council.users["planner"]
    assert two_factor.app_device(planner) is None
    assert two_factor.recovery_codes_left(planner) == 0
    assert Event.objects.filter(
        action=Action.DELETE, object_type="two_factor", actor=None, object_id=str(planner.pk)
    ).exists()
    with pytest.raises(CommandError, match="planner has not set up two-factor sign-in"):
        call_command("reset_two_factor", "planner")
    # At the next sign-in they are asked to set up again.
    fresh = Client()
    _sign_in(fresh, "planner")
    assert fresh.get("/home/")["Location"].startswith("/accounts/two-factor/set-up/")
