"""Submitting, checking, approving, rejecting and paying invoices: one transaction each,
audited. Approval and payment post to the ledger through its services, naming the invoice
as the source document and the officer who approved it (issue 12)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.access.selectors import roles_of
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.budgets.models import FundAgreement
from selfdirect.invoices import checks
from selfdirect.invoices.models import Invoice, InvoiceLine
from selfdirect.ledger import services as ledger
from selfdirect.money import pounds
from selfdirect.people.models import Person
from selfdirect.planning import streams
from selfdirect.planning.models import PlanLine, SupportPlan, line_cost_pence
from selfdirect.planning.services import arrangement_on, unit_cost_on
from selfdirect.providers.models import Provider
from selfdirect.refusals import Refused, lost_race_refused

PERIOD_IN_FUTURE = "The end of the period must be today or in the past"
PERIOD_BACKWARDS = "The end of the period must be on or after its start"
REFERENCE_NEEDED = "Enter your invoice number"
REFERENCE_USED = "You have already sent invoice {reference}: use a new invoice number"
NO_LINES = "Enter the units and rate for at least one line"
LINE_NOT_PERSONS = "Line {line} is not a line of {person}'s plan"
UNITS_NEEDED = "Enter the number of units for line {line}, more than 0"
RATE_NEEDED = "Enter the rate for line {line}, more than £0"
NOT_YOUR_CLIENT = "{person} is not supported by {provider}"
NOT_FOR_PROVIDER = "You can only send invoices for {provider}"
NOT_WAITING = "This invoice is not waiting for a decision"
NOT_APPROVED = "Only an approved invoice can be paid"
SAME_PERSON = "You entered this invoice, so another finance officer must approve it"
REASON_FOR_EXCEPTIONS = "Say why you approve this invoice though {count} of its checks failed"
REJECT_REASON_NEEDED = "Enter why the invoice is rejected"
APPROVER_PAYS = "You approved this invoice, so another finance officer must record its payment"
PAID_DATE_IN_FUTURE = "The date it was paid must be today or in the past"


class InvoiceError(Refused):
    """An invoice change refused by a rule; nothing was written."""


@dataclass(frozen=True)
class LineIn:
    """One line as submitted: the plan line's id, units (hundredths) and the unit rate."""

    plan_line_id: int
    units_hundredths: int
    unit_rate_pence: int
    field: str = "lines"  # where a refusal of this line is shown


def invoiceable_lines(person: Person, provider: Provider | None, on: dt.date) -> list[PlanLine]:
    """The lines of the person's approved plan versions held on ``on`` in a way a provider
    invoices for, by ``provider`` (or by any, for finance entering a paper invoice)."""
    plans = SupportPlan.objects.filter(
        person=person,
        status__in=[SupportPlan.Status.APPROVED, SupportPlan.Status.SUPERSEDED],
        approved_at__isnull=False,
        starts_on__lte=on,
    ).order_by("-version")
    plan = plans.first()
    if plan is None:
        return []
    lines = list(
        PlanLine.objects.filter(plan=plan).select_related("provider").prefetch_related("switches")
    )
    return [
        line
        for line in lines
        if arrangement_on(line, on)[0] in checks.INVOICED_WAYS
        and (provider is None or _held_by(line, provider, on))
    ]


