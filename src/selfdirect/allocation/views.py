"""Indicative budgets: work one out from an agreed assessment, explain it in plain English
(and easy read), and sign it off."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.access.roles import PORTAL_ROLES
from selfdirect.access.selectors import acting_user, roles_of, user_can
from selfdirect.allocation import selectors, services
from selfdirect.allocation.explaining import explanation_steps
from selfdirect.allocation.forms import (
    CalculateForm,
    ChallengeDecisionForm,
    ChallengeForm,
    ChallengeLogForm,
    PanelDecisionForm,
    PanelReferralForm,
    SignOffForm,
)
from selfdirect.allocation.models import Allocation, Challenge
from selfdirect.allocation.signals import allocation_page_shown
from selfdirect.assessment.selectors import assessment_for
from selfdirect.audit.services import look_record, looks_record, record_or_refused
from selfdirect.forms_gov import posted
from selfdirect.page_signals import page_additions
from selfdirect.pdf import PdfUnavailable, pdf_from_html, pdf_response, pdf_unavailable_response
from selfdirect.refusals import run_on_form


@requires("allocation.calculate")
def calculate(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = acting_user(request.user)
    assessment = assessment_for(user, assessment_id)
    look_record(actor=request.user, record=assessment, summary="Work out a budget form")
    form = CalculateForm(posted(request))
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            allocation = services.allocation_calculate(
                actor=user,
                assessment=assessment,
                flags={"rural": form.cleaned_data["rural"], "agency": form.cleaned_data["agency"]},
                previous_package_weekly_pence=form.cleaned_data["previous_package"],
            )
        except services.AllocationError as refused:
            error = str(refused)
        else:
            return redirect("allocation:detail", allocation_id=allocation.pk)
    return render(
        request,
        "allocation/calculate.html",
        {
            "assessment": assessment,
            "form": form,
            "error": error,
            "has_errors": bool(error),
            "nav": "people",
        },
    )


def _steps(allocation: Any) -> dict[str, Any]:
    record = allocation.explanation
    titles = selectors.section_titles(allocation)
    rate = settings.SELFDIRECT_HOURLY_RATE_PENCE
    weekly = record["weekly_pence"]
    return {
        "record": record,
        "working": explanation_steps(record),
        "points_rows": [
            (titles.get(sid, sid), pts) for sid, pts in record["section_points"].items() if pts
        ],
        "group_label": allocation.person.get_user_group_display()
        if allocation.inputs["user_group"] == allocation.person.user_group
        else allocation.inputs["user_group"],
        "hours": (Decimal(weekly) / Decimal(rate)).quantize(Decimal("0.1")) if rate else None,
        "hourly_rate_pence": rate,
    }


@requires("allocation.view")
def detail(request: HttpRequest, allocation_id: int) -> HttpResponse:
    user = request.user
    allocation = selectors.allocation_for(user, allocation_id)
    look_record(
        actor=request.user, record=allocation, summary="Indicative budget and how it was worked out"
    )
    is_portal = bool(roles_of(user) & PORTAL_ROLES) and not user_can(user, "allocation.calculate")
    recomputed = services.allocation_recompute(allocation) if not is_portal else None
    may_sign_off = (
        user_can(user, "allocation.sign_off") and allocation.status == "awaiting_sign_off"
    )
    sign_off_refusal = (
        services.allocation_sign_off_refusal(acting_user(user), allocation)
        if may_sign_off
        else None
    )
    open_challenge = next((c for c in allocation.challenges.all() if c.status == "open"), None)
    challenge_refusal = (
        services.challenge_decide_refusal(acting_user(user), open_challenge)
        if open_challenge is not None and user_can(user, "challenge.decide")
        else None
    )
    return render(
        request,
        "allocation/detail.html",
        {
            **page_additions(
                allocation_page_shown, sender=Allocation, allocation=allocation, user=request.user
            ),
            "allocation": allocation,
            "person": allocation.person,
            "is_portal": is_portal,
            "easy_read": allocation.person.needs_easy_read,
            "recomputed": recomputed,
            "can_challenge": user_can(user, "challenge.raise")
            and not any(c.status == "open" for c in allocation.challenges.all()),
            "can_decide_challenges": user_can(user, "challenge.decide"),
            "can_log_challenge": user_can(user, "challenge.log")
            and not any(c.status == "open" for c in allocation.challenges.all()),
            "can_plan": user_can(user, "plan.edit") and allocation.status == "approved",
            "can_sign_off": may_sign_off and not sign_off_refusal,
            "sign_off_refusal": sign_off_refusal,
            "challenge_refusal": challenge_refusal,
            "panel_referral": getattr(allocation, "panel_referral", None),
            "panel_decision": getattr(allocation, "panel_decision", None),
            "can_decide_panel": user_can(user, "panel.decide")
            and allocation.status == "awaiting_panel"
            and allocation.created_by_id != user.pk,
            "nav": "home" if is_portal else "people",
            **_steps(allocation),
        },
    )


@requires("allocation.sign_off")
def sign_off(request: HttpRequest, allocation_id: int) -> HttpResponse:
    user = acting_user(request.user)
    allocation = selectors.allocation_for(user, allocation_id)
    look_record(actor=request.user, record=allocation, summary="Budget sign-off form")
    form = SignOffForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_on_form(
            form,
            lambda: services.allocation_sign_off(
                actor=user,
                allocation=allocation,
                decision=data["decision"],
                reason_code=data["reason_code"],
                reason=data["reason"],
                agreed_weekly_pence=data["agreed_amount"],
                other_public_funding_weekly_pence=data["other_amount"],
                other_public_funding_source=data["other_source"],
            ),
        ):
            messages.success(request, "Your sign-off decision has been recorded")
            return redirect("allocation:detail", allocation_id=allocation.pk)
    return render(
        request,
        "allocation/sign_off.html",
        {
            "allocation": allocation,
            "person": allocation.person,
            "form": form,
            "refusal": services.allocation_sign_off_refusal(user, allocation),
            "nav": "people",
            **_steps(allocation),
        },
    )


@requires("challenge.raise")
def challenge_new(request: HttpRequest, allocation_id: int) -> HttpResponse:
    user = acting_user(request.user)
    allocation = selectors.allocation_for(user, allocation_id)
    look_record(actor=request.user, record=allocation, summary="Ask to look again form")
    form = ChallengeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.challenge_raise(
                actor=user,
                allocation=allocation,
                reasons=form.cleaned_data["reasons"],
                evidence=form.cleaned_data["evidence"],
                proposed_weekly_pence=form.cleaned_data["proposed"],
            )
        except services.AllocationError as refused:
            form.add_error(refused.field or None, str(refused))
        else:
            messages.success(
                request, f"We have your request. We will reply by {challenge.respond_by:%-d %B %Y}."
            )
            return redirect("allocation:detail", allocation_id=allocation.pk)
    return render(
        request,
        "allocation/challenge_new.html",
        {
            "allocation": allocation,
            "person": allocation.person,
            "form": form,
            "nav": "home",
            **_steps(allocation),
        },
    )


@requires("challenge.log")
def challenge_log(request: HttpRequest, allocation_id: int) -> HttpResponse:
    """Staff take down a request to look again that came by phone, letter or in person."""
    user = acting_user(request.user)
    allocation = selectors.allocation_for(user, allocation_id)
    look_record(actor=request.user, record=allocation, summary="Log a request to look again form")
    form = ChallengeLogForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.challenge_raise(
                actor=user,
                allocation=allocation,
                reasons=form.cleaned_data["reasons"],
                evidence=form.cleaned_data["evidence"],
                proposed_weekly_pence=form.cleaned_data["proposed"],
                channel=form.cleaned_data["channel"],
                taken_from=form.cleaned_data["taken_from"],
            )
        except services.AllocationError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, str(refused))
        else:
            messages.success(
                request,
                f"The request has been logged. The council must reply by {challenge.respond_by:%-d %B %Y}.",
            )
            return redirect("allocation:detail", allocation_id=allocation.pk)
    return render(
        request,
        "allocation/challenge_log.html",
        {
            "allocation": allocation,
            "person": allocation.person,
            "form": form,
            "nav": "people",
            **_steps(allocation),
        },
    )


@requires("challenge.decide")
def challenge_decide(request: HttpRequest, challenge_id: int) -> HttpResponse:
    user = acting_user(request.user)
    challenge = record_or_refused(
        Challenge.objects.filter(allocation__in=selectors.allocations_visible_to(user)),
        actor=user,
        object_id=challenge_id,
        person_path="allocation__person_id",
    )
    look_record(
        actor=request.user,
        record=challenge,
        person_id=challenge.allocation.person_id,
        summary="Decide a request to look again",
    )
    may_panel = user_can(user, "panel.decide")
    form = ChallengeDecisionForm(
        posted(request), members=selectors.panel_candidates() if may_panel else []
    )
    if request.method == "POST" and form.is_valid():
        panel = [form.candidates[pk] for pk in form.cleaned_data["panel_members"]]
        if run_on_form(
            form,
            lambda: services.challenge_decide(
                actor=user,
                challenge=challenge,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                reassessment_needed=form.cleaned_data["reassessment_needed"],
                new_weekly_pence=form.cleaned_data["new_amount"],
                panel_members=panel,
            ),
        ):
            messages.success(request, "The decision has been recorded")
            return redirect("allocation:detail", allocation_id=challenge.allocation_id)
    return render(
        request,
        "allocation/challenge_decide.html",
        {
            "challenge": challenge,
            "person": challenge.allocation.person,
            "form": form,
            "refusal": services.challenge_decide_refusal(user, challenge),
            "may_panel": may_panel,
            "nav": "people",
        },
    )


@requires("allocation.view")
def letter(request: HttpRequest, allocation_id: int) -> HttpResponse:
    """The indicative budget (and, once approved, the personal budget statement) as a PDF letter."""
    allocation = selectors.allocation_for(request.user, allocation_id)
    look_record(actor=request.user, record=allocation, summary="Budget letter PDF")
    html = render(
        request,
        "allocation/letter.html",
        {
            **page_additions(
                allocation_page_shown, sender=Allocation, allocation=allocation, user=request.user
            ),
            "allocation": allocation,
            "person": allocation.person,
            "is_portal": False,
            "today": timezone.localdate(),
            "respond_days": settings.SELFDIRECT_CHALLENGE_WORKING_DAYS,
            **_steps(allocation),
        },
    ).content.decode()
    try:
        pdf = pdf_from_html(html, base_url=request.build_absolute_uri("/"))
    except PdfUnavailable as unavailable:
        return pdf_unavailable_response(unavailable)
    return pdf_response(pdf, f"budget-{allocation.person.la_person_id}-{allocation.pk}.pdf")


@requires("allocation.sign_off")
def refer_to_panel(request: HttpRequest, allocation_id: int) -> HttpResponse:
    """A manager sends a budget waiting for sign-off to the panel."""
    user = acting_user(request.user)
    allocation = selectors.allocation_for(user, allocation_id)
    look_record(actor=request.user, record=allocation, summary="Send to the panel form")
    form = PanelReferralForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: services.allocation_refer_to_panel(
                actor=user, allocation=allocation, reason=form.cleaned_data["reason"]
            ),
        )
    ):
        messages.success(request, "The budget has been sent to the panel")
        return redirect("allocation:detail", allocation_id=allocation.pk)
    refusal = (
        None
        if allocation.status == "awaiting_sign_off"
        else (
            services.WITH_THE_PANEL
            if allocation.status == "awaiting_panel"
            else services.ALREADY_DECIDED
        )
    )
    return render(
        request,
        "allocation/refer_to_panel.html",
        {
            "allocation": allocation,
            "person": allocation.person,
            "form": form,
            "refusal": refusal,
            "nav": "people",
        },
    )


@requires("panel.decide")
def panel_queue(request: HttpRequest) -> HttpResponse:
    """Budgets of the manager's teams waiting for the panel."""
    waiting = list(selectors.panel_queue(request.user))
    looks_record(actor=request.user, people=waiting, summary="Listed in the panel queue")
    return render(
        request,
        "allocation/panel_queue.html",
        {"waiting": waiting, "today": timezone.localdate(), "nav": "home"},
    )


