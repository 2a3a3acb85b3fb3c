"""Production edges: no demo data or demo sign-ins, no DEBUG, and personal data not kept
in caches (Cache-Control: no-store)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from selfdirect.access.roles import DEMO_PASSWORD, Role
from selfdirect.access.tokens import api_token_create
from selfdirect.access.views import DEMO_ACCOUNT_REFUSED
from selfdirect.audit.models import Action, Event
from selfdirect.demo.management.commands.generate_demo import REFUSED_IN_PRODUCTION
from selfdirect.people.models import Person
from tests.access.test_security import _settings_in_production

pytestmark = pytest.mark.django_db
GOOD = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "selfdirect.example"}


def test_debug_is_refused_in_production() -> None:
    refused = _settings_in_production({**GOOD, "DJANGO_DEBUG": "1"})
    assert refused.returncode != 0
    assert "DJANGO_DEBUG must be off in production." in refused.stderr
    assert _settings_in_production(GOOD).returncode == 0


def test_generate_demo_refuses_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match=re.escape(REFUSED_IN_PRODUCTION)):
        call_command("generate_demo", people=5, seed=1)
    with pytest.raises(CommandError, match=re.escape(REFUSED_IN_PRODUCTION)):
        call_command("generate_demo", people=5, seed=1, if_empty=True)
    assert not Person.objects.exists()


def test_an_account_with_the_demo_password_cannot_sign_in_in_production(
    client: Client, council: Any, settings: Any
) -> None:
    holder = council.users[Role.HOLDER]
    holder.set_password(DEMO_PASSWORD)
    holder.save()
    settings.PRODUCTION = True
    response = client.post("/accounts/login/", {"username": "holder", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert DEMO_ACCOUNT_REFUSED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert Event.objects.filter(
        action=Action.SIGN_IN_FAILED, object_id="holder", summary__contains="demo password"
    ).exists()
    # Another account with its own password signs in as usual.
    ok = client.post(
        "/accounts/login/", {"username": "practitioner", "password": "a-long-test-password"}
    )
    assert ok.status_code == 302
    # Outside production the demo password works (the demo council).
    client.post("/accounts/logout/")
    settings.PRODUCTION = False
    demo = client.post("/accounts/login/", {"username": "holder", "password": DEMO_PASSWORD})
    assert demo.status_code == 302


def _no_store(response: Any) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_pages_for_signed_in_users_are_not_stored(client: Client, council: Any) -> None:
    assert not _no_store(client.get("/accessibility/"))  # public, nothing personal
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get(f"/people/{council.holder_person.pk}/")
    assert page.status_code == 200 and _no_store(page)


def test_pdf_and_csv_downloads_are_not_stored(client: Client, council: Any) -> None:
    from selfdirect.allocation import services
    from tests.allocation.test_allocations import _agree

    allocation = services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )
    client.force_login(council.users[Role.HOLDER])
    pdf = client.get(f"/budgets/{allocation.pk}/letter.pdf")
    assert pdf["Content-Type"] == "application/pdf" and _no_store(pdf)
    client.force_login(council.users[Role.COMMISSIONER])
    params = {
        "price_older_people": "4.00",
        "price_physical_disability": "3.60",
        "price_learning_disability": "4.20",
        "price_mental_health": "3.00",
        "price_carer": "2.50",
        "floor": "20.00",
        "ceiling": "1500.00",
        "carer_reduction": "20",
        "format": "csv",
    }
    csv = client.get("/budgets/what-if/", params)
    assert csv["Content-Type"].startswith("text/csv") and _no_store(csv)


def test_api_responses_are_not_stored(council: Any) -> None:
    token = api_token_create(actor=None, user=council.users[Role.PRACTITIONER], name="tests")
    client = Client()
    answer = client.get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200 and _no_store(answer)
    refused = client.get("/api/v1/people")
    assert refused.status_code == 401 and _no_store(refused)


def test_downloads_are_not_stored_whoever_asks() -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory

    from selfdirect.access.middleware import NoStoreMiddleware

    request = RequestFactory().get("/anything")
    for content_type, stored in (("application/pdf", False), ("text/html", True)):
        response = NoStoreMiddleware(lambda r, ct=content_type: HttpResponse(content_type=ct))(
            request
        )
        assert _no_store(response) is not stored


def test_production_sends_email_by_smtp_from_the_environment() -> None:
    env = {**GOOD, "EMAIL_HOST": "smtp.council.example", "EMAIL_PORT": "2525"}
    code = (
        "from django.conf import settings; "
        "print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS)"
    )
    result = _settings_in_production(env, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.council.example",
        "2525",
        "True",
    ]
