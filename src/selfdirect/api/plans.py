"""/api/v1/plans and /api/v1/reviews: the same rules as the plan pages — capabilities from
access.rules, plans through planning.selectors, input checked by the pages' forms, every
change through planning.services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError

from selfdirect.access.selectors import acting_user
from selfdirect.allocation.selectors import allocation_for
from selfdirect.api.common import form_data, form_errors, page_of, problem, require, responses
from selfdirect.api.plan_schemas import (
    DeploymentOut,
    LineIn,
    LineOut,
    OutcomeIn,
    OutcomeOut,
    PlanIn,
    PlanOut,
    PlanPage,
    ReviewIn,
    ReviewOut,
    ReviewPage,
    SubmitIn,
    SwitchIn,
    SwitchOut,
)
from selfdirect.audit.services import look_record, looks_record, record_or_refused
from selfdirect.budgets.services import last_four
from selfdirect.pdf import PdfUnavailable, pdf_response
from selfdirect.planning import documents, services, streams
from selfdirect.planning.figures import WORDS, BudgetFigures, budget_figures
from selfdirect.planning.forms import (
    LineForm,
    OutcomeForm,
    PlanForm,
    ReviewRequestForm,
    SwitchForm,
)
from selfdirect.planning.models import LineSwitch, PlanLine, Review, SupportPlan
from selfdirect.planning.selectors import plan_for, plans_visible_to, reviews_due_for

router = Router(tags=["plans"])
# The plan PDF's refusals, described by hand as its success is not JSON.
ERROR_RESPONSES = {
    code: {
        "description": "Refused",
        "content": {
            "application/json": {
                "schema": {
                    "$ref": f"#/components/schemas/{'ValidationOut' if code == 422 else 'ErrorOut'}"
                }
            }
        },
    }
    for code in (400, 401, 403, 404, 422, 503)
}
MAX_UNIT_COST_PENCE = 10_000_000  # £100,000, the page form's limit
UNIT_COST_RANGE = "Enter the cost of each unit in whole pence, from 0 to 10000000 (£100,000)"
ALLOCATION_NEEDED = "Give the id of the signed-off budget the plan is for"

# Page form field -> API field, where the API names a record by its id or money in pence.
LINE_FIELDS = {"outcome": "outcome_id", "provider": "provider_id", "unit_cost": "unit_cost_pence"}
SWITCH_FIELDS = {"provider": "provider_id", "new_unit_cost": "new_unit_cost_pence"}


class PlanListParams(Schema):
    person_id: int | None = None
    page: int = 1
    page_size: int = 25


class ReviewListParams(Schema):
    overdue: bool | None = None
    page: int = 1
    page_size: int = 25


def _refused(refused: services.PlanError, names: dict[str, str] | None = None) -> ValidationError:
    field = refused.field
    return problem((names or {}).get(field, field), str(refused))


def _name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _summary(plan: SupportPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "person_id": plan.person_id,
        "person_name": plan.person.full_name,
        "allocation_id": plan.allocation_id,
        "version": plan.version,
        "kind": plan.kind,
        "status": plan.status,
        "led_by": plan.led_by,
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "approved_at": plan.approved_at,
        "approved_by": _name(plan.approved_by),
    }


def _held_today(line: PlanLine, today: Any) -> dict[str, Any]:
    """How the line is held, and by whom, on a date (after any switches)."""
    held, provider, provided_by = services.arrangement_on(line, today)
    return {
        "held_today": held,
        "held_today_name": streams.DEPLOYMENTS[held],
        "provider_today_id": provider.pk if provider else None,
        "provider_today_name": provider.name if provider else "",
        "provided_by_today": provided_by,
    }


def _line(line: PlanLine, today: Any) -> dict[str, Any]:
    return {
        "id": line.pk,
        "outcome_id": line.outcome_id,
        "description": line.description,
        "category": line.category,
        "category_name": line.get_category_display(),
        "unit": line.unit,
        "unit_cost_pence": line.unit_cost_pence,
        "quantity_hundredths": line.quantity_hundredths,
        "weekly_cost_pence": None if line.is_one_off else line.weekly_cost_pence,
        "one_off_cost_pence": line.one_off_cost_pence,
        "is_one_off": line.is_one_off,
        "yearly_cost_pence": line.yearly_cost_pence,
        "cost_words": line.cost_words,
        "funding_stream": line.funding_stream,
        "funding_stream_name": line.get_funding_stream_display(),
        "provisional": line.provisional,
        "deployment": line.deployment,
        "provider_id": line.provider_id,
        "provided_by": line.provided_by,
        **_held_today(line, today),
    }


def _mix(plan: SupportPlan, today: Any) -> list[dict[str, Any]]:
    return [
        {"deployment": code, "name": streams.DEPLOYMENTS[code], "weekly_pence": pence}
        for code, pence in services.holding_mix(plan, today).items()
    ]


def _plan(request: HttpRequest, plan: SupportPlan) -> dict[str, Any]:
    today = timezone.localdate()
    totals = services.plan_totals(plan)
    # As on the page: the council's financial risks are not shown to the person or those acting for them.
    own_record = getattr(getattr(request.user, "profile", None), "person_id", None) is not None
    return {
        **_summary(plan),
        "contingency": plan.contingency,
        "risks_to_person": plan.risks_to_person,
        "financial_risks": None if own_record else plan.financial_risks,
        "outcomes": list(plan.outcomes.all()),
        "lines": [_line(line, today) for line in plan.lines.all()],
        "totals": {
            "weekly_pence": totals.weekly_pence,
            "one_off_pence": totals.one_off_pence,
            "provisional_weekly_pence": totals.provisional_weekly_pence,
            "budget_weekly_pence": totals.budget_weekly_pence,
            "variance_pence": totals.variance_pence,
            "over_budget": totals.over_budget,
            "by_stream": totals.by_stream,
        },
        "figures": _figures(budget_figures(person=plan.person, on=today, plan=plan)),
        "holding_today": _mix(plan, today),
    }


def _figures(figures: BudgetFigures) -> dict[str, Any]:
    return {
        "on": figures.on,
        "words": WORDS,
        "personal_budget_weekly_pence": figures.personal_budget_weekly_pence,
        "budget_history": [
            {"decided_on": s.decided_on, "weekly_pence": s.weekly_pence}
            for s in figures.budget_history
        ],
        "plan_cost_weekly_pence": figures.plan_cost_weekly_pence,
        "plan_one_off_pence": figures.plan_one_off_pence,
        "within_budget": figures.within_budget,
        "variance_pence": figures.variance_pence,
        "variance_reason": figures.variance_reason,
        "assessed_contribution_weekly_pence": figures.assessed_contribution_weekly_pence,
        "council_contribution_weekly_pence": figures.council_contribution_weekly_pence,
    }


def _switch(switch: LineSwitch) -> dict[str, Any]:
    return {
        "id": switch.pk,
        "line_id": switch.line_id,
        "effective_date": switch.effective_date,
        "from_deployment": switch.from_deployment,
        "to_deployment": switch.to_deployment,
        "from_provider_id": switch.from_provider_id,
        "from_provider_name": switch.from_provider.name if switch.from_provider else "",
        "to_provider_id": switch.to_provider_id,
        "to_provider_name": switch.to_provider.name if switch.to_provider else "",
        "from_provided_by": switch.from_provided_by,
        "to_provided_by": switch.to_provided_by,
        "reasons": switch.reasons,
        "note": switch.note,
        "old_part_pence": switch.old_part_pence,
        "new_part_pence": switch.new_part_pence,
        "from_unit_cost_pence": switch.from_unit_cost_pence,
        "to_unit_cost_pence": switch.to_unit_cost_pence,
        "switched_at": switch.switched_at,
        "undone_at": switch.undone_at,
    }


def _review(review: Review, today: Any) -> dict[str, Any]:
    return {
        "id": review.pk,
        "plan_id": review.plan_id,
        "person_id": review.plan.person_id,
        "person_name": review.plan.person.full_name,
        "kind": review.kind,
        "kind_name": review.get_kind_display(),
        "status": review.status,
        "due_date": review.due_date,
        "overdue": review.status == Review.Status.DUE and review.due_date < today,
        "covers_direct_payment": review.covers_direct_payment,
        "reason": review.reason,
        "completed_on": review.completed_on,
        "method": review.method,
        "attendees": review.attendees,
        "person_views": review.person_views,
        "carer_views": review.carer_views,
        "outcomes_met": review.outcomes_met,
        "outcome_comments": review.outcome_comments,
        "changes": review.changes,
        "reassessment_needed": review.reassessment_needed,
        "next_review_on": review.next_review_on,
        "new_budget_weekly_pence": review.new_budget_weekly_pence,
    }


def masked(number: str) -> str:
    """An account number or card reference as the API shows it."""
    return f"****{last_four(number)}" if number else ""


@router.get("/plans", response=responses(PlanPage), summary="The support plans you may see")
def plans_list(request: HttpRequest, params: Query[PlanListParams]) -> dict[str, Any]:
    require(request, "plan.view")
    plans = plans_visible_to(request.user).select_related("person", "approved_by")
    if params.person_id is not None:
        plans = plans.filter(person_id=params.person_id)
    items, count, pages = page_of(plans, params.page, params.page_size)
    looks_record(actor=request.user, people=items, summary="Appeared in a list of support plans")
    return {
        "items": [_summary(p) for p in items],
        "count": count,
        "page": params.page,
        "pages": pages,
    }


@router.get(
    "/plans/{plan_id}", response=responses(PlanOut), summary="One support plan, with its totals"
)
def plan_get(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    require(request, "plan.view")
    plan = plan_for(request.user, plan_id)
    look_record(actor=request.user, record=plan, summary=f"Support plan version {plan.version}")
    return _plan(request, plan)


@router.post(
    "/plans", response=responses(PlanOut, 201), summary="Start a support plan for a budget"
)
def plan_create(request: HttpRequest, payload: PlanIn) -> Status[dict[str, Any]]:
    require(request, "plan.edit")
    user = acting_user(request.user)
    if payload.allocation_id is None:
        raise problem("allocation_id", ALLOCATION_NEEDED)
    allocation = allocation_for(user, payload.allocation_id)
    form = PlanForm(data=form_data(payload.dict(exclude={"allocation_id"})))
    if not form.is_valid():
        raise form_errors(form)
    try:
        plan = services.plan_create(
            actor=user,
            allocation=allocation,
            **form.plan_fields(),
        )
    except services.PlanError as refused:
        raise _refused(refused) from refused
    return Status(201, _plan(request, plan_for(user, plan.pk)))


@router.get(
    "/plans/{plan_id}/lines", response=responses(list[LineOut]), summary="A plan's costed lines"
)
def lines_list(request: HttpRequest, plan_id: int) -> list[dict[str, Any]]:
    require(request, "plan.view")
    plan = plan_for(request.user, plan_id)
    look_record(
        actor=request.user, record=plan, summary=f"Lines of support plan version {plan.version}"
    )
    today = timezone.localdate()
    return [_line(line, today) for line in plan.lines.all()]


@router.post(
    "/plans/{plan_id}/lines",
    response=responses(LineOut, 201),
    summary="Add a costed line (refused, with the reason, if its stream may not pay for it)",
)
def line_create(request: HttpRequest, plan_id: int, payload: LineIn) -> Status[dict[str, Any]]:
    require(request, "plan.edit")
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    values = payload.dict()
    if values["unit_cost_pence"] is not None:
        if not 0 <= values["unit_cost_pence"] <= MAX_UNIT_COST_PENCE:
            raise problem("unit_cost_pence", UNIT_COST_RANGE)
        # The page's form takes pounds; the API takes whole pence.
        values["unit_cost_pence"] = str(Decimal(values["unit_cost_pence"]) / 100)
    form = LineForm(data=form_data(values, LINE_FIELDS), plan=plan)
    if not form.is_valid():
        raise form_errors(form, LINE_FIELDS)
    try:
        line = services.line_add(actor=user, plan=plan, fields=form.line_fields())
    except services.PlanError as refused:
        raise _refused(refused, LINE_FIELDS) from refused
    return Status(201, _line(line, timezone.localdate()))


@router.post(
    "/plans/{plan_id}/outcomes",
    response=responses(OutcomeOut, 201),
    summary="Add an outcome, in the person's own words",
)
def outcome_create(request: HttpRequest, plan_id: int, payload: OutcomeIn) -> Status[Any]:
    require(request, "plan.edit")
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    form = OutcomeForm(data=form_data(payload.dict()))
    if not form.is_valid():
        raise form_errors(form)
    try:
        outcome = services.outcome_add(actor=user, plan=plan, fields=form.cleaned_data)
    except services.PlanError as refused:
        raise _refused(refused) from refused
    return Status(201, outcome)


@router.post(
    "/plans/{plan_id}/submit", response=responses(PlanOut), summary="Send a plan for sign-off"
)
def plan_submit(
    request: HttpRequest, plan_id: int, payload: SubmitIn | None = None
) -> dict[str, Any]:
    require(request, "plan.edit")
    user = acting_user(request.user)
    try:
        services.plan_submit(
            actor=user,
            plan=plan_for(user, plan_id),
            variance_reason=payload.variance_reason if payload else "",
        )
    except services.PlanError as refused:
        raise _refused(refused) from refused
    return _plan(request, plan_for(user, plan_id))


@router.post(
    "/plans/{plan_id}/approve",
    response=responses(PlanOut),
    summary="Approve a plan (over budget: a team manager within their limit)",
)
def plan_approve(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    require(request, "plan.approve")
    user = acting_user(request.user)
    try:
        services.plan_approve(actor=user, plan=plan_for(user, plan_id))
    except services.PlanError as refused:
        raise _refused(refused) from refused
    return _plan(request, plan_for(user, plan_id))


@router.get(
    "/plans/{plan_id}/deployment",
    response=responses(DeploymentOut),
    summary="How the budget is held today: each line, its switches, the mix and the agreements",
)
def deployment_get(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    require(request, "plan.view")
    plan = plan_for(request.user, plan_id)
    look_record(
        actor=request.user, record=plan, summary=f"How support plan version {plan.version} is held"
    )
    today = timezone.localdate()
    lines = [
        {
            "line_id": line.pk,
            "description": line.description,
            "weekly_cost_pence": line.weekly_cost_pence,
            "one_off_cost_pence": line.one_off_cost_pence,
            **_held_today(line, today),
            "switches": [
                _switch(s) for s in line.switches.select_related("from_provider", "to_provider")
            ],
        }
        for line in plan.lines.all()
    ]
    return {
        "plan_id": plan.pk,
        "on": today,
        "lines": lines,
        "mix": _mix(plan, today),
        "direct_payment_agreements": [
            {
                "id": a.pk,
                "status": a.status,
                "recipient_type": a.recipient_type,
                "recipient_name": a.recipient.full_name if a.recipient else plan.person.full_name,
                "account_type": a.account_type,
                "account_number": masked(a.account_number),
                "card_reference": masked(a.card_reference),
                "starts_on": a.starts_on,
                "ends_on": a.ends_on,
            }
            for a in plan.direct_payment_agreements.select_related("recipient")
        ],
        "fund_agreements": [
            {
                "id": a.pk,
                "kind": a.kind,
                "status": a.status,
                "organisation_id": a.organisation_id,
                "organisation_name": a.organisation.name,
                "surplus_rule": a.surplus_rule,
                "carry_limit_weeks": a.carry_limit_weeks,
                "fee_weekly_pence": a.fee_weekly_pence,
                "starts_on": a.starts_on,
                "ends_on": a.ends_on,
                "person_agreed_on": a.person_agreed_on,
                "organisation_agreed_on": a.organisation_agreed_on,
            }
            for a in plan.fund_agreements.select_related("organisation")
        ],
    }


@router.post(
    "/plans/{plan_id}/lines/{line_id}/switches",
    response=responses(SwitchOut, 201),
    summary="Switch a line's provider or way of holding from a date",
)
def line_switch(
    request: HttpRequest, plan_id: int, line_id: int, payload: SwitchIn
) -> Status[dict[str, Any]]:
    require(request, "plan.edit")
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    line = record_or_refused(
        plan.lines.all(), actor=user, object_id=line_id, person_path="plan__person_id"
    )
    values = payload.dict()
    new_cost = values.pop("new_unit_cost_pence", None)
    data = form_data(values, SWITCH_FIELDS)
    # The form takes pounds, as the page does; the API gives pence.
    data["new_unit_cost"] = "" if new_cost is None else f"{Decimal(new_cost) / 100:.2f}"
    form = SwitchForm(data=data)
    if not form.is_valid():
        raise form_errors(form, SWITCH_FIELDS)
    try:
        switch = services.line_switch(
            actor=user,
            line=line,
            **form.switch_fields(),
        )
    except services.PlanError as refused:
        raise _refused(refused, SWITCH_FIELDS) from refused
    return Status(201, _switch(switch))


@router.get(
    "/plans/{plan_id}/reviews", response=responses(list[ReviewOut]), summary="A plan's reviews"
)
def plan_reviews(request: HttpRequest, plan_id: int) -> list[dict[str, Any]]:
    require(request, "plan.view")
    plan = plan_for(request.user, plan_id)
    look_record(
        actor=request.user, record=plan, summary=f"Reviews of support plan version {plan.version}"
    )
    today = timezone.localdate()
    return [_review(r, today) for r in plan.reviews.select_related("plan__person")]


@router.post(
    "/plans/{plan_id}/reviews",
    response=responses(ReviewOut, 201),
    summary="Ask for a review (within two weeks)",
)
def review_create(request: HttpRequest, plan_id: int, payload: ReviewIn) -> Status[dict[str, Any]]:
    require(request, "review.request")
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    form = ReviewRequestForm(data=form_data(payload.dict()))
    if not form.is_valid():
        raise form_errors(form)
    try:
        review = services.review_request(
            actor=user,
            plan=plan,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
        )
    except services.PlanError as refused:
        raise _refused(refused) from refused
    return Status(201, _review(review, timezone.localdate()))


@router.get(
    "/reviews",
    response=responses(ReviewPage),
    summary="Reviews still to do on your caseload, soonest first",
)
def reviews_queue(request: HttpRequest, params: Query[ReviewListParams]) -> dict[str, Any]:
    require(request, "plan.edit")
    today = timezone.localdate()
    reviews = reviews_due_for(request.user)
    if params.overdue is True:
        reviews = reviews.filter(due_date__lt=today)
    elif params.overdue is False:
        reviews = reviews.filter(due_date__gte=today)
    items, count, pages = page_of(reviews, params.page, params.page_size)
    looks_record(
        actor=request.user,
        people=[r.plan.person_id for r in items],
        summary="Appeared in the reviews queue",
    )
    return {
        "items": [_review(r, today) for r in items],
        "count": count,
        "page": params.page,
        "pages": pages,
    }


@router.get(
    "/plans/{plan_id}/pdf",
    summary="The approved version as a PDF (the same bytes every time)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            },
            **ERROR_RESPONSES,
        }
    },
)
def plan_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    require(request, "plan.view")
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    look_record(actor=user, record=plan, summary=f"Support plan version {plan.version} PDF")
    try:
        document = documents.plan_document_get(plan=plan, actor=user)
    except documents.PlanNotApproved as missing:
        raise HttpError(404, str(missing)) from missing
    except PdfUnavailable as unavailable:
        raise HttpError(503, str(unavailable)) from unavailable
    return pdf_response(bytes(document.pdf), documents.plan_document_filename(plan))
