"""Financial assessment pages: a person's assessments, filling one in, deferring it, a
light-touch record, completing it, its result with the working, its letter; the rates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user, user_can
from selfdirect.audit.services import look_record
from selfdirect.charging import forms as charging_forms
from selfdirect.charging import services
from selfdirect.charging.models import ChargingRates, FinancialAssessment
from selfdirect.charging.selectors import assessment_for, person_assessments, standing_of
from selfdirect.forms_gov import posted
from selfdirect.money import pounds_field
from selfdirect.pdf import PdfUnavailable, pdf_from_html, pdf_response, pdf_unavailable_response
from selfdirect.people.selectors import person_for
from selfdirect.planning.figures import budget_figures
from selfdirect.refusals import require_post, run_and_tell, run_on_form


@requires("charging.assess")
def person_page(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person's financial assessments, how the newest stands, and starting one."""
    person = person_for(request.user, person_id)
    look_record(actor=request.user, record=person, summary="Financial assessments")
    return render(
        request,
        "charging/person.html",
        {
            "person": person,
            "assessments": person_assessments(person.pk),
            "standing": standing_of(person.pk),
            "nav": "people",
        },
    )


@requires("charging.assess")
def start(request: HttpRequest, person_id: int) -> HttpResponse:
    require_post(request)
    user = acting_user(request.user)
    person = person_for(user, person_id)
    started: list[FinancialAssessment] = []
    run_and_tell(
        request,
        lambda: started.append(services.assessment_start(actor=user, person=person)),
        "The financial assessment has been started",
    )
    if started:
        return redirect("charging:fill", assessment_id=started[0].pk)
    return redirect("charging:person", person_id=person.pk)


def _closed(assessment: FinancialAssessment) -> str:
    return "" if assessment.is_open else services.ASSESSMENT_CLOSED


