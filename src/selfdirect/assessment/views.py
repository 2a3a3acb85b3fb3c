"""Assessment pages: the person answers one question a page, checks and submits; the
practitioner reviews the three values of each answer, agrees them and decides eligibility."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from selfdirect.access.decorators import requires
from selfdirect.access.roles import Role
from selfdirect.access.selectors import acting_user, roles_of, user_can
from selfdirect.assessment import eligibility, services
from selfdirect.assessment.forms import (
    AnswerForm,
    EligibilityForm,
    ReferralActionForm,
    ReviewForm,
)
from selfdirect.assessment.models import Assessment, Questionnaire, Referral
from selfdirect.assessment.questionnaire import Section
from selfdirect.assessment.selectors import assessment_for
from selfdirect.assessment.signals import assessment_page_shown
from selfdirect.audit.services import look_record, looks_record, record_or_refused
from selfdirect.forms_gov import posted
from selfdirect.page_signals import page_additions
from selfdirect.pdf import PdfUnavailable, pdf_from_html, pdf_response, pdf_unavailable_response
from selfdirect.people import codes
from selfdirect.people.models import Person, Relationship
from selfdirect.people.selectors import person_for
from selfdirect.refusals import require_post, run_and_tell


def _is_staff_reviewer(request: HttpRequest) -> bool:
    return user_can(request.user, "assessment.review")


def _require_may_answer(request: HttpRequest) -> None:
    """Answers come from the person's side (holder, representative, carer) or from staff who
    review them; a planner sees an assessment but neither answers nor sends it in."""
    if request.method == "POST" and not (
        user_can(request.user, "assessment.complete_own") or _is_staff_reviewer(request)
    ):
        raise PermissionDenied


def _answering_view(request: HttpRequest, assessment: Assessment) -> str:
    """Staff record the worker's view; the person, their representative or a carer the person's."""
    return (
        "worker"
        if _is_staff_reviewer(request) and assessment.mode == Assessment.Mode.PRACTITIONER
        else "person"
    )


def _sections(assessment: Assessment) -> tuple[Section, ...]:
    return assessment.version.parsed.sections_for(assessment.user_group)


@requires("assessment.view")
def start(request: HttpRequest) -> HttpResponse:
    """Start a self-assessment (for yourself or someone you represent) or a carer's assessment."""
    user = acting_user(request.user)
    roles = roles_of(user)
    own = getattr(user.profile, "person", None)
    options: list[tuple[str, str]] = []
    if own is not None and Role.HOLDER in roles:
        options.append((f"self:{own.pk}", "A self-assessment for me"))
    if own is not None and Role.REPRESENTATIVE in roles:
        for rel in (
            Relationship.objects.current()
            .filter(related_person=own, kind__in=codes.REPRESENTATIVE_KINDS)
            .select_related("person")
        ):
            options.append(
                (
                    f"self:{rel.person_id}",
                    f"A self-assessment for {rel.person.full_name}, whom I represent",
                )
            )
    if own is not None and Role.CARER in roles:
        for rel in (
            Relationship.objects.current()
            .filter(related_person=own, kind=codes.RelationshipKind.UNPAID_CARER)
            .select_related("person")
        ):
            options.append(
                (
                    f"carer:{rel.person_id}",
                    f"A carer's assessment for me, as carer of {rel.person.full_name}",
                )
            )
    error = ""
    looks_record(
        actor=user,
        people=[int(v.split(":")[1]) for v, _ in options],
        summary="Named on the start an assessment page",
    )
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        if choice not in dict(options):
            error = "Select which assessment to start"
        else:
            kind, person_id = choice.split(":")
            # The options were built from the user's own relationships, so the ids are theirs.
            subject = person_for(user, int(person_id)) if kind == "self" else own
            assert subject is not None  # options exist only for users linked to a person
            cared_for = Person.objects.get(pk=int(person_id)) if kind == "carer" else None
            questionnaire = get_object_or_404(
                Questionnaire,
                kind=Questionnaire.Kind.SELF if kind == "self" else Questionnaire.Kind.CARER,
            )
            try:
                assessment = services.assessment_start(
                    actor=user,
                    person=subject,
                    questionnaire=questionnaire,
                    mode=Assessment.Mode.SELF,
                    cared_for=cared_for,
                )
            except services.AssessmentError as refused:
                error = str(refused)
            else:
                return redirect(
                    "assessment:question",
                    assessment_id=assessment.pk,
                    section_id=_sections(assessment)[0].id,
                )
    return render(
        request,
        "assessment/start.html",
        {"options": options, "error": error, "has_errors": bool(error), "nav": "home"},
    )


