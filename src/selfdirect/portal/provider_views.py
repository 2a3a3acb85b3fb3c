"""The provider's pages (issue 13, "Providers see what they deliver"): its home page with the
people it supports and what it delivers for each, one person's page, the statements it
owes and has sent, and the guide for providers. Selectors: portal.provider."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user
from selfdirect.audit.services import look_record, looks_record
from selfdirect.invoices.models import Invoice
from selfdirect.invoices.selectors import invoices_visible_to
from selfdirect.page_signals import page_additions
from selfdirect.portal import provider as selectors
from selfdirect.providers.models import Provider
from selfdirect.providers.signals import provider_home_shown

PEOPLE_PER_PAGE = 10


@requires("provider.home")
def provider_home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request.user)
    today = timezone.localdate()
    provider = selectors.provider_of(user)
    people = selectors.supported_people(user, today)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    supported = selectors.supported_with_delivery(user, list(page.object_list), today)
    agreements = selectors.agreements_with_statements(user, people, today)
    supported_ids = set(people.values_list("pk", flat=True))
    added = page_additions(
        provider_home_shown,
        sender=Provider,
        provider=provider,
        user=user,
        people=supported_ids,
        today=today,
    )
    # Only requests about people the provider supports now, whatever a receiver returns.
    change_requests = [
        r for r in added.get("change_requests", []) if r["person"].pk in supported_ids
    ]
    invoices = dict(
        invoices_visible_to(user).values_list("status").annotate(n=Count("pk")).order_by()
    )
    looks_record(
        actor=user,
        people=[s.person for s in supported] + [r["person"] for r in change_requests],
        summary="The provider's home page: the people it supports and what it delivers",
    )
    return render(
        request,
        "portal/provider_home.html",
        {
            "nav": "home",
            "provider": provider,
            "supported": supported,
            "page": page,
            "due_count": sum(a.due_count for a in agreements),
            "agreement_count": len(agreements),
            "change_requests": change_requests,
            "referrals": added.get("referrals"),
            "invoice_counts": [
                (label, invoices[value])
                for value, label in Invoice.Status.choices
                if value in invoices
            ],
            "today": today,
        },
    )


@requires("provider.home")
def provider_person(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request.user)
    today = timezone.localdate()
    person = selectors.supported_person_for(user, person_id, today)
    provider = selectors.provider_of(user)
    assert provider is not None  # supported_person_for found someone it supports
    row = selectors.supported_with_delivery(user, [person], today)[0]
    look_record(
        actor=user,
        record=person,
        summary="What the provider delivers: lines, outcomes, contingency",
    )
    return render(
        request,
        "portal/provider_person.html",
        {"nav": "home", "provider": provider, "row": row, "person": person, "today": today},
    )


@requires("provider.home")
def provider_statements(request: HttpRequest) -> HttpResponse:
    user = acting_user(request.user)
    today = timezone.localdate()
    agreements = selectors.agreements_with_statements(
        user, selectors.supported_people(user, today), today
    )
    looks_record(
        actor=user,
        people=[a.agreement.person for a in agreements],
        summary="The provider's statements to send and sent",
    )
    context: dict[str, Any] = {
        "nav": "home",
        "provider": selectors.provider_of(user),
        "agreements": agreements,
        "today": today,
        "period_days": selectors.STATEMENT_PERIOD_DAYS,
    }
    return render(request, "portal/provider_statements.html", context)


@requires("provider.home")
def provider_guide(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/provider_guide.html",
        {"nav": "home", "period_days": selectors.STATEMENT_PERIOD_DAYS},
    )
