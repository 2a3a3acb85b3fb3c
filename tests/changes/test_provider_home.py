"""The provider's home lists the requests to change that concern it (issue 14: a provider
knows when someone it supports asks to leave it, or to come to it): waiting or decided in
the last four weeks, about the people it supports, linked to its notices page; never which
other provider the person chose, never someone it does not support."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.changes.models import ChangeRequest
from selfdirect.changes.selectors import PROVIDER_HOME_DECIDED_DAYS
from selfdirect.changes.services import change_request_decide, change_request_make
from selfdirect.providers.models import Provider
from selfdirect.providers.signals import provider_home_shown
from tests.factories import ProviderFactory
from tests.portal.test_provider_pages import _plan

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
LATER = TODAY + dt.timedelta(days=21)


def _ask(council: Any, line: Any, **fields: Any) -> ChangeRequest:
    return change_request_make(
        actor=council.users[Role.HOLDER],
        person=council.holder_person,
        line=line,
        reasons=["RUSHED_VISITS"],
        wanted_from=LATER,
        **fields,
    )


def _requests_section(client: Any) -> str:
    page = client.get(reverse("provider:home")).content.decode()
    section = page.split('id="change-requests"')[1].split("People you support")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


def test_the_provider_reads_requests_to_leave_it_come_to_it_or_change_how_it_is_held(
    client: Any, council: Any
) -> None:
    plan = _plan(council)
    lines = {line.description: line for line in plan.lines.all()}
    kindred = ProviderFactory(name="Kindred Care")
    acme = council.users[Role.PROVIDER].profile.provider
    leaving = _ask(council, lines["Home care visits"], to_deployment="isf", to_provider=kindred)
    _ask(council, lines["Day centre"], to_deployment="council_commissioned", to_provider=acme)
    # Not Acme's: the personal assistant moves to Kindred.
    _ask(
        council, lines["Personal assistant for shopping"], to_deployment="isf", to_provider=kindred
    )
    client.force_login(council.users[Role.PROVIDER])
    section = _requests_section(client)
    assert (
        f"Ada Holder: asked to move ‘Home care visits’ from you to someone else "
        f"Waiting for the council to decide, by {leaving.decide_by:%-d %B %Y}"
    ) in section
    assert "Ada Holder: asked to move ‘Day centre’ to you" in section
    assert "Personal assistant for shopping" not in section
    assert "Kindred" not in section  # whom else the person chose is theirs to tell
    page = client.get(reverse("provider:home")).content.decode()
    assert page.count(f'href="{reverse("changes:provider_notices")}"') >= 2


def test_a_change_of_how_its_line_is_held_and_a_refusal(client: Any, council: Any) -> None:
    plan = _plan(council)
    home_care = plan.lines.get(description="Home care visits")
    asked = _ask(council, home_care, to_deployment="direct_payment")
    client.force_login(council.users[Role.PROVIDER])
    assert "asked to change how ‘Home care visits’ is held: Direct payment" in _requests_section(
        client
    )
    change_request_decide(
        actor=council.users[Role.PRACTITIONER],
        request=asked,
        agree=False,
        reasons="The direct payment account is not open yet.",
        effective_date=None,
    )
    section = _requests_section(client)
    assert "Not agreed: nothing changes" in section
    assert "not open yet" not in section  # the reasons are the person's


def test_requests_decided_long_ago_and_people_it_does_not_support_are_left_out(
    client: Any, council: Any
) -> None:
    plan = _plan(council)
    home_care = plan.lines.get(description="Home care visits")
    asked = _ask(council, home_care, to_deployment="direct_payment")
    change_request_decide(
        actor=council.users[Role.PRACTITIONER],
        request=asked,
        agree=False,
        reasons="Not now.",
        effective_date=None,
    )
    long_ago = timezone.now() - dt.timedelta(days=PROVIDER_HOME_DECIDED_DAYS + 1)
    ChangeRequest.objects.filter(pk=asked.pk).update(decided_at=long_ago, asked_at=long_ago)
    client.force_login(council.users[Role.PROVIDER])
    assert "Home care visits" not in _requests_section(client)
    # Ada no longer supported by Acme: her waiting request is not shown to it.
    _ask(council, home_care, to_deployment="direct_payment")
    assert "Home care visits" in _requests_section(client)
    council.holder_person.providers.all().delete()
    assert "Ada Holder" not in _requests_section(client)


def test_only_a_providers_staff_get_an_answer(council: Any) -> None:
    plan = _plan(council)
    _ask(
        council,
        plan.lines.get(description="Home care visits"),
        to_deployment="direct_payment",
    )
    acme = Provider.objects.get(name="Acme Care")
    for role, expect in ((Role.PROVIDER, 1), (Role.PRACTITIONER, 0)):
        answers = [
            a
            for _r, a in provider_home_shown.send(
                sender=Provider,
                provider=acme,
                user=council.users[role],
                people={council.holder_person.pk},
                today=TODAY,
            )
            if a
        ]
        assert sum(len(a.get("change_requests", [])) for a in answers) == expect
