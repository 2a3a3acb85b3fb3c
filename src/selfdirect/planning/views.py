"""Support plan pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user, teams_of, user_can
from selfdirect.allocation.selectors import allocation_for
from selfdirect.audit.services import look_record, looks_record, record_or_refused
from selfdirect.forms_gov import posted
from selfdirect.letter_formats import asked_for
from selfdirect.page_signals import page_additions
from selfdirect.pdf import PdfUnavailable, pdf_response, pdf_unavailable_response
from selfdirect.people.selectors import person_for
from selfdirect.planning import documents, figures, proposals, services, streams
from selfdirect.planning.figures import budget_figures
from selfdirect.planning.forms import (
    ContributionForm,
    LineEditForm,
    LineForm,
    OutcomeEditForm,
    OutcomeForm,
    OwnOutcomeForm,
    OwnSupportForm,
    PersonReviewRequestForm,
    PlanForm,
    ProposalAnswerForm,
    RemoveForm,
    ReviewForm,
    ReviewRequestForm,
    SafeguardingClearForm,
    SafeguardingForm,
    SwitchForm,
    line_initial_from,
)
from selfdirect.planning.models import (
    LineSwitch,
    PlanLine,
    PlanOutcome,
    PlanProposal,
    Review,
    SupportPlan,
)
from selfdirect.planning.reasons import reason_choices
from selfdirect.planning.selectors import (
    due_reviews_grouped,
    plan_for,
    plan_visibility,
    reviews_due_for,
)
from selfdirect.planning.signals import plan_page_shown
from selfdirect.refusals import require_post, run_and_tell, run_on_form


@requires("plan.edit")
def plan_new(request: HttpRequest, allocation_id: int) -> HttpResponse:
    user = acting_user(request.user)
    allocation = allocation_for(user, allocation_id)
    look_record(actor=request.user, record=allocation, summary="Start a support plan form")
    form = PlanForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                actor=user,
                allocation=allocation,
                **form.plan_fields(),
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
    look_record(actor=request.user, record=plan, summary=f"Support plan version {plan.version}")
    # The page costs the plan three times (its totals, its figures, its mix today): the
    # agreements holding it are read once for all three.
    prefetch_related_objects([plan], "fund_agreements__organisation")
    totals = services.plan_totals(plan)
    today = timezone.localdate()
    added = page_additions(plan_page_shown, sender=SupportPlan, plan=plan, user=request.user)
    pool_shares = added.get("pool_shares", {})
    lines = [
        {
            "line": line,
            "pool_shares": pool_shares.get(line.pk, []),
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
    may_approve = user_can(request.user, "plan.approve") and plan.status == "awaiting_sign_off"
    approve_refusal = (
        services.plan_approve_refusal(acting_user(request.user), plan, totals)
        if may_approve
        else None
    )
    return render(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "person": plan.person,
            "totals": totals,
            "figures": budget_figures(person=plan.person, on=today, plan=plan),
            "can_record_contribution": user_can(request.user, "contribution.record"),
            # How the financial assessment stands (charging, above planning, adds it).
            "charging_standing": added.get("charging_standing"),
            "can_see_charging": added.get("can_see_charging", False),
            "can_assess_charging": added.get("can_assess_charging", False),
            "lines": lines,
            "mix": [
                (streams.DEPLOYMENTS[k], v) for k, v in services.holding_mix(plan, today).items()
            ],
            "can_switch": user_can(request.user, "plan.edit") and plan.status == "approved",
            "reviews": list(plan.reviews.all()),
            "today": today,
            "can_request_review": user_can(request.user, "review.request")
            and plan.status == "approved",
            "notices": added.get("notices", []),
            "can_give_notice": user_can(request.user, "notice.give") and plan.status == "approved",
            "can_record_review": user_can(request.user, "plan.edit"),
            "by_stream": [
                (streams.stream_name(code), pence) for code, pence in totals.by_stream.items()
            ],
            "can_edit": user_can(request.user, "plan.edit") and plan.status == "draft",
            "can_contribute": user_can(request.user, "plan.contribute") and plan.status == "draft",
            "proposals": list(
                plan.proposals.select_related("proposed_by", "outcome", "made_outcome", "made_line")
            ),
            "can_revise": user_can(request.user, "plan.edit") and plan.status == "approved",
            "can_flag": user_can(request.user, "plan.safeguarding"),
            "versions": list(
                # One person's plans: the rule as conditions on their few rows.
                SupportPlan.objects.filter(plan_visibility(request.user))
                .filter(person=plan.person)
                .exclude(pk=plan.pk)
                .order_by("-version")
                .values("pk", "version", "status")
            ),
            "can_approve": may_approve and not approve_refusal,
            "approve_refusal": approve_refusal,
            "nav": "people" if user_can(request.user, "plan.edit") else "home",
        },
    )


@requires("plan.edit")
def outcome_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _outcome_form(request, plan_id, OutcomeForm, "planning/outcome_form.html")


@requires("plan.contribute")
def outcome_own(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The person, or their representative, suggests an outcome in their own words for
    their worker to put into the plan (co-producing the plan, decision 0039)."""
    return _propose(request, plan_id, PlanProposal.Kind.OUTCOME)