@requires("panel.decide")
def panel_decide(request: HttpRequest, allocation_id: int) -> HttpResponse:
    """Record the panel's decision on a budget: members, date, outcome, reasons."""
    user = acting_user(request.user)
    allocation = selectors.allocation_for(user, allocation_id)
    look_record(actor=request.user, record=allocation, summary="Panel decision form")
    form = PanelDecisionForm(posted(request), members=selectors.panel_candidates())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.panel_decision_record(
                actor=user,
                allocation=allocation,
                members=[form.candidates[pk] for pk in data["members"] if pk in form.candidates],
                decided_on=data["decided_on"],
                outcome=data["outcome"],
                reasons=data["reasons"],
                agreed_weekly_pence=data["agreed_amount"],
            )
        except services.AllocationError as refused:
            form.add_error(refused.field or None, str(refused))
        else:
            messages.success(request, "The panel's decision has been recorded")
            return redirect("allocation:panel_decision", decision_id=decision.pk)
    refusal = None
    if allocation.status != "awaiting_panel":
        refusal = services.PANEL_NOT_WAITING
    elif allocation.created_by_id == user.pk:
        refusal = services.PANEL_RECORDER_OWN_BUDGET
    return render(
        request,
        "allocation/panel_decide.html",
        {
            "allocation": allocation,
            "person": allocation.person,
            "form": form,
            "refusal": refusal,
            "nav": "people",
            **_steps(allocation),
        },
    )


