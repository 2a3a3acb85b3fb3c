"""The pages of a request to change: the holder asks and follows it from the home page,
the practitioner decides, the team's list, a closing provider, the provider's notices.
Cited to holders-experience.md REQ-n."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from selfdirect.access.roles import Role
from selfdirect.changes.models import ChangeRequest, ProviderClosure
from selfdirect.planning.models import LineSwitch
from tests.factories import ProviderFactory
from tests.planning.test_plans import _approved_plan

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
LATER = TODAY + dt.timedelta(days=21)


def _as(council: Any, role: str) -> Client:
    client = Client()
    client.force_login(council.users[role])
    return client


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _ask_post(line: Any, provider: Any, **extra: str) -> dict[str, Any]:
    return {
        "line": str(line.pk),
        "to_deployment": "isf",
        "to_provider": str(provider.pk),
        "reasons": ["RUSHED_VISITS"],
        "in_their_words": "Visits are too short",
        "wanted_from_day": str(LATER.day),
        "wanted_from_month": str(LATER.month),
        "wanted_from_year": str(LATER.year),
        "notice_weeks": "2",
    } | extra


def test_req38_holder_asks_follows_it_and_reads_the_decision(council: Any) -> None:
    """REQ-38: the holder asks from their plan on the home page; REQ-14: it shows as in
    progress with its date; the practitioner decides; the holder reads it with reasons."""
    plan = _approved_plan(council)
    line = plan.lines.get()
    kindred = ProviderFactory(name="Kindred Care")
    holder = _as(council, Role.HOLDER)
    home = holder.get("/home/").content.decode()
    assert f'href="/changes/people/{council.holder_person.pk}/"' in home
    page = holder.get(f"/changes/people/{council.holder_person.pk}/ask/")
    assert "This is a request, not a review" in page.content.decode()
    answer = holder.post(
        f"/changes/people/{council.holder_person.pk}/ask/", _ask_post(line, kindred)
    )
    request = ChangeRequest.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/changes/requests/{request.pk}/"
    home = _text(holder.get("/home/").content.decode())
    assert "Your request to change ‘Personal assistant’" in home
    assert f"By {request.decide_by:%-d %B %Y}" in home
    # The practitioner decides.
    practitioner = _as(council, Role.PRACTITIONER)
    assert "Request to change" in practitioner.get("/home/").content.decode()
    queue = _text(practitioner.get("/changes/").content.decode())
    assert "Ada Holder Personal assistant" in queue
    decided = practitioner.post(
        f"/changes/requests/{request.pk}/decision/",
        {"agree": "yes", "reasons": "Kindred Care has carers free in the mornings."},
    )
    assert decided.status_code == 302
    assert LineSwitch.objects.get().to_provider == kindred
    page = _text(holder.get(f"/changes/requests/{request.pk}/").content.decode())
    assert "Agreed" in page
    assert f"The change takes effect on {LATER:%-d %B %Y}." in page
    assert "Kindred Care has carers free in the mornings." in page
    assert "Provided before by Sam, Direct payment" in page
    assert "Asked for Kindred Care, Individual Service Fund held by a provider" in page
    assert "request to change" not in _text(holder.get("/home/").content.decode()).lower()


def test_a_refused_field_shows_on_the_form(council: Any) -> None:
    line = _approved_plan(council).lines.get()
    holder = _as(council, Role.HOLDER)
    past = TODAY - dt.timedelta(days=3)
    page = holder.post(
        f"/changes/people/{council.holder_person.pk}/ask/",
        _ask_post(
            line,
            ProviderFactory(),
            wanted_from_day=str(past.day),
            wanted_from_month=str(past.month),
            wanted_from_year=str(past.year),
        ),
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "<title>Error:" in html
    assert 'id="wanted_from-error"' in html or "wanted_from" in html
    assert "The date of the change must be today or in the future" in html
    assert not ChangeRequest.objects.exists()


def test_decision_needs_reasons_on_the_page(council: Any) -> None:
    from selfdirect.changes.services import DECISION_REASONS_NEEDED

    line = _approved_plan(council).lines.get()
    _as(council, Role.HOLDER).post(
        f"/changes/people/{council.holder_person.pk}/ask/", _ask_post(line, ProviderFactory())
    )
    request = ChangeRequest.objects.get()
    page = _as(council, Role.PRACTITIONER).post(
        f"/changes/requests/{request.pk}/decision/", {"agree": "no", "reasons": ""}
    )
    assert DECISION_REASONS_NEEDED in page.content.decode()
    request.refresh_from_db()
    assert request.status == "waiting"


def test_closure_page_lists_people_with_their_contingency(council: Any) -> None:
    """REQ-45: the manager marks a provider closing and reads who is affected."""
    plan = _approved_plan(council, "council_commissioned")
    plan.contingency = "Sister covers for a week"
    plan.save()
    failing = ProviderFactory(name="Failing Care")
    from selfdirect.planning.services import line_switch

    line_switch(
        actor=council.users[Role.PRACTITIONER],
        line=plan.lines.get(),
        effective_date=TODAY,
        deployment="council_commissioned",
        provider=failing,
        provided_by="",
        reasons=["COST"],
    )
    manager = _as(council, Role.MANAGER)
    closes = TODAY + dt.timedelta(days=10)
    done = manager.post(
        "/changes/closures/new/",
        {
            "provider": str(failing.pk),
            "closes_on_day": str(closes.day),
            "closes_on_month": str(closes.month),
            "closes_on_year": str(closes.year),
            "reason": "Administration",
        },
    )
    closure = ProviderClosure.objects.get()
    assert done["Location"] == f"/changes/closures/{closure.pk}/"
    page = _text(manager.get(done["Location"]).content.decode())
    assert "Ada Holder Personal assistant Sister covers for a week" in page
    # The practitioner sees her among people whose provider is leaving.
    queue = _text(_as(council, Role.PRACTITIONER).get("/changes/").content.decode())
    assert "Ada Holder Personal assistant Failing Care" in queue


def test_issue14_old_and_new_provider_are_told(council: Any) -> None:
    """Issue 14: a switch shows on the notices page of the provider it leaves and the one
    it joins; another provider sees nothing of it."""
    from selfdirect.planning.services import line_switch
    from tests.factories import make_user

    plan = _approved_plan(council, "council_commissioned")
    acme = council.users[Role.PROVIDER].profile.provider
    kindred = ProviderFactory(name="Kindred Care")
    line_switch(
        actor=council.users[Role.PRACTITIONER],
        line=plan.lines.get(),
        effective_date=TODAY,
        deployment="council_commissioned",
        provider=acme,
        provided_by="",
        reasons=["COST"],
    )
    line_switch(
        actor=council.users[Role.PRACTITIONER],
        line=plan.lines.get(),
        effective_date=LATER,
        deployment="council_commissioned",
        provider=kindred,
        provided_by="",
        reasons=["RUSHED_VISITS"],
    )
    old = _text(_as(council, Role.PROVIDER).get("/changes/provider-notices/").content.decode())
    assert f"Ada Holder Personal assistant Leaving you {LATER:%-d %b %Y}" in old
    kindred_user = make_user("kindred", [Role.PROVIDER], provider=kindred)
    client = Client()
    client.force_login(kindred_user)
    new = _text(client.get("/changes/provider-notices/").content.decode())
    assert f"Ada Holder Personal assistant Coming to you {LATER:%-d %b %Y}" in new
    other = make_user("other-provider", [Role.PROVIDER], provider=ProviderFactory(name="Else"))
    client.force_login(other)
    assert "Ada Holder" not in client.get("/changes/provider-notices/").content.decode()


def test_the_team_sees_waiting_requests_on_the_person_page_and_a_carer_sees_none(
    council: Any,
) -> None:
    """The person page counts the waiting requests for the team; a consented carer reads
    the plan but a request to change is the person's and their representative's, not
    theirs (REQ-38)."""
    from selfdirect.changes.services import change_request_make
    from selfdirect.portal.waiting import waiting_for

    line = _approved_plan(council).lines.get()
    change_request_make(
        actor=council.users[Role.HOLDER],
        person=council.holder_person,
        line=line,
        to_deployment="isf",
        to_provider=ProviderFactory(),
        reasons=["CANCELLATIONS"],
        wanted_from=LATER,
    )
    page = _text(
        _as(council, Role.PRACTITIONER).get(f"/people/{council.holder_person.pk}/").content.decode()
    )
    assert "Requests to change a provider or how support is held" in page
    assert "1 waiting for a decision" in page
    rep = [w.what for w in waiting_for(council.users[Role.REPRESENTATIVE])]
    assert "Ada Holder's request to change ‘Personal assistant’" in rep
    carer = [w.what for w in waiting_for(council.users[Role.CARER])]
    assert not [w for w in carer if "request to change" in w]
