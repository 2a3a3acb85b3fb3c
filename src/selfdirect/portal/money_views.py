"""'Your money' pages: the holder's (or their representative's) balance and payments, a
statement for a date range (page, PDF, CSV; also for the staff who see the ledger), and a
plain guide to what the money can be spent on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user, user_can
from selfdirect.audit.services import look_record
from selfdirect.csv_export import csv_response
from selfdirect.employers.selectors import expected_spend
from selfdirect.forms_gov import GovDateField, required_message
from selfdirect.payments.models import DETAILS_WRONG
from selfdirect.payments.problems import problems_of_person
from selfdirect.pdf import PdfUnavailable, pdf_from_html, pdf_response, pdf_unavailable_response
from selfdirect.people.context_processors import who_to_contact
from selfdirect.people.models import Person
from selfdirect.portal import money
from selfdirect.portal.selectors import look_subjects_for
from selfdirect.portal.spending import SPENDING_GUIDE, stream_limits


class StatementForm(forms.Form):
    start = GovDateField(label="From", error_messages=required_message("The start date"))
    end = GovDateField(label="To", error_messages=required_message("The end date"))

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            refused = money.statement_range_refusal(start, end, self.today)
            if refused is not None:
                self.add_error(refused[0], refused[1])
        return cleaned


def _statement_range(request: HttpRequest) -> tuple[StatementForm, tuple[dt.date, dt.date] | None]:
    """The date range asked for in the address (or the default one when none is given)."""
    today = timezone.localdate()
    asked = any(k.startswith(("start", "end")) for k in request.GET)
    if not asked:
        start, end = money.statement_default_range(today)
        return StatementForm(initial={"start": start, "end": end}, today=today), (start, end)
    form = StatementForm(request.GET, today=today)
    if form.is_valid():
        return form, (form.cleaned_data["start"], form.cleaned_data["end"])
    return form, None


def _range_query(start: dt.date, end: dt.date) -> str:
    return urlencode({"start": start.isoformat(), "end": end.isoformat()})


@requires("money.view")
def money_choose(request: HttpRequest) -> HttpResponse:
    """Whose money: straight to the holder's own, or a choice for a representative."""
    subjects = look_subjects_for(acting_user(request.user))
    if len(subjects) == 1:
        return redirect("money:person", person_id=subjects[0].pk)
    own = getattr(getattr(request.user, "profile", None), "person_id", None)
    return render(
        request, "portal/money_choose.html", {"subjects": subjects, "own_id": own, "nav": "home"}
    )


@requires("money.view")
def money_person(request: HttpRequest, person_id: int) -> HttpResponse:
    """The balance by way of holding, payments in and out, contributions, what is due next,
    alerts and the link person (REQ-9, REQ-34)."""
    user = acting_user(request.user)
    person = money.money_person_for(user, person_id)
    look_record(actor=request.user, record=person, summary="Money: balance and payments")
    summary = money.money_summary(person, money.words_for(user, person))
    start, end = money.statement_default_range(timezone.localdate())
    # What approved PA timesheets commit the person to (issue 14; docs/pa-employers.md).
    pa_spend = expected_spend(person, today=timezone.localdate())
    return render(
        request,
        "portal/money.html",
        {
            "person": person,
            "money": summary,
            "words": summary.words,
            "payment_problems": problems_of_person(person),
            "details_wrong": sorted(DETAILS_WRONG),
            "range_query": _range_query(start, end),
            "pa_spend": pa_spend,
            "nav": "home",
        },
    )


@requires("money.statement")
def money_statement(request: HttpRequest, person_id: int) -> HttpResponse:
    """A statement for a date range on screen, with the PDF and CSV of the same range."""
    user = acting_user(request.user)
    person = money.money_person_for(user, person_id, staff_allowed=True)
    look_record(actor=request.user, record=person, summary="Money statement")
    form, chosen = _statement_range(request)
    words = money.words_for(user, person)
    statement = (
        money.money_statement(person, words, start=chosen[0], end=chosen[1]) if chosen else None
    )
    return render(
        request,
        "portal/money_statement.html",
        {
            "person": person,
            "form": form,
            "statement": statement,
            "words": words,
            "range_query": _range_query(*chosen) if chosen else "",
            "is_portal": user_can(user, "money.view") and not user_can(user, "ledger.view"),
            "nav": "home" if user_can(user, "money.view") else "people",
        },
    )