@requires("plan.contribute")
def support_own(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The person, or their representative, suggests support and what it costs."""
    return _propose(request, plan_id, PlanProposal.Kind.SUPPORT)


def _propose(request: HttpRequest, plan_id: int, kind: str) -> HttpResponse:
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    outcome = kind == PlanProposal.Kind.OUTCOME
    look_record(
        actor=request.user,
        record=plan,
        summary=f"Suggest {'an outcome' if outcome else 'support'} for support plan "
        f"version {plan.version}",
    )
    form: Any = (
        OwnOutcomeForm(posted(request)) if outcome else OwnSupportForm(posted(request), plan=plan)
    )
    if outcome and services.review_asked_as(user, plan) != Review.AskedAs.PERSON:
        # On behalf of the person (decision 0034): their words, asked about them.
        name = plan.person.given_name
        form.fields["in_their_words"].label = f"What does {name} want to achieve?"
        form.fields["in_their_words"].help_text = (
            f"Use {name}'s own words where you can. For example: "
            "I want to get to my lunch club on Tuesdays."
        )
        form.fields[
            "informal_support"
        ].label = f"Who already helps {name} with this without being paid? (optional)"
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data if outcome else form.proposal_fields()
        if run_on_form(
            form,
            lambda: proposals.proposal_make(actor=user, plan=plan, kind=kind, fields=fields),
            _field_on(form),
        ):
            messages.success(request, "Your suggestion has been sent to your worker")
            return redirect("planning:detail", plan_id=plan.pk)
    return render(
        request,
        "planning/outcome_own.html" if outcome else "planning/support_own.html",
        {"plan": plan, "person": plan.person, "form": form, "nav": "home"},
    )


def _field_on(form: Any) -> Any:
    """A refusal names a field the form has, or the form as a whole."""
    aliases = {"unit_cost_pence": "unit_cost", "quantity_hundredths": "quantity"}

    def field_of(_form: Any, name: str) -> str | None:
        name = aliases.get(name, name)
        return name if name in form.fields else None

    return field_of


def _proposal_of(request: HttpRequest, plan_id: int, proposal_id: int) -> tuple[Any, Any, Any]:
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    proposal = record_or_refused(
        plan.proposals.select_related("proposed_by", "outcome"),
        actor=user,
        object_id=proposal_id,
        person_path="plan__person_id",
    )
    return user, plan, proposal


@requires("plan.edit")
def proposal_accept(request: HttpRequest, plan_id: int, proposal_id: int) -> HttpResponse:
    """Put the person's suggestion into the plan: the plan's own outcome or line form, filled
    in with what they wrote, to keep or change."""
    user, plan, proposal = _proposal_of(request, plan_id, proposal_id)
    look_record(
        actor=request.user,
        record=plan,
        summary=f"Add a suggestion to support plan version {plan.version}",
    )
    form: Any
    if proposal.kind == PlanProposal.Kind.OUTCOME:
        form = OutcomeForm(
            posted(request),
            initial={k: getattr(proposal, k) for k in proposals.OUTCOME_KEYS},
        )
    else:
        form = LineForm(posted(request), plan=plan, initial=line_initial_from(proposal))
    if request.method == "POST" and form.is_valid():
        fields = (
            form.cleaned_data if proposal.kind == PlanProposal.Kind.OUTCOME else form.line_fields()
        )
        if run_on_form(
            form,
            lambda: proposals.proposal_accept(actor=user, proposal=proposal, fields=fields),
            _field_on(form),
        ):
            messages.success(request, "The suggestion has been added to the plan")
            return redirect("planning:detail", plan_id=plan.pk)
    return render(
        request,
        "planning/proposal_accept.html",
        {"plan": plan, "person": plan.person, "form": form, "proposal": proposal, "nav": "people"},
    )


@requires("plan.edit")
def proposal_answer(request: HttpRequest, plan_id: int, proposal_id: int) -> HttpResponse:
    """Answer the person's suggestion without adding it, with a reason they will read."""
    user, plan, proposal = _proposal_of(request, plan_id, proposal_id)
    look_record(
        actor=request.user,
        record=plan,
        summary=f"Answer a suggestion for support plan version {plan.version}",
    )
    form = ProposalAnswerForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: proposals.proposal_answer(
                actor=user, proposal=proposal, answer=form.cleaned_data["answer"]
            ),
            _field_on(form),
        )
    ):
        messages.success(request, "Your answer has been sent")
        return redirect("planning:detail", plan_id=plan.pk)
    return render(
        request,
        "planning/proposal_answer.html",
        {"plan": plan, "person": plan.person, "form": form, "proposal": proposal, "nav": "people"},
    )


