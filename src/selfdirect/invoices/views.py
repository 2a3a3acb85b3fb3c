"""The invoice pages: providers send invoices (a form or a CSV file) for the people they
support and follow them; finance works the queue, reads the checks, approves or rejects,
and records payment. Views are thin: rules live in services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user, user_can
from selfdirect.audit.services import look_record, looks_record
from selfdirect.file_checks import MAX_UPLOAD_MB, FileRefused, upload_read_text
from selfdirect.forms_gov import posted
from selfdirect.invoices import services, uploads
from selfdirect.invoices.forms import (
    DecisionForm,
    InvoiceForm,
    PaidForm,
    PersonChoiceForm,
    UploadForm,
)
from selfdirect.invoices.models import Invoice
from selfdirect.invoices.selectors import invoice_for, invoice_list, provider_id_of
from selfdirect.people.selectors import people_visible_to, person_for
from selfdirect.providers.models import Provider
from selfdirect.refusals import run_on_form


def _provider(request: HttpRequest) -> Provider:
    provider_id = provider_id_of(request.user)
    provider = Provider.objects.filter(pk=provider_id).first() if provider_id else None
    if provider is None:
        raise PermissionDenied  # a provider's account not linked to its organisation
    return provider


def _clients(request: HttpRequest):  # type: ignore[no-untyped-def]
    return people_visible_to(request.user).order_by("family_name", "given_name", "pk")


@requires("invoice.view")
def invoice_list_page(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    invoices = list(invoice_list(request.user, status=status)[:200])
    looks_record(actor=request.user, people=invoices, summary="Invoices list")
    return render(
        request,
        "invoices/list.html",
        {
            "invoices": invoices,
            "status": status,
            "statuses": Invoice.Status.choices,
            "can_submit": user_can(request.user, "invoice.submit"),
            "can_decide": user_can(request.user, "invoice.decide"),
            "nav": "invoices",
        },
    )


@requires("invoice.submit")
def invoice_new(request: HttpRequest) -> HttpResponse:
    people = _clients(request)
    form = PersonChoiceForm(posted(request), people=people)
    looks_record(actor=request.user, people=people, summary="Invoice form: people to choose from")
    if request.method == "POST" and form.is_valid():
        return redirect("invoices:new_for", person_id=form.cleaned_data["person"].pk)
    return render(request, "invoices/choose_person.html", {"form": form, "nav": "invoices"})


@requires("invoice.submit")
def invoice_new_for(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request.user)
    person = person_for(user, person_id)
    look_record(actor=user, record=person, summary="Invoice form: the plan lines to invoice")
    provider = _provider(request)
    today = timezone.localdate()
    lines = services.invoiceable_lines(person, provider, today)
    form = InvoiceForm(posted(request), plan_lines=lines)
    if request.method == "POST" and lines and form.is_valid():
        d = form.cleaned_data
        try:
            invoice = services.invoice_submit(
                actor=user,
                provider=provider,
                person=person,
                period_start=d["period_start"],
                period_end=d["period_end"],
                reference=d["reference"],
                lines=form.lines,
            )
        except services.InvoiceError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, str(refused))
        else:
            messages.success(request, f"Invoice {invoice.reference} has been sent")
            return redirect("invoices:detail", invoice_id=invoice.pk)
    return render(
        request,
        "invoices/invoice_form.html",
        {"form": form, "person": person, "provider": provider, "lines": lines, "nav": "invoices"},
    )


@requires("invoice.submit")
def invoice_upload(request: HttpRequest) -> HttpResponse:
    user = acting_user(request.user)
    form = UploadForm(request.POST if request.method == "POST" else None, request.FILES or None)
    problems: list[uploads.Problem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload_read_text(upload, upload.name)
            made = uploads.invoices_upload(
                actor=user,
                provider=_provider(request),
                people=people_visible_to(user),
                text=text,
                name=upload.name,
            )
        except FileRefused as bad:
            form.add_error("file", str(bad))
        except uploads.UploadRefused as refused:
            problems = refused.problems
        else:
            messages.success(
                request, f"{len(made)} invoice{'s' if len(made) != 1 else ''} sent from the file"
            )
            return redirect("invoices:list")
    return render(
        request,
        "invoices/upload.html",
        {
            "form": form,
            "problems": problems,
            "has_errors": bool(problems),
            "columns": uploads.COLUMNS,
            "max_mb": MAX_UPLOAD_MB,
            "nav": "invoices",
        },
    )


def _detail(request: HttpRequest, invoice: Invoice, **extra: object) -> HttpResponse:
    return render(
        request,
        "invoices/detail.html",
        {
            "invoice": invoice,
            "person": invoice.person,
            "lines": list(invoice.lines.all()),
            "can_decide": user_can(request.user, "invoice.decide"),
            "nav": "invoices",
            **extra,
        },
    )


@requires("invoice.view")
def invoice_detail(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = invoice_for(request.user, invoice_id)
    look_record(actor=request.user, record=invoice, summary=f"Invoice {invoice.reference}")
    return _detail(request, invoice)


@requires("invoice.decide")
def invoice_approve(request: HttpRequest, invoice_id: int) -> HttpResponse:
    return _decide(request, invoice_id, approve=True)


@requires("invoice.decide")
def invoice_reject(request: HttpRequest, invoice_id: int) -> HttpResponse:
    return _decide(request, invoice_id, approve=False)


def _decide(request: HttpRequest, invoice_id: int, *, approve: bool) -> HttpResponse:
    user = acting_user(request.user)
    invoice = invoice_for(user, invoice_id)
    look_record(
        actor=user,
        record=invoice,
        summary=f"{'Approve' if approve else 'Reject'} invoice {invoice.reference}",
    )
    form = DecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        service = services.invoice_approve if approve else services.invoice_reject
        if run_on_form(form, lambda: service(actor=user, invoice=invoice, reason=reason)):
            messages.success(
                request,
                f"Invoice {invoice.reference} has been {'approved' if approve else 'rejected'}",
            )
            return redirect("invoices:detail", invoice_id=invoice.pk)
    return render(
        request,
        "invoices/decide.html",
        {
            "invoice": invoice,
            "person": invoice.person,
            "form": form,
            "approve": approve,
            "nav": "invoices",
        },
    )


@requires("invoice.decide")
def invoice_pay(request: HttpRequest, invoice_id: int) -> HttpResponse:
    user = acting_user(request.user)
    invoice = invoice_for(user, invoice_id)
    look_record(
        actor=user, record=invoice, summary=f"Record payment of invoice {invoice.reference}"
    )
    form = PaidForm(posted(request))
    if request.method == "POST" and form.is_valid():
        paid_on = form.cleaned_data["paid_on"]
        if run_on_form(
            form, lambda: services.invoice_pay(actor=user, invoice=invoice, paid_on=paid_on)
        ):
            messages.success(request, f"Invoice {invoice.reference} is recorded as paid")
            return redirect("invoices:detail", invoice_id=invoice.pk)
    return render(
        request,
        "invoices/pay.html",
        {"invoice": invoice, "person": invoice.person, "form": form, "nav": "invoices"},
    )
