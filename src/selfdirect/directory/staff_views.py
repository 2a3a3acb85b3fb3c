"""Council staff keep the directory: the staff list of every service (any status) with the
person's search and its opening-time filters, adding and changing a service in full, and
the taxonomy's terms. Practitioners read; managers and commissioners change
(docs/directory.md, "Staff keep the directory"). No one's personal data is on these pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user, user_can
from selfdirect.directory import editing, selectors
from selfdirect.directory.forms import (
    COST_SLOTS,
    ServiceForm,
    StaffSearchForm,
    TermForm,
    service_initial,
)
from selfdirect.directory.models import Service, TaxonomyTerm
from selfdirect.forms_gov import posted
from selfdirect.refusals import require_post, run_and_tell, run_on_form


def _form_field(form: ServiceForm | TermForm, name: str) -> str | None:
    return name if name in form.fields else None


@requires("directory.staff")
def staff_list(request: HttpRequest) -> HttpResponse:
    asked = any(request.GET.get(k) for k in StaffSearchForm.base_fields)
    form = StaffSearchForm(request.GET if asked else {"status": ""})
    results = None
    if form.is_valid():
        page = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
        results = selectors.service_search(form.search(), page)
        if not results.postcode_known:
            form.add_error("postcode", "We do not know where this postcode is")
            results = None
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(
        request,
        "directory/staff_list.html",
        {
            "form": form,
            "results": results,
            "query": query,
            "can_manage": user_can(request.user, "directory.manage"),
            "nav": "directory",
        },
    )


def _service_or_404(service_id: str) -> Service:
    service = Service.objects.select_related("organization").filter(pk=service_id).first()
    if service is None:
        raise Http404
    return service


@requires("directory.manage")
def service_new(request: HttpRequest) -> HttpResponse:
    form = ServiceForm(posted(request), initial={"status": Service.Status.ACTIVE})
    if request.method == "POST" and form.is_valid():
        made: list[Service] = []
        done = run_on_form(
            form,
            lambda: made.append(
                editing.service_create(actor=acting_user(request.user), draft=form.draft())
            ),
            _form_field,
        )
        if done:
            messages.success(request, f"{made[0].name} is in the directory")
            return redirect("directory:service", service_id=made[0].pk)
    return render(
        request,
        "directory/service_form.html",
        {"form": form, "service": None, "nav": "directory"},
    )


@requires("directory.manage")
def service_edit(request: HttpRequest, service_id: str) -> HttpResponse:
    service = _service_or_404(service_id)
    draft = editing.draft_of(service)
    slots = max(COST_SLOTS, len(draft.cost_slots) + 1)
    form = ServiceForm(posted(request), initial=service_initial(draft), cost_slots=slots)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: editing.service_update(
                actor=acting_user(request.user), service=service, draft=form.draft()
            ),
            _form_field,
        )
    ):
        messages.success(request, f"{form.cleaned_data['name']} has been changed")
        return redirect("directory:service", service_id=service.pk)
    return render(
        request,
        "directory/service_form.html",
        {
            "form": form,
            "service": service,
            "in_use": editing.service_in_use(service),
            "nav": "directory",
        },
    )


@requires("directory.manage")
def service_remove(request: HttpRequest, service_id: str) -> HttpResponse:
    require_post(request)
    service = _service_or_404(service_id)
    name = service.name
    if run_and_tell(
        request,
        lambda: editing.service_remove(actor=acting_user(request.user), service=service),
        f"{name} has been removed from the directory",
    ):
        return redirect("directory:staff_list")
    return redirect("directory:service_edit", service_id=service.pk)


@requires("directory.staff")
def terms(request: HttpRequest) -> HttpResponse:
    rows = TaxonomyTerm.objects.select_related("taxonomy", "parent").annotate(
        used=Count("services")
    )
    return render(
        request,
        "directory/terms.html",
        {
            "terms": rows.order_by("taxonomy__name", "name"),
            "can_manage": user_can(request.user, "directory.manage"),
            "nav": "directory",
        },
    )


@requires("directory.manage")
def term_new(request: HttpRequest) -> HttpResponse:
    form = TermForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: editing.term_add(
                actor=acting_user(request.user),
                name=form.cleaned_data["name"],
                taxonomy_id=form.cleaned_data["taxonomy"] or None,
                description=form.cleaned_data["description"],
                synonyms=form.cleaned_data["synonyms"],
                code=form.cleaned_data["code"],
            ),
        )
    ):
        messages.success(request, f"{form.cleaned_data['name'].strip()} has been added")
        return redirect("directory:terms")
    return render(
        request, "directory/term_form.html", {"form": form, "term": None, "nav": "directory"}
    )


@requires("directory.manage")
def term_edit(request: HttpRequest, term_id: str) -> HttpResponse:
    term = TaxonomyTerm.objects.filter(pk=term_id).first()
    if term is None:
        raise Http404
    initial = {f: getattr(term, f) for f in editing.TERM_FIELDS}
    form = TermForm(posted(request), initial=initial, adding=False)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: editing.term_update(
                actor=acting_user(request.user),
                term=term,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                synonyms=form.cleaned_data["synonyms"],
                code=form.cleaned_data["code"],
            ),
        )
    ):
        messages.success(request, "The term has been changed")
        return redirect("directory:terms")
    return render(
        request,
        "directory/term_form.html",
        {"form": form, "term": term, "used": term.services.count(), "nav": "directory"},
    )


@requires("directory.manage")
def term_remove(request: HttpRequest, term_id: str) -> HttpResponse:
    require_post(request)
    term = TaxonomyTerm.objects.filter(pk=term_id).first()
    if term is None:
        raise Http404
    name = term.name
    run_and_tell(
        request,
        lambda: editing.term_remove(actor=acting_user(request.user), term=term),
        f"{name} has been removed",
    )
    return redirect("directory:terms")