def _outcome_form(
    request: HttpRequest, plan_id: int, form_class: Any, template: str
) -> HttpResponse:
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    look_record(
        actor=request.user,
        record=plan,
        summary=f"Add an outcome to support plan version {plan.version}",
    )
    form = form_class(posted(request))
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
        template,
        {
            "plan": plan,
            "person": plan.person,
            "form": form,
            "nav": "people" if user_can(user, "plan.edit") else "home",
        },
    )


@requires("plan.edit")
def line_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    look_record(
        actor=request.user,
        record=plan,
        summary=f"Add a line to support plan version {plan.version}",
    )
    form = LineForm(posted(request), plan=plan)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form, lambda: services.line_add(actor=user, plan=plan, fields=form.line_fields())
        )
    ):
        messages.success(request, "The line has been added")
        return redirect("planning:detail", plan_id=plan.pk)
    return render(
        request,
        "planning/line_form.html",
        {"plan": plan, "person": plan.person, "form": form, "nav": "people"},
    )


def _line_of(request: HttpRequest, plan_id: int, line_id: int) -> tuple[Any, SupportPlan, PlanLine]:
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    line = record_or_refused(
        plan.lines.all(), actor=user, object_id=line_id, person_path="plan__person_id"
    )
    return user, plan, line


def _outcome_of(
    request: HttpRequest, plan_id: int, outcome_id: int
) -> tuple[Any, SupportPlan, PlanOutcome]:
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    outcome = record_or_refused(
        plan.outcomes.all(), actor=user, object_id=outcome_id, person_path="plan__person_id"
    )
    return user, plan, outcome


