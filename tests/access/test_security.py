"""Security basics: sign-in throttling, audit of sign-ins, headers, CSRF, production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from selfdirect.audit.models import Action, Event

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _sign_in(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_sign_in_and_failure_are_audited(client: Client, council: Any) -> None:
    assert _sign_in(client, "practitioner", "a-long-test-password").status_code == 302
    assert Event.objects.filter(action=Action.SIGN_IN, actor=council.users["practitioner"]).exists()
    client.post("/accounts/logout/")
    page = _sign_in(client, "practitioner", "wrong").content.decode()
    assert "Enter a correct username and password. Both are case-sensitive." in page
    assert Event.objects.filter(action=Action.SIGN_IN_FAILED, object_id="practitioner").exists()


def test_five_failures_lock_the_username(client: Client, council: Any) -> None:
    for _ in range(5):
        _sign_in(client, "manager", "wrong")
    locked = _sign_in(client, "manager", "a-long-test-password")
    assert locked.status_code == 429
    assert "You have tried to sign in too many times" in locked.content.decode()
    # Another username from the same address is not locked.
    assert _sign_in(client, "planner", "a-long-test-password").status_code == 302


def test_sign_out_needs_post(client: Client, council: Any) -> None:
    client.force_login(council.users["holder"])
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/home/").status_code == 302


def test_security_headers(client: Client, council: Any) -> None:
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_forms_refuse_posts_without_csrf_token(council: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(council.users["practitioner"])
    response = client.post("/people/new/", {"given_name": "X"})
    assert response.status_code == 403


def _settings_in_production(
    extra: dict[str, str], code: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    env.update(
        {
            "SELFDIRECT_ENV": "production",
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "selfdirect.settings",
            **extra,
        }
    )
    code = code or (
        "from django.conf import settings; print(settings.SESSION_COOKIE_SECURE, settings.DEMO_MODE)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


def test_production_demands_a_secret_key_and_secures_cookies() -> None:
    missing = _settings_in_production({})
    assert missing.returncode != 0
    assert "SECRET_KEY must be set in the environment in production." in missing.stderr
    ok = _settings_in_production({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "selfdirect.example"})
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.split() == ["True", "False"]


def test_demo_sign_ins_are_listed_only_in_demo_mode(client: Client, settings: Any) -> None:
    settings.DEMO_MODE = True
    assert "selfdirect-demo" in client.get("/accounts/login/").content.decode()
    settings.DEMO_MODE = False
    assert "selfdirect-demo" not in client.get("/accounts/login/").content.decode()
