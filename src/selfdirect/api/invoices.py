"""/api/v1/invoices: a provider's system sends invoices and follows them; finance reads
them. The same rules as the invoice pages: capabilities from access.rules, invoices through
invoices.selectors, every change through invoices.services (docs/invoices.md, "The API")."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from selfdirect.access.selectors import acting_user
from selfdirect.api.common import DateText, Id, page_of, problem, require, responses
from selfdirect.audit.services import look_record, looks_record
from selfdirect.invoices import parsing, services
from selfdirect.invoices.models import Invoice
from selfdirect.invoices.selectors import invoice_for, invoice_list, provider_id_of
from selfdirect.people.selectors import person_for
from selfdirect.providers.models import Provider

router = Router(tags=["invoices"])


class InvoiceLineIn(Schema):
    plan_line_id: Id
    units: Annotated[str, Field(max_length=12, description="Units delivered, like 7.5")]
    unit_rate: Annotated[
        str, Field(max_length=12, description="Rate per unit in pounds, like 18.50")
    ]


class InvoiceIn(Schema):
    """Checked after the permission check, with the page's rules. Dates as YYYY-MM-DD."""

    person_id: Id | None = None
    reference: Annotated[str, Field(max_length=60, description="Your invoice number")] = ""
    period_start: DateText = ""
    period_end: DateText = ""
    lines: Annotated[list[InvoiceLineIn], Field(max_length=50)] = []


class CheckOut(Schema):
    check: str
    ok: bool
    message: str


class InvoiceLineOut(Schema):
    id: int
    plan_line_id: int
    units_hundredths: int
    unit_rate_pence: int
    amount_pence: int
    deployment: str
    checks: list[CheckOut]


class InvoiceOut(Schema):
    id: int
    provider_id: int
    person_id: int
    reference: str
    period_start: dt.date
    period_end: dt.date
    status: str
    total_pence: int
    exceptions: int
    decision_reason: str
    paid_on: dt.date | None
    lines: list[InvoiceLineOut]


class InvoiceSummaryOut(Schema):
    id: int
    provider_id: int
    person_id: int
    reference: str
    period_start: dt.date
    period_end: dt.date
    status: str
    total_pence: int
    exceptions: int


class InvoicePage(Schema):
    items: list[InvoiceSummaryOut]
    count: int
    page: int
    pages: int


class InvoiceListParams(Schema):
    status: str = ""
    page: int = 1
    page_size: int = 25


def _out(invoice: Invoice) -> dict[str, Any]:
    return {
        **{f: getattr(invoice, f) for f in InvoiceSummaryOut.model_fields},
        "decision_reason": invoice.decision_reason,
        "paid_on": invoice.paid_on,
        "lines": list(invoice.lines.all()),
    }


@router.get("/invoices", response=responses(InvoicePage), summary="The invoices you may see")
def invoices_list(request: HttpRequest, params: Query[InvoiceListParams]) -> dict[str, Any]:
    require(request, "invoice.view")
    invoices = invoice_list(request.user, status=params.status)
    items, count, pages = page_of(invoices, params.page, params.page_size)
    looks_record(actor=request.user, people=items, summary="Invoices list")
    return {"items": items, "count": count, "page": params.page, "pages": pages}


@router.get("/invoices/{invoice_id}", response=responses(InvoiceOut), summary="One invoice")
def invoice_get(request: HttpRequest, invoice_id: int) -> dict[str, Any]:
    require(request, "invoice.view")
    invoice = invoice_for(request.user, invoice_id)
    look_record(actor=request.user, record=invoice, summary=f"Invoice {invoice.reference}")
    return _out(invoice)


def _date(value: str, field: str) -> dt.date:
    if not value:
        raise problem(
            field,
            "Enter the start of the period"
            if field == "period_start"
            else "Enter the end of the period",
        )
    try:
        return dt.date.fromisoformat(value)
    except ValueError as bad:
        raise problem(field, "Enter a date as YYYY-MM-DD") from bad


@router.post(
    "/invoices", response=responses(InvoiceOut, 201), summary="Send an invoice (checked at once)"
)
def invoice_create(request: HttpRequest, payload: InvoiceIn) -> Status[dict[str, Any]]:
    require(request, "invoice.submit")
    user = acting_user(request.user)
    if payload.person_id is None:
        raise problem("person_id", "Choose who the invoice is for")
    provider_id = provider_id_of(user)
    provider = Provider.objects.filter(pk=provider_id).first() if provider_id else None
    if provider is None:
        raise HttpError(403, "Your account is not linked to a provider")
    person = person_for(user, payload.person_id)
    lines = []
    for n, given in enumerate(payload.lines):
        try:
            lines.append(
                services.LineIn(
                    given.plan_line_id,
                    parsing.units_hundredths(given.units),
                    parsing.rate_pence(given.unit_rate),
                    field=f"lines.{n}",
                )
            )
        except ValueError as bad:
            raise problem(f"lines.{n}", str(bad)) from bad
    try:
        invoice = services.invoice_submit(
            actor=user,
            provider=provider,
            person=person,
            period_start=_date(payload.period_start, "period_start"),
            period_end=_date(payload.period_end, "period_end"),
            reference=payload.reference,
            lines=lines,
            source=Invoice.Source.API,
        )
    except services.InvoiceError as refused:
        raise problem(refused.field, str(refused)) from refused
    return Status(201, _out(invoice_for(user, invoice.pk)))