@requires("plan.edit")
def line_edit(request: HttpRequest, plan_id: int, line_id: int) -> HttpResponse:
    """Change a line of a draft or a new version (an approved version is never changed)."""
    user, plan, line = _line_of(request, plan_id, line_id)
    look_record(
        actor=request.user,
        record=plan,
        summary=f"Change a line of support plan version {plan.version}",
    )
    form = LineEditForm(
        posted(request),
        plan=plan,
        initial=LineEditForm.initial_for(line, services.edit_fingerprint(line)),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: services.line_edit(
                actor=user, line=line, fields=form.line_fields(), seen=form.cleaned_data["seen"]
            ),
        )
    ):
        messages.success(request, f"‘{form.cleaned_data['description']}’ has been changed")
        return redirect("planning:detail", plan_id=plan.pk)
    return render(
        request,
        "planning/line_form.html",
        {"plan": plan, "person": plan.person, "form": form, "line": line, "nav": "people"},
    )


@requires("plan.edit")
def line_remove(request: HttpRequest, plan_id: int, line_id: int) -> HttpResponse:
    user, plan, line = _line_of(request, plan_id, line_id)
    look_record(
        actor=request.user,
        record=plan,
        summary=f"Remove a line of support plan version {plan.version}",
    )
    form = RemoveForm(posted(request), initial={"seen": services.edit_fingerprint(line)})
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: services.line_remove(actor=user, line=line, seen=form.cleaned_data["seen"]),
        )
    ):
        messages.success(request, f"‘{line.description}’ has been removed from the plan")
        return redirect("planning:detail", plan_id=plan.pk)
    return render(
        request,
        "planning/remove_form.html",
        {
            "plan": plan,
            "person": plan.person,
            "form": form,
            "what": line.description,
            "detail": line.cost_words,
            "nav": "people",
        },
    )


@requires("plan.edit")
def outcome_edit(request: HttpRequest, plan_id: int, outcome_id: int) -> HttpResponse:
    user, plan, outcome = _outcome_of(request, plan_id, outcome_id)
    look_record(
        actor=request.user,
        record=plan,
        summary=f"Change an outcome of support plan version {plan.version}",
    )
    form = OutcomeEditForm(
        posted(request),
        initial={
            **{name: getattr(outcome, name) for name in services.OUTCOME_FIELDS},
            "seen": services.edit_fingerprint(outcome),
        },
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.OUTCOME_FIELDS}
        if run_on_form(
            form,
            lambda: services.outcome_edit(
                actor=user, outcome=outcome, fields=fields, seen=form.cleaned_data["seen"]
            ),
        ):
            messages.success(request, "The outcome has been changed")
            return redirect("planning:detail", plan_id=plan.pk)
    return render(
        request,
        "planning/outcome_form.html",
        {"plan": plan, "person": plan.person, "form": form, "outcome": outcome, "nav": "people"},
    )


