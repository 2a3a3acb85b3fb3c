"""The provider's pages (issue 13, "Providers see what they deliver"): a provider sees, for the
people it supports today, the plan lines it delivers, the outcomes they serve in the person's
words and the plan's contingency (REQ-18: services linked to the goals they serve; SCIE-27:
choice and control whatever the way of holding), the statements it owes for the Individual
Service Funds it holds, and requests to change that concern it; nothing else of the person.
A person it no longer supports answers 404 and the attempt is recorded."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.audit.selectors import person_looks
from selfdirect.budgets import services as holding
from selfdirect.budgets.models import FundAgreement, FundStatement
from selfdirect.planning import services as planning
from selfdirect.planning.models import PlanLine, SupportPlan
from selfdirect.portal import provider as selectors
from selfdirect.providers.models import ProviderClient
from selfdirect.providers.signals import provider_home_shown
from tests.factories import PersonFactory, ProviderClientFactory, ProviderFactory, second_user
from tests.planning.test_plans import _approved_budget

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
# The plan and the Individual Service Fund began ten weeks ago: two four-week periods are over.
START = TODAY - dt.timedelta(days=70)
CONTINGENCY = "If a visit is missed, Ada's daughter Fay comes round and rings the office."


def _plan(council: Any) -> SupportPlan:
    """Ada's agreed plan: home care from Acme Care (the provider's organisation) in an
    Individual Service Fund, a day centre from Brightside, a personal assistant paid by
    direct payment; each line for its own outcome."""
    acme = council.users[Role.PROVIDER].profile.provider
    brightside = ProviderFactory(name="Brightside Day Centre")
    worker = council.users[Role.PRACTITIONER]
    plan = planning.plan_create(
        actor=worker,
        allocation=_approved_budget(council),
        led_by="person",
        kind="standard",
        starts_on=START,
        contingency=CONTINGENCY,
    )
    home = planning.outcome_add(
        actor=worker,
        plan=plan,
        fields={
            "in_their_words": "I want to stay living in my own home",
            "how_met": "Morning visits from the same two carers, never before 9am",
        },
    )
    friends = planning.outcome_add(
        actor=worker, plan=plan, fields={"in_their_words": "I want to see my friends each week"}
    )
    base = {"provisional": False, "funding_stream": "adult_social_care", "provided_by": ""}
    for fields in (
        {
            "description": "Home care visits",
            "category": "home_care_agency",
            "unit": "hour",
            "unit_cost_pence": 1000,
            "quantity_hundredths": 350,
            "deployment": "isf",
            "provider": acme,
            "outcome": home,
        },
        {
            "description": "Day centre",
            "category": "day_activity",
            "unit": "session",
            "unit_cost_pence": 1500,
            "quantity_hundredths": 100,
            "deployment": "council_commissioned",
            "provider": brightside,
            "outcome": friends,
        },
        {
            "description": "Personal assistant for shopping",
            "category": "personal_assistant",
            "unit": "week",
            "unit_cost_pence": 2000,
            "quantity_hundredths": 100,
            "deployment": "direct_payment",
            "provider": None,
            "provided_by": "Sam",
            "outcome": friends,
        },
    ):
        planning.line_add(actor=worker, plan=plan, fields={**base, **fields})
    planning.plan_submit(actor=worker, plan=plan)
    return planning.plan_approve(actor=second_user(council, Role.PRACTITIONER), plan=plan)


def _isf(council: Any, plan: SupportPlan) -> FundAgreement:
    agreement = holding.fund_agreement_create(
        actor=council.users[Role.PRACTITIONER],
        plan=plan,
        kind="isf",
        organisation=council.users[Role.PROVIDER].profile.provider,
        surplus_rule="return",
        carry_limit_weeks=0,
        fee_weekly_pence=0,
        starts_on=START,
    )
    holding.fund_agreement_agree(
        actor=council.users[Role.HOLDER], agreement=agreement, side="person"
    )
    return holding.fund_agreement_agree(
        actor=council.users[Role.PROVIDER], agreement=agreement, side="organisation"
    )


def _text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_home_shows_what_the_provider_delivers_and_nothing_else(client: Any, council: Any) -> None:
    """REQ-18: the provider's lines with the outcomes they serve, in the person's words, and
    the contingency; not another provider's line, the direct payment, or the budget."""
    _plan(council)
    provider = council.users[Role.PROVIDER]
    client.force_login(provider)
    page = _text(client.get(reverse("provider:home")))
    assert "Ada Holder" in page
    assert "Home care visits" in page and "3.5 hours a week" in page
    assert "£35.00 a week" in page and "Individual Service Fund held by a provider" in page
    assert "I want to stay living in my own home" in page
    assert "Morning visits from the same two carers, never before 9am" in page
    assert "Fay comes round and rings the office" in page
    # Nothing else of Ada's: no other provider's line or outcome, no direct payment, no budget.
    for hidden in (
        "Day centre",
        "Brightside",
        "I want to see my friends",
        "Personal assistant for shopping",
        "Direct payment",
        "£74.00",
        "£70.00",
    ):
        assert hidden not in page, hidden
    # Bea, whom Acme does not support, is not named.
    assert council.other_person.full_name not in page
    seen = person_looks(person_id=council.holder_person.pk).filter(actor=provider)  # 0056
    assert seen.filter(summary__startswith="The provider's home page").exists()