def _held_by(line: PlanLine, provider: Provider, on: dt.date) -> bool:
    way, line_provider, _ = arrangement_on(line, on)
    if line_provider is not None and line_provider.pk == provider.pk:
        return True
    if way not in (FundAgreement.Kind.ISF, FundAgreement.Kind.THIRD_PARTY):
        return False
    # The organisation holding the ISF or the third-party account invoices for its lines.
    return (
        FundAgreement.objects.filter(
            plan_id=line.plan_id, organisation=provider, kind=way, status="active"
        )
        .filter(starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .exists()
    )


def _line_facts(
    invoice: Invoice, line: PlanLine, given: LineIn, exclude_invoice: int
) -> checks.LineFacts:
    start, end = invoice.period_start, invoice.period_end
    way, _, _ = arrangement_on(line, start)
    overlapping = (
        InvoiceLine.objects.filter(
            plan_line=line,
            invoice__period_start__lte=end,
            invoice__period_end__gte=start,
        )
        .exclude(invoice__status=Invoice.Status.REJECTED)
        .exclude(invoice_id=exclude_invoice)
        .values_list("invoice__reference", "invoice__period_start", "invoice__period_end")
    )
    return checks.LineFacts(
        person=str(invoice.person),
        provider=str(invoice.provider),
        approved=line.plan.approved_at is not None,
        way=way,
        way_name=streams.DEPLOYMENTS.get(way, way),
        held_by_provider=_held_by(line, invoice.provider, start),
        plan_rate_pence=unit_cost_on(line, start),
        plan_units_hundredths=line.quantity_hundredths,
        one_off=line.is_one_off,
        units_hundredths=given.units_hundredths,
        unit_rate_pence=given.unit_rate_pence,
        period_start=start,
        period_end=end,
        overlapping=tuple(overlapping[:1]),
    )


def _provider_of(actor: User) -> int | None:
    profile = getattr(actor, "profile", None)
    return profile.provider_id if profile is not None else None


def invoice_refusal_for(actor: User, provider: Provider, person: Person) -> InvoiceError | None:
    """Why ``actor`` may not send ``provider``'s invoice for ``person``: finance enters
    any provider's; a provider's staff only their own organisation's, for its clients."""
    roles = roles_of(actor)
    if Role.FINANCE in roles:
        return None
    if Role.PROVIDER not in roles or _provider_of(actor) != provider.pk:
        return InvoiceError(NOT_FOR_PROVIDER.format(provider=provider), "provider")
    today = timezone.localdate()
    current = Q(end_date__isnull=True) | Q(end_date__gte=today)
    if not person.providers.filter(current, provider=provider, start_date__lte=today).exists():
        return InvoiceError(NOT_YOUR_CLIENT.format(person=person, provider=provider), "person")
    return None


def _lost_reference(**kwargs: Any) -> InvoiceError:
    return InvoiceError(REFERENCE_USED.format(reference=kwargs.get("reference", "")), "reference")


@lost_race_refused(_lost_reference)
def invoice_submit(
    *,
    actor: User,
    provider: Provider,
    person: Person,
    period_start: dt.date,
    period_end: dt.date,
    reference: str,
    lines: list[LineIn],
    source: str = Invoice.Source.PAGE,
    today: dt.date | None = None,
) -> Invoice:
    """Record an invoice and check each line against the plan (stored with it)."""
    with transaction.atomic():
        invoice = _invoice_submit(
            actor=actor,
            provider=provider,
            person=person,
            period_start=period_start,
            period_end=period_end,
            reference=reference,
            lines=lines,
            source=source,
            today=today or timezone.localdate(),
        )
    return invoice


def _invoice_submit(
    *,
    actor: User,
    provider: Provider,
    person: Person,
    period_start: dt.date,
    period_end: dt.date,
    reference: str,
    lines: list[LineIn],
    source: str,
    today: dt.date,
) -> Invoice:
    refusal = invoice_refusal_for(actor, provider, person)
    if refusal is not None:
        raise refusal
    reference = reference.strip()
    if not reference:
        raise InvoiceError(REFERENCE_NEEDED, "reference")
    if period_end < period_start:
        raise InvoiceError(PERIOD_BACKWARDS, "period_end")
    if period_end > today:
        raise InvoiceError(PERIOD_IN_FUTURE, "period_end")
    if not lines:
        raise InvoiceError(NO_LINES, "lines")
    plan_lines = {
        pl.pk: pl
        for pl in PlanLine.objects.filter(
            pk__in=[g.plan_line_id for g in lines], plan__person=person
        )
        .select_related("plan", "provider")
        .prefetch_related("switches")
    }
    for given in lines:
        if given.plan_line_id not in plan_lines:
            raise InvoiceError(
                LINE_NOT_PERSONS.format(line=given.plan_line_id, person=person), given.field
            )
        if given.units_hundredths <= 0:
            raise InvoiceError(UNITS_NEEDED.format(line=given.plan_line_id), given.field)
        if given.unit_rate_pence <= 0:
            raise InvoiceError(RATE_NEEDED.format(line=given.plan_line_id), given.field)
    if (
        Invoice.objects.filter(provider=provider, reference=reference)
        .exclude(status=Invoice.Status.REJECTED)
        .exists()
    ):
        raise _lost_reference(reference=reference)
    invoice = Invoice.objects.create(
        provider=provider,
        person=person,
        period_start=period_start,
        period_end=period_end,
        reference=reference,
        source=source,
        entered_by=actor,
    )
    made: list[InvoiceLine] = []
    for given in lines:
        line = plan_lines[given.plan_line_id]
        facts = _line_facts(invoice, line, given, exclude_invoice=invoice.pk)
        # Two lines of this invoice on one plan line count as a duplicate too.
        if any(m.plan_line_id == line.pk for m in made):
            facts = replace(facts, overlapping=((reference, period_start, period_end),))
        made.append(
            InvoiceLine(
                invoice=invoice,
                plan_line=line,
                units_hundredths=given.units_hundredths,
                unit_rate_pence=given.unit_rate_pence,
                amount_pence=line_cost_pence(given.unit_rate_pence, given.units_hundredths),
                deployment=facts.way,
                checks=checks.line_checks(facts),
            )
        )
    InvoiceLine.objects.bulk_create(made)
    invoice.total_pence = sum(m.amount_pence for m in made)
    invoice.exceptions = sum(1 for m in made for c in m.checks if not c["ok"])
    invoice.status = Invoice.Status.CHECKED
    invoice.save(update_fields=["total_pence", "exceptions", "status"])
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="invoice",
        object_id=invoice.pk,
        person_id=person.pk,
        summary=f"Invoice {reference} from {provider}: {pounds(invoice.total_pence)} for "
        f"{period_start:%-d %B %Y} to {period_end:%-d %B %Y}, "
        + (f"{invoice.exceptions} checks failed" if invoice.exceptions else "every check passed"),
        changes={
            "Status": [None, invoice.get_status_display()],
            "Total": [None, pounds(invoice.total_pence)],
            "Source": [None, invoice.get_source_display()],
        },
    )
    return invoice