@requires("allocation.view")
def panel_decision(request: HttpRequest, decision_id: int) -> HttpResponse:
    """The panel's decision as recorded, with its letter."""
    decision = selectors.panel_decision_for(request.user, decision_id)
    look_record(
        actor=request.user,
        record=decision,
        person_id=decision.allocation.person_id,
        summary="Panel decision",
    )
    return render(
        request,
        "allocation/panel_decision.html",
        {
            "decision": decision,
            "allocation": decision.allocation,
            "person": decision.allocation.person,
            # Staff see who sat; people see the panel's names only where the council says so.
            "show_names": user_can(request.user, "person.search")
            or bool(getattr(settings, "SELFDIRECT_SHOW_STAFF_NAMES_TO_PEOPLE", False)),
            "nav": "people" if user_can(request.user, "person.search") else "home",
        },
    )


@requires("allocation.view")
def panel_letter(request: HttpRequest, decision_id: int) -> HttpResponse:
    """The panel's decision as a letter to the person (large print and easy read where the
    person needs them)."""
    decision = selectors.panel_decision_for(request.user, decision_id)
    person = decision.allocation.person
    look_record(
        actor=request.user,
        record=decision,
        person_id=person.pk,
        summary="Panel decision letter PDF",
    )
    html = render(
        request,
        "allocation/panel_letter.html",
        {
            "decision": decision,
            "allocation": decision.allocation,
            "person": person,
            "today": timezone.localdate(),
            "respond_days": settings.SELFDIRECT_CHALLENGE_WORKING_DAYS,
        },
    ).content.decode()
    try:
        pdf = pdf_from_html(html, base_url=request.build_absolute_uri("/"))
    except PdfUnavailable as unavailable:
        return pdf_unavailable_response(unavailable)
    return pdf_response(pdf, f"panel-decision-{person.la_person_id}-{decision.pk}.pdf")


@requires("allocation.view")
def challenge_letter(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """The decision on a request to look again as a letter to the person: the outcome, the
    reasons, what changes (the recorded new amount) and the next step (large print and easy
    read where the person needs them)."""
    from selfdirect.allocation.engine import WEEKS_PER_YEAR

    challenge = selectors.decided_challenge_for(request.user, challenge_id)
    person = challenge.allocation.person
    look_record(
        actor=request.user,
        record=challenge,
        person_id=person.pk,
        summary="Decision on a request to look again: letter PDF",
    )
    html = render(
        request,
        "allocation/challenge_letter.html",
        {
            "challenge": challenge,
            "change": getattr(challenge, "amount_decision", None),
            "stays_annual_pence": challenge.contested_weekly_pence * WEEKS_PER_YEAR,
            "person": person,
            "today": timezone.localdate(),
        },
    ).content.decode()
    try:
        pdf = pdf_from_html(html, base_url=request.build_absolute_uri("/"))
    except PdfUnavailable as unavailable:
        return pdf_unavailable_response(unavailable)
    return pdf_response(pdf, f"look-again-decision-{person.la_person_id}-{challenge.pk}.pdf")
