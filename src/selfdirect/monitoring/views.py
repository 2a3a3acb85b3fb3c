"""Monitoring pages (thin): finance's list of who is due what check and the quarter's
random sample; a person's monitoring (tier, risk); statements, uploading one, one statement
with its flags; explaining a flag and deciding one. Who sees whom: the selectors."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user, user_can
from selfdirect.audit.services import look_record, looks_record
from selfdirect.file_checks import MAX_UPLOAD_BYTES
from selfdirect.forms_gov import posted
from selfdirect.money import pounds
from selfdirect.monitoring import selectors, services
from selfdirect.monitoring.forms import DecideForm, ExplainForm, RiskForm, StatementUploadForm
from selfdirect.monitoring.matching import FLAG_KINDS, weeks_of
from selfdirect.monitoring.statements import LAYOUTS, ColumnMapping
from selfdirect.monitoring.tiers import CHECK_WORDS, TIER_NAMES, quarter_of
from selfdirect.people.selectors import person_for
from selfdirect.refusals import require_post, run_and_tell, run_on_form


def _own(request: HttpRequest, person_id: int) -> bool:
    profile = getattr(request.user, "profile", None)
    return profile is not None and profile.person_id == person_id


@requires("monitoring.manage")
def monitoring_list(request: HttpRequest) -> HttpResponse:
    """Who is due what check and when, and this quarter's random sample."""
    user = acting_user(request.user)
    today = timezone.localdate()
    page = int(request.GET.get("page", "1")) if request.GET.get("page", "1").isdigit() else 1
    rows, pages = selectors.monitoring_list(user, on=today, page=page)
    quarter = quarter_of(today)
    sample = selectors.sample_for(quarter)
    sampled = list(sample.members.select_related("person")) if sample else []
    looks_record(
        actor=user,
        people=[r.person for r in rows] + [m.person for m in sampled],
        summary="Listed in the monitoring of direct payments",
    )
    return render(
        request,
        "monitoring/list.html",
        {
            "rows": rows,
            "page": min(max(page, 1), pages),
            "pages": pages,
            "quarter": quarter,
            "sample": sample,
            "sampled": sampled,
            "sample_size": selectors.sample_size(),
            "tiers": [(TIER_NAMES[t], CHECK_WORDS[t]) for t in TIER_NAMES],
            "rules": selectors.tier_table_on(today),
            "nav": "monitoring",
        },
    )


@requires("monitoring.manage")
def sample_draw(request: HttpRequest) -> HttpResponse:
    """Draw this quarter's random sample (once: a second press shows the first draw)."""
    require_post(request)
    user = acting_user(request.user)
    quarter = quarter_of(timezone.localdate())
    _sample, drawn = services.sample_draw(actor=user, quarter=quarter)
    if drawn:
        messages.success(request, f"The random sample for {quarter} has been drawn")
    else:
        messages.info(request, f"The random sample for {quarter} was already drawn")
    return redirect("monitoring:list")


