"""Finance officers' payment pages (runs: prepare, preview, approve, pay, files,
reconciliation) and a person's payment dates. Views are thin: services change, selectors
read and decide who sees whom."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record, look_record, looks_record
from selfdirect.file_checks import MAX_UPLOAD_MB, FileRefused, upload_read_text
from selfdirect.forms_gov import posted
from selfdirect.payments import contributions, files, problems, selectors, services
from selfdirect.payments.forms import (
    ContributionReceiptForm,
    ProblemForm,
    ProblemStopForm,
    ReturnsUploadForm,
    RunPrepareForm,
    ScheduleForm,
)
from selfdirect.payments.models import (
    RETURN_REASONS,
    PaymentFile,
    PaymentLine,
    PaymentProblem,
    PaymentRun,
)
from selfdirect.pdf import PdfUnavailable, pdf_from_html, pdf_response, pdf_unavailable_response
from selfdirect.people.selectors import person_for
from selfdirect.providers.models import Provider
from selfdirect.refusals import require_post, run_and_tell, run_on_form

LINES_PER_PAGE = 100
CHARGES_SHOWN = 50


def _run(run_id: int) -> PaymentRun:
    try:
        return selectors.run_get(run_id)
    except PaymentRun.DoesNotExist as missing:
        raise Http404 from missing


@requires("payments.run")
def run_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request.user)
    form = RunPrepareForm(posted(request))
    if request.method == "POST" and form.is_valid():
        prepared: list[PaymentRun] = []
        if run_on_form(
            form,
            lambda: prepared.append(
                services.run_prepare(
                    actor=user,
                    period=form.cleaned_data["period"].strip(),
                    frequency=form.cleaned_data["frequency"],
                )
            ),
        ):
            messages.success(
                request,
                "The payment run is prepared: check it, then ask a second finance officer to approve it",
            )
            return redirect("payments:run", run_id=prepared[0].pk)
    return render(
        request,
        "payments/runs.html",
        {"runs": list(selectors.runs()[:50]), "form": form, "nav": "payments"},
    )


def _page_lines(request: HttpRequest, run: PaymentRun) -> tuple[list[PaymentLine], object]:
    page = Paginator(selectors.run_lines(run), LINES_PER_PAGE).get_page(request.GET.get("page"))
    lines = list(page.object_list)
    if lines:
        looks_record(
            actor=request.user,
            people=[line.person_id for line in lines],
            summary=f"Payment run {run.pk}: who is paid, how much and why",
        )
    return lines, page


@requires("payments.run")
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    user = acting_user(request.user)
    run = _run(run_id)
    lines, page = _page_lines(request, run)
    run_problems = problems.problems_of_run(run)
    returned = problems.problem_ids_by_line(lines)
    for line in lines:
        line.returned = returned.get(line.pk)  # type: ignore[attr-defined]
    if run_problems:
        looks_record(
            actor=request.user,
            people=[p.person_id for p in run_problems],
            summary=f"Payment run {run.pk}: payments the bank sent back",
        )
    charges = list(run.charges.select_related("person").order_by("pk")[:CHARGES_SHOWN])
    if charges:
        looks_record(
            actor=request.user,
            people=[c.person_id for c in charges],
            summary=f"Payment run {run.pk}: contributions invoiced",
        )
    organisations = Provider.objects.filter(
        pk__in=run.lines.exclude(organisation=None).values("organisation_id")
    ).order_by("name")
    return render(
        request,
        "payments/run.html",
        {
            "run": run,
            "lines": lines,
            "page": page,
            "organisations": organisations,
            "may_approve": run.status == PaymentRun.Status.PREPARED
            and run.prepared_by_id != user.pk,
            "files": list(run.files.order_by("kind")),
            "charges": charges,
            "charges_total": run.charges.aggregate(n=Count("pk"), pence=Sum("amount_pence")),
            "problems": run_problems,
            "files_job": selectors.files_job(run),
            "nav": "payments",
        },
    )


@requires("payments.run")
def run_approve(request: HttpRequest, run_id: int) -> HttpResponse:
    require_post(request)
    user = acting_user(request.user)
    run = _run(run_id)
    run_and_tell(
        request,
        lambda: services.run_approve(actor=user, run=run),
        "The payment run is approved: it can now be paid",
    )
    return redirect("payments:run", run_id=run.pk)


@requires("payments.run")
def run_execute(request: HttpRequest, run_id: int) -> HttpResponse:
    require_post(request)
    user = acting_user(request.user)
    run = _run(run_id)
    run_and_tell(
        request,
        lambda: services.run_execute_start(actor=user, run=run),
        "Paying the run has started: its progress is on this page",
    )
    return redirect("payments:run", run_id=run.pk)


def _file_looked(request: HttpRequest, run: PaymentRun, what: str) -> list[PaymentLine]:
    lines = list(selectors.lines_paid(run))
    event_record(
        actor=request.user,
        action=Action.VIEW,
        object_type="payment_run",
        object_id=run.pk,
        summary=f"Downloaded the {what} of {run} ({len(lines)} payments)",
    )
    return lines


FILES_NOT_READY = "The bank files of this payment run are not made yet: {state}"


def _stored_file(request: HttpRequest, run_id: int, kind: str) -> HttpResponse:
    """A kept bank file, served as it was made (with its checksum); or, before it is made,
    back to the run's page, saying so."""
    run = _run(run_id)
    kept = PaymentFile.objects.filter(run=run, kind=kind).first()
    if kept is None:
        state = (
            "paying the run makes them"
            if run.status != PaymentRun.Status.PAID
            else "they are being made, or their job stopped: see below"
        )
        messages.error(request, FILES_NOT_READY.format(state=state))
        return redirect("payments:run", run_id=run.pk)
    event_record(
        actor=request.user,
        action=Action.VIEW,
        object_type="payment_run",
        object_id=run.pk,
        summary=f"Downloaded the {kept.get_kind_display()} of {run} "
        f"({kept.payment_count} payments, sha256 {kept.sha256[:12]})"[:300],
    )
    response = HttpResponse(
        services.file_bytes(kept),
        content_type=services.FILE_CONTENT_TYPE[PaymentFile.Kind(kept.kind)],
    )
    response["Content-Disposition"] = f'attachment; filename="{kept.name}"'
    response["X-Checksum-SHA256"] = kept.sha256
    return response


