"""Recovery pages: finance opens and works a case step by step; the person's team reads
it; a team manager decides an appeal; the holder or their representative reads their case
in plain words, explains and appeals. Letters as PDF. Every look is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user, user_can
from selfdirect.audit.services import look_record, looks_record
from selfdirect.budgets.selectors import active_direct_payment
from selfdirect.forms_gov import posted
from selfdirect.money import pounds_field
from selfdirect.monitoring.selectors import surplus_for
from selfdirect.pdf import PdfUnavailable, pdf_from_html, pdf_response, pdf_unavailable_response
from selfdirect.people.selectors import person_for, representatives_of
from selfdirect.recovery import forms as F
from selfdirect.recovery import services as S
from selfdirect.recovery.models import RecoveryCase
from selfdirect.recovery.selectors import case_for, open_cases
from selfdirect.recovery.timeline import timeline
from selfdirect.refusals import Refused, require_post, run_and_tell


def _run(form: Any, run: Callable[[], Any]) -> bool:
    try:
        run()
    except Refused as refused:
        form.add_error(F.field_of(refused.field) or None, str(refused))
        return False
    return True


def _context(request: HttpRequest, case: RecoveryCase, **extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "case": case,
        "person": case.person,
        "timeline": timeline(case),
        "instalments": list(case.instalments.all()),
        "appeal_until": S.appeal_until(case),
        "today": today,
        **extra,
    }


@requires("recovery.manage")
def case_list(request: HttpRequest) -> HttpResponse:
    cases = list(open_cases(request.user)[:200])
    looks_record(actor=request.user, people=cases, summary="Open recovery cases")
    return render(request, "recovery/case_list.html", {"cases": cases, "nav": "home"})


@requires("recovery.manage")
def case_new(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request.user)
    person = person_for(user, person_id)
    look_record(actor=request.user, record=person, summary="Start a recovery case form")
    agreement = active_direct_payment(person)
    today = timezone.localdate()
    # The latest statement monitoring flagged as above the allowance, offered as the source.
    surplus = surplus_for(person)
    initial: dict[str, object] = {"source": "ledger", "balance_on": today}
    if surplus is not None:
        balance_found, _weeks, found_on, statement_id = surplus
        initial = {
            "source": RecoveryCase.Source.STATEMENT,
            "balance_on": found_on,
            "balance": pounds_field(balance_found),
            "source_reference": f"Statement {statement_id}",
        }
    form = F.CaseOpenForm(posted(request), initial=initial)
    balance = weekly = None
    if agreement is not None:
        balance = S.direct_payment_balance(agreement, today)
        weekly = S.direct_payment_weekly(agreement, today)
    if request.method == "POST" and agreement is not None and form.is_valid():
        d = form.cleaned_data
        made: list[RecoveryCase] = []
        if _run(
            form,
            lambda: made.append(
                S.recovery_case_open(
                    actor=user,
                    agreement=agreement,
                    source=d["source"],
                    balance_on=d["balance_on"],
                    balance_pence=d["balance"],
                    source_reference=d["source_reference"],
                    weekly_pence=d["weekly"],
                    today=today,
                )
            ),
        ):
            messages.success(request, "The recovery case is open: send the letter")
            return redirect("recovery:case", case_id=made[0].pk)
    return render(
        request,
        "recovery/case_new.html",
        {
            "person": person,
            "agreement": agreement,
            "form": form,
            "ledger_balance": balance,
            "statement_surplus": surplus,
            "weekly_pence": weekly,
            "weeks": S.contingency_weeks(),
            "nav": "people",
        },
    )


@requires("recovery.view")
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id)
    look_record(actor=request.user, record=case, summary="Recovery case")
    today = timezone.localdate()
    user = request.user
    manage = user_can(user, "recovery.manage")
    return render(
        request,
        "recovery/case_detail.html",
        _context(
            request,
            case,
            can_manage=manage,
            can_decide=manage and S.decide_refusal(acting_user(user), case, today) is None,
            decide_refusal=S.decide_refusal(acting_user(user), case, today) if manage else "",
            can_decide_appeal=user_can(user, "recovery.appeal_decide")
            and case.status == RecoveryCase.Status.APPEALED,
            nav="people",
        ),
    )


@requires("recovery.manage")
def letter_send(request: HttpRequest, case_id: int) -> HttpResponse:
    require_post(request)
    user = acting_user(request.user)
    case = case_for(user, case_id)
    run_and_tell(
        request,
        lambda: S.recovery_letter_send(actor=user, case=case),
        "The letter has been sent: the person has time to explain",
    )
    return redirect("recovery:case", case_id=case.pk)


def _step(
    request: HttpRequest,
    case_id: int,
    *,
    form_class: type,
    template: str,
    summary: str,
    run: Callable[[Any, RecoveryCase, dict[str, Any]], Any],
    done: str,
    back: str = "recovery:case",
    **extra: Any,
) -> HttpResponse:
    """One step's form on a case: shown, and on a valid POST its service run."""
    user = acting_user(request.user)
    case = case_for(user, case_id)
    look_record(actor=request.user, record=case, summary=summary)
    form = form_class(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(form, lambda: run(user, case, form.cleaned_data))
    ):
        messages.success(request, done)
        return redirect(back, case_id=case.pk)
    return render(request, template, _context(request, case, form=form, **extra))