@requires("monitoring.view")
def person_monitoring(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person's tier and why, their next check, the risk history and their statements."""
    user = acting_user(request.user)
    person = person_for(user, person_id)
    look_record(actor=user, record=person, summary="Monitoring of the direct payment")
    today = timezone.localdate()
    return render(
        request,
        "monitoring/person.html",
        {
            "person": person,
            "monitoring": selectors.person_monitoring(person, today),
            "risks": list(person.monitoring_risks.select_related("recorded_by")),
            "statements": list(selectors.statements_of(person)),
            "can_record_risk": user_can(user, "monitoring.risk"),
            "can_upload": user_can(user, "statement.upload"),
            "nav": "monitoring" if user_can(user, "monitoring.manage") else "people",
        },
    )


@requires("monitoring.risk")
def risk_new(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request.user)
    person = person_for(user, person_id)
    look_record(actor=user, record=person, summary="Record the risk for monitoring")
    form = RiskForm(posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_on_form(
            form,
            lambda: services.risk_record(
                actor=user, person=person, high_risk=d["high_risk"], reason=d["reason"]
            ),
        ):
            messages.success(request, "The risk has been recorded")
            return redirect("monitoring:person", person_id=person.pk)
    return render(
        request,
        "monitoring/risk_form.html",
        {"person": person, "form": form, "risk": selectors.risk_in_force(person), "nav": "people"},
    )


@requires("statement.view")
def statement_list(request: HttpRequest, person_id: int) -> HttpResponse:
    """The statements uploaded for a person, with the balance and anything to explain."""
    user = acting_user(request.user)
    person, statements = selectors.statements_for(user, person_id)
    look_record(actor=user, record=person, summary="Statements of the direct payment account")
    latest = next((s for s in statements if s.balance_pence is not None), None)
    return render(
        request,
        "monitoring/statements.html",
        {
            "person": person,
            "own": _own(request, person.pk),
            "statements": statements,
            "latest": latest,
            "weeks": weeks_of(latest.balance_pence, latest.weekly_pence)
            if latest and latest.balance_pence is not None
            else None,
            "allowance_weeks": selectors.contingency_weeks(),
            "can_upload": user_can(user, "statement.upload"),
            "nav": "statements" if _own(request, person.pk) else "people",
        },
    )


@requires("statement.upload")
def statement_upload(request: HttpRequest, person_id: int) -> HttpResponse:
    """Upload a statement: read and matched in the background, with a page to follow it."""
    user = acting_user(request.user)
    person = person_for(user, person_id)
    look_record(actor=user, record=person, summary="Upload a statement")
    form = StatementUploadForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        mapping = (
            ColumnMapping(
                date=d["date_column"],
                description=d["description_column"],
                amount=d["amount_column"],
                paid_out=d["paid_out_column"],
                paid_in=d["paid_in_column"],
                balance=d["balance_column"],
            )
            if d["layout"] == "columns"
            else None
        )
        job = services.statement_import_start(
            actor=user,
            person=person,
            data=upload.read(MAX_UPLOAD_BYTES),
            filename=upload.name,
            mapping=mapping,
        )
        return redirect("jobs:detail", job_id=job.pk)
    return render(
        request,
        "monitoring/upload.html",
        {
            "person": person,
            "own": _own(request, person.pk),
            "form": form,
            "layouts": LAYOUTS,
            "nav": "statements" if _own(request, person.pk) else "people",
        },
    )


@requires("statement.view")
def statement_detail(request: HttpRequest, statement_id: int) -> HttpResponse:
    """One statement: each transaction, what it was matched to, and the flags."""
    user = acting_user(request.user)
    statement = selectors.statement_for(user, statement_id)
    look_record(actor=user, record=statement, summary="A statement and its flags")
    transactions, balance_flags = selectors.statement_detail(statement)
    return render(
        request,
        "monitoring/statement.html",
        {
            "statement": statement,
            "person": statement.person,
            "own": _own(request, statement.person_id),
            "transactions": transactions,
            "balance_flags": balance_flags,
            "flag_kinds": FLAG_KINDS,
            "can_explain": user_can(user, "statement.explain"),
            "can_decide": user_can(user, "monitoring.manage"),
            "balance_words": pounds(statement.balance_pence)
            if statement.balance_pence is not None
            else "",
            "weeks": weeks_of(statement.balance_pence, statement.weekly_pence)
            if statement.balance_pence is not None
            else None,
            "nav": "statements" if _own(request, statement.person_id) else "people",
        },
    )


@requires("statement.explain")
def flag_explain(request: HttpRequest, flag_id: int) -> HttpResponse:
    """The person (or their representative) says, in their words, what an item was for."""
    user = acting_user(request.user)
    flag = selectors.flag_for(user, flag_id)
    look_record(actor=user, record=flag, summary="Explain a flagged item on a statement")
    form = ExplainForm(posted(request), initial={"explanation": flag.explanation})
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: services.flag_explain(
                actor=user, flag=flag, explanation=form.cleaned_data["explanation"]
            ),
        )
    ):
        messages.success(request, "Thank you: your explanation has been sent to the council")
        return redirect("monitoring:statement", statement_id=flag.statement_id)
    return render(
        request,
        "monitoring/explain.html",
        {
            "flag": flag,
            "form": form,
            "person": flag.person,
            "nav": "statements" if _own(request, flag.person_id) else "people",
        },
    )


@requires("monitoring.manage")
def flag_decide(request: HttpRequest, flag_id: int) -> HttpResponse:
    """Finance clears a flag, or keeps it open, with the reason (the form is on the
    statement's page, beside the flag)."""
    require_post(request)
    user = acting_user(request.user)
    flag = selectors.flag_for(user, flag_id)
    form = DecideForm(request.POST)
    if not form.is_valid():
        for error in [e for errors in form.errors.values() for e in errors]:
            messages.error(request, str(error))
        return redirect("monitoring:statement", statement_id=flag.statement_id)
    d = form.cleaned_data
    run_and_tell(
        request,
        lambda: services.flag_decide(actor=user, flag=flag, decision=d["decision"], note=d["note"]),
        "The decision on the flag has been recorded",
    )
    return redirect("monitoring:statement", statement_id=flag.statement_id)