def test_a_person_whose_plan_is_not_agreed_shows_no_lines(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.PROVIDER])
    page = _text(client.get(reverse("provider:home")))
    assert "Ada has no agreed support plan in force today" in page


def test_the_person_page_and_a_person_no_longer_supported(client: Any, council: Any) -> None:
    """A provider sees only the people it supports today: one it stopped supporting yesterday
    is not listed and their page answers 404, recorded as refused (issue 13)."""
    _plan(council)
    provider = council.users[Role.PROVIDER]
    acme = provider.profile.provider
    ada = council.holder_person
    client.force_login(provider)
    page = _text(client.get(reverse("provider:person", args=[ada.pk])))
    assert "What you deliver for Ada Holder" in page and "Home care visits" in page
    assert "Day centre" not in page
    assert Event.objects.filter(
        action=Action.VIEW, actor=provider, person=ada, object_type="person"
    ).exists()

    former = PersonFactory(team=council.team_a, given_name="Fred", family_name="Former")
    ProviderClientFactory(provider=acme, person=former, end_date=TODAY - dt.timedelta(days=1))
    later = PersonFactory(team=council.team_a, given_name="Lou", family_name="Later")
    ProviderClientFactory(provider=acme, person=later, start_date=TODAY + dt.timedelta(days=7))
    home = _text(client.get(reverse("provider:home")))
    assert "Fred Former" not in home and "Lou Later" not in home
    for person in (former, later, council.other_person):
        response = client.get(reverse("provider:person", args=[person.pk]))
        assert response.status_code == 404
        assert person.full_name not in response.content.decode()
        assert Event.objects.filter(action=Action.DENIED, actor=provider, person=person).exists()


@pytest.mark.parametrize("role", [Role.HOLDER, Role.PRACTITIONER, Role.FINANCE, Role.CARER])
def test_only_providers_open_the_provider_pages(client: Any, council: Any, role: Role) -> None:
    client.force_login(council.users[role])
    ada = council.holder_person.pk
    for url in (
        reverse("provider:home"),
        reverse("provider:person", args=[ada]),
        reverse("provider:statements"),
        reverse("provider:guide"),
    ):
        assert client.get(url).status_code == 403, (role, url)


