"""PA employer pages (thin): the people a person employs, one PA with their training,
adding and changing a PA, the insurance, the true cost calculator, timesheets and the
payroll file. Who sees whom: employers.selectors."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user, user_can
from selfdirect.audit.services import look_record
from selfdirect.csv_export import csv_response
from selfdirect.employers import payroll, rules, selectors, services
from selfdirect.employers.forms import (
    RATE_INPUTS,
    AssistantForm,
    CostRatesForm,
    InsuranceForm,
    PaTimesheetForm,
    SendBackForm,
    TimesheetForm,
    TrainingForm,
    WhatIfForm,
    rate_as_typed,
)
from selfdirect.employers.models import EmployerCostRates, PaLink
from selfdirect.forms_gov import posted
from selfdirect.money import pounds_field
from selfdirect.refusals import Refused, require_post, run_and_tell, run_on_form


def _nav(request: HttpRequest, person_id: int) -> str:
    profile = getattr(request.user, "profile", None)
    own = profile is not None and profile.person_id == person_id
    return "home" if own or user_can(acting_user(request.user), "pa.manage") else "people"


@requires("pa.view")
def employer_person(request: HttpRequest, person_id: int) -> HttpResponse:
    """The PAs a person employs, their insurance, the true cost and the timesheets."""
    user = acting_user(request.user)
    person = selectors.employer_for(user, person_id)
    look_record(actor=user, record=person, summary="Personal assistants they employ")
    today = timezone.localdate()
    assistants = selectors.assistants_of(person)
    return render(
        request,
        "employers/person.html",
        {
            "person": person,
            "current": [a for a in assistants if a.end_date is None or a.end_date >= today],
            "past": [a for a in assistants if a.end_date is not None and a.end_date < today],
            "policy": selectors.insurance_of(person),
            "today": today,
            "soon": today + dt.timedelta(days=selectors.reminder_days()),
            "true_cost": selectors.true_cost(person, on=today),
            "timesheets": list(selectors.timesheets_of(person)[:20]),
            "spend": selectors.expected_spend(person, today=today),
            "can_manage": user_can(user, "pa.manage"),
            "nav": _nav(request, person.pk),
        },
    )


@requires("pa.manage")
def assistant_new(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request.user)
    person = selectors.employer_for(user, person_id)
    look_record(actor=user, record=person, summary="Add a personal assistant")
    form = AssistantForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: services.assistant_add(actor=user, person=person, **form.service_fields()),
        )
    ):
        messages.success(request, f"{form.cleaned_data['name']} has been added")
        return redirect("employers:person", person_id=person.pk)
    return render(
        request,
        "employers/assistant_form.html",
        {"person": person, "form": form, "assistant": None, "nav": _nav(request, person.pk)},
    )


@requires("pa.view")
def assistant_detail(request: HttpRequest, assistant_id: int) -> HttpResponse:
    user = acting_user(request.user)
    assistant = selectors.assistant_for(user, assistant_id)
    look_record(actor=user, record=assistant, summary="A personal assistant and their training")
    return render(
        request,
        "employers/assistant.html",
        {
            "person": assistant.person,
            "assistant": assistant,
            "training": list(assistant.training.all()),
            "can_manage": user_can(user, "pa.manage"),
            "nav": _nav(request, assistant.person_id),
        },
    )


@requires("pa.manage")
def assistant_edit(request: HttpRequest, assistant_id: int) -> HttpResponse:
    user = acting_user(request.user)
    assistant = selectors.assistant_for(user, assistant_id)
    look_record(actor=user, record=assistant, summary="Change a personal assistant's details")
    initial = {
        "name": assistant.name,
        "role": assistant.role,
        "hours": rules.hours_text(assistant.hours_hundredths),
        "hourly_rate": pounds_field(assistant.hourly_rate_pence),
        "start_date": assistant.start_date,
        "end_date": assistant.end_date,
        "dbs_checked_on": assistant.dbs_checked_on,
        "right_to_work_checked_on": assistant.right_to_work_checked_on,
    }
    form = AssistantForm(posted(request), initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: services.assistant_update(
                actor=user, assistant=assistant, **form.service_fields()
            ),
        )
    ):
        messages.success(request, f"{form.cleaned_data['name']}'s details have been saved")
        return redirect("employers:assistant", assistant_id=assistant.pk)
    return render(
        request,
        "employers/assistant_form.html",
        {
            "person": assistant.person,
            "form": form,
            "assistant": assistant,
            "nav": _nav(request, assistant.person_id),
        },
    )


@requires("pa.manage")
def training_new(request: HttpRequest, assistant_id: int) -> HttpResponse:
    user = acting_user(request.user)
    assistant = selectors.assistant_for(user, assistant_id)
    look_record(actor=user, record=assistant, summary="Add training for a personal assistant")
    form = TrainingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_on_form(
            form,
            lambda: services.training_add(
                actor=user,
                assistant=assistant,
                course=d["course"],
                completed_on=d["completed_on"],
                renew_by=d.get("renew_by"),
            ),
        ):
            messages.success(request, "The training has been recorded")
            return redirect("employers:assistant", assistant_id=assistant.pk)
    return render(
        request,
        "employers/training_form.html",
        {
            "person": assistant.person,
            "assistant": assistant,
            "form": form,
            "nav": _nav(request, assistant.person_id),
        },
    )


@requires("pa.manage")
def insurance_new(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request.user)
    person = selectors.employer_for(user, person_id)
    look_record(actor=user, record=person, summary="Record employer's liability insurance")
    form = InsuranceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_on_form(
            form,
            lambda: services.insurance_record(
                actor=user,
                person=person,
                insurer=d["insurer"],
                policy_number=d["policy_number"],
                expires_on=d["expires_on"],
                premium_year_pence=d.get("premium"),
            ),
        ):
            messages.success(request, "The insurance has been recorded")
            return redirect("employers:person", person_id=person.pk)
    return render(
        request,
        "employers/insurance_form.html",
        {
            "person": person,
            "form": form,
            "policy": selectors.insurance_of(person),
            "nav": _nav(request, person.pk),
        },
    )


@requires("pa.view")
def true_cost(request: HttpRequest, person_id: int) -> HttpResponse:
    """The true cost of employing the person's PAs, against their plan and budget; with a
    what-if of one more PA at a rate and hours."""
    user = acting_user(request.user)
    person = selectors.employer_for(user, person_id)
    look_record(actor=user, record=person, summary="The true cost of employing PAs")
    today = timezone.localdate()
    form = WhatIfForm(request.GET or None)
    assistants = [a.as_assistant() for a in selectors.assistants_of(person, on=today)]
    what_if = False
    allowance = False
    if form.is_bound and form.is_valid():
        allowance = bool(form.cleaned_data.get("employment_allowance"))
        if form.cleaned_data.get("hourly_rate") and form.cleaned_data.get("hours"):
            assistants.append(
                rules.Assistant(
                    name="A new personal assistant",
                    hourly_rate_pence=form.cleaned_data["hourly_rate"],
                    hours_hundredths=form.cleaned_data["hours"],
                )
            )
            what_if = True
    result = selectors.true_cost(
        person, on=today, assistants=assistants, claims_employment_allowance=allowance
    )
    return render(
        request,
        "employers/true_cost.html",
        {
            "person": person,
            "form": form,
            "has_errors": form.is_bound and not form.is_valid(),
            "true_cost": result,
            "what_if": what_if,
            "rates_words": _rates_words(result.rates) if result else None,
            "can_keep_rates": user_can(user, "pa.rates"),
            "nav": _nav(request, person.pk),
        },
    )


def _percent(basis_points: int) -> str:
    whole, part = divmod(basis_points, 100)
    return f"{whole}.{part:02d}".rstrip("0").rstrip(".") + "%" if part else f"{whole}%"


def _rates_words(rates: EmployerCostRates) -> dict[str, str]:
    whole, tenths = divmod(rates.holiday_weeks_tenths, 10)
    return {
        "ni": _percent(rates.employer_ni_rate_bp),
        "pension": _percent(rates.pension_employer_rate_bp),
        "holiday": f"{whole}.{tenths}" if tenths else str(whole),
    }


@requires("pa.manage")
def timesheet_new(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request.user)
    person = selectors.employer_for(user, person_id)
    look_record(actor=user, record=person, summary="Enter a PA's timesheet")
    assistants = selectors.assistants_of(person, on=timezone.localdate())
    form = TimesheetForm(posted(request), assistants=assistants)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        chosen = next(a for a in assistants if a.pk == d["assistant"])
        if run_on_form(
            form,
            lambda: services.timesheet_enter(
                actor=user,
                assistant=chosen,
                week_starting=d["week_starting"],
                hours_hundredths=d["hours"],
                note=d.get("note", ""),
            ),
        ):
            messages.success(
                request, f"The timesheet for {chosen.name} is entered: approve it next"
            )
            return redirect("employers:person", person_id=person.pk)
    return render(
        request,
        "employers/timesheet_form.html",
        {
            "person": person,
            "form": form,
            "assistants": assistants,
            "nav": _nav(request, person.pk),
        },
    )


@requires("pa.manage")
def timesheet_approve(request: HttpRequest, timesheet_id: int) -> HttpResponse:
    require_post(request)
    user = acting_user(request.user)
    sheet = selectors.timesheet_for(user, timesheet_id)
    run_and_tell(
        request,
        lambda: services.timesheet_approve(actor=user, timesheet=sheet),
        f"The timesheet for {sheet.assistant.name} is approved",
    )
    return redirect("employers:person", person_id=sheet.person_id)


def _date_param(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@requires("pa.view")
def payroll_csv(request: HttpRequest, person_id: int) -> HttpResponse:
    """Approved timesheets for the payroll service, for the weeks starting between ``from``
    and ``to`` (YYYY-MM-DD; the last 4 weeks if not given)."""
    user = acting_user(request.user)
    person = selectors.employer_for(user, person_id)
    today = timezone.localdate()
    end = _date_param(request.GET.get("to")) or today
    start = _date_param(request.GET.get("from")) or end - dt.timedelta(weeks=4)
    look_record(actor=user, record=person, summary=f"Payroll file {start} to {end}")
    sheets = (
        selectors.timesheets_of(person)
        .filter(status="approved", week_starting__gte=start, week_starting__lte=end)
        .select_related("person")
        .order_by("week_starting", "assistant__name", "id")
    )
    return csv_response(
        f"payroll-{person.la_person_id}-{start}-to-{end}.csv",
        payroll.COLUMNS,
        payroll.payroll_rows(sheets),
    )


@requires("pa.manage")
def timesheet_send_back(request: HttpRequest, timesheet_id: int) -> HttpResponse:
    """Send a timesheet back to the PA with the reason, instead of approving it."""
    user = acting_user(request.user)
    sheet = selectors.timesheet_for(user, timesheet_id)
    look_record(actor=user, record=sheet, summary="Send a timesheet back")
    form = SendBackForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form,
            lambda: services.timesheet_send_back(
                actor=user, timesheet=sheet, reason=form.cleaned_data["reason"]
            ),
        )
    ):
        messages.success(request, f"The timesheet has been sent back to {sheet.assistant.name}")
        return redirect("employers:person", person_id=sheet.person_id)
    return render(
        request,
        "employers/send_back_form.html",
        {
            "person": sheet.person,
            "sheet": sheet,
            "form": form,
            "nav": _nav(request, sheet.person_id),
        },
    )


@requires("pa.manage")
def pa_link(request: HttpRequest, assistant_id: int) -> HttpResponse:
    """The PA's timesheet link: whether one works now, and making a new one (shown once)."""
    user = acting_user(request.user)
    assistant = selectors.assistant_for(user, assistant_id)
    look_record(actor=user, record=assistant, summary="A personal assistant's timesheet link")
    context = {
        "person": assistant.person,
        "assistant": assistant,
        "nav": _nav(request, assistant.person_id),
    }
    if request.method == "POST":
        try:
            link, token = services.pa_link_create(actor=user, assistant=assistant)
        except Refused as refused:
            messages.error(request, str(refused))
            return redirect("employers:pa_link", assistant_id=assistant.pk)
        address = request.build_absolute_uri(reverse("employers:pa_timesheet", args=[token]))
        return render(
            request, "employers/pa_link_made.html", {**context, "link": link, "address": address}
        )
    return render(
        request,
        "employers/pa_link.html",
        {
            **context,
            "links": selectors.links_of(assistant),
            "now": timezone.now(),
            "days": services.LINK_DAYS,
            "max_failures": services.LINK_MAX_FAILURES,
            "can_make": assistant.end_date is None or assistant.end_date >= timezone.localdate(),
        },
    )


