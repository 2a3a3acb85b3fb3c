"""Pages about people: search, summary, history, and the forms that change them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from selfdirect.access.decorators import requires
from selfdirect.access.models import Team
from selfdirect.access.roles import Role
from selfdirect.access.selectors import acting_user, roles_of, teams_of, user_can
from selfdirect.audit.selectors import person_history as history_of
from selfdirect.audit.services import look_record, looks_record, record_or_refused
from selfdirect.forms_gov import posted
from selfdirect.page_signals import page_additions
from selfdirect.people import selectors, services
from selfdirect.people.forms import (
    ConsentForm,
    NamedWorkerForm,
    PersonForm,
    PersonSearchForm,
    RelationshipForm,
)
from selfdirect.people.imports import person_import_page
from selfdirect.people.models import Person, Relationship
from selfdirect.people.signals import person_page_shown
from selfdirect.refusals import run_on_form


def _teams_for_form(request: HttpRequest) -> QuerySet[Team]:
    """Managers and practitioners allocate people to their own teams only."""
    return (
        teams_of(request.user)
        if not (roles_of(request.user) & {Role.ADMIN})
        else Team.objects.all()
    )


@requires("person.search")
def person_search(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    people = selectors.person_list(user=request.user, query=query)
    page = Paginator(people, settings.PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    looks_record(actor=request.user, people=page, summary="Appeared in search results")
    return render(
        request,
        "people/search.html",
        {
            "nav": "people",
            "form": form,
            "query": query,
            "page": page,
            "can_create": user_can(request.user, "person.create"),
        },
    )


def _person_page(request: HttpRequest, person_id: int, tab: str) -> dict[str, Any]:
    person = selectors.person_detail(user=request.user, person_id=person_id)
    relationships = list(person.relationships.all())
    added = page_additions(person_page_shown, sender=Person, person=person, user=request.user)
    return {
        "nav": "people" if user_can(request.user, "person.search") else "home",
        "person": person,
        "tab": tab,
        "relationships": relationships,
        # Current and starting later in one list (a later one says when it starts).
        "current_relationships": [r for r in relationships if not r.has_ended],
        "past_relationships": [r for r in relationships if r.has_ended],
        "acts_for": [r for r in person.related_to.all() if r.is_current],
        "consents": selectors.consents_current(person),
        "can_edit": user_can(request.user, "person.edit"),
        "can_edit_relationships": user_can(request.user, "relationship.edit"),
        "can_record_consent": user_can(request.user, "consent.record"),
        "can_see_history": user_can(request.user, "person.history"),
        "assessments": [],
        "can_start_assessment": user_can(request.user, "person.edit"),
        "named_worker_history": selectors.named_worker_history(person),
        "can_allocate_worker": user_can(request.user, "named_worker.allocate"),
        "today": dt.date.today(),
        # What the apps built on people add (assessments, casework, ledger, messages,
        # recovery, charging, monitoring...), each under its own name: a new app's receiver
        # needs no change here.
        **added,
    }


@requires("person.view")
def person_summary(request: HttpRequest, person_id: int) -> HttpResponse:
    if not user_can(request.user, "person.record"):
        # A provider: its client's page shows only what it delivers (decision 0040). The
        # selector refuses anyone else first (404 and a DENIED event).
        person = selectors.person_detail(user=request.user, person_id=person_id)
        return redirect("provider:person", person_id=person.pk)
    context = _person_page(request, person_id, "summary")
    look_record(actor=request.user, record=context["person"], summary="Record: summary")
    return render(request, "people/summary.html", context)


@requires("person.history")
def person_history(request: HttpRequest, person_id: int) -> HttpResponse:
    context = _person_page(request, person_id, "history")
    person = context["person"]
    look_record(actor=request.user, record=person, summary="Record: history tab")
    events = history_of(person_id=person.pk).select_related("actor")
    context["page"] = Paginator(events, 50).get_page(request.GET.get("page"))
    context["show_names"] = user_can(request.user, "person.search") or bool(
        getattr(settings, "SELFDIRECT_SHOW_STAFF_NAMES_TO_PEOPLE", False)
    )
    return render(request, "people/history.html", context)


@requires("person.create")
def person_new(request: HttpRequest) -> HttpResponse:
    form = PersonForm(posted(request), teams=_teams_for_form(request))
    if request.method == "POST" and form.is_valid():
        person = services.person_create(actor=acting_user(request.user), fields=form.cleaned_data)
        messages.success(
            request, f"{person.full_name} has been added with reference {person.la_person_id}"
        )
        if request.GET.get("for") == "front-door":
            # Added at the front door: on to record the contact that brought them.
            return redirect("casework:contact_new", person_id=person.pk)
        return redirect("people:detail", person_id=person.pk)
    return render(
        request, "people/person_form.html", {"nav": "people", "form": form, "creating": True}
    )


@requires("person.edit")
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_detail(user=request.user, person_id=person_id)
    look_record(actor=request.user, record=person, summary="Record: change details form")
    form = PersonForm(
        posted(request),
        instance=person,
        teams=_teams_for_form(request),
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        fresh = Person.objects.get(pk=person.pk)  # form.is_valid() wrote into ``person``
        services.person_update(actor=acting_user(request.user), person=fresh, fields=fields)
        messages.success(request, "The changes have been saved")
        return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"nav": "people", "form": form, "person": person, "creating": False},
    )


@requires("relationship.edit")
def relationship_new(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_detail(user=request.user, person_id=person_id)
    look_record(
        actor=request.user, record=person, summary="Record: add a carer or representative form"
    )
    form = RelationshipForm(
        posted(request),
        initial={"start_date": dt.date.today()},
        linkable=selectors.people_linkable_by(request.user),
    )
    if request.method == "POST" and form.is_valid():
        related = form.cleaned_data["related_la_person_id"]
        if related.pk == person.pk:
            form.add_error(
                "related_la_person_id", "A person cannot be their own carer or representative"
            )
        else:
            fields = {**form.cleaned_data, "related_person": related}
            services.relationship_add(actor=acting_user(request.user), person=person, fields=fields)
            messages.success(request, f"{related.full_name} has been added")
            return redirect("people:detail", person_id=person.pk)
    return render(
        request, "people/relationship_form.html", {"nav": "people", "form": form, "person": person}
    )


@requires("relationship.edit")
def relationship_end(request: HttpRequest, person_id: int, relationship_id: int) -> HttpResponse:
    person = selectors.person_detail(user=request.user, person_id=person_id)
    relationship = record_or_refused(
        Relationship.objects.filter(person=person), actor=request.user, object_id=relationship_id
    )
    look_record(
        actor=request.user,
        record=relationship,
        summary="Record: end a carer or representative form",
    )
    if relationship.end_date is not None:
        raise Http404("Already ended")
    if request.method == "POST":
        services.relationship_end(
            actor=acting_user(request.user), relationship=relationship, end_date=dt.date.today()
        )
        messages.success(request, f"{relationship.related_person.full_name}'s role has been ended")
        return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/relationship_end.html",
        {"nav": "people", "person": person, "relationship": relationship},
    )


@requires("consent.record")
def consent_new(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_detail(user=request.user, person_id=person_id)
    look_record(actor=request.user, record=person, summary="Record: consent form")
    form = ConsentForm(posted(request), initial={"decided_on": dt.date.today()})
    if request.method == "POST" and form.is_valid():
        services.consent_record(
            actor=acting_user(request.user), person=person, fields=form.cleaned_data
        )
        messages.success(request, "The consent decision has been recorded")
        return redirect("people:detail", person_id=person.pk)
    return render(
        request, "people/consent_form.html", {"nav": "people", "form": form, "person": person}
    )


@requires("person.import")
def person_import(request: HttpRequest) -> HttpResponse:
    return person_import_page(request)


@requires("named_worker.allocate")
def named_worker(request: HttpRequest, person_id: int) -> HttpResponse:
    """Allocate or reallocate the person's named worker (a manager of their team)."""
    person = selectors.person_detail(user=request.user, person_id=person_id)
    look_record(actor=request.user, record=person, summary="Record: named worker form")
    workers = selectors.named_worker_candidates(person)
    form = NamedWorkerForm(posted(request), workers=workers)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: services.named_worker_allocate(
                actor=acting_user(request.user),
                person=person,
                worker=form.workers.get(form.cleaned_data["worker"]),
                reason=form.cleaned_data["reason"],
            ),
        )
    ):
        messages.success(request, "The named worker has been allocated")
        return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/named_worker_form.html",
        {
            "nav": "people",
            "form": form,
            "person": person,
            "history": selectors.named_worker_history(person),
        },
    )
