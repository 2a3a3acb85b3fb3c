"""From the directory to a request to change (issue 14, holders-experience REQ-38): a holder
or representative reading a service asks for it ("Ask for this service"), and the request
form starts with that service's provider and its lowest price filled in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action
from selfdirect.audit.selectors import person_looks
from selfdirect.changes.models import ChangeRequest
from selfdirect.directory.models import CostOption
from selfdirect.providers.models import Provider
from tests.changes.test_views import LATER, _as
from tests.directory.builders import service_build
from tests.planning.test_plans import _approved_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def kindred(council: Any) -> Any:
    """A service of a provider that does not support Ada yet, priced from £19.75 an hour
    (its dearer option is not what the form starts with)."""
    service = service_build(
        provider=Provider.objects.create(name="Kindred Care"), name="Kindred Home Help"
    )
    CostOption.objects.create(service=service, amount_pence=1975, amount_description="per hour")
    return service


def _ask_links(page: str) -> list[tuple[str, str]]:
    return [
        (href.replace("&amp;", "&"), " ".join(re.sub(r"<[^>]+>", " ", text).split()))
        for href, text in re.findall(r'<a[^>]*href="(/changes/people/[^"]+)"[^>]*>(.*?)</a>', page)
    ]


def test_a_holder_asks_for_a_service_from_the_directory(council: Any, kindred: Any) -> None:
    ada = council.holder_person
    page = _as(council, Role.HOLDER).get(reverse("directory:service", args=[kindred.pk]))
    assert _ask_links(page.content.decode()) == [
        (f"/changes/people/{ada.pk}/ask/?service={kindred.pk}", "Ask for this service")
    ]


def test_a_representative_asks_for_the_person_they_act_for_and_the_look_is_recorded(
    council: Any, kindred: Any
) -> None:
    ada = council.holder_person
    rep = council.users[Role.REPRESENTATIVE]
    page = _as(council, Role.REPRESENTATIVE).get(reverse("directory:service", args=[kindred.pk]))
    assert _ask_links(page.content.decode()) == [
        (f"/changes/people/{ada.pk}/ask/?service={kindred.pk}", "Ask for this service for Ada")
    ]
    # Ada's own log, lists included (decision 0056).
    assert person_looks(person_id=ada.pk).filter(action=Action.VIEW, actor=rep).exists()


@pytest.mark.parametrize("role", (Role.CARER, Role.PRACTITIONER, Role.PROVIDER), ids=str)
def test_no_ask_link_for_anyone_else(council: Any, kindred: Any, role: Role) -> None:
    """A carer does not ask for changes; staff and providers ask from the person's plan."""
    page = _as(council, role).get(reverse("directory:service", args=[kindred.pk]))
    assert page.status_code == 200
    assert _ask_links(page.content.decode()) == []


def test_no_ask_link_when_not_signed_in(council: Any, kindred: Any) -> None:
    page = Client().get(reverse("directory:service", args=[kindred.pk]))
    assert page.status_code == 200
    assert _ask_links(page.content.decode()) == []


def test_the_form_starts_with_the_services_provider_and_lowest_price(
    council: Any, kindred: Any
) -> None:
    plan = _approved_plan(council)
    line = plan.lines.get()
    ada = council.holder_person
    holder = _as(council, Role.HOLDER)
    url = f"{reverse('changes:ask', args=[ada.pk])}?service={kindred.pk}"
    page = holder.get(url).content.decode()
    provider = kindred.organization
    assert re.search(rf'<option value="{provider.pk}" selected>Kindred Care</option>', page)
    assert re.search(r'name="new_unit_cost"[^>]*value="19.75"', page)
    assert "You are asking for" in page and "Kindred Home Help" in page
    # Sent as it is (with the support to replace, how to hold it, why and when), the
    # request names the service's provider and price.
    answer = holder.post(
        url,
        {
            "line": str(line.pk),
            "to_deployment": "isf",
            "to_provider": str(provider.pk),
            "new_unit_cost": "19.75",
            "in_their_words": "Kindred Care can come in the mornings",
            "wanted_from_day": str(LATER.day),
            "wanted_from_month": str(LATER.month),
            "wanted_from_year": str(LATER.year),
        },
    )
    assert answer.status_code == 302
    made = ChangeRequest.objects.get()
    assert (made.to_provider, made.to_unit_cost_pence) == (provider, 1975)


@pytest.mark.parametrize("service", ("not-a-uuid", "6c39a4b0-7120-4037-92fa-d1c621a41b20"))
def test_an_unknown_service_leaves_the_form_as_it_was(council: Any, service: str) -> None:
    _approved_plan(council)
    ada = council.holder_person
    page = _as(council, Role.HOLDER).get(
        f"{reverse('changes:ask', args=[ada.pk])}?service={service}"
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "You are asking for" not in body
    assert not re.search(r'<option value="\d+" selected>', body.split('name="to_provider"')[1])