@requires("person.edit")
def start_for_person(request: HttpRequest, person_id: int) -> HttpResponse:
    """A practitioner starts an assessment with or for a person (supported or practitioner-led)."""
    user = acting_user(request.user)
    person = person_for(user, person_id)
    look_record(actor=request.user, record=person, summary="Record: start an assessment form")
    error = ""
    if request.method == "POST":
        mode = request.POST.get("mode", "")
        if mode not in (Assessment.Mode.SUPPORTED, Assessment.Mode.PRACTITIONER):
            error = "Select how the assessment will be completed"
        else:
            questionnaire = get_object_or_404(Questionnaire, kind=Questionnaire.Kind.SELF)
            try:
                assessment = services.assessment_start(
                    actor=user, person=person, questionnaire=questionnaire, mode=mode
                )
            except services.AssessmentError as refused:
                error = str(refused)
            else:
                return redirect(
                    "assessment:question",
                    assessment_id=assessment.pk,
                    section_id=_sections(assessment)[0].id,
                )
    return render(
        request,
        "assessment/start_for_person.html",
        {"person": person, "error": error, "has_errors": bool(error), "nav": "people"},
    )


@requires("assessment.view")
def question(request: HttpRequest, assessment_id: int, section_id: str) -> HttpResponse:
    user = acting_user(request.user)
    assessment = assessment_for(user, assessment_id)
    _require_may_answer(request)
    look_record(actor=request.user, record=assessment, summary=f"Assessment question {section_id}")
    if assessment.status != Assessment.Status.IN_PROGRESS:
        return redirect("assessment:detail", assessment_id=assessment.pk)
    sections = _sections(assessment)
    ids = [s.id for s in sections]
    if section_id not in ids:
        raise Http404("No such question")
    section = sections[ids.index(section_id)]
    view = _answering_view(request, assessment)
    answer = next((a for a in assessment.answers.all() if a.section_id == section_id), None)
    current = getattr(answer, services.VIEWS[view]) if answer else ""
    form = AnswerForm(
        posted(request),
        initial={"option": current},
        section=section,
    )
    if request.method == "POST" and form.is_valid():
        services.answer_record(
            actor=user,
            assessment=assessment,
            section_id=section_id,
            option_id=form.cleaned_data["option"],
            view=view,
        )
        if request.POST.get("then") == "check" or section_id == ids[-1]:
            return redirect("assessment:check", assessment_id=assessment.pk)
        return redirect(
            "assessment:question",
            assessment_id=assessment.pk,
            section_id=ids[ids.index(section_id) + 1],
        )
    position = ids.index(section_id)
    back = ids[position - 1] if position else None
    return render(
        request,
        "assessment/question.html",
        {
            "assessment": assessment,
            "section": section,
            "form": form,
            "position": position + 1,
            "total": len(ids),
            "back_section": back,
            "returning_to_check": request.GET.get("then") == "check",
            "nav": "home",
            "is_easy_read": assessment.person.needs_easy_read,
        },
    )