def _locked(invoice: Invoice) -> Invoice:
    return (
        Invoice.objects.select_for_update().select_related("provider", "person").get(pk=invoice.pk)
    )


@transaction.atomic
def invoice_approve(*, actor: User, invoice: Invoice, reason: str = "") -> Invoice:
    """Approve a checked invoice: what it charges moves from the person's budget account
    (for each way of holding its lines were in) to what is owed to the provider. Whoever
    entered it cannot approve it (decision 0007: the row is locked, so two officers at once
    decide once)."""
    invoice = _locked(invoice)
    if invoice.status != Invoice.Status.CHECKED:
        raise InvoiceError(NOT_WAITING)
    if invoice.entered_by_id == actor.pk:
        raise InvoiceError(SAME_PERSON)
    reason = reason.strip()
    if invoice.exceptions and not reason:
        raise InvoiceError(REASON_FOR_EXCEPTIONS.format(count=invoice.exceptions), "reason")
    by_way: dict[str, int] = defaultdict(int)
    for line in invoice.lines.all():
        by_way[line.deployment] += line.amount_pence
    posted = []
    for way, amount in sorted(by_way.items()):
        if amount <= 0:
            continue
        try:
            posted.append(
                ledger.invoice_post(
                    actor=invoice.entered_by,
                    person=invoice.person,
                    deployment=way,
                    provider=invoice.provider,
                    amount_pence=amount,
                    effective_date=invoice.period_end,
                    source_reference=_source(invoice),
                    approved_by=actor,
                )
            )
        except ledger.LedgerError as refused:
            raise InvoiceError(str(refused)) from refused
    invoice.transactions.add(*posted)
    _decided(invoice, actor=actor, status=Invoice.Status.APPROVED, reason=reason)
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="invoice",
        object_id=invoice.pk,
        person_id=invoice.person_id,
        summary=f"Approved invoice {invoice.reference} from {invoice.provider}: "
        f"{pounds(invoice.total_pence)} now owed"
        + (f" (checks failed: {reason})" if invoice.exceptions else ""),
        changes={"Status": ["Waiting for approval", "Approved"]},
    )
    return invoice


def _decided(invoice: Invoice, *, actor: User, status: str, reason: str) -> None:
    """Record finance's decision on the locked invoice: who, when, what and why."""
    invoice.status, invoice.decided_by, invoice.decided_at = status, actor, timezone.now()
    invoice.decision_reason = reason
    invoice.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])


@transaction.atomic
def invoice_reject(*, actor: User, invoice: Invoice, reason: str) -> Invoice:
    invoice = _locked(invoice)
    if invoice.status != Invoice.Status.CHECKED:
        raise InvoiceError(NOT_WAITING)
    reason = reason.strip()
    if not reason:
        raise InvoiceError(REJECT_REASON_NEEDED, "reason")
    _decided(invoice, actor=actor, status=Invoice.Status.REJECTED, reason=reason)
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="invoice",
        object_id=invoice.pk,
        person_id=invoice.person_id,
        summary=f"Rejected invoice {invoice.reference} from {invoice.provider}: {reason}"[:300],
        changes={"Status": ["Waiting for approval", "Rejected"]},
    )
    return invoice


@transaction.atomic
def invoice_pay(
    *, actor: User, invoice: Invoice, paid_on: dt.date, today: dt.date | None = None
) -> Invoice:
    """Record that an approved invoice was paid: owed to the provider, out through the bank.
    The posting names the invoice and the officer who approved it (not the one paying)."""
    invoice = _locked(invoice)
    if invoice.status != Invoice.Status.APPROVED:
        raise InvoiceError(NOT_APPROVED)
    if invoice.decided_by_id == actor.pk:
        raise InvoiceError(APPROVER_PAYS)
    if paid_on > (today or timezone.localdate()):
        raise InvoiceError(PAID_DATE_IN_FUTURE, "paid_on")
    try:
        payment = ledger.invoice_payment_post(
            actor=actor,
            provider=invoice.provider,
            amount_pence=invoice.total_pence,
            effective_date=paid_on,
            source_reference=_source(invoice),
            approved_by=invoice.decided_by,
        )
    except ledger.LedgerError as refused:
        raise InvoiceError(str(refused)) from refused  # the whole change, not a form field
    invoice.transactions.add(payment)
    invoice.status = Invoice.Status.PAID
    invoice.paid_by = actor
    invoice.paid_on = paid_on
    invoice.save(update_fields=["status", "paid_by", "paid_on"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="invoice",
        object_id=invoice.pk,
        person_id=invoice.person_id,
        summary=f"Paid invoice {invoice.reference} to {invoice.provider}: "
        f"{pounds(invoice.total_pence)} on {paid_on:%-d %B %Y}",
        changes={"Status": ["Approved", "Paid"]},
    )
    return invoice


def _source(invoice: Invoice) -> str:
    """The source document every posting of the invoice names."""
    return f"Invoice {invoice.pk} ({invoice.provider} {invoice.reference})"[:120]
