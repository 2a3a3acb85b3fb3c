"""API schemas: support plans, their lines, how the budget is held, and reviews. Money is
whole pence (fields ending ``_pence``); codes are the values the pages use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from selfdirect.api.common import MAX_LIST_ITEMS, DateText, Id, text
from selfdirect.planning.forms import LineForm, OutcomeForm, PlanForm, ReviewRequestForm, SwitchForm


class PlanSummaryOut(Schema):
    id: int
    person_id: int
    person_name: str
    allocation_id: int
    version: int
    kind: str
    status: str
    led_by: str
    starts_on: dt.date
    ends_on: dt.date | None
    approved_at: dt.datetime | None
    approved_by: str


class PlanPage(Schema):
    items: list[PlanSummaryOut]
    count: int
    page: int
    pages: int


class OutcomeOut(Schema):
    id: int
    in_their_words: str
    eligibility_outcome: str
    how_met: str
    informal_support: str


class LineOut(Schema):
    id: int
    outcome_id: int | None
    description: str
    category: str
    category_name: str
    unit: str
    unit_cost_pence: int
    quantity_hundredths: int
    # A one-off line has no weekly cost (null), never 0: see one_off_cost_pence.
    weekly_cost_pence: int | None
    one_off_cost_pence: int
    is_one_off: bool
    yearly_cost_pence: int
    cost_words: str
    funding_stream: str
    funding_stream_name: str
    provisional: bool
    # As written into the plan; a later switch changes only what is held today.
    deployment: str
    provider_id: int | None
    provided_by: str
    held_today: str
    held_today_name: str
    provider_today_id: int | None
    provider_today_name: str
    provided_by_today: str


class TotalsOut(Schema):
    weekly_pence: int
    one_off_pence: int
    provisional_weekly_pence: int
    budget_weekly_pence: int
    variance_pence: int
    over_budget: bool
    by_stream: dict[str, int]


class BudgetStepOut(Schema):
    decided_on: dt.date
    weekly_pence: int


class FiguresOut(Schema):
    """The four budget figures (docs/planning-guide.md), named as every page names them."""

    on: dt.date
    words: dict[str, str]
    personal_budget_weekly_pence: int | None
    budget_history: list[BudgetStepOut]
    plan_cost_weekly_pence: int | None
    plan_one_off_pence: int
    within_budget: bool | None
    variance_pence: int | None
    variance_reason: str
    assessed_contribution_weekly_pence: int | None
    council_contribution_weekly_pence: int | None


class HoldingOut(Schema):
    deployment: str
    name: str
    weekly_pence: int


class PlanOut(PlanSummaryOut):
    contingency: str
    risks_to_person: str
    # Only for staff: the pages do not show the council's financial risks to the person.
    financial_risks: str | None
    outcomes: list[OutcomeOut]
    lines: list[LineOut]
    totals: TotalsOut
    figures: FiguresOut
    holding_today: list[HoldingOut]


class PlanIn(Schema):
    """Checked with the page's form after the permission check. Dates as YYYY-MM-DD."""

    allocation_id: Id | None = None
    kind: str = Field("", max_length=12)
    led_by: str = Field("", max_length=16)
    starts_on: DateText = ""
    ends_on: DateText = ""
    contingency: str = text(PlanForm, "contingency")
    risks_to_person: str = text(PlanForm, "risks_to_person")
    financial_risks: str = text(PlanForm, "financial_risks")
    holding_options_offered: list[Annotated[str, Field(max_length=30)]] = Field(
        [], max_length=MAX_LIST_ITEMS
    )


class SubmitIn(Schema):
    variance_reason: str = Field(
        "",
        max_length=4000,
        description="Why the plan costs more than the budget (needed if it does)",
    )


class OutcomeIn(Schema):
    in_their_words: str = text(OutcomeForm, "in_their_words")
    eligibility_outcome: str = text(OutcomeForm, "eligibility_outcome")
    how_met: str = text(OutcomeForm, "how_met")
    informal_support: str = text(OutcomeForm, "informal_support")