@requires("assessment.view")
def check(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = acting_user(request.user)
    assessment = assessment_for(user, assessment_id)
    _require_may_answer(request)
    look_record(actor=request.user, record=assessment, summary="Assessment answers to check")
    view = _answering_view(request, assessment)
    answers = {a.section_id: a for a in assessment.answers.all()}
    rows = []
    for section in _sections(assessment):
        answer = answers.get(section.id)
        chosen = getattr(answer, services.VIEWS[view]) if answer else ""
        rows.append((section, section.option(chosen).text if chosen else ""))
    error = ""
    if request.method == "POST":
        try:
            services.assessment_submit(actor=user, assessment=assessment, view=view)
        except services.AssessmentError as refused:
            error = str(refused)
        else:
            return redirect("assessment:submitted", assessment_id=assessment.pk)
    return render(
        request,
        "assessment/check.html",
        {
            "assessment": assessment,
            "rows": rows,
            "error": error,
            "has_errors": bool(error),
            "nav": "home",
        },
    )


@requires("assessment.view")
def submitted(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = assessment_for(request.user, assessment_id)
    look_record(actor=request.user, record=assessment, summary="Assessment sent")
    return render(
        request,
        "assessment/submitted.html",
        {"assessment": assessment, "nav": "home", **_carry_on(assessment)},
    )


def _carry_on(assessment: Assessment) -> dict[str, Any]:
    """For a carer who said they cannot carry on caring: what happens next, and by when."""
    if not services.carer_cannot_carry_on(assessment):
        return {"cannot_carry_on": False}
    return {
        "cannot_carry_on": True,
        "contact_by": services.carer_breakdown_contact_by(assessment),
    }


@requires("assessment.view")
def detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = assessment_for(request.user, assessment_id)
    look_record(actor=request.user, record=assessment, summary="Assessment answers")
    answers = {a.section_id: a for a in assessment.answers.all()}
    rows = []
    for section in _sections(assessment):
        answer = answers.get(section.id)

        def text(option_id: str, section: Section = section) -> str:
            return section.option(option_id).text if option_id else ""

        rows.append(
            {
                "section": section,
                "person": text(answer.person_option) if answer else "",
                "worker": text(answer.worker_option) if answer else "",
                "agreed": text(answer.agreed_option) if answer else "",
                "differs": bool(answer and answer.differs),
            }
        )
    is_reviewer = _is_staff_reviewer(request)
    added = page_additions(
        assessment_page_shown, sender=Assessment, assessment=assessment, user=request.user
    )
    return render(
        request,
        "assessment/detail.html",
        {
            "assessment": assessment,
            "rows": rows,
            "is_reviewer": is_reviewer,
            "discrepancies": sum(1 for r in rows if r["differs"]),
            "decision": getattr(assessment, "eligibility", None),
            "can_decide": user_can(request.user, "eligibility.decide"),
            "allocations": added.get("allocations", []),
            "can_calculate": user_can(request.user, "allocation.calculate")
            and assessment.status == Assessment.Status.AGREED
            and getattr(getattr(assessment, "eligibility", None), "eligible", False),
            "nav": "people" if is_reviewer else "home",
            **_carry_on(assessment),
        },
    )


@requires("assessment.review")
def review(request: HttpRequest, assessment_id: int, section_id: str) -> HttpResponse:
    user = acting_user(request.user)
    assessment = assessment_for(user, assessment_id)
    look_record(
        actor=request.user, record=assessment, summary=f"Assessment answer review {section_id}"
    )
    if assessment.status == Assessment.Status.AGREED:
        return redirect("assessment:detail", assessment_id=assessment.pk)
    try:
        section = assessment.version.parsed.section(section_id)
    except KeyError as unknown:
        raise Http404("No such question") from unknown
    answer = next((a for a in assessment.answers.all() if a.section_id == section_id), None)
    initial = {
        "worker": answer.worker_option if answer else "",
        "agreed": answer.agreed_option if answer else "",
    }
    form = ReviewForm(posted(request), initial=initial, section=section)
    if request.method == "POST" and form.is_valid():
        services.answer_record(
            actor=user,
            assessment=assessment,
            section_id=section_id,
            option_id=form.cleaned_data["worker"],
            view="worker",
        )
        if form.cleaned_data["agreed"]:
            services.answer_record(
                actor=user,
                assessment=assessment,
                section_id=section_id,
                option_id=form.cleaned_data["agreed"],
                view="agreed",
            )
        messages.success(request, f"Your answers to ‘{section.title}’ have been saved")
        return redirect("assessment:detail", assessment_id=assessment.pk)
    person_answer = (
        section.option(answer.person_option).text
        if answer and answer.person_option
        else "Not answered"
    )
    return render(
        request,
        "assessment/review.html",
        {
            "assessment": assessment,
            "section": section,
            "form": form,
            "person_answer": person_answer,
            "nav": "people",
        },
    )


@requires("assessment.review")
def agree(request: HttpRequest, assessment_id: int) -> HttpResponse:
    require_post(request)
    user = acting_user(request.user)
    assessment = assessment_for(user, assessment_id)
    run_and_tell(
        request,
        lambda: services.assessment_agree(actor=user, assessment=assessment),
        "The assessment has been agreed",
    )
    return redirect("assessment:detail", assessment_id=assessment.pk)


@requires("eligibility.decide")
def decide(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = acting_user(request.user)
    assessment = assessment_for(user, assessment_id)
    look_record(actor=request.user, record=assessment, summary="Eligibility decision form")
    if hasattr(assessment, "eligibility"):
        return redirect("assessment:detail", assessment_id=assessment.pk)
    criteria = eligibility.criteria_in_force(
        "carer" if assessment.is_carers else "adult", dt.date.today()
    )
    form = EligibilityForm(
        posted(request),
        criteria=criteria,
        initial={"decided_on": dt.date.today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        findings = eligibility.Findings(
            needs_from_condition=data["needs_from_condition"] == "yes",
            unable={
                code: frozenset(eligibility.Unable(w) for w in data[f"unable_{code}"])
                for code in criteria.outcomes
            },
            significant_impact_on_wellbeing=data["significant_impact"] == "yes",
            carer_health_deteriorating=data.get("health_deteriorating") == "yes",
        )
        try:
            decision = services.eligibility_decide(
                actor=user,
                assessment=assessment,
                findings=findings,
                decided_on=data["decided_on"],
                notes=data["notes"],
                facs_band=data["facs_band"],
            )
        except services.AssessmentError as refused:
            # Another request decided it first: say so, never a 500.
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                "Eligible: the decision has been recorded"
                if decision.eligible
                else "Not eligible: the decision has been recorded",
            )
            return redirect("assessment:detail", assessment_id=assessment.pk)
    return render(
        request,
        "assessment/eligibility.html",
        {"assessment": assessment, "form": form, "criteria": criteria, "nav": "people"},
    )


@requires("assessment.view")
def eligibility_letter(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The eligibility decision as a letter to the person: eligible or not, each condition
    met or not in the Regulations' words, the reasons, what happens next and who to contact
    (large print and easy read where the person needs them). Access as for the assessment."""
    assessment = assessment_for(request.user, assessment_id)
    decision = getattr(assessment, "eligibility", None)
    if decision is None:
        raise Http404("No eligibility decision has been recorded yet")
    look_record(actor=request.user, record=assessment, summary="Eligibility decision letter PDF")
    person = Person.objects.select_related("named_worker", "team").get(pk=assessment.person_id)
    html = render(
        request,
        "assessment/eligibility_letter.html",
        {
            "assessment": assessment,
            "decision": decision,
            "conditions": eligibility.conditions_in_words(
                decision.criteria_code, decision.findings
            ),
            "is_carer": assessment.is_carers,
            "person": person,
            "today": dt.date.today(),
        },
    ).content.decode()
    try:
        pdf = pdf_from_html(html, base_url=request.build_absolute_uri("/"))
    except PdfUnavailable as unavailable:
        return pdf_unavailable_response(unavailable)
    return pdf_response(pdf, f"eligibility-{person.la_person_id}-{assessment.pk}.pdf")


@requires("assessment.review")
def referral(request: HttpRequest, assessment_id: int, referral_id: int) -> HttpResponse:
    """Act on a referral an answer raised: sent (to whom, when) or declined (why)."""
    user = acting_user(request.user)
    assessment = assessment_for(user, assessment_id)
    record = record_or_refused(
        Referral.objects.filter(assessment=assessment),
        actor=user,
        object_id=referral_id,
        person_path="assessment__person_id",
    )
    look_record(
        actor=user,
        record=record,
        person_id=assessment.person_id,
        summary=f"Referral: {record.get_trigger_display()}",
    )
    form = ReferralActionForm(posted(request), initial={"sent_on": dt.date.today()})
    if request.method == "POST" and record.status != Referral.Status.OPEN:
        form.is_valid()
        form.add_error(None, services.REFERRAL_ACTED_ON)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "sent":
                services.referral_send(
                    actor=user, referral=record, sent_to=data["sent_to"], sent_on=data["sent_on"]
                )
            else:
                services.referral_decline(actor=user, referral=record, reason=data["reason"])
        except services.AssessmentError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, str(refused))
        else:
            messages.success(request, "What you did with the referral has been recorded")
            return redirect("assessment:detail", assessment_id=assessment.pk)
    return render(
        request,
        "assessment/referral.html",
        {"assessment": assessment, "referral": record, "form": form, "nav": "people"},
    )
