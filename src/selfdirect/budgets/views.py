"""Pages about how a plan's budget is held: direct payment agreements, Individual Service
Funds and third-party managed accounts, and the organisations' statements."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user, user_can
from selfdirect.audit.services import look_record
from selfdirect.budgets import services
from selfdirect.budgets.forms import DirectPaymentForm, FundAgreementForm, StatementForm
from selfdirect.budgets.selectors import (
    direct_payment_agreement_for,
    fund_agreement_for,
    holding_of,
    holding_plan_for,
)
from selfdirect.budgets.signals import direct_payment_shown
from selfdirect.forms_gov import posted
from selfdirect.page_signals import page_additions
from selfdirect.planning import services as planning_services
from selfdirect.planning.models import Review, SupportPlan
from selfdirect.planning.selectors import plan_for, plan_visibility
from selfdirect.planning.streams import stream_name
from selfdirect.refusals import require_post, run_and_tell


def _nav(request: HttpRequest) -> str:
    return "people" if user_can(request.user, "person.search") else "home"


@requires("holding.summary")
def holding(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = acting_user(request.user)
    plan = holding_plan_for(user, plan_id)
    look_record(
        actor=request.user,
        record=plan,
        summary=f"How the budget of support plan version {plan.version} is held",
    )
    # A carer reads how the budget is held, never the money's details (decision 0039): the
    # rule is by whom they read it as, so a carer who also holds another role reads no more.
    asked_as = planning_services.review_asked_as(user, plan)
    summary_only = asked_as == Review.AskedAs.CARER or (
        not user_can(user, "holding.view") and asked_as != Review.AskedAs.PERSON
    )
    direct, funds = holding_of(user, plan)
    today = timezone.localdate()
    may_submit = user_can(user, "holding.statement_submit") and not summary_only
    fund_rows = []
    for agreement in funds:
        weekly = services.held_weekly_by_stream(agreement, max(agreement.starts_on, today))
        fund_rows.append(
            {
                "agreement": agreement,
                "weekly": [
                    (stream_name(code), pence, pence * agreement.carry_limit_weeks)
                    for code, pence in weekly.items()
                ],
                "sides": [] if summary_only else services.sides_for(user, agreement),
                "can_submit": may_submit and services.may_submit_statement(user, agreement),
                "statements": [] if summary_only else services.statement_streams(agreement),
            }
        )
    return render(
        request,
        "budgets/holding.html",
        {
            "plan": plan,
            "person": plan.person,
            "direct": [
                {
                    "agreement": a,
                    "account_number": "" if summary_only else services.masked(a.account_number),
                    "card_reference": "" if summary_only else services.masked(a.card_reference),
                    "dbs_reference": "" if summary_only else services.masked(a.dbs_reference),
                    **page_additions(direct_payment_shown, sender=type(a), agreement=a),
                }
                for a in direct
            ],
            "funds": fund_rows,
            "can_edit": user_can(user, "holding.edit"),
            "summary_only": summary_only,
            "can_see_plan": user_can(user, "plan.view")
            and SupportPlan.objects.filter(plan_visibility(user), pk=plan.pk).exists(),
            "nav": _nav(request),
        },
    )


@requires("holding.edit")
def direct_payment_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    look_record(actor=request.user, record=plan, summary="Direct payment agreement form")
    form = DirectPaymentForm(posted(request), plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.direct_payment_agreement_create(
                actor=user, plan=plan, **form.agreement_fields()
            )
        except services.HoldingError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, str(refused))
        else:
            messages.success(request, "The direct payment agreement has been recorded")
            return redirect("budgets:holding", plan_id=plan.pk)
    return render(
        request,
        "budgets/direct_payment_form.html",
        {"plan": plan, "person": plan.person, "form": form, "nav": "people"},
    )


@requires("holding.edit")
def direct_payment_end(request: HttpRequest, agreement_id: int) -> HttpResponse:
    require_post(request)
    user = acting_user(request.user)
    agreement = direct_payment_agreement_for(user, agreement_id)
    run_and_tell(
        request,
        lambda: services.direct_payment_agreement_end(actor=user, agreement=agreement),
        "The direct payment agreement has ended",
    )
    return redirect("budgets:holding", plan_id=agreement.plan_id)


@requires("holding.edit")
def fund_agreement_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    look_record(actor=request.user, record=plan, summary="Fund agreement form")
    form = FundAgreementForm(posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.fund_agreement_create(
                actor=user,
                plan=plan,
                kind=d["kind"],
                organisation=d["organisation"],
                surplus_rule=d["surplus_rule"],
                carry_limit_weeks=d["carry_limit_weeks"],
                fee_weekly_pence=d["fee_weekly"],
                starts_on=d["starts_on"],
            )
        except services.HoldingError as refused:
            field = {"fee_weekly_pence": "fee_weekly"}.get(refused.field, refused.field)
            form.add_error(field if field in form.fields else None, str(refused))
        else:
            messages.success(
                request, "The agreement has been proposed: the person and the organisation agree it"
            )
            return redirect("budgets:holding", plan_id=plan.pk)
    return render(
        request,
        "budgets/fund_agreement_form.html",
        {"plan": plan, "person": plan.person, "form": form, "nav": "people"},
    )


@requires("holding.agree")
def fund_agreement_agree(request: HttpRequest, agreement_id: int) -> HttpResponse:
    user = acting_user(request.user)
    agreement = fund_agreement_for(user, agreement_id)
    look_record(actor=request.user, record=agreement, summary="Agree a fund agreement")
    error = ""
    if request.method == "POST":
        try:
            services.fund_agreement_agree(
                actor=user, agreement=agreement, side=request.POST.get("side", "")
            )
        except services.HoldingError as refused:
            error = str(refused)
        else:
            messages.success(request, "Your agreement has been recorded")
            return redirect("budgets:holding", plan_id=agreement.plan_id)
    return render(
        request,
        "budgets/fund_agreement_agree.html",
        {
            "agreement": agreement,
            "plan": agreement.plan,
            "person": agreement.person,
            "sides": services.sides_for(user, agreement),
            "weekly": [
                (stream_name(code), pence)
                for code, pence in services.held_weekly_by_stream(
                    agreement, max(agreement.starts_on, timezone.localdate())
                ).items()
            ],
            "error": error,
            "has_errors": bool(error),
            "nav": _nav(request),
        },
    )


@requires("holding.statement_submit")
def fund_statement_new(request: HttpRequest, agreement_id: int) -> HttpResponse:
    user = acting_user(request.user)
    agreement = fund_agreement_for(user, agreement_id)
    look_record(actor=request.user, record=agreement, summary="Fund statement form")
    form = StatementForm(
        posted(request),
        stream_names=services.statement_stream_names(agreement),
        initial=_period_asked(request),
    )
    may_submit = services.may_submit_statement(user, agreement)
    # Opened from the provider's list of statements to send: back there afterwards.
    from_provider = request.GET.get("from") == "provider"
    if request.method == "POST" and may_submit and form.is_valid():
        d = form.cleaned_data
        try:
            services.fund_statement_submit(
                actor=user,
                agreement=agreement,
                period_start=d["period_start"],
                period_end=d["period_end"],
                lines=form.lines(),
                note=d["note"],
            )
        except services.HoldingError as refused:
            form.add_error(form.error_field(refused.field), str(refused))
        else:
            messages.success(request, "The statement has been sent")
            if from_provider:
                return redirect("provider:statements")
            return redirect("budgets:holding", plan_id=agreement.plan_id)
    return render(
        request,
        "budgets/statement_form.html",
        {
            "agreement": agreement,
            "plan": agreement.plan,
            "person": agreement.person,
            "form": form,
            "may_submit": may_submit,
            "not_yet": services.STATEMENT_NEEDS_ACTIVE,
            "from_provider": from_provider,
            "nav": _nav(request),
        },
    )


def _period_asked(request: HttpRequest) -> dict[str, dt.date]:
    """A period given in the address (a due period's link): the form starts filled in."""
    initial = {}
    for name in ("period_start", "period_end"):
        try:
            initial[name] = dt.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            continue
    return initial
