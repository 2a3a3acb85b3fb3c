"""Running it for real: the health check, the request id and the JSON request log, which
must never hold a name, an NHS number, an email or what was searched for (decision 0014)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from selfdirect.access.roles import Role
from tests.access.test_security import _settings_in_production
from tests.conftest import Council
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the configured console handler (the JSON formatter) writes, captured."""
    handlers = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    assert handlers, "settings.LOGGING has a console handler on the root logger"
    buffer = io.StringIO()
    old = [h.setStream(buffer) for h in handlers]  # type: ignore[attr-defined]
    try:
        yield buffer
    finally:
        for handler, stream in zip(handlers, old, strict=True):
            handler.setStream(stream)  # type: ignore[attr-defined]


def _records(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def test_healthz_answers_ok_without_sign_in_and_is_not_cached(client: Client) -> None:
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    # No worker runs in the tests: said in the body, but the web still answers 200.
    assert response.json() == {"status": "ok", "database": "ok", "worker": "stale"}
    assert "no-store" in response["Cache-Control"]
    assert client.head(reverse("healthz")).status_code == 200
    assert client.post(reverse("healthz")).status_code == 405


def test_healthz_answers_503_naming_the_database_when_it_fails(
    client: Client, log_lines: io.StringIO
) -> None:
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone away")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "failed", "database": "failed", "worker": "unknown"}
    assert "no-store" in response["Cache-Control"]
    assert any("database did not answer" in r["message"] for r in _records(log_lines))


def test_healthz_is_not_held_back_by_the_two_factor_step(client: Client, settings: Any) -> None:
    settings.SELFDIRECT_REQUIRE_TWO_FACTOR = True
    client.force_login(make_user("worker", [Role.PRACTITIONER]))
    assert client.get(reverse("home")).status_code == 302  # sent to set up two-factor
    assert client.get(reverse("healthz")).status_code == 200


def test_a_valid_request_id_is_kept_and_echoed_and_a_bad_one_replaced(client: Client) -> None:
    kept = client.get(reverse("accessibility"), headers={"X-Request-ID": "trace-42.a:b"})
    assert kept["X-Request-ID"] == "trace-42.a:b"
    for bad in ("has spaces", "x" * 129, "evil\u00e9", ""):
        replaced = client.get(reverse("accessibility"), headers={"X-Request-ID": bad})
        assert replaced["X-Request-ID"] != bad
        assert len(replaced["X-Request-ID"]) == 32  # a new uuid4, hex


def test_request_log_holds_ids_but_no_names_nhs_numbers_emails_or_search_text(
    client: Client, council: Council, log_lines: io.StringIO
) -> None:
    person = council.holder_person
    holder = council.users["holder"]
    holder.email = "ada.holder@example.org"
    holder.save()
    practitioner = council.users["practitioner"]

    # A failed sign-in with the holder's email as the username.
    failed = client.post(
        reverse("login"),
        {"username": holder.email, "password": "wrong"},
        headers={"X-Request-ID": "sign-in-1"},
    )
    assert failed.status_code == 200
    client.force_login(practitioner)
    search = client.get(
        reverse("people:list"), {"q": person.family_name}, headers={"X-Request-ID": "search-1"}
    )
    assert search.status_code == 200 and person.family_name in search.content.decode()
    by_number = client.get(reverse("people:list"), {"q": person.nhs_number})
    assert by_number.status_code == 200
    page = client.get(reverse("people:detail", args=[person.pk]))
    assert page.status_code == 200

    output = log_lines.getvalue()
    for secret in (
        person.given_name,
        person.family_name,
        person.nhs_number,
        holder.email,
        "example.org",
    ):
        assert secret not in output, f"{secret!r} was logged"
    records = [r for r in _records(log_lines) if r["logger"] == "selfdirect.request"]
    by_id = {r["request_id"]: r for r in records}
    assert by_id["sign-in-1"]["path"] == "/accounts/login/"
    assert by_id["sign-in-1"]["user_id"] is None
    assert by_id["search-1"] == {
        **by_id["search-1"],
        "method": "GET",
        "path": "/people/",
        "status": 200,
        "user_id": practitioner.pk,
        "level": "INFO",
    }
    assert isinstance(by_id["search-1"]["duration_ms"], float)
    assert by_id["search-1"]["time"]
    person_line = [r for r in records if r["path"] == f"/people/{person.pk}/"]
    assert len(person_line) == 1
    assert person_line[0]["request_id"] == page["X-Request-ID"]


def test_a_password_reset_token_in_the_path_is_not_logged(
    client: Client, log_lines: io.StringIO
) -> None:
    url = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-secret123"})
    client.get(url)
    output = log_lines.getvalue()
    assert "abc-secret123" not in output
    assert "/-/-/" in output


def test_django_loggers_write_json_with_the_request_id(
    client: Client, log_lines: io.StringIO
) -> None:
    response = client.get(
        "/no-such-page/", {"q": "Zebedee Searched"}, headers={"X-Request-ID": "missing-1"}
    )
    assert response.status_code == 404
    assert "Zebedee" not in log_lines.getvalue()
    django_lines = [r for r in _records(log_lines) if r["logger"] == "django.request"]
    assert django_lines and django_lines[0]["request_id"] == "missing-1"
    assert django_lines[0]["level"] == "WARNING"


def test_plain_http_switch_turns_off_the_https_settings_only_when_asked() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS)"
    )
    good = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "selfdirect.example"}
    https = _settings_in_production(good, code)
    assert https.stdout.split() == ["True", "True", "True", str(60 * 60 * 24 * 365)]
    plain = _settings_in_production({**good, "SELFDIRECT_HTTPS": "0"}, code)
    assert plain.stdout.split() == ["False", "False", "False", "0"]
