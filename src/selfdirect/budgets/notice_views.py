"""Pages for written notice of a reduction or stop, and its letter as a PDF."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user, user_can
from selfdirect.audit.services import look_record, record_or_refused
from selfdirect.budgets import notices
from selfdirect.budgets.models import ChangeNotice
from selfdirect.budgets.notice_forms import NoticeForm
from selfdirect.forms_gov import posted
from selfdirect.pdf import PdfUnavailable, pdf_from_html, pdf_response, pdf_unavailable_response
from selfdirect.people.selectors import representatives_of
from selfdirect.planning.figures import budget_figures
from selfdirect.planning.selectors import plan_for
from selfdirect.refusals import require_post, run_and_tell


@requires("notice.give")
def notice_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = acting_user(request.user)
    plan = plan_for(user, plan_id)
    look_record(actor=request.user, record=plan, summary="Give notice form")
    review = None
    if request.GET.get("review", "").isdigit():
        review = record_or_refused(
            plan.reviews.all(),
            actor=user,
            object_id=int(request.GET["review"]),
            person_path="plan__person_id",
        )
    today = timezone.localdate()
    days = notices.notice_days()
    earliest = today + dt.timedelta(days=days)
    form = NoticeForm(
        posted(request),
        notice_days=days,
        earliest=earliest,
        initial={
            "applies_to": ChangeNotice.AppliesTo.BUDGET,
            "takes_effect_on": earliest,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            notice = notices.change_notice_give(
                actor=user,
                plan=plan,
                review=review,
                change=d["change"],
                applies_to=d["applies_to"],
                new_weekly_pence=d["new_amount"],
                reasons=d["reasons"],
                takes_effect_on=d["takes_effect_on"],
                today=today,
            )
        except notices.NoticeError as refused:
            field = {"new_weekly_pence": "new_amount"}.get(refused.field, refused.field)
            form.add_error(field or None, str(refused))
        else:
            messages.success(request, "The notice has been recorded: send the letter")
            return redirect("budgets:notice", notice_id=notice.pk)
    return render(
        request,
        "budgets/notice_form.html",
        {
            "new_plan": review.new_versions.order_by("-version").first()
            if review
            else notices.review_version_pending(plan),
            "plan": plan,
            "person": plan.person,
            "review": review,
            "form": form,
            "is_approved": plan.status == "approved",
            "budget_weekly_pence": notices.current_weekly_pence(plan, "budget", today),
            "direct_payment_weekly_pence": notices.current_weekly_pence(
                plan, "direct_payment", today
            ),
            "nav": "people",
        },
    )


@requires("plan.view")
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = notices.notice_get(request.user, notice_id)
    look_record(actor=request.user, record=notice, summary="Notice of a change")
    return render(
        request,
        "budgets/notice_detail.html",
        {
            "notice": notice,
            "person": notice.person,
            "can_withdraw": user_can(request.user, "notice.give") and notices.can_withdraw(notice),
            "conflict": (
                notices.conflict_text(decision)
                if (decision := notices.notice_conflict(notice))
                else ""
            ),
            "nav": "people" if user_can(request.user, "plan.edit") else "home",
        },
    )


@requires("notice.give")
def notice_withdraw(request: HttpRequest, notice_id: int) -> HttpResponse:
    require_post(request)
    user = acting_user(request.user)
    notice = notices.notice_get(user, notice_id)
    run_and_tell(
        request,
        lambda: notices.change_notice_withdraw(actor=user, notice=notice),
        "The notice has been withdrawn",
    )
    return redirect("budgets:notice", notice_id=notice.pk)


def letter_html(request: HttpRequest, notice: ChangeNotice) -> str:
    """The letter as HTML (the PDF is made from it): the four figures of the plan the notice
    is given on and, for a reduction a review implies, of the new version it brings in."""
    return render(
        request,
        "budgets/notice_letter.html",
        {
            "notice": notice,
            "figures_now": budget_figures(
                person=notice.person, on=notice.given_on, plan=notice.plan
            ),
            "figures_new": budget_figures(
                person=notice.person, on=notice.takes_effect_on, plan=notice.new_plan
            )
            if notice.new_plan
            else None,
            "person": notice.person,
            "representatives": representatives_of(notice.person, notice.given_on),
            "respond_days": settings.SELFDIRECT_CHALLENGE_WORKING_DAYS,
        },
    ).content.decode()


@requires("plan.view")
def notice_letter(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = notices.notice_get(request.user, notice_id)
    look_record(actor=request.user, record=notice, summary="Notice letter PDF")
    try:
        pdf = pdf_from_html(letter_html(request, notice), base_url=request.build_absolute_uri("/"))
    except PdfUnavailable as unavailable:
        return pdf_unavailable_response(unavailable)
    return pdf_response(pdf, f"notice-{notice.person.la_person_id}-{notice.pk}.pdf")
