"""API tokens: named, expiring, last use noted at most once a minute; their owners list and
revoke their own, administrators anyone's; expired and revoked tokens get 401."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from selfdirect.access import tokens
from selfdirect.access.forms import CHOOSE_TOKEN_LIFETIME
from selfdirect.access.models import ApiToken
from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people"


def _issue(council: Any, role: str = Role.PRACTITIONER, **kwargs: Any) -> tuple[str, ApiToken]:
    kwargs.setdefault("name", "case system")
    token = tokens.api_token_create(actor=None, user=council.users[role], **kwargs)
    return token, ApiToken.objects.get(prefix=token[:8])


def _get(token: str, url: str = PEOPLE) -> int:
    return Client().get(url, HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def test_a_token_has_a_name_and_expires_after_its_days(council: Any) -> None:
    before = timezone.now()
    token, record = _issue(council, name="  finance feed ", days=30)
    assert record.name == "finance feed"
    assert (
        before + dt.timedelta(days=30)
        <= record.expires_at
        <= timezone.now() + dt.timedelta(days=30)
    )
    assert record.key_hash != token and token not in record.key_hash
    assert _get(token) == 200


@pytest.mark.parametrize(
    ("name", "days", "field", "message"),
    [
        ("", 30, "name", tokens.ENTER_TOKEN_NAME),
        ("   ", 30, "name", tokens.ENTER_TOKEN_NAME),
        ("x" * 81, 30, "name", tokens.TOKEN_NAME_TOO_LONG),
        ("feed", 0, "days", tokens.TOKEN_DAYS_OUT_OF_RANGE),
        ("feed", 366, "days", tokens.TOKEN_DAYS_OUT_OF_RANGE),
    ],
)
def test_a_token_needs_a_name_and_a_lifetime_within_a_year(
    council: Any, name: str, days: int, field: str, message: str
) -> None:
    with pytest.raises(tokens.TokenError) as refused:
        tokens.api_token_create(
            actor=None, user=council.users[Role.PRACTITIONER], name=name, days=days
        )
    assert (str(refused.value), refused.value.field) == (message, field)
    assert not ApiToken.objects.exists()


def test_an_expired_token_gets_401(council: Any) -> None:
    token, record = _issue(council)
    assert _get(token) == 200
    ApiToken.objects.filter(pk=record.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert _get(token) == 401


def test_a_revoked_token_gets_401_and_revoking_twice_is_refused(council: Any) -> None:
    token, record = _issue(council)
    tokens.api_token_revoke(actor=council.users[Role.PRACTITIONER], token=record)
    assert _get(token) == 401
    with pytest.raises(tokens.TokenError, match=tokens.TOKEN_ALREADY_REVOKED):
        tokens.api_token_revoke(actor=council.users[Role.PRACTITIONER], token=record)
    assert Event.objects.filter(object_type="api_token", summary__startswith="Revoked").count() == 1


def test_last_used_is_written_at_most_once_a_minute(council: Any) -> None:
    token, record = _issue(council)
    assert tokens.api_token_user(token) == council.users[Role.PRACTITIONER]
    record.refresh_from_db()
    first = record.last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        tokens.api_token_user(token)
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    record.refresh_from_db()
    assert record.last_used_at == first
    # A minute later, the next use is noted.
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=first - dt.timedelta(seconds=61))
    tokens.api_token_user(token)
    record.refresh_from_db()
    assert record.last_used_at is not None and record.last_used_at > first - dt.timedelta(seconds=1)


def test_your_tokens_page_makes_a_token_shown_once(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.HOLDER])
    page = client.get("/account/api-tokens/").content.decode()
    assert "You have no API tokens." in page
    assert 'href="/account/api-tokens/"' in client.get("/accounts/").content.decode()
    made = client.post("/account/api-tokens/", {"name": "my app", "days": "7"})
    body = made.content.decode()
    record = ApiToken.objects.get(user=council.users[Role.HOLDER])
    shown = re.search(r'id="token" type="text" value="([^"]+)"', body)
    assert shown is not None and shown.group(1)[:8] == record.prefix
    assert "no-store" in made["Cache-Control"]
    assert record.name == "my app"
    assert (
        dt.timedelta(days=6, hours=23) < record.expires_at - timezone.now() <= dt.timedelta(days=7)
    )
    # Afterwards the list names it, but never shows the token again.
    listed = client.get("/account/api-tokens/").content.decode()
    assert "my app" in listed and record.prefix in listed and shown.group(1) not in listed
    assert _get(shown.group(1), f"/api/v1/people/{council.holder_person.pk}") == 200


def test_your_tokens_page_shows_problems(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.HOLDER])
    page = client.post("/account/api-tokens/", {"name": ""}).content.decode()
    assert "<title>Error: Your API tokens" in page
    assert tokens.ENTER_TOKEN_NAME in page and CHOOSE_TOKEN_LIFETIME in page
    assert not ApiToken.objects.exists()


def test_users_see_and_revoke_only_their_own_tokens(client: Any, council: Any) -> None:
    _mine, mine = _issue(council, Role.HOLDER, name="holder app")
    theirs_token, theirs = _issue(council, Role.PRACTITIONER, name="case system")
    client.force_login(council.users[Role.HOLDER])
    page = client.get("/account/api-tokens/").content.decode()
    assert "holder app" in page and "case system" not in page
    assert client.post(f"/account/api-tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None and _get(theirs_token) == 200
    assert client.get(f"/account/api-tokens/{mine.pk}/revoke/").status_code == 403
    response = client.post(f"/account/api-tokens/{mine.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/account/api-tokens/"
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    again = client.post(f"/account/api-tokens/{mine.pk}/revoke/", follow=True).content.decode()
    assert "There is a problem" in again and tokens.TOKEN_ALREADY_REVOKED in again


def test_administrators_list_and_revoke_anyones_tokens(client: Any, council: Any) -> None:
    token, theirs = _issue(council, Role.PRACTITIONER, name="case system")
    _issue(council, Role.FINANCE, name="payments feed")
    admin = council.users[Role.ADMIN]
    client.force_login(admin)
    everyone = client.get("/admin/api-tokens/").content.decode()
    assert "case system" in everyone and "payments feed" in everyone and "2 tokens" in everyone
    one = client.get("/admin/api-tokens/", {"user": "finance"}).content.decode()
    assert "payments feed" in one and "case system" not in one
    # Their own tokens page still shows only their own.
    assert "case system" not in client.get("/account/api-tokens/").content.decode()
    response = client.post(f"/account/api-tokens/{theirs.pk}/revoke/", {"from": "admin"})
    assert response["Location"] == "/admin/api-tokens/"
    assert _get(token) == 401
    event = Event.objects.get(object_type="api_token", summary__startswith="Revoked")
    assert event.actor == admin and "practitioner" in event.summary
    assert "Revoked" in client.get("/admin/api-tokens/").content.decode()


def test_create_api_token_command_names_and_days(council: Any) -> None:
    out = StringIO()
    call_command("create_api_token", "finance", "--name", "payments", "--days", "10", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    record = ApiToken.objects.get(prefix=token[:8])
    assert record.name == "payments"
    assert (
        dt.timedelta(days=9, hours=23) < record.expires_at - timezone.now() <= dt.timedelta(days=10)
    )
    call_command("create_api_token", "finance", stdout=StringIO())
    default = ApiToken.objects.exclude(pk=record.pk).get()
    assert default.name.startswith("Made with manage.py on ")
    assert dt.timedelta(days=89) < default.expires_at - timezone.now() <= dt.timedelta(days=90)
    with pytest.raises(CommandError, match=re.escape(tokens.TOKEN_DAYS_OUT_OF_RANGE)):
        call_command("create_api_token", "finance", "--days", "0")
    assert ApiToken.objects.count() == 2
    assert Event.objects.filter(action=Action.TOKEN).count() == 2


@pytest.mark.django_db(transaction=True)
def test_tokens_made_before_expiries_expire_90_days_after_the_upgrade() -> None:
    from django.db.migrations.executor import MigrationExecutor

    from tests.factories import make_user

    before, after = (
        [("access", "0003_profile_sign_off_limit_weekly_pence")],
        [("access", "0004_api_token_expiry")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    user = make_user("legacy", [Role.FINANCE])
    old_apps.get_model("access", "ApiToken").objects.create(
        user_id=user.pk, name="", key_hash="f" * 64, prefix="legacy00"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    record = ApiToken.objects.get(prefix="legacy00")
    lasts = record.expires_at - timezone.now()
    assert dt.timedelta(days=89, hours=23) < lasts <= dt.timedelta(days=90)