def test_a_line_switched_to_another_provider_leaves_the_list(client: Any, council: Any) -> None:
    """A change of provider counts from the day it takes effect: the line is no longer
    Acme's to deliver, and its outcome goes with it."""
    plan = _plan(council)
    line = plan.lines.get(description="Home care visits")
    line.switches.create(
        effective_date=TODAY,
        from_deployment="isf",
        to_deployment="council_commissioned",
        from_provider=line.provider,
        to_provider=ProviderFactory(name="Carewell"),
        old_part_pence=0,
        new_part_pence=line.weekly_cost_pence,
        switched_by=council.users[Role.PRACTITIONER],
    )
    client.force_login(council.users[Role.PROVIDER])
    page = _text(client.get(reverse("provider:home")))
    assert "Home care visits" not in page and "I want to stay living in my own home" not in page
    assert "No part of Ada's agreed plan is delivered by Acme Care today" in page
    # Delivering nothing, it is not told the rest of the plan, its contingency among it.
    assert "Fay comes round" not in page


def test_statements_due_are_listed_and_sent_from_the_home_page(client: Any, council: Any) -> None:
    """Issue 13: the statements to send, linked from the home page, with the due periods;
    a period cannot end in the future (refused naming the field); sent statements listed."""
    agreement = _isf(council, _plan(council))
    client.force_login(council.users[Role.PROVIDER])
    home = client.get(reverse("provider:home")).content.decode()
    assert "Statements to send: 2" in home
    assert f'href="{reverse("provider:statements")}"' in home
    listing = client.get(reverse("provider:statements")).content.decode()
    first_end, second_end = START + dt.timedelta(days=27), START + dt.timedelta(days=55)
    link = (
        f"{reverse('budgets:fund_statement_new', args=[agreement.pk])}"
        f"?period_start={START:%Y-%m-%d}&amp;period_end={first_end:%Y-%m-%d}&amp;from=provider"
    )
    assert f'href="{link}"' in listing
    assert f"{second_end:%-d %B %Y}" in listing
    # The form opens with the period filled in.
    form = client.get(link.replace("&amp;", "&")).content.decode()
    for name, on in (("period_start", START), ("period_end", first_end)):
        for part, value in (("day", on.day), ("month", on.month), ("year", on.year)):
            assert re.search(rf'name="{name}_{part}"[^>]*value="{value}"', form), (name, part)
    url = reverse("budgets:fund_statement_new", args=[agreement.pk]) + "?from=provider"
    tomorrow = TODAY + dt.timedelta(days=1)

    def post(end: dt.date) -> Any:
        return client.post(
            url,
            {
                "period_start_day": START.day,
                "period_start_month": START.month,
                "period_start_year": START.year,
                "period_end_day": end.day,
                "period_end_month": end.month,
                "period_end_year": end.year,
                "received_adult_social_care": "140.00",
                "spent_adult_social_care": "120.00",
            },
        )

    refused = post(tomorrow).content.decode()
    assert "<title>Error: " in refused
    assert holding.PERIOD_IN_FUTURE in refused
    # The refusal is put on the end of the period (its error message and the summary link).
    assert re.search(
        r'href="#id_period_end_day"[^>]*>[^<]*' + re.escape(holding.PERIOD_IN_FUTURE), refused
    )
    assert not FundStatement.objects.exists()
    sent = post(first_end)
    assert sent.status_code == 302 and sent["Location"] == reverse("provider:statements")
    listing = _text(client.get(reverse("provider:statements")))
    assert "£140.00" in listing and "£120.00" in listing
    assert "£20.00 paid back to the council" in listing and "Sent" in listing
    assert f"Send the statement for {START + dt.timedelta(days=28):%-d %B %Y}" in listing
    assert f"Send the statement for {START:%-d %B %Y}" not in listing
    assert "Statements to send: 1" in client.get(reverse("provider:home")).content.decode()


