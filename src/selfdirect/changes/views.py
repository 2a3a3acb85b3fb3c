"""Pages for requests to change support: the person (or their representative, or their
worker for them) asks; the person reads the progress and the decision with its reasons;
the team decides and sees who switched often or whose provider is leaving; a team manager
marks a provider as closing; a provider reads the switches its organisation is part of.
Every look is audited; a record the user may not see answers 404, recorded as refused."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user, user_can
from selfdirect.audit.services import look_record, looks_record, record_or_refused
from selfdirect.changes import forms as F
from selfdirect.changes import selectors as Q
from selfdirect.changes import services as S
from selfdirect.changes.models import ChangeRequest, ProviderClosure
from selfdirect.directory import selectors as directory
from selfdirect.directory.models import Service
from selfdirect.forms_gov import posted
from selfdirect.money import pounds_field
from selfdirect.people.models import Person
from selfdirect.planning.services import arrangement_on
from selfdirect.planning.streams import DEPLOYMENTS, SWITCH_REASONS
from selfdirect.refusals import run_on_form


def _field_of(form: Any, name: str) -> str | None:
    """The form's field for a refusal's: the line switch says "deployment" for the way of
    holding; a field the form does not have puts the refusal on the form as a whole."""
    name = {"deployment": "to_deployment"}.get(name, name)
    return name if name in form.fields else None


def _person(request: HttpRequest, person_id: int) -> Person:
    """The person, if the user may ask or decide for them; otherwise 404, recorded."""
    user = acting_user(request.user)
    return record_or_refused(Q.people_for_changes(user), actor=user, object_id=person_id)


def _arranged_now(change: ChangeRequest) -> dict[str, Any]:
    """How the line was held and who provided it before the change it made, or, until then,
    today (after any other switch); and what is asked."""
    switch = change.switch
    if switch is not None:
        way, provider, provided_by = (
            switch.from_deployment,
            switch.from_provider,
            switch.from_provided_by,
        )
    else:
        way, provider, provided_by = arrangement_on(change.line, timezone.localdate())
    return {
        "from_way": DEPLOYMENTS[way],
        "from_who": provider or provided_by or "No provider named",
        "to_way": DEPLOYMENTS[change.to_deployment],
    }


def _asked_for(service: Service | None) -> dict[str, Any]:
    """The form's answers for a service chosen in the directory ("Ask for this service"):
    its provider, and its lowest price as the new unit cost."""
    if service is None:
        return {}
    return {
        "to_provider": service.organization_id,
        "new_unit_cost": pounds_field(directory.service_unit_cost(service)),
    }


@requires("change.request")
def ask(request: HttpRequest, person_id: int) -> HttpResponse:
    """Ask to change who provides a line of the plan, or how it is held (REQ-38)."""
    user = acting_user(request.user)
    person = _person(request, person_id)
    look_record(actor=user, record=person, summary="Ask to change support: the form")
    today = timezone.localdate()
    lines = Q.current_lines(person.pk, today)
    service = (
        directory.service_get(request.GET.get("service")) if "service" in request.GET else None
    )
    form = F.AskForm(posted(request), person_id=person.pk, lines=lines, initial=_asked_for(service))
    made: list[ChangeRequest] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: made.append(
                S.change_request_make(actor=user, person=person, **form.request_fields())
            ),
            _field_of,
        )
    ):
        done = made[0]
        messages.success(
            request,
            "The change has been made"
            if done.status == ChangeRequest.Status.MADE
            else "Your request has been sent to the named worker",
        )
        return redirect("changes:request", request_id=done.pk)
    return render(
        request,
        "changes/ask.html",
        {
            "person": person,
            "form": form,
            "has_plan": bool(lines),
            "service": service,
            "is_self": getattr(getattr(user, "profile", None), "person_id", None) == person.pk,
            "nav": "home",
        },
    )


@requires("change.request")
def person_requests(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request.user)
    person = _person(request, person_id)
    look_record(actor=user, record=person, summary="Requests to change support")
    rows = list(Q.requests_visible_to(user).filter(person=person))
    return render(
        request,
        "changes/person_requests.html",
        {
            "person": person,
            "requests": rows,
            "can_ask": user_can(user, "change.request"),
            "nav": "home",
        },
    )


@requires("change.request")
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    user = acting_user(request.user)
    change = Q.request_for(user, request_id)
    look_record(actor=user, record=change, summary="A request to change support")
    return render(
        request,
        "changes/request.html",
        {
            "change": change,
            "person": change.person,
            "reasons": [SWITCH_REASONS[c] for c in change.reasons if c in SWITCH_REASONS],
            **_arranged_now(change),
            "can_decide": user_can(user, "change.decide") and change.is_open,
            "nav": "home",
        },
    )


@requires("change.decide")
def decide(request: HttpRequest, request_id: int) -> HttpResponse:
    user = acting_user(request.user)
    change = Q.request_for(user, request_id)
    look_record(actor=user, record=change, summary="Decide a request to change support")
    form = F.DecideForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: S.change_request_decide(
                actor=user,
                request=change,
                agree=form.cleaned_data["agree"],
                reasons=form.cleaned_data["reasons"],
                effective_date=form.cleaned_data["effective_date"],
            ),
            _field_of,
        )
    ):
        messages.success(request, "The decision has been recorded and the person told")
        return redirect("changes:request", request_id=change.pk)
    return render(
        request,
        "changes/decide.html",
        {
            "change": change,
            "person": change.person,
            "reasons": [SWITCH_REASONS[c] for c in change.reasons if c in SWITCH_REASONS],
            **_arranged_now(change),
            "form": form,
            "nav": "home",
        },
    )


@requires("change.decide")
def queue(request: HttpRequest) -> HttpResponse:
    """Requests waiting in the user's teams, people who switched often, and people whose
    provider is leaving the market."""
    user = acting_user(request.user)
    today = timezone.localdate()
    waiting = list(
        Q.requests_visible_to(user)
        .filter(status=ChangeRequest.Status.WAITING)
        .order_by("decide_by", "id")[:200]
    )
    switchers = Q.frequent_switchers(user, today)[:200]
    leaving = Q.leaving_market_for(user, today)[:200]
    looks_record(
        actor=user,
        people=[r.person_id for r in waiting]
        + [s.person.pk for s in switchers]
        + [a.person.pk for _c, a in leaving],
        summary="Requests to change support, frequent switchers, providers leaving",
    )
    return render(
        request,
        "changes/queue.html",
        {
            "waiting": waiting,
            "switchers": switchers,
            "leaving": leaving,
            "today": today,
            "nav": "home",
        },
    )


@requires("provider.closure")
def closures(request: HttpRequest) -> HttpResponse:
    rows = list(ProviderClosure.objects.select_related("provider", "marked_by"))
    return render(request, "changes/closures.html", {"closures": rows, "nav": "home"})


@requires("provider.closure")
def closure_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request.user)
    form = F.ClosureForm(posted(request))
    made: list[tuple[ProviderClosure, int]] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: made.append(
                S.provider_closure_mark(
                    actor=user,
                    provider=form.cleaned_data["provider"],
                    closes_on=form.cleaned_data["closes_on"],
                    reason=form.cleaned_data["reason"],
                )
            ),
        )
    ):
        closure, tasks = made[0]
        messages.success(
            request,
            f"{closure.provider.name} is marked as leaving: {tasks} new "
            f"task{'s' if tasks != 1 else ''} for practitioners",
        )
        return redirect("changes:closure", closure_id=closure.pk)
    return render(request, "changes/closure_new.html", {"form": form, "nav": "home"})


@requires("provider.closure")
def closure_detail(request: HttpRequest, closure_id: int) -> HttpResponse:
    """Every affected person and line the user may see, with the plan's contingency; how
    many more there are in other teams (their practitioners have their tasks)."""
    user = acting_user(request.user)
    closure = record_or_refused(
        ProviderClosure.objects.select_related("provider", "marked_by"),
        actor=user,
        object_id=closure_id,
        person_path=None,
    )
    today = timezone.localdate()
    affected = Q.affected_lines(closure.provider, closure.closes_on, today)
    visible = set(Q.people_for_changes(user).values_list("pk", flat=True))
    shown = [a for a in affected if a.person.pk in visible]
    looks_record(
        actor=user,
        people=[a.person.pk for a in shown],
        summary="People a closing provider supports",
    )
    return render(
        request,
        "changes/closure.html",
        {
            "closure": closure,
            "affected": shown,
            "elsewhere": len({a.person.pk for a in affected} - visible),
            "nav": "home",
        },
    )


@requires("change.provider_notices")
def provider_notices(request: HttpRequest) -> HttpResponse:
    """The provider's notices: the people leaving it or joining it, from when."""
    user = acting_user(request.user)
    switches = list(Q.switches_for_provider(user)[:200])
    looks_record(
        actor=user,
        people=[s.line.plan.person_id for s in switches],
        summary="Notices of people changing provider",
    )
    return render(
        request,
        "changes/provider_notices.html",
        {"switches": switches, "provider_id": user.profile.provider_id, "nav": "home"},
    )
