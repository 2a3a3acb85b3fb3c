"""The directory's pages: searching and reading services (open to anyone, signed in or
not: no one's personal data), a provider's own listings, and the council's approval of
the changes providers make. Views are thin: rules live in services and selectors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from selfdirect.access.decorators import requires
from selfdirect.access.roles import Role
from selfdirect.access.selectors import acting_user, roles_of, user_can
from selfdirect.audit.services import look_record, looks_record, record_or_refused
from selfdirect.directory import geo, selectors, services
from selfdirect.directory.forms import (
    POSTCODE_UNKNOWN,
    ListingForm,
    RegistrationForm,
    ReplyForm,
    ReviewForm,
    SearchForm,
)
from selfdirect.directory.models import ListingChange, Location, ServiceReview
from selfdirect.forms_gov import posted
from selfdirect.people.models import Person
from selfdirect.people.selectors import cared_for_with_consent, people_visible_to
from selfdirect.planning import services as planning
from selfdirect.planning.selectors import plan_for
from selfdirect.refusals import require_post, run_and_tell, run_on_form

CHOOSE_A_SERVICE = "Choose a service from the list"


def provider_id_of(request: HttpRequest) -> int | None:
    if Role.PROVIDER not in roles_of(request.user):
        return None
    profile = getattr(request.user, "profile", None)
    return profile.provider_id if profile is not None else None


def search(request: HttpRequest) -> HttpResponse:
    asked = any(request.GET.get(k) for k in SearchForm.base_fields)
    form = SearchForm(request.GET if asked else None)
    results = None
    if asked and form.is_valid():
        wanted = form.search()
        page = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
        results = selectors.service_search(wanted, page)
        if not results.postcode_known and wanted.postcode:
            form.add_error(
                "postcode", POSTCODE_UNKNOWN.format(postcode=geo.postcode_display(wanted.postcode))
            )
            results = None
        elif page == 1:
            services.need_search_note(
                need=wanted.need,
                terms=[t.name for t in results.terms],
                postcode=wanted.postcode,
                within_miles=wanted.within_miles,
                results=results.count,
            )
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "results": results,
            "query": query,
            "can_list": user_can(request.user, "directory.listing"),
            "can_approve": user_can(request.user, "directory.approve"),
            "can_staff": user_can(request.user, "directory.staff"),
            "nav": "directory",
        },
    )


def service_detail(request: HttpRequest, service_id: str) -> HttpResponse:
    service = selectors.service_get(service_id)
    if service is None:
        raise Http404
    asking_for = _people_to_ask_for(request, service)
    prices = [c.amount_pence for c in service.cost_options.all() if c.amount_pence is not None]
    return render(
        request,
        "directory/service.html",
        {
            "service": service,
            "asking_for": asking_for,
            "lowest_cost": selectors.service_unit_cost(service) or (0 if 0 in prices else None),
            "locations": [sal.location for sal in service.at_locations.all()],
            "reviews": selectors.reviews_published(service),
            "days": selectors.DAYS,
            "can_edit": provider_id_of(request) == service.organization_id
            and user_can(request.user, "directory.listing"),
            "can_review": user_can(request.user, "directory.review"),
            "can_register": user_can(request.user, "directory.approve"),
            "can_manage": user_can(request.user, "directory.manage"),
            "opening": [selectors.schedule_text(s) for s in service.schedules.all()],
            "nav": "directory",
        },
    )


def _people_to_ask_for(request: HttpRequest, service: Any) -> list[Person]:
    """Whom a holder or representative may ask for this service for ("Ask for this
    service"): the holder themselves, the people a representative acts for; never a person
    only cared for (a carer does not ask for changes). Staff ask from the person's plan.
    A representative reads the names of the people they act for: that look is recorded."""
    if not request.user.is_authenticated:
        return []
    user = acting_user(request.user)
    if not roles_of(user) & {Role.HOLDER, Role.REPRESENTATIVE} or not user_can(
        user, "change.request"
    ):
        return []
    people = list(
        people_visible_to(user)
        .exclude(pk__in=cared_for_with_consent(user))
        .order_by("given_name", "pk")[:50]
    )
    if people and Role.REPRESENTATIVE in roles_of(user):
        looks_record(actor=user, people=people, summary=f"Ask for {service.name}: for whom")
    return people


@requires("directory.listing")
def listing(request: HttpRequest) -> HttpResponse:
    provider_id = provider_id_of(request)
    if provider_id is None:
        raise PermissionDenied  # a provider's account not linked to its organisation
    own = selectors.services_of_provider(provider_id)
    waiting = ListingChange.objects.filter(
        service__in=own, status=ListingChange.Status.WAITING
    ).select_related("service")
    return render(
        request,
        "directory/listing.html",
        {"services": own, "waiting": waiting, "nav": "directory"},
    )


@requires("directory.listing")
def listing_edit(request: HttpRequest, service_id: str) -> HttpResponse:
    provider_id = provider_id_of(request)
    service = selectors.services_of_provider(provider_id).filter(pk=service_id).first()
    if service is None:
        raise Http404  # another organisation's service: as if it did not exist
    initial = {name: getattr(service, name) for name in services.LISTING_FIELDS}
    form = ListingForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.listing_change(
                actor=acting_user(request.user),
                provider_id=provider_id,
                service=service,
                values=form.cleaned_data,
            )
        except services.DirectoryRefused as refused:
            form.add_error(refused.field or None, str(refused))
        else:
            if change.status == ListingChange.Status.WAITING:
                messages.success(request, "Your changes have been sent to the council to check")
            else:
                messages.success(request, "Your listing has been changed")
            return redirect("directory:listing")
    return render(
        request,
        "directory/listing_form.html",
        {
            "form": form,
            "service": service,
            "approval_needed": settings.SELFDIRECT_DIRECTORY_APPROVE_CHANGES,
            "nav": "directory",
        },
    )


@requires("directory.approve")
def changes(request: HttpRequest) -> HttpResponse:
    waiting = ListingChange.objects.filter(status=ListingChange.Status.WAITING).select_related(
        "service", "service__organization"
    )
    return render(request, "directory/changes.html", {"waiting": waiting, "nav": "directory"})


@requires("directory.approve")
def change_decide(request: HttpRequest, change_id: int) -> HttpResponse:
    require_post(request)
    if not ListingChange.objects.filter(pk=change_id).exists():
        raise Http404
    approve = request.POST.get("decision") == "approve"
    run_and_tell(
        request,
        lambda: services.listing_change_decide(
            actor=acting_user(request.user), change_id=change_id, approve=approve
        ),
        "The change is approved" if approve else "The change is not approved",
    )
    return redirect("directory:changes")


@requires("directory.review")
def review_new(request: HttpRequest, service_id: str) -> HttpResponse:
    """A holder (or representative) reviews a service of a provider that supports or
    supported the person; anyone else is told they cannot."""
    service = selectors.service_get(service_id)
    if service is None:
        raise Http404
    user = acting_user(request.user)
    people = list(
        people_visible_to(user)
        .filter(providers__provider_id=service.organization_id)
        .distinct()
        .order_by("given_name", "pk")
    )
    looks_record(actor=user, people=people, summary=f"Review form for {service.name}")
    form = ReviewForm(posted(request), people=people)
    if request.method == "POST" and people and form.is_valid():
        person = next(p for p in people if p.pk == form.cleaned_data["person"])
        done = run_on_form(
            form,
            lambda: services.review_write(
                actor=user,
                person=person,
                service=service,
                rating=form.cleaned_data["rating"],
                text=form.cleaned_data["text"],
            ),
        )
        if done:
            messages.success(
                request, "Thank you. The council checks reviews before they are published"
            )
            return redirect("directory:service", service_id=service.pk)
    return render(
        request,
        "directory/review_form.html",
        {"form": form, "service": service, "people": people, "nav": "directory"},
    )


@requires("directory.approve")
def reviews(request: HttpRequest) -> HttpResponse:
    waiting = list(
        ServiceReview.objects.filter(status=ServiceReview.Status.WAITING).select_related(
            "service", "service__organization"
        )
    )
    looks_record(actor=request.user, people=waiting, summary="Directory reviews to check")
    return render(request, "directory/reviews.html", {"waiting": waiting, "nav": "directory"})


@requires("directory.approve")
def review_decide(request: HttpRequest, review_id: int) -> HttpResponse:
    require_post(request)
    if not ServiceReview.objects.filter(pk=review_id).exists():
        raise Http404
    publish = request.POST.get("decision") == "publish"
    run_and_tell(
        request,
        lambda: services.review_moderate(
            actor=acting_user(request.user), review_id=review_id, publish=publish
        ),
        "The review is published" if publish else "The review will not be published",
    )
    return redirect("directory:reviews")


@requires("directory.listing")
def review_reply(request: HttpRequest, review_id: int) -> HttpResponse:
    provider_id = provider_id_of(request)
    review = (
        ServiceReview.objects.select_related("service")
        .filter(pk=review_id, service__organization_id=provider_id)
        .first()
    )
    if review is None:
        raise Http404  # a review of another organisation's service
    form = ReplyForm(posted(request), initial={"reply": review.reply})
    if request.method == "POST" and form.is_valid():
        done = run_on_form(
            form,
            lambda: services.review_reply(
                actor=acting_user(request.user),
                provider_id=provider_id,
                review=review,
                reply=form.cleaned_data["reply"],
            ),
        )
        if done:
            messages.success(request, "Your reply has been published")
            return redirect("directory:service", service_id=review.service_id)
    return render(
        request, "directory/reply_form.html", {"form": form, "review": review, "nav": "directory"}
    )


@requires("plan.edit")
def choose_for_line(request: HttpRequest, plan_id: int, line_id: int) -> HttpResponse:
    """Staff choose a service from the directory for a line of a draft plan: the line's
    provider and unit cost follow, through planning's own line_edit (the one way lines are
    written), refused there as any stale or locked edit is."""
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    line = record_or_refused(
        plan.lines.all(), actor=user, object_id=line_id, person_path="plan__person_id"
    )
    look_record(actor=user, record=plan, summary=f"Choose a service for '{line.description}'")
    if request.method == "POST":
        service = selectors.service_get(request.POST.get("service", ""))
        if service is None:
            messages.error(request, CHOOSE_A_SERVICE)
            return redirect("directory:choose_for_line", plan_id=plan.pk, line_id=line.pk)
        fields: dict[str, object] = {"provider": service.organization}
        cost = selectors.service_unit_cost(service)
        if cost:
            fields["unit_cost_pence"] = cost
        done = run_and_tell(
            request,
            lambda: planning.line_edit(
                actor=user,
                line=line,
                fields=fields,
                seen=request.POST.get("seen", ""),
            ),
            f"{service.organization.name} now provides ‘{line.description}’",
        )
        if done:
            return redirect("planning:detail", plan_id=plan.pk)
        return redirect("directory:choose_for_line", plan_id=plan.pk, line_id=line.pk)
    asked = any(request.GET.get(k) for k in SearchForm.base_fields)
    form = SearchForm(
        request.GET if asked else {"need": line.description, "postcode": plan.person.postcode}
    )
    results = selectors.service_search(form.search(), 1) if form.is_valid() else None
    return render(
        request,
        "directory/choose_for_line.html",
        {
            "form": form,
            "results": results,
            "plan": plan,
            "person": plan.person,
            "line": line,
            "seen": planning.edit_fingerprint(line),
            "nav": "people",
        },
    )


@requires("directory.approve")
def registration(request: HttpRequest, location_id: str) -> HttpResponse:
    """The council keeps a location's CQC registration and rating current."""
    location = Location.objects.filter(pk=location_id).first()
    if location is None:
        raise Http404
    form = RegistrationForm(
        posted(request),
        initial={"cqc_location_id": location.cqc_location_id, "cqc_rating": location.cqc_rating},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: services.location_registration_set(
                actor=acting_user(request.user),
                location=location,
                cqc_location_id=form.cleaned_data["cqc_location_id"],
                cqc_rating=form.cleaned_data["cqc_rating"],
            ),
        )
    ):
        messages.success(request, "The registration has been changed")
        service = location.services_at.first()
        if service is not None:
            return redirect("directory:service", service_id=service.service_id)
        return redirect("directory:search")
    return render(
        request,
        "directory/registration_form.html",
        {"form": form, "location": location, "nav": "directory"},
    )