def _statement_or_back(
    request: HttpRequest, person_id: int, what: str
) -> tuple[Person, money.Statement] | HttpResponse:
    user = acting_user(request.user)
    person = money.money_person_for(user, person_id, staff_allowed=True)
    _form, chosen = _statement_range(request)
    if chosen is None:  # a range that cannot be given: the page says why
        url = reverse("money:statement", kwargs={"person_id": person.pk})
        return redirect(f"{url}?{request.GET.urlencode()}")
    look_record(actor=request.user, record=person, summary=f"Money statement {what}")
    words = money.words_for(user, person)
    return person, money.money_statement(person, words, start=chosen[0], end=chosen[1])


@requires("money.statement")
def money_statement_pdf(request: HttpRequest, person_id: int) -> HttpResponse:
    got = _statement_or_back(request, person_id, "PDF")
    if isinstance(got, HttpResponse):
        return got
    person, statement = got
    html = render(
        request,
        "portal/money_statement_pdf.html",
        {
            "person": person,
            "statement": statement,
            "words": money.words_for(acting_user(request.user), person),
            "today": timezone.localdate(),
        },
    ).content.decode()
    try:
        pdf = pdf_from_html(html, base_url=request.build_absolute_uri("/"))
    except PdfUnavailable as unavailable:
        return pdf_unavailable_response(unavailable)
    return pdf_response(pdf, _filename(person, statement, "pdf"))


def _filename(person: Person, statement: money.Statement, ext: str) -> str:
    return f"money-statement-{person.la_person_id}-{statement.start}-to-{statement.end}.{ext}"


def _pounds_number(pence: int) -> Decimal:
    """Pence as a number of pounds for a spreadsheet, exactly (no floats)."""
    return (Decimal(pence) / 100).quantize(Decimal("0.01"))


@requires("money.statement")
def money_statement_csv(request: HttpRequest, person_id: int) -> HttpResponse:
    got = _statement_or_back(request, person_id, "CSV")
    if isinstance(got, HttpResponse):
        return got
    person, statement = got
    rows: list[list[Any]] = [
        [
            statement.start.isoformat(),
            "Opening balance",
            "",
            "",
            "",
            _pounds_number(statement.opening_pence),
        ]
    ]
    rows += [
        [
            m.date.isoformat(),
            m.description,
            m.way_label,
            _pounds_number(m.in_pence) if m.in_pence else "",
            _pounds_number(m.out_pence) if m.out_pence else "",
            _pounds_number(m.balance_pence),
        ]
        for m in statement.movements
    ]
    rows.append(
        [
            statement.end.isoformat(),
            "Closing balance",
            "",
            _pounds_number(statement.money_in_pence),
            _pounds_number(statement.money_out_pence),
            _pounds_number(statement.closing_pence),
        ]
    )
    return csv_response(
        _filename(person, statement, "csv"),
        ["Date", "Description", "Way of holding", "Money in (£)", "Money out (£)", "Balance (£)"],
        rows,
    )


@login_required
def money_spending(request: HttpRequest) -> HttpResponse:
    """What the money can and cannot be spent on, in plain English (REQ-19), with an easy
    read version for people whose communication needs ask for it."""
    # The one rule for pages about no one (docs/easy-read.md): easy read first when a
    # person the reader is, or reads for, needs it.
    needs_easy_read = bool(who_to_contact(request).get("reader_needs_easy_read"))
    version = request.GET.get("version", "")
    easy_read = version == "easy-read" or (needs_easy_read and version != "standard")
    return render(
        request,
        "portal/money_spending.html",
        {
            "guide": SPENDING_GUIDE,
            "limits": stream_limits(timezone.localdate()),
            "easy_read": easy_read,
            "nav": "home",
        },
    )