@requires("pa.manage")
def pa_link_revoke(request: HttpRequest, link_id: int) -> HttpResponse:
    require_post(request)
    user = acting_user(request.user)
    link = selectors.link_for(user, link_id)
    run_and_tell(
        request,
        lambda: services.pa_link_revoke(actor=user, link=link),
        f"The timesheet link for {link.assistant.name} has stopped working",
    )
    return redirect("employers:pa_link", assistant_id=link.assistant_id)


def pa_timesheet(request: HttpRequest, token: str) -> HttpResponse:
    """The PA's own page, on their private link, without signing in (decision 0054): enter
    the hours of a week. It shows only the PA's name, their employer's first name and their
    own timesheets. Unknown link: 404; stopped, expired or locked: a plain page (410)."""
    link = services.pa_link_by_token(token)
    if link is None:
        raise Http404("No such link")
    assistant = link.assistant
    if not services.pa_link_working(link):
        return _stopped(request, link)
    form = PaTimesheetForm(posted(request))
    if request.method == "POST":
        entered = form.is_valid() and run_on_form(
            form,
            lambda: services.pa_link_timesheet_enter(
                link=link,
                week_starting=form.cleaned_data["week_starting"],
                hours_hundredths=form.cleaned_data["hours"],
                note=form.cleaned_data.get("note", ""),
            ),
        )
        if entered:
            messages.success(
                request,
                f"Thank you. Your timesheet is sent to {assistant.person.given_name} to approve",
            )
            return _private(redirect("employers:pa_timesheet", token=token))
        counted = services.pa_link_failure(link=link)
        if counted.locked_at is not None:
            return _stopped(request, counted)
    else:  # the PA has no user: the look names the link (its id), about the person
        look_record(
            actor=None,
            record=link,
            person_id=assistant.person_id,
            summary=f"{assistant.name} opened their timesheet link",
        )
    return _private(
        render(
            request,
            "employers/pa_timesheet.html",
            {
                "form": form,
                "assistant_name": assistant.name,
                "employer": assistant.person.given_name,
                "sheets": selectors.timesheets_of_assistant(assistant)[:8],
            },
        )
    )