class LineIn(Schema):
    """``quantity`` is units a week (7.5 hours), or the number of items for a one-off."""

    description: str = text(LineForm, "description")
    category: str = Field("", max_length=30)
    outcome_id: Id | None = None
    provider_id: Id | None = None
    provided_by: str = text(LineForm, "provided_by")
    unit: str = Field("", max_length=10)
    # Checked by the route, for the page's message: 0 to 10,000,000 (£100,000).
    unit_cost_pence: StrictInt | None = Field(
        None, json_schema_extra={"minimum": 0, "maximum": 10_000_000}
    )
    quantity: Decimal | None = Field(None, max_digits=9, decimal_places=2)
    funding_stream: str = Field("", max_length=30)
    provisional: StrictBool = False
    deployment: str = Field("council_commissioned", max_length=25)


class SwitchIn(Schema):
    effective_date: DateText = ""
    deployment: str = Field("", max_length=25)
    provider_id: Id | None = None
    provided_by: str = text(SwitchForm, "provided_by")
    reasons: list[Annotated[str, Field(max_length=30)]] = Field([], max_length=MAX_LIST_ITEMS)
    note: str = text(SwitchForm, "note")
    # A new provider's price for each unit from the switch date, if it changes.
    new_unit_cost_pence: StrictInt | None = Field(
        None, json_schema_extra={"minimum": 0, "maximum": 10_000_000}
    )


class SwitchOut(Schema):
    id: int
    line_id: int
    effective_date: dt.date
    from_deployment: str
    to_deployment: str
    from_provider_id: int | None
    from_provider_name: str
    to_provider_id: int | None
    to_provider_name: str
    from_provided_by: str
    to_provided_by: str
    reasons: list[str]
    note: str
    # The week of the switch, shared by days.
    old_part_pence: int
    new_part_pence: int
    # The cost of a unit before and from the switch, when the new provider's differs.
    from_unit_cost_pence: int | None
    to_unit_cost_pence: int | None
    switched_at: dt.datetime
    undone_at: dt.datetime | None


class DeploymentLineOut(Schema):
    line_id: int
    description: str
    weekly_cost_pence: int
    one_off_cost_pence: int
    held_today: str
    held_today_name: str
    provider_today_id: int | None
    provider_today_name: str
    provided_by_today: str
    switches: list[SwitchOut]


class DirectPaymentAgreementOut(Schema):
    id: int
    status: str
    recipient_type: str
    recipient_name: str
    account_type: str
    # Only the last four digits: the full number stays in the council's records.
    account_number: str
    card_reference: str
    starts_on: dt.date
    ends_on: dt.date | None


class FundAgreementOut(Schema):
    id: int
    kind: str
    status: str
    organisation_id: int
    organisation_name: str
    surplus_rule: str
    carry_limit_weeks: int
    fee_weekly_pence: int
    starts_on: dt.date
    ends_on: dt.date | None
    person_agreed_on: dt.date | None
    organisation_agreed_on: dt.date | None


class DeploymentOut(Schema):
    plan_id: int
    on: dt.date
    lines: list[DeploymentLineOut]
    mix: list[HoldingOut]
    direct_payment_agreements: list[DirectPaymentAgreementOut]
    fund_agreements: list[FundAgreementOut]


class ReviewOut(Schema):
    id: int
    plan_id: int
    person_id: int
    person_name: str
    kind: str
    kind_name: str
    status: str
    due_date: dt.date
    overdue: bool
    covers_direct_payment: bool
    reason: str
    completed_on: dt.date | None
    # What was recorded (empty until it is): issue 11's review in full.
    method: str
    attendees: list[dict[str, str]]
    person_views: str
    carer_views: str
    outcomes_met: dict[str, str]
    outcome_comments: dict[str, str]
    changes: str
    reassessment_needed: bool
    next_review_on: dt.date | None
    new_budget_weekly_pence: int | None


class ReviewPage(Schema):
    items: list[ReviewOut]
    count: int
    page: int
    pages: int


class ReviewIn(Schema):
    kind: str = Field("", max_length=20)
    reason: str = text(ReviewRequestForm, "reason")
