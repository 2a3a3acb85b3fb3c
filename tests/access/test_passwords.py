"""Changing one's own password, and resetting a forgotten one by email (the same answer
whether or not the address has an account)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from selfdirect.access import account_forms as texts
from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event

pytestmark = pytest.mark.django_db
OLD = "a-long-test-password"
NEW = "a-different-long-passphrase"


def test_sign_in_page_links_to_reset(client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert (
        '<a class="govuk-link" href="/accounts/password-reset/">Forgotten your password?</a>'
        in page
    )


def test_change_own_password(client: Client, council: Any) -> None:
    user = council.users[Role.HOLDER]
    client.force_login(user)
    assert "Change<span" in client.get("/accounts/").content.decode()
    empty = client.post("/accounts/password/", {}).content.decode()
    assert "Error: Change your password" in empty
    for message in (
        texts.ENTER_CURRENT_PASSWORD,
        texts.ENTER_NEW_PASSWORD,
        texts.CONFIRM_NEW_PASSWORD,
    ):
        assert message in empty
    wrong = client.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password1": NEW, "new_password2": NEW},
    ).content.decode()
    assert texts.CURRENT_PASSWORD_WRONG in wrong
    differ = client.post(
        "/accounts/password/",
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW + "x"},
    ).content.decode()
    assert texts.NEW_PASSWORDS_DIFFER in differ
    weak = client.post(
        "/accounts/password/",
        {"old_password": OLD, "new_password1": "password", "new_password2": "password"},
    ).content.decode()
    assert "This password is too common." in weak
    user.refresh_from_db()
    assert user.check_password(OLD)

    done = client.post(
        "/accounts/password/", {"old_password": OLD, "new_password1": NEW, "new_password2": NEW}
    )
    assert done["Location"] == "/accounts/password/changed/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    # Still signed in on this device (the session follows the new password).
    assert client.get("/home/").status_code == 200
    assert Event.objects.filter(
        action=Action.UPDATE, object_id=str(user.pk), summary__startswith="Password changed"
    ).exists()


def test_change_password_needs_sign_in(client: Client) -> None:
    assert client.get("/accounts/password/")["Location"].startswith("/accounts/login/")


def test_reset_by_email(client: Client, council: Any) -> None:
    user = council.users[Role.PRACTITIONER]
    user.email = "pat@example.org"
    user.save()
    page = client.get("/accounts/password-reset/").content.decode()
    assert "Reset your password" in page
    assert texts.ENTER_EMAIL in client.post("/accounts/password-reset/", {}).content.decode()

    sent = client.post("/accounts/password-reset/", {"email": "pat@example.org"})
    unknown = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    # The same answer either way: nothing says whether the address has an account.
    assert sent.status_code == unknown.status_code == 302
    assert sent["Location"] == unknown["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["pat@example.org"]
    assert email.subject == "Reset your Selfdirect password"
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", email.body)
    assert link is not None

    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    user.refresh_from_db()
    assert user.check_password(NEW)
    # The link works once.
    again = client.get(link.group(1), follow=True).content.decode()
    assert "The link has expired" in again
    assert (
        client.post("/accounts/login/", {"username": "practitioner", "password": NEW}).status_code
        == 302
    )


def test_reset_sent_page_says_where_emails_go_when_not_sent(client: Client, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = "/srv/selfdirect/var/mail"
    page = client.get("/accounts/password-reset/sent/").content.decode()
    assert "each email is written to a file in <code>/srv/selfdirect/var/mail</code>" in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert "written to a file" not in client.get("/accounts/password-reset/sent/").content.decode()