@requires("payments.run")
def run_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    return _stored_file(request, run_id, PaymentFile.Kind.CSV)


@requires("payments.run")
def run_bacs(request: HttpRequest, run_id: int) -> HttpResponse:
    return _stored_file(request, run_id, PaymentFile.Kind.BACS)


@requires("payments.run")
def run_files(request: HttpRequest, run_id: int) -> HttpResponse:
    require_post(request)
    user = acting_user(request.user)
    run = _run(run_id)
    run_and_tell(
        request,
        lambda: services.run_files_start(actor=user, run=run),
        "Making the bank files has started: refresh this page to download them",
    )
    return redirect("payments:run", run_id=run.pk)


@requires("payments.run")
def run_remittance(request: HttpRequest, run_id: int, provider_id: int) -> HttpResponse:
    run = _run(run_id)
    organisation = Provider.objects.filter(pk=provider_id).first()
    if organisation is None:
        raise Http404
    lines = [
        line
        for line in _file_looked(request, run, f"remittance advice for {organisation}")
        if line.organisation_id == organisation.pk
    ]
    html = render_to_string(
        "payments/remittance_pdf.html",
        {
            "run": run,
            "organisation": organisation,
            "lines": lines,
            "total_pence": sum(line.amount_pence for line in lines),
            "today": dt.date.today(),
        },
    )
    try:
        pdf = pdf_from_html(html)
    except PdfUnavailable as unavailable:
        return pdf_unavailable_response(unavailable)
    return pdf_response(pdf, files.file_name(run, f"remittance-{organisation.pk}.pdf"))