def _stopped(request: HttpRequest, link: PaLink) -> HttpResponse:
    """A plain page for a link that no longer works (410 Gone): nothing of the record."""
    response = render(
        request,
        "employers/pa_link_stopped.html",
        {"employer": link.assistant.person.given_name, "locked": link.locked_at is not None},
        status=410,
    )
    return _private(response)


def _private(response: HttpResponse) -> HttpResponse:
    """The PA's link is a secret: no cache keeps the page. (No other site learns it from a
    referrer either: the site's policy is "same-origin". "no-referrer" would make browsers
    send "Origin: null" with the form, which the CSRF check rightly refuses.)"""
    add_never_cache_headers(response)
    return response


@requires("pa.rates")
def cost_rates(request: HttpRequest) -> HttpResponse:
    """Every tax year's rates for the true cost, with sources and what is not yet checked;
    and adding the next year's (or a correction) as a new row from a later date."""
    user = acting_user(request.user)
    rows = list(EmployerCostRates.objects.order_by("-effective_from"))
    latest = rows[0] if rows else None
    initial: dict[str, object] = {}
    if latest is not None:
        initial = {name: rate_as_typed(name, getattr(latest, name)) for name in RATE_INPUTS}
        initial["source"] = latest.source
        initial["not_yet_checked"] = latest.not_yet_checked
    form = CostRatesForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_on_form(
            form,
            lambda: services.cost_rates_add(
                actor=user,
                effective_from=d["effective_from"],
                figures=form.figures(),
                source=d["source"],
                not_yet_checked=d.get("not_yet_checked", ""),
            ),
        ):
            messages.success(request, "The rates have been added")
            return redirect("employers:rates")
    in_force = selectors.rates_on(timezone.localdate())
    return render(
        request,
        "employers/rates.html",
        {
            "rows": [(row, _rates_words(row)) for row in rows],
            "in_force": in_force,
            "form": form,
            "nav": "home",
        },
    )