def test_due_periods_follow_the_last_statement_and_the_agreement_end(council: Any) -> None:
    agreement = _isf(council, _plan(council))
    due, running = selectors.periods_due(agreement, [], TODAY)
    assert due == [
        (START, START + dt.timedelta(days=27)),
        (START + dt.timedelta(days=28), START + dt.timedelta(days=55)),
    ]
    assert running == (START + dt.timedelta(days=56), START + dt.timedelta(days=83))
    # After a statement of an odd length, the next period starts the day after it ended.
    statement = FundStatement(
        agreement=agreement, period_start=START, period_end=START + dt.timedelta(days=9)
    )
    due, _running = selectors.periods_due(agreement, [statement], TODAY)
    assert due[0] == (START + dt.timedelta(days=10), START + dt.timedelta(days=37))
    # An agreement that ended: its last period is cut short at its end, and nothing runs.
    agreement.ends_on = START + dt.timedelta(days=40)
    due, running = selectors.periods_due(agreement, [], TODAY)
    assert due[-1] == (START + dt.timedelta(days=28), START + dt.timedelta(days=40))
    assert running is None


def test_requests_to_change_come_from_the_hook_only_for_people_supported(
    client: Any, council: Any
) -> None:
    """Requests to change live in another app; it answers the provider home's signal. A
    request about someone the provider does not support is never shown."""
    _plan(council)
    ada, bea = council.holder_person, council.other_person

    def answer(sender: Any, **named: Any) -> dict[str, Any]:
        assert ada.pk in named["people"] and bea.pk not in named["people"]
        return {
            "change_requests": [
                {
                    "person": ada,
                    "what": "asked to change provider",
                    "status": "Waiting",
                    "href": "/x/",
                },
                {"person": bea, "what": "asked about Bea", "status": "Waiting", "href": "/y/"},
            ]
        }

    client.force_login(council.users[Role.PROVIDER])
    empty = _text(client.get(reverse("provider:home")))
    assert "No one you support has asked to change provider" in empty
    provider_home_shown.connect(answer, dispatch_uid="test-change-requests")
    try:
        page = _text(client.get(reverse("provider:home")))
    finally:
        provider_home_shown.disconnect(dispatch_uid="test-change-requests")
    assert "Ada Holder: asked to change provider" in page
    assert "asked about Bea" not in page and bea.full_name not in page


def test_amounts_in_words() -> None:
    line = PlanLine(unit="hour", quantity_hundredths=750)
    assert selectors.amount_words(line) == "7.5 hours a week"
    assert selectors.amount_words(PlanLine(unit="session", quantity_hundredths=100)) == (
        "1 session a week"
    )
    assert selectors.amount_words(PlanLine(unit="week", quantity_hundredths=100)) == "Every week"
    assert selectors.amount_words(PlanLine(unit="item", quantity_hundredths=200)) == (
        "2 items, once"
    )
    assert selectors.amount_words(PlanLine(unit="day", quantity_hundredths=1000)) == (
        "10 days a week"
    )


def test_a_provider_with_no_clients_is_told(client: Any, council: Any) -> None:
    ProviderClient.objects.all().delete()
    client.force_login(council.users[Role.PROVIDER])
    page = _text(client.get(reverse("provider:home")))
    assert "Your organisation supports no one today" in page
    statements = _text(client.get(reverse("provider:statements")))
    assert "You hold no Individual Service Fund or managed account" in statements


def test_the_whole_record_is_not_the_providers(client: Any, council: Any) -> None:
    """Issue 13, "nothing else": a provider opening a client's record at /people/ID/ is sent
    to its own page of what it delivers, and the API's whole record refuses it; a person it
    does not support still answers 404."""
    _plan(council)
    provider = council.users[Role.PROVIDER]
    ada = council.holder_person
    client.force_login(provider)
    response = client.get(reverse("people:detail", args=[ada.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("provider:person", args=[ada.pk])
    assert client.get(reverse("people:detail", args=[council.other_person.pk])).status_code == 404
    for url in (f"/api/v1/people/{ada.pk}", f"/api/v1/people/{ada.pk}/relationships"):
        assert client.get(url).status_code == 403, url
    # Staff still open the whole record.
    client.force_login(council.users[Role.PRACTITIONER])
    assert client.get(reverse("people:detail", args=[ada.pk])).status_code == 200
