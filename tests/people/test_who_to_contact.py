"""Issue 13, 'Someone to talk to': every page and letter a person sees names their named
worker and how to reach them, and a forgotten password has a real route for people who
have no email address on their account (holders-experience: knowing who to contact)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from selfdirect.access.roles import Role

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


def _page(user: Any, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return _text(response.content.decode())


def _with_worker(council: Any) -> Any:
    worker = council.users[Role.PRACTITIONER]
    worker.first_name, worker.last_name, worker.email = "Sam", "Patel", "sam.patel@example.org"
    worker.save()
    council.holder_person.named_worker = worker
    council.holder_person.save()
    return worker


def test_the_holder_sees_their_named_worker_and_the_council_line_on_every_page(
    council: Any,
) -> None:
    _with_worker(council)
    holder = council.users[Role.HOLDER]
    for url in (reverse("home"), reverse("account"), reverse("notify:inbox")):
        text = _page(holder, url)
        assert "Your named worker is Sam Patel, North team: sam.patel@example.org" in text
        assert "Adult social care: call 01632 960000 (Monday to Friday, 9am to 5pm)" in text


def test_a_representative_reads_whose_worker_it_is(council: Any) -> None:
    _with_worker(council)
    text = _page(council.users[Role.REPRESENTATIVE], reverse("home"))
    assert "Ada's named worker is Sam Patel, North team" in text
    assert "Your named worker" not in text


def test_no_named_worker_yet_is_said_plainly(council: Any) -> None:
    text = _page(council.users[Role.HOLDER], reverse("home"))
    assert "Your named worker has not been chosen yet." in text
    assert "call 01632 960000" in text


def test_staff_pages_carry_no_who_to_contact_box(council: Any) -> None:
    _with_worker(council)
    text = _page(council.users[Role.PRACTITIONER], reverse("home"))
    assert "Who to contact" not in text


def test_every_letter_names_the_named_worker_and_how_to_reach_the_council(
    council: Any, settings: Any
) -> None:
    settings.SELFDIRECT_COUNCIL_PHONE = "01632 960123"
    _with_worker(council)
    letter = Template(
        '{% extends "letters/base.html" %}{% block letter %}<p>A decision.</p>{% endblock %}'
    ).render(Context({"person": council.holder_person, "today": dt.date(2027, 1, 4)}))
    text = _text(letter)
    assert "Your named worker is Sam Patel, North team (email sam.patel@example.org)." in text
    assert "call adult social care on 01632 960123" in text
    assert f"quoting reference {council.holder_person.la_person_id}" in text


def test_a_forgotten_password_without_an_email_has_a_real_route(client: Any) -> None:
    text = _text(client.get(reverse("password_reset")).content.decode())
    assert "If there is no email address on your account" in text
    assert "call adult social care on 01632 960000 (Monday to Friday, 9am to 5pm)" in text
    assert "set you a new password to use once" in text