@requires("plan.edit")
def outcome_remove(request: HttpRequest, plan_id: int, outcome_id: int) -> HttpResponse:
    user, plan, outcome = _outcome_of(request, plan_id, outcome_id)
    look_record(
        actor=request.user,
        record=plan,
        summary=f"Remove an outcome of support plan version {plan.version}",
    )
    lines = list(outcome.lines.order_by("id"))
    others = plan.outcomes.exclude(pk=outcome.pk) if lines else None
    form = RemoveForm(
        posted(request), others=others, initial={"seen": services.edit_fingerprint(outcome)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_remove(
                actor=user,
                outcome=outcome,
                seen=form.cleaned_data["seen"],
                move_lines_to=form.cleaned_data.get("move_lines_to"),
            )
        except services.PlanError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, str(refused))
        else:
            messages.success(request, "The outcome has been removed from the plan")
            return redirect("planning:detail", plan_id=plan.pk)
    return render(
        request,
        "planning/remove_form.html",
        {
            "plan": plan,
            "person": plan.person,
            "form": form,
            "what": f"“{outcome.in_their_words}”",
            "lines": lines,
            "outcome": outcome,
            "nav": "people",
        },
    )


def _act(request: HttpRequest, plan_id: int, action: Any, done: str) -> HttpResponse:
    require_post(request)
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    run_and_tell(request, lambda: action(actor=user, plan=plan), done)
    return redirect("planning:detail", plan_id=plan.pk)


@requires("plan.edit")
def plan_submit(request: HttpRequest, plan_id: int) -> HttpResponse:
    reason = request.POST.get("variance_reason", "")[:4000]
    return _act(
        request,
        plan_id,
        lambda **kw: services.plan_submit(variance_reason=reason, **kw),
        "The plan has been sent for sign-off",
    )


@requires("plan.approve")
def plan_approve(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _act(request, plan_id, services.plan_approve, "The plan has been approved")


@requires("plan.edit")
def plan_revise(request: HttpRequest, plan_id: int) -> HttpResponse:
    require_post(request)
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    try:
        revised = services.plan_revise(actor=user, plan=plan)
    except services.PlanError as refused:
        messages.error(request, str(refused))
        return redirect("planning:detail", plan_id=plan.pk)
    messages.success(
        request,
        f"Version {revised.version} has been started with everything from version {plan.version}",
    )
    return redirect("planning:detail", plan_id=revised.pk)


@requires("plan.safeguarding")
def safeguarding(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Flag a safeguarding concern; a manager sees the concern and records what was done."""
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    look_record(
        actor=request.user,
        record=plan,
        summary=f"Safeguarding concern on support plan version {plan.version}",
    )
    clearing = plan.safeguarding_concern and user_can(user, "allocation.sign_off")
    form = (SafeguardingClearForm if clearing else SafeguardingForm)(posted(request))
    if request.method == "POST" and form.is_valid():
        action = services.plan_safeguarding_clear if clearing else services.plan_safeguarding_flag
        if run_on_form(form, lambda: action(actor=user, plan=plan, note=form.cleaned_data["note"])):
            messages.success(
                request,
                "The concern has been cleared"
                if clearing
                else "The concern has been flagged and the team manager has been told",
            )
            return redirect("planning:detail", plan_id=plan.pk)
    return render(
        request,
        "planning/safeguarding.html",
        {"plan": plan, "person": plan.person, "form": form, "clearing": clearing, "nav": "people"},
    )


@requires("plan.edit")
def line_switch(request: HttpRequest, plan_id: int, line_id: int) -> HttpResponse:
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    line = record_or_refused(
        plan.lines.all(), actor=user, object_id=line_id, person_path="plan__person_id"
    )
    look_record(
        actor=request.user,
        record=plan,
        summary=f"Switch a line of support plan version {plan.version}",
    )
    form = SwitchForm(posted(request), initial={"deployment": line.deployment})
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: services.line_switch(
                actor=user,
                line=line,
                **form.switch_fields(),
            ),
        )
    ):
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
    require_post(request)
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    switch = record_or_refused(
        LineSwitch.objects.filter(line__plan=plan),
        actor=user,
        object_id=switch_id,
        person_path="line__plan__person_id",
    )
    run_and_tell(
        request,
        lambda: services.line_switch_undo(actor=user, switch=switch),
        "The switch has been undone",
    )
    return redirect("planning:detail", plan_id=plan.pk)


@requires("review.request")
def review_request(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    look_record(
        actor=request.user,
        record=plan,
        summary=f"Ask for a review of support plan version {plan.version}",
    )
    asked_as = services.review_asked_as(user, plan)
    in_their_words = asked_as != Review.AskedAs.STAFF
    form: Any = (
        PersonReviewRequestForm(
            posted(request), choices=reason_choices(asked_as, plan.person.given_name)
        )
        if in_their_words
        else ReviewRequestForm(posted(request))
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            review = services.review_request(
                actor=user,
                plan=plan,
                kind=d.get("kind", ""),
                asked_reason=d.get("asked_reason", ""),
                reason=d["reason"],
            )
        except services.PlanError as refused:
            form.add_error(refused.field or None, str(refused))
        else:
            messages.success(request, f"A review will take place by {review.due_date:%-d %B %Y}")
            return redirect("planning:detail", plan_id=plan.pk)
    return render(
        request,
        "planning/review_request.html",
        {
            "plan": plan,
            "person": plan.person,
            "form": form,
            "in_their_words": in_their_words,
            "nav": "home",
        },
    )


# The queue lists this many reviews in each group; the counts are of all of them.
QUEUE_ROWS = 50


@requires("plan.edit")
def review_queue(request: HttpRequest) -> HttpResponse:
    """Reviews still to do: overdue, due this month and later, by team and by worker."""
    today = timezone.localdate()
    month_end = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    visible = reviews_due_for(request.user)
    # Choices: the user's teams, and the people who work in them.
    my_teams = teams_of(request.user)
    teams = list(my_teams.order_by("name").values_list("pk", "name"))
    workers = [
        (u.pk, u.get_full_name() or u.username)
        for u in User.objects.filter(team_memberships__team__in=my_teams)
        .distinct()
        .order_by("first_name", "last_name")
    ]
    team, worker = request.GET.get("team", ""), request.GET.get("worker", "")
    if team.isdigit():
        visible = visible.filter(plan__person__team_id=int(team))
    if worker.isdigit():
        visible = visible.filter(plan__created_by_id=int(worker))
    counts, rows = due_reviews_grouped(
        visible,
        {
            "overdue": lambda due: due < today,
            "this_month": lambda due: due <= month_end,
            "later": lambda due: True,
        },
        rows=QUEUE_ROWS,
    )
    looks_record(
        actor=request.user,
        people=[r.person_id for g in rows.values() for r in g],
        summary="Appeared in the reviews queue",
    )
    return render(
        request,
        "planning/review_queue.html",
        {
            **rows,
            "counts": counts,
            "shown": QUEUE_ROWS,
            "teams": teams,
            "workers": workers,
            "team": team,
            "worker": worker,
            "nav": "reviews",
        },
    )


@requires("plan.edit")
def review_record(request: HttpRequest, review_id: int) -> HttpResponse:
    user = acting_user(request.user)
    review = record_or_refused(
        Review.objects.filter(plan_visibility(user, "plan__")).select_related("plan__person"),
        actor=user,
        object_id=review_id,
        person_path="plan__person_id",
    )
    look_record(
        actor=request.user,
        record=review,
        person_id=review.plan.person_id,
        summary="Record a review",
    )
    outcomes = list(review.plan.outcomes.all())
    today = timezone.localdate()
    form = ReviewForm(
        posted(request),
        outcomes=outcomes,
        initial={"completed_on": today, "next_review_on": services.next_review_default(today)},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.review_complete(
                actor=user,
                review=review,
                outcomes_met={str(o.pk): d[f"outcome_{o.pk}"] for o in outcomes},
                outcome_comments={str(o.pk): d[f"outcome_comment_{o.pk}"] for o in outcomes},
                changes=d["changes"],
                reassessment_needed=d["reassessment_needed"],
                completed_on=d["completed_on"],
                method=d["method"],
                attendees=form.attendee_list(),
                person_views=d["person_views"],
                carer_views=d["carer_views"],
                next_review_on=d["next_review_on"],
                new_budget_weekly_pence=d["new_budget"],
                budget_change_reason=d["budget_change_reason"],
            )
        except services.PlanError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, str(refused))
        else:
            messages.success(request, "The review has been recorded")
            return redirect("planning:review_detail", review_id=review.pk)
    return render(
        request,
        "planning/review_form.html",
        {
            "review": review,
            "plan": review.plan,
            "person": review.plan.person,
            "form": form,
            **_review_readback(review, outcomes),
            "plan_budget": services.plan_budget_weekly_pence(review.plan),
            "can_give_notice": user_can(request.user, "notice.give")
            and review.plan.status == "approved",
            "nav": "reviews",
        },
    )


def _review_readback(review: Review, outcomes: list[PlanOutcome]) -> dict[str, Any]:
    return {
        "outcome_rows": [
            {
                "outcome": o,
                "result": services.OUTCOME_RESULTS.get(review.outcomes_met.get(str(o.pk), ""), ""),
                "comment": review.outcome_comments.get(str(o.pk), ""),
            }
            for o in outcomes
        ],
        "new_versions": list(review.new_versions.all()),
    }


@requires("plan.view")
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    """A recorded review, read back in full: for staff and for the person (and whoever acts
    for them), who sees what was written about them."""
    review = record_or_refused(
        Review.objects.filter(plan_visibility(request.user, "plan__")).select_related(
            "plan__person", "completed_by"
        ),
        actor=request.user,
        object_id=review_id,
        person_path="plan__person_id",
    )
    look_record(
        actor=request.user,
        record=review,
        person_id=review.plan.person_id,
        summary="A recorded review",
    )
    return render(
        request,
        "planning/review_detail.html",
        {
            "review": review,
            "plan": review.plan,
            "person": review.plan.person,
            **_review_readback(review, list(review.plan.outcomes.all())),
            "can_give_notice": user_can(request.user, "notice.give")
            and review.plan.status == "approved",
            "nav": "people" if user_can(request.user, "plan.edit") else "home",
        },
    )


@requires("plan.view")
def plan_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The approved version as a PDF: made once, then the same bytes every time."""
    plan = plan_for(request.user, plan_id)
    look_record(actor=request.user, record=plan, summary=f"Support plan version {plan.version} PDF")
    formats = asked_for(request)
    try:
        if any(formats.values()):
            pdf = documents.plan_document_in_format(plan=plan, formats=formats)
            return pdf_response(pdf, documents.plan_document_filename(plan))
        document = documents.plan_document_get(plan=plan, actor=acting_user(request.user))
    except documents.PlanNotApproved:
        return render(
            request,
            "planning/plan_pdf_missing.html",
            {"plan": plan, "person": plan.person, "nav": "people"},
            status=404,
        )
    except PdfUnavailable as unavailable:
        return pdf_unavailable_response(unavailable)
    return pdf_response(bytes(document.pdf), documents.plan_document_filename(plan))


INTEGRATION = {
    "integrated": "In the RAS: part of the personal budget",
    "recharged": "Paid from the personal budget and recharged to its funder",
    "aligned": "Alongside the budget: awarded and paid separately",
}


@requires("streams.view")
def funding_streams(request: HttpRequest) -> HttpResponse:
    """Each funding stream's rules in force today."""
    today = timezone.localdate()
    codes = dict.fromkeys(r.code for r in streams.SHIPPED)  # each stream once, in order
    rows = []
    for code in codes:
        rule = streams.rule_on(code, today)
        rows.append(
            {
                "rule": rule,
                "pays_for": sorted(streams.CATEGORIES[c] for c in rule.may_pay_for),
                "held": [
                    streams.DEPLOYMENTS[w] for w in streams.DEPLOYMENTS if w in rule.may_be_held
                ],
                "integration": INTEGRATION[rule.integration],
            }
        )
    return render(
        request, "planning/funding_streams.html", {"rows": rows, "today": today, "nav": "home"}
    )


@requires("contribution.record")
def contribution_new(request: HttpRequest, person_id: int) -> HttpResponse:
    """Record what the council's financial assessment found the person pays a week."""
    user = acting_user(request.user)
    person = person_for(user, person_id)
    look_record(actor=request.user, record=person, summary="Record the assessed contribution")
    form = ContributionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            figures.assessed_contribution_record(
                actor=user,
                person=person,
                weekly_pence=d["weekly"],
                effective_from=d["effective_from"],
                source_reference=d["source_reference"],
            )
        except figures.ContributionError as refused:
            field = {"weekly_pence": "weekly"}.get(refused.field, refused.field)
            form.add_error(field if field in form.fields else None, str(refused))
        else:
            messages.success(request, "The assessed contribution has been recorded")
            return redirect("planning:contribution_new", person_id=person.pk)
    return render(
        request,
        "planning/contribution_form.html",
        {
            "person": person,
            "form": form,
            "recorded": list(person.assessed_contributions.select_related("recorded_by")),
            "figures": budget_figures(person=person, on=timezone.localdate()),
            "nav": "people",
        },
    )