@requires("recovery.manage")
def explanation(request: HttpRequest, case_id: int) -> HttpResponse:
    return _step(
        request,
        case_id,
        form_class=F.ExplanationForm,
        template="recovery/step_explanation.html",
        summary="Record the person's explanation form",
        run=lambda user, case, d: S.recovery_explanation_record(
            actor=user,
            case=case,
            kind=d["kind"],
            explanation=d["explanation"],
            evidence_note=d["evidence_note"],
        ),
        done="The explanation has been recorded",
        on_behalf=True,
        nav="people",
    )


@requires("recovery.manage")
def adjustments(request: HttpRequest, case_id: int) -> HttpResponse:
    return _step(
        request,
        case_id,
        form_class=F.AdjustmentsForm,
        template="recovery/step_adjustments.html",
        summary="Record reasonable adjustments form",
        run=lambda user, case, d: S.recovery_adjustments_record(
            actor=user, case=case, adjustments=d["adjustments"]
        ),
        done="The reasonable adjustments have been recorded",
        nav="people",
    )


@requires("recovery.manage")
def decide(request: HttpRequest, case_id: int) -> HttpResponse:
    return _step(
        request,
        case_id,
        form_class=F.DecideForm,
        template="recovery/step_decide.html",
        summary="Decide the recovery form",
        run=lambda user, case, d: S.recovery_decide(
            actor=user,
            case=case,
            decision=d["decision"],
            amount_pence=d["amount"],
            reasons=d["reasons"],
        ),
        done="The decision has been recorded: send the decision letter",
        nav="people",
    )


@requires("recovery.manage")
def plan(request: HttpRequest, case_id: int) -> HttpResponse:
    return _step(
        request,
        case_id,
        form_class=F.PlanForm,
        template="recovery/step_plan.html",
        summary="Set the recovery plan form",
        run=lambda user, case, d: S.recovery_plan_set(
            actor=user,
            case=case,
            kind=d["kind"],
            first_due_on=d["first_due_on"],
            count=d["count"],
        ),
        done="The recovery plan has been set",
        nav="people",
    )


@requires("recovery.appeal_decide")
def appeal_decide(request: HttpRequest, case_id: int) -> HttpResponse:
    return _step(
        request,
        case_id,
        form_class=F.AppealDecideForm,
        template="recovery/step_appeal_decide.html",
        summary="Decide the appeal form",
        run=lambda user, case, d: S.recovery_appeal_decide(
            actor=user, case=case, outcome=d["outcome"], reasons=d["reasons"]
        ),
        done="The appeal has been decided: send the outcome letter",
        nav="people",
    )


# The person's own pages (the holder, or their representative).


@requires("recovery.respond")
def yours(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request.user, case_id)
    look_record(actor=request.user, record=case, summary="Their recovery case")
    today = timezone.localdate()
    until = S.appeal_until(case)
    return render(
        request,
        "recovery/yours.html",
        _context(
            request,
            case,
            is_own=getattr(getattr(request.user, "profile", None), "person_id", None)
            == case.person_id,
            can_explain=case.letter_sent_on is not None and case.decided_on is None,
            can_appeal=bool(case.decided_pence)
            and case.appealed_on is None
            and until is not None
            and today <= until,
            nav="home",
        ),
    )


@requires("recovery.respond")
def your_explanation(request: HttpRequest, case_id: int) -> HttpResponse:
    return _step(
        request,
        case_id,
        form_class=F.ExplanationForm,
        template="recovery/step_explanation.html",
        summary="Explain the money in the account form",
        run=lambda user, case, d: S.recovery_explanation_record(
            actor=user,
            case=case,
            kind=d["kind"],
            explanation=d["explanation"],
            evidence_note=d["evidence_note"],
        ),
        done="Thank you: we have your explanation and will read it before deciding anything",
        back="recovery:yours",
        on_behalf=False,
        nav="home",
    )


@requires("recovery.respond")
def your_appeal(request: HttpRequest, case_id: int) -> HttpResponse:
    return _step(
        request,
        case_id,
        form_class=F.AppealForm,
        template="recovery/step_appeal.html",
        summary="Appeal the decision form",
        run=lambda user, case, d: S.recovery_appeal(actor=user, case=case, appeal=d["appeal"]),
        done="Your appeal has been sent: nothing more is taken until a manager decides it",
        back="recovery:yours",
        nav="home",
    )


LETTERS = {
    "opening": ("recovery/letter_opening.html", "letter_sent_on", "Recovery letter PDF"),
    "decision": ("recovery/letter_decision.html", "decided_on", "Recovery decision letter PDF"),
    "appeal": ("recovery/letter_appeal.html", "appeal_decided_on", "Recovery appeal letter PDF"),
}


def letter_html(request: HttpRequest, case: RecoveryCase, kind: str) -> str:
    template, dated, _ = LETTERS[kind]
    on: dt.date = getattr(case, dated)
    return render(
        request,
        template,
        {
            "case": case,
            "person": case.person,
            "today": on,
            "representatives": representatives_of(case.person, on),
            "instalments": list(case.instalments.all()),
            "appeal_until": S.appeal_until(case),
            "appeal_days": settings.SELFDIRECT_RECOVERY_APPEAL_DAYS,
        },
    ).content.decode()


@requires("recovery.letter")
def letter(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    case = case_for(request.user, case_id)
    if kind not in LETTERS or getattr(case, LETTERS[kind][1]) is None:
        raise Http404("No such letter")
    look_record(actor=request.user, record=case, summary=LETTERS[kind][2])
    try:
        pdf = pdf_from_html(
            letter_html(request, case, kind), base_url=request.build_absolute_uri("/")
        )
    except PdfUnavailable as unavailable:
        return pdf_unavailable_response(unavailable)
    return pdf_response(pdf, f"recovery-{case.person.la_person_id}-{case.pk}-{kind}.pdf")
