"""Support plan pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user, user_can
from selfdirect.allocation.selectors import allocation_for
from selfdirect.forms_gov import posted
from selfdirect.planning import services, streams
from selfdirect.planning.forms import (
    LineForm,
    OutcomeForm,
    PlanForm,
    ReviewForm,
    ReviewRequestForm,
    SwitchForm,
)
from selfdirect.planning.models import LineSwitch, Review
from selfdirect.planning.selectors import plan_for, plans_visible_to, reviews_due_for


@requires("plan.edit")
def plan_new(request: HttpRequest, allocation_id: int) -> HttpResponse:
    user = acting_user(request.user)
    allocation = allocation_for(user, allocation_id)
    form = PlanForm(posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=user,
                allocation=allocation,
                led_by=d["led_by"],
                kind=d["kind"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                contingency=d["contingency"],
                risks_to_person=d["risks_to_person"],
                financial_risks=d["financial_risks"],
            )
        except services.PlanError as refused:
            form.add_error(refused.field or None, str(refused))
        else:
            return redirect("planning:detail", plan_id=plan.pk)
    return render(
        request,
        "planning/plan_new.html",
        {"allocation": allocation, "person": allocation.person, "form": form, "nav": "people"},
    )


@requires("plan.view")
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for(request.user, plan_id)
    totals = services.plan_totals(plan)
    stream_names = {r.code: r.name for r in streams.SHIPPED}
    today = timezone.localdate()
    lines = [
        {
            "line": line,
            "now": services.arrangement_on(line, today),
            "held": streams.DEPLOYMENTS[services.arrangement_on(line, today)[0]],
            "scheduled": [
                s for s in line.switches.all() if s.undone_at is None and s.effective_date > today
            ],
            "history": [
                s for s in line.switches.all() if s.undone_at is None and s.effective_date <= today
            ],
        }
        for line in plan.lines.all()
    ]
    return render(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "person": plan.person,
            "totals": totals,
            "lines": lines,
            "mix": [
                (streams.DEPLOYMENTS[k], v) for k, v in services.holding_mix(plan, today).items()
            ],
            "can_switch": user_can(request.user, "plan.edit") and plan.status == "approved",
            "reviews": list(plan.reviews.all()),
            "can_request_review": plan.status == "approved",
            "can_record_review": user_can(request.user, "plan.edit"),
            "by_stream": [
                (stream_names.get(code, code), pence) for code, pence in totals.by_stream.items()
            ],
            "can_edit": user_can(request.user, "plan.edit") and plan.status == "draft",
            "can_approve": user_can(request.user, "plan.approve")
            and plan.status == "awaiting_sign_off",
            "nav": "people" if user_can(request.user, "plan.edit") else "home",
        },
    )


@requires("plan.edit")
def outcome_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    form = OutcomeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_add(actor=user, plan=plan, fields=form.cleaned_data)
        except services.PlanError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "The outcome has been added")
            return redirect("planning:detail", plan_id=plan.pk)
    return render(
        request,
        "planning/outcome_form.html",
        {"plan": plan, "person": plan.person, "form": form, "nav": "people"},
    )


@requires("plan.edit")
def line_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    form = LineForm(posted(request), plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.line_add(actor=user, plan=plan, fields=form.line_fields())
        except services.PlanError as refused:
            form.add_error(refused.field or None, str(refused))
        else:
            messages.success(request, "The line has been added")
            return redirect("planning:detail", plan_id=plan.pk)
    return render(
        request,
        "planning/line_form.html",
        {"plan": plan, "person": plan.person, "form": form, "nav": "people"},
    )


def _act(request: HttpRequest, plan_id: int, action: Any, done: str) -> HttpResponse:
    if request.method != "POST":
        raise PermissionDenied
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    try:
        action(actor=user, plan=plan)
    except services.PlanError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return redirect("planning:detail", plan_id=plan.pk)


@requires("plan.edit")
def plan_submit(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _act(request, plan_id, services.plan_submit, "The plan has been sent for sign-off")


@requires("plan.approve")
def plan_approve(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _act(request, plan_id, services.plan_approve, "The plan has been approved")


@requires("plan.edit")
def line_switch(request: HttpRequest, plan_id: int, line_id: int) -> HttpResponse:
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    line = get_object_or_404(plan.lines.all(), pk=line_id)
    form = SwitchForm(posted(request), initial={"deployment": line.deployment})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.line_switch(
                actor=user,
                line=line,
                effective_date=d["effective_date"],
                deployment=d["deployment"],
                provider=d["provider"],
                provided_by=d["provided_by"],
                reasons=list(d["reasons"]),
                note=d["note"],
            )
        except services.PlanError as refused:
            form.add_error(refused.field or None, str(refused))
        else:
            messages.success(request, f"The switch of ‘{line.description}’ has been recorded")
            return redirect("planning:detail", plan_id=plan.pk)
    return render(
        request,
        "planning/switch_form.html",
        {
            "plan": plan,
            "person": plan.person,
            "line": line,
            "form": form,
            "weekly": line.weekly_cost_pence,
            "nav": "people",
        },
    )


@requires("plan.edit")
def switch_undo(request: HttpRequest, plan_id: int, switch_id: int) -> HttpResponse:
    if request.method != "POST":
        raise PermissionDenied
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    switch = get_object_or_404(LineSwitch.objects.filter(line__plan=plan), pk=switch_id)
    try:
        services.line_switch_undo(actor=user, switch=switch)
    except services.PlanError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "The switch has been undone")
    return redirect("planning:detail", plan_id=plan.pk)


@requires("plan.view")
def review_request(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    form = ReviewRequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_request(
                actor=user,
                plan=plan,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except services.PlanError as refused:
            form.add_error(refused.field or None, str(refused))
        else:
            messages.success(request, f"A review will take place by {review.due_date:%-d %B %Y}")
            return redirect("planning:detail", plan_id=plan.pk)
    return render(
        request,
        "planning/review_request.html",
        {"plan": plan, "person": plan.person, "form": form, "nav": "home"},
    )


@requires("plan.edit")
def review_queue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    reviews = list(reviews_due_for(request.user)[:500])
    month_end = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return render(
        request,
        "planning/review_queue.html",
        {
            "overdue": [r for r in reviews if r.due_date < today],
            "this_month": [r for r in reviews if today <= r.due_date <= month_end],
            "later": [r for r in reviews if r.due_date > month_end][:50],
            "nav": "reviews",
        },
    )


@requires("plan.edit")
def review_record(request: HttpRequest, review_id: int) -> HttpResponse:
    user = acting_user(request.user)
    review = get_object_or_404(
        Review.objects.filter(plan__in=plans_visible_to(user)).select_related("plan__person"),
        pk=review_id,
    )
    outcomes = list(review.plan.outcomes.all())
    form = ReviewForm(
        posted(request), outcomes=outcomes, initial={"completed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.review_complete(
                actor=user,
                review=review,
                outcomes_met={str(o.pk): d[f"outcome_{o.pk}"] for o in outcomes},
                changes=d["changes"],
                reassessment_needed=d["reassessment_needed"],
                completed_on=d["completed_on"],
            )
        except services.PlanError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "The review has been recorded")
            return redirect("planning:detail", plan_id=review.plan_id)
    return render(
        request,
        "planning/review_form.html",
        {
            "review": review,
            "plan": review.plan,
            "person": review.plan.person,
            "form": form,
            "nav": "reviews",
        },
    )