@requires("charging.assess")
def fill(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = acting_user(request.user)
    assessment = assessment_for(user, assessment_id)
    look_record(actor=request.user, record=assessment, summary="Fill in the financial assessment")
    form = charging_forms.FillForm(
        posted(request), initial=charging_forms.FillForm.initial_from(assessment)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_on_form(
            form,
            lambda: services.assessment_fill(
                actor=user,
                assessment=assessment,
                band=d["band"],
                disability_premium="disability_premium" in d["premiums"],
                enhanced_disability_premium="enhanced_disability_premium" in d["premiums"],
                carer_premium="carer_premium" in d["premiums"],
                dependent_children=d["dependent_children"],
                amounts=form.amounts(),
            ),
            field_of=_field_of,
        ):
            messages.success(request, "The financial assessment has been saved")
            return redirect("charging:detail", assessment_id=assessment.pk)
    return _form_page(request, "charging/fill.html", assessment, form)


def _field_of(form: Any, field: str) -> str | None:
    """The form field a refusal names (an amount's kind is ``section__kind``)."""
    if field in form.fields:
        return str(field)
    named = [name for name in form.fields if name.endswith(f"__{field}")]
    return named[0] if named else None


def _form_page(
    request: HttpRequest,
    template: str,
    assessment: FinancialAssessment,
    form: Any,
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "assessment": assessment,
            "person": assessment.person,
            "form": form,
            "refusal": _closed(assessment),
            "nav": "people",
            **extra,
        },
    )


def _cost_today(assessment: FinancialAssessment) -> str:
    """The plan cost (or the personal budget) today, as a starting figure for the form."""
    figures = budget_figures(person=assessment.person, on=timezone.localdate())
    weekly = figures.plan_cost_weekly_pence or figures.personal_budget_weekly_pence
    return pounds_field(weekly)


@requires("charging.assess")
def complete(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = acting_user(request.user)
    assessment = assessment_for(user, assessment_id)
    look_record(actor=request.user, record=assessment, summary="Complete the financial assessment")
    form = charging_forms.DecisionForm(
        posted(request), initial={"weekly_cost": _cost_today(assessment)}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_on_form(
            form,
            lambda: services.assessment_complete(
                actor=user,
                assessment=assessment,
                weekly_cost_pence=d["weekly_cost"],
                charge_from=d["charge_from"],
            ),
            field_of=_field_of,
        ):
            messages.success(request, "The financial assessment is complete")
            return redirect("charging:detail", assessment_id=assessment.pk)
    return _form_page(request, "charging/complete.html", assessment, form)


@requires("charging.assess")
def light_touch(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = acting_user(request.user)
    assessment = assessment_for(user, assessment_id)
    look_record(actor=request.user, record=assessment, summary="Record a light-touch assessment")
    form = charging_forms.LightTouchForm(
        posted(request), initial={"weekly_cost": _cost_today(assessment)}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_on_form(
            form,
            lambda: services.light_touch_record(
                actor=user,
                assessment=assessment,
                choice=d["choice"],
                weekly_cost_pence=d["weekly_cost"],
                charge_from=d["charge_from"],
            ),
            field_of=_field_of,
        ):
            messages.success(request, "The light-touch assessment has been recorded")
            return redirect("charging:detail", assessment_id=assessment.pk)
    return _form_page(request, "charging/light_touch.html", assessment, form)


@requires("charging.assess")
def defer(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = acting_user(request.user)
    assessment = assessment_for(user, assessment_id)
    look_record(actor=request.user, record=assessment, summary="Defer the financial assessment")
    form = charging_forms.DeferForm(posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_on_form(
            form,
            lambda: services.assessment_defer(
                actor=user, assessment=assessment, reason=d["reason"], until=d["until"]
            ),
            field_of=_field_of,
        ):
            messages.success(request, "The financial assessment has been deferred")
            return redirect("charging:detail", assessment_id=assessment.pk)
    return _form_page(request, "charging/defer.html", assessment, form)


def _result_context(request: HttpRequest, assessment: FinancialAssessment) -> dict[str, Any]:
    from selfdirect.charging.services import amounts_of

    return {
        "assessment": assessment,
        "person": assessment.person,
        "amounts": amounts_of(assessment),
        "standing": standing_of(assessment.person_id),
        "is_staff_view": user_can(request.user, "charging.assess"),
        "today": timezone.localdate(),
        "nav": "people",
    }


@requires("charging.view")
def detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The assessment and its result, with the working as a plain table."""
    assessment = assessment_for(request.user, assessment_id)
    look_record(actor=request.user, record=assessment, summary="Financial assessment result")
    return render(request, "charging/detail.html", _result_context(request, assessment))


@requires("charging.view")
def letter(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The financial assessment's result as a PDF letter, with the working."""
    assessment = assessment_for(request.user, assessment_id)
    look_record(actor=request.user, record=assessment, summary="Financial assessment letter PDF")
    html = render(request, "charging/letter.html", _result_context(request, assessment))
    try:
        pdf = pdf_from_html(html.content.decode(), base_url=request.build_absolute_uri("/"))
    except PdfUnavailable as unavailable:
        return pdf_unavailable_response(unavailable)
    return pdf_response(
        pdf, f"financial-assessment-{assessment.person.la_person_id}-{assessment.pk}.pdf"
    )


@requires("charging.rates")
def rates(request: HttpRequest) -> HttpResponse:
    """The council's charging rates, newest first, and adding new ones from a date."""
    user = acting_user(request.user)
    in_force = services.rates_on(timezone.localdate())
    initial: dict[str, Any] = {}
    if in_force is not None:
        initial = {name: pounds_field(getattr(in_force, name)) for name in services.RATE_FIELDS}
    form = charging_forms.RatesForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_on_form(
            form,
            lambda: services.rates_add(
                actor=user,
                effective_from=d["effective_from"],
                figures_pence=form.figures(),
                source=d["source"],
                source_url=d["source_url"],
            ),
            field_of=_field_of,
        ):
            messages.success(request, "The charging rates have been saved")
            return redirect("charging:rates")
    return render(
        request,
        "charging/rates.html",
        {
            "table": list(ChargingRates.objects.order_by("-effective_from")),
            "in_force": in_force,
            "form": form,
            "labels": charging_forms.RATE_LABELS,
            "fields": services.RATE_FIELDS,
            "nav": "home",
        },
    )