@requires("payments.run")
def run_reconciliation(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(run_id)
    check = selectors.reconciliation(run)
    return render(
        request, "payments/reconciliation.html", {"run": run, "check": check, "nav": "payments"}
    )


@requires("payments.dates")
def person_dates(request: HttpRequest, person_id: int) -> HttpResponse:
    calendar = selectors.payment_calendar_for(request.user, person_id, dt.date.today())
    look_record(actor=request.user, record=calendar.person, summary="Payment dates")
    return render(
        request,
        "payments/dates.html",
        {"calendar": calendar, "person": calendar.person, "nav": "people"},
    )


def _schedule_initial(person_id: int) -> dict[str, object]:
    """Prefilled from the person's direct payment agreement in place, if any."""
    agreement = selectors.direct_payment_in_place(person_id)
    if agreement is None:
        return {}
    return {
        "deployment": "direct_payment",
        "starts_on": agreement.starts_on,
        "payee_name": agreement.recipient.full_name
        if agreement.recipient
        else agreement.person.full_name,
        "sort_code": agreement.sort_code,
        "account_number": agreement.account_number,
    }


@requires("payments.schedule")
def schedule_set(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request.user)
    calendar = selectors.payment_calendar_for(user, person_id, dt.date.today())
    person = calendar.person
    look_record(actor=request.user, record=person, summary="Payment schedule form")
    form = ScheduleForm(posted(request), initial=_schedule_initial(person.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agreement = selectors.direct_payment_in_place(person.pk)
        if run_on_form(
            form,
            lambda: services.schedule_set(
                actor=user,
                person=person,
                deployment=data["deployment"],
                frequency=data["frequency"],
                anchor_date=data["anchor_date"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                payee_name=data["payee_name"],
                sort_code=data["sort_code"],
                account_number=data["account_number"],
                agreement_id=agreement.pk
                if agreement and data["deployment"] == "direct_payment"
                else None,
            ),
        ):
            messages.success(request, "The payment schedule is set")
            return redirect("payments:dates", person_id=person.pk)
    return render(
        request,
        "payments/schedule_form.html",
        {"person": person, "calendar": calendar, "form": form, "nav": "people"},
    )


# --- payment problems -----------------------------------------------------------------------


@requires("payments.run")
def problem_record(request: HttpRequest, run_id: int, line_id: int) -> HttpResponse:
    """Finance records that the bank sent one of the run's payments back."""
    user = acting_user(request.user)
    run = _run(run_id)
    line = (
        PaymentLine.objects.filter(run=run, pk=line_id)
        .select_related("person", "organisation")
        .first()
    )
    if line is None:
        raise Http404
    look_record(actor=request.user, record=line.person, summary=f"Payment in run {run.pk}")
    form = ProblemForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_on_form(
            form,
            lambda: problems.payment_problem_record(
                actor=user,
                line=line,
                reason=data["reason"],
                returned_on=data["returned_on"],
                bank_reference=data["bank_reference"],
                notes=data["notes"],
            ),
            field_of=lambda form, name: name if name in form.fields else None,
        ):
            messages.success(
                request,
                f"The returned payment is recorded and taken back out of the ledger; "
                f"{line.person.full_name} has been told and their worker has a task",
            )
            return redirect("payments:run", run_id=run.pk)
    return render(
        request,
        "payments/problem_form.html",
        {"run": run, "line": line, "form": form, "nav": "payments"},
    )


@requires("payments.run")
def problem_repay(request: HttpRequest, problem_id: int) -> HttpResponse:
    require_post(request)
    user = acting_user(request.user)
    problem = PaymentProblem.objects.select_related("line").filter(pk=problem_id).first()
    if problem is None:
        raise Http404
    run_and_tell(
        request,
        lambda: problems.payment_problem_repay(actor=user, problem=problem),
        "The payment is made again",
    )
    return redirect("payments:run", run_id=problem.line.run_id)


@requires("payments.run")
def problem_stop(request: HttpRequest, problem_id: int) -> HttpResponse:
    """Finance marks a returned payment not to be paid again (no run picks it up)."""
    user = acting_user(request.user)
    problem = (
        PaymentProblem.objects.select_related("line", "line__run", "person")
        .filter(pk=problem_id)
        .first()
    )
    if problem is None:
        raise Http404
    look_record(actor=request.user, record=problem.person, summary="A returned payment")
    form = ProblemStopForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: problems.payment_problem_stop(
                actor=user, problem=problem, reason=form.cleaned_data["reason"]
            ),
            field_of=lambda form, name: name if name in form.fields else None,
        )
    ):
        messages.success(
            request,
            f"The returned payment to {problem.person.full_name} is marked not to be paid "
            "again: no payment run will pay it",
        )
        return redirect("payments:run", run_id=problem.line.run_id)
    return render(
        request,
        "payments/problem_stop.html",
        {"problem": problem, "run": problem.line.run, "form": form, "nav": "payments"},
    )


REPAID_FILE_NONE = "This returned payment has not been paid again, so there is no bank file for it"


@requires("payments.run")
def problem_file(request: HttpRequest, problem_id: int, kind: str) -> HttpResponse:
    """The kept bank file (CSV or BACS) of one payment made again."""
    problem = PaymentProblem.objects.select_related("line").filter(pk=problem_id).first()
    if problem is None:
        raise Http404
    kept = problem.repaid_files.get(kind)
    if not kept:
        messages.error(request, REPAID_FILE_NONE)
        return redirect("payments:run", run_id=problem.line.run_id)
    event_record(
        actor=request.user,
        action=Action.VIEW,
        object_type="payment_problem",
        object_id=problem.pk,
        person_id=problem.person_id,
        summary=f"Downloaded the bank file ({kind}) of the payment made again "
        f"(sha256 {kept['sha256'][:12]})",
    )
    file_kind = PaymentFile.Kind.CSV if kind == "csv" else PaymentFile.Kind.BACS
    response = HttpResponse(
        kept["content"].encode("utf-8" if kind == "csv" else "ascii"),
        content_type=services.FILE_CONTENT_TYPE[file_kind],
    )
    response["Content-Disposition"] = f'attachment; filename="{kept["name"]}"'
    response["X-Checksum-SHA256"] = kept["sha256"]
    return response


@requires("payments.run")
def returns_upload(request: HttpRequest, run_id: int) -> HttpResponse:
    """The bank's returns report for the run, as a CSV: all recorded, or none."""
    user = acting_user(request.user)
    run = _run(run_id)
    form = ReturnsUploadForm(
        request.POST if request.method == "POST" else None, request.FILES or None
    )
    found: list[problems.ReturnProblem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload_read_text(upload, upload.name)
            made = problems.returns_import(actor=user, run=run, text=text, name=upload.name)
        except FileRefused as bad:
            form.add_error("file", str(bad))
        except problems.ReturnsRefused as refused:
            found = refused.problems
        else:
            messages.success(
                request,
                f"{len(made)} returned payment{'s' if len(made) != 1 else ''} recorded from the file",
            )
            return redirect("payments:run", run_id=run.pk)
    return render(
        request,
        "payments/returns_upload.html",
        {
            "run": run,
            "form": form,
            "problems": found,
            "has_errors": bool(found),
            "columns": problems.RETURN_COLUMNS,
            "reasons": list(RETURN_REASONS.items()),
            "max_mb": MAX_UPLOAD_MB,
            "nav": "payments",
        },
    )


# --- contributions invoiced -----------------------------------------------------------------


@requires("payments.run")
def person_contributions(request: HttpRequest, person_id: int) -> HttpResponse:
    """Finance: what a person owes of their invoiced contribution, the charges behind it,
    the receipts, and recording a contribution received."""
    user = acting_user(request.user)
    person = person_for(user, person_id)
    look_record(actor=request.user, record=person, summary="Contributions invoiced and received")
    form = ContributionReceiptForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_on_form(
            form,
            lambda: contributions.contribution_receipt_record(
                actor=user,
                person=person,
                amount_pence=data["amount"],
                received_on=data["received_on"],
                reference=data["reference"],
            ),
        ):
            messages.success(request, "The contribution received is recorded")
            return redirect("payments:contributions", person_id=person.pk)
    return render(
        request,
        "payments/contributions.html",
        {
            "person": person,
            "owed_pence": contributions.contribution_owed(person),
            "charges": contributions.charges_of(person),
            "receipts": contributions.receipts_of(person),
            "form": form,
            "nav": "people",
        },
    )
