"""Behind the council's reverse proxy: sign-in throttling and the audit log use the client's
address from X-Forwarded-For, counting trusted proxies from the right; otherwise the header
is ignored (anyone can write one)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory

from selfdirect.access.client_ip import client_ip
from selfdirect.audit.models import Action, Event

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.1"
GOOD = "a-long-test-password"


def _sign_in(client: Client, password: str, forwarded: str) -> Any:
    return client.post(
        "/accounts/login/",
        {"username": "manager", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_two_clients_behind_one_proxy_are_locked_out_separately(
    client: Client, council: Any, settings: Any
) -> None:
    settings.SELFDIRECT_TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        _sign_in(client, "wrong", "203.0.113.5")
    assert _sign_in(client, GOOD, "203.0.113.5").status_code == 429
    # A second person behind the same proxy is not locked out by the first.
    assert _sign_in(Client(), GOOD, "203.0.113.6").status_code == 302
    failed = Event.objects.filter(action=Action.SIGN_IN_FAILED, object_id="manager")
    assert set(failed.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert Event.objects.get(action=Action.SIGN_IN).ip_address == "203.0.113.6"


def test_a_spoofed_forwarded_address_is_ignored_without_trusted_proxies(
    client: Client, council: Any, settings: Any
) -> None:
    settings.SELFDIRECT_TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        _sign_in(client, "wrong", f"198.51.100.{n}")
    # A new forged address each time does not escape the lock on the real one.
    assert _sign_in(client, GOOD, "198.51.100.99").status_code == 429
    failed = Event.objects.filter(action=Action.SIGN_IN_FAILED, object_id="manager")
    assert set(failed.values_list("ip_address", flat=True)) == {PROXY}


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.5", PROXY),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client's own entry is not believed
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", PROXY),  # fewer entries than proxies: not through the chain
        (1, "not-an-address", PROXY),
        (1, "", PROXY),
    ],
)
def test_client_address(settings: Any, count: int, forwarded: str, expected: str) -> None:
    settings.SELFDIRECT_TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
