"""Survey pages. Staff (commissioner, team manager) make campaigns and read their response
rates, as figures only; a team manager prints the letters of their teams' people; staff key
in a paper return by its reference. People answer their own invitation in the portal: the
question pages, save and resume, check your answers, send or decline. Every look at an
invitation is audited; one the user may not answer is a 404, recorded as refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user, user_can
from selfdirect.audit.services import look_record, looks_record
from selfdirect.forms_gov import posted
from selfdirect.pdf import PdfUnavailable, pdf_from_html, pdf_response, pdf_unavailable_response
from selfdirect.people.selectors import people_visible_to
from selfdirect.refusals import Refused, require_post, run_and_tell, run_on_form
from selfdirect.surveys import campaigns as S
from selfdirect.surveys import selectors as Q
from selfdirect.surveys.forms import CampaignForm, CheckForm, PaperReferenceForm, WhoForm
from selfdirect.surveys.jobs import invitations_job_start
from selfdirect.surveys.models import Campaign, Invitation, Response
from selfdirect.surveys.questions import (
    QuestionPage,
    answer_text,
    answers_of,
    page_form,
    question_pages,
)


def _on_form(form: Any, name: str) -> str | None:
    """A refusal goes on the field it names, or on the form as a whole."""
    return name if name in form.fields else None


# ----------------------------------------------------------------------------------------
# Staff: campaigns


@requires("survey.campaigns")
def campaign_list(request: HttpRequest) -> HttpResponse:
    rows = [(c, Q.campaign_figures(c).total) for c in Q.campaigns_list()[:50]]
    return render(request, "surveys/campaigns.html", {"rows": rows, "nav": "home"})


@requires("survey.campaigns")
def campaign_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request.user)
    form = CampaignForm(posted(request))
    made: list[Campaign] = []

    def create() -> None:
        made.append(
            S.campaign_create(
                actor=user,
                start_job=lambda c: invitations_job_start(
                    actor=user, campaign_id=c.pk, name=c.name
                ),
                **form.campaign_fields(),
            )
        )

    if request.method == "POST" and form.is_valid() and run_on_form(form, create, _on_form):
        campaign = made[0]
        messages.success(
            request,
            "The campaign has been made and people have been invited"
            if campaign.status == Campaign.Status.OPEN
            else "The campaign has been made: the invitations are being made in the background",
        )
        return redirect("surveys:campaign", campaign_id=campaign.pk)
    return render(request, "surveys/campaign_new.html", {"form": form, "nav": "home"})


@requires("survey.campaigns")
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = Q.campaign_get(campaign_id)
    user = acting_user(request.user)
    can_print = user_can(request.user, "survey.letters")
    return render(
        request,
        "surveys/campaign.html",
        {
            "campaign": campaign,
            "figures": Q.campaign_figures(campaign),
            "can_print": can_print,
            "reminders_due": S.reminder_letters_due(
                campaign, people=people_visible_to(user) if can_print else None
            ).count(),
            "batches": Q.letter_batches(campaign, user) if can_print else [],
            "nav": "home",
        },
    )


@requires("survey.campaigns")
def campaign_close(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Close the campaign now: no more answers or reminders."""
    require_post(request)
    campaign = Q.campaign_get(campaign_id)
    run_and_tell(
        request,
        lambda: S.campaign_close(actor=acting_user(request.user), campaign=campaign),
        "The campaign is closed: nobody can answer it now, and no more reminders are sent",
    )
    return redirect("surveys:campaign", campaign_id=campaign.pk)


@requires("survey.letters")
def campaign_letters(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The letters of the people in the manager's teams the campaign invites by letter,
    one a page, each with its reference for the paper return."""
    user = acting_user(request.user)
    campaign = Q.campaign_get(campaign_id)
    invitations = list(
        campaign.invitations.filter(
            channel=Invitation.Channel.LETTER,
            status__in=[Invitation.Status.INVITED, Invitation.Status.STARTED],
            person__in=people_visible_to(user),
        ).select_related("person")
    )
    looks_record(actor=user, people=[i.person for i in invitations], summary="Survey letters PDF")
    html = render_to_string(
        "surveys/letters_pdf.html",
        {"campaign": campaign, "invitations": invitations, "today": timezone.localdate()},
    )
    try:
        pdf = pdf_from_html(html, base_url=request.build_absolute_uri("/"))
    except PdfUnavailable as unavailable:
        return pdf_unavailable_response(unavailable)
    # Printed: the day a reminder letter will say "we wrote to you on" (the first print).
    S.invitation_letters_printed(actor=user, invitations=invitations)
    return pdf_response(pdf, f"survey-letters-{campaign.pk}.pdf")


@requires("survey.letters")
def reminder_letters(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Make the batch of reminder letters due for the manager's teams (each counts as a
    reminder sent now) and go to its PDF; with none due, back to the campaign saying so."""
    require_post(request)
    user = acting_user(request.user)
    campaign = Q.campaign_get(campaign_id)
    try:
        batch = S.reminder_letters_batch(
            actor=user, campaign=campaign, people=people_visible_to(user)
        )
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect("surveys:campaign", campaign_id=campaign.pk)
    return redirect("surveys:reminder_batch", campaign_id=campaign.pk, batch_id=batch.pk)


@requires("survey.letters")
def reminder_batch(request: HttpRequest, campaign_id: int, batch_id: int) -> HttpResponse:
    """A batch of reminder letters, printed again as it was made (same letters, same date):
    the letters of the people in the manager's teams only."""
    user = acting_user(request.user)
    campaign = Q.campaign_get(campaign_id)
    batch = Q.letter_batch_get(campaign, batch_id)
    invitations = list(
        batch.invitations.filter(person__in=people_visible_to(user))
        .select_related("person")
        .order_by("pk")
    )
    looks_record(
        actor=user, people=[i.person for i in invitations], summary="Survey reminder letters PDF"
    )
    html = render_to_string(
        "surveys/letters_pdf.html",
        {
            "campaign": campaign,
            "invitations": invitations,
            "today": timezone.localtime(batch.printed_at).date(),
            "reminder": True,
        },
    )
    try:
        pdf = pdf_from_html(html, base_url=request.build_absolute_uri("/"))
    except PdfUnavailable as unavailable:
        return pdf_unavailable_response(unavailable)
    return pdf_response(pdf, f"survey-reminder-letters-{campaign.pk}-{batch.pk}.pdf")


# ----------------------------------------------------------------------------------------
# Answering: one set of pages, reached by the person (their invitation) or by staff keying
# in a paper return (by its reference).


@dataclass(frozen=True)
class Flow:
    invitation: Invitation
    paper: bool
    key: Any  # the invitation's id (portal) or reference (paper)
    is_self: bool
    easy_read: bool
    query: str

    def url(self, name: str, *args: Any) -> str:
        prefix = "paper_" if self.paper else ""
        return reverse(f"surveys:{prefix}{name}", args=[self.key, *args]) + self.query


def _easy_read(request: HttpRequest, invitation: Invitation) -> tuple[bool, str]:
    version = request.GET.get("version", "")
    wanted = version == "easy-read" or (invitation.person.needs_easy_read and version != "standard")
    return wanted, f"?version={version}" if version in ("easy-read", "standard") else ""


def _portal_flow(request: HttpRequest, invitation_id: int, what: str) -> Flow:
    user = acting_user(request.user)
    invitation = Q.invitation_for(user, invitation_id)
    look_record(actor=user, record=invitation, summary=f"Survey invitation: {what}")
    own = getattr(getattr(user, "profile", None), "person_id", None)
    easy, query = _easy_read(request, invitation)
    return Flow(invitation, False, invitation.pk, own == invitation.person_id, easy, query)


def _paper_flow(request: HttpRequest, reference: str, what: str) -> Flow:
    user = acting_user(request.user)
    invitation = Q.invitation_by_reference(user, reference)
    look_record(actor=user, record=invitation, summary=f"Paper survey return: {what}")
    return Flow(invitation, True, invitation.reference, False, False, "")


def _context(flow: Flow, **extra: Any) -> dict[str, Any]:
    pages = question_pages(flow.invitation.campaign.instrument)
    return {
        "flow": flow,
        "invitation": flow.invitation,
        "campaign": flow.invitation.campaign,
        "person": flow.invitation.person,
        "page_count": len(pages),
        "staff_words": flow.paper,
        "nav": "home",
        **extra,
    }


def _finished(request: HttpRequest, flow: Flow) -> HttpResponse | None:
    """A finished invitation is not changed: its pages go to its status page."""
    if flow.invitation.is_finished:
        if flow.paper:
            messages.error(request, S.INVITATION_FINISHED)
            return redirect("surveys:paper")
        return redirect(flow.url("start"))
    return None


def _who_next(flow: Flow) -> str:
    return flow.url("page", 1)


@requires("survey.answer")
def start(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """What the survey is, the consent wording and anonymity; start, resume or decline; or,
    once finished, what was done."""
    flow = _portal_flow(request, invitation_id, "start page")
    invitation = flow.invitation
    closed = (
        invitation.campaign.closes_on < timezone.localdate()
        or invitation.campaign.status == Campaign.Status.CLOSED
    )
    if invitation.draft_answered_by or not flow.is_self:
        begin = flow.url("page", _resume_page(flow))
    else:
        begin = flow.url("who")
    return render(request, "surveys/start.html", _context(flow, begin=begin, closed=closed))


def _resume_page(flow: Flow) -> int:
    """The first page with no answer saved yet (save and resume)."""
    saved = flow.invitation.draft_answers
    for page in question_pages(flow.invitation.campaign.instrument):
        if not any(item.code in saved for item in page.items):
            return page.number
    return 1


def _who(request: HttpRequest, flow: Flow) -> HttpResponse:
    if (done := _finished(request, flow)) is not None:
        return done
    user = acting_user(request.user)
    if not flow.paper and not flow.is_self:
        # A representative answers on the person's behalf (a proxy): nothing to ask.
        return redirect(_who_next(flow))
    form = WhoForm(
        posted(request),
        paper=flow.paper,
        initial={"answered_by": flow.invitation.draft_answered_by},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_on_form(
            form, lambda: _save(user, flow, {}, form.cleaned_data["answered_by"]), _on_form
        )
    ):
        return redirect(_who_next(flow))
    return render(request, "surveys/who.html", _context(flow, form=form))


def _save(user: Any, flow: Flow, answers: dict[str, Any], answered_by: str | None = None) -> None:
    if not flow.paper and not flow.is_self:
        answered_by = Response.AnsweredBy.PROXY  # someone answering for the person
    S.invitation_progress_save(
        actor=user, invitation=flow.invitation, answers=answers, answered_by=answered_by
    )


def _page(request: HttpRequest, flow: Flow, number: int) -> HttpResponse:
    if (done := _finished(request, flow)) is not None:
        return done
    pages = question_pages(flow.invitation.campaign.instrument)
    if not 1 <= number <= len(pages):
        raise Http404("No such question")
    page: QuestionPage = pages[number - 1]
    user = acting_user(request.user)
    form = page_form(
        page,
        data=posted(request),
        initial=dict(flow.invitation.draft_answers),
        easy_read=flow.easy_read,
    )
    if request.method == "POST" and form.is_valid():
        answers = answers_of(page, form.cleaned_data)
        if run_on_form(form, lambda: _save(user, flow, answers), _on_form):
            if "save_and_leave" in request.POST:
                messages.success(
                    request,
                    "Your answers have been saved. Come back to this survey from your home page "
                    "to carry on.",
                )
                return redirect("home")
            if number < len(pages):
                return redirect(flow.url("page", number + 1))
            return redirect(flow.url("check"))
    back = (
        flow.url("page", number - 1)
        if number > 1
        else flow.url("who" if flow.paper or flow.is_self else "start")
    )
    return render(
        request,
        "surveys/question.html",
        _context(flow, form=form, page=page, number=number, back=back),
    )


def _check(request: HttpRequest, flow: Flow) -> HttpResponse:
    if (done := _finished(request, flow)) is not None:
        return done
    invitation = flow.invitation
    pages = question_pages(invitation.campaign.instrument)
    saved = invitation.draft_answers
    rows = [
        (page, item, answer_text(item, saved.get(item.code), easy_read=flow.easy_read))
        for page in pages
        for item in page.items
    ]
    user = acting_user(request.user)
    # Someone answering for the person in the portal answers on their behalf.
    proxy = Response.AnsweredBy.PROXY if not flow.paper and not flow.is_self else None
    form = CheckForm(
        posted(request), paper=flow.paper, consent_wording=invitation.campaign.consent_wording
    )
    if request.method == "POST" and form.is_valid():

        def submit() -> None:
            S.invitation_submit(
                actor=user,
                invitation=invitation,
                consent_to_report=form.cleaned_data["consent"] == "yes",
                channel=Response.Channel.PAPER if flow.paper else Response.Channel.PORTAL,
                answered_by=proxy,
            )

        if run_on_form(form, submit, _on_form):
            if flow.paper:
                messages.success(request, f"The paper return {invitation.reference} is recorded")
                return redirect("surveys:paper")
            return redirect(flow.url("start"))
    return render(
        request,
        "surveys/check.html",
        _context(
            flow,
            form=form,
            rows=rows,
            answered_by=dict(Response.AnsweredBy.choices).get(
                proxy or invitation.draft_answered_by, ""
            ),
        ),
    )


@requires("survey.answer")
def who(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return _who(request, _portal_flow(request, invitation_id, "who is answering"))


@requires("survey.answer")
def page(request: HttpRequest, invitation_id: int, number: int) -> HttpResponse:
    return _page(request, _portal_flow(request, invitation_id, f"question page {number}"), number)


@requires("survey.answer")
def check(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return _check(request, _portal_flow(request, invitation_id, "check your answers"))


def _decline(request: HttpRequest, flow: Flow) -> HttpResponse:
    if (done := _finished(request, flow)) is not None:
        return done
    if request.method == "POST":
        try:
            S.invitation_decline(actor=acting_user(request.user), invitation=flow.invitation)
        except Refused as refused:
            messages.error(request, str(refused))
        else:
            if flow.paper:
                messages.success(
                    request, f"Recorded: {flow.invitation.reference} does not want to answer"
                )
        return redirect("surveys:paper") if flow.paper else redirect(flow.url("start"))
    return render(request, "surveys/decline.html", _context(flow))


@requires("survey.answer")
def decline(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return _decline(request, _portal_flow(request, invitation_id, "decline"))


# ----------------------------------------------------------------------------------------
# Staff: paper returns


@requires("survey.paper")
def paper(request: HttpRequest) -> HttpResponse:
    """Key in a paper return: the reference printed on its letter opens its pages."""
    form = PaperReferenceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        user = acting_user(request.user)
        try:
            invitation = Q.invitation_by_reference(user, form.cleaned_data["reference"])
        except Http404:
            form.add_error("reference", PaperReferenceForm.UNKNOWN)
        else:
            if invitation.is_finished:
                form.add_error("reference", S.INVITATION_FINISHED)
            else:
                return redirect("surveys:paper_who", reference=invitation.reference)
    return render(request, "surveys/paper.html", {"form": form, "nav": "home"})


@requires("survey.paper")
def paper_who(request: HttpRequest, reference: str) -> HttpResponse:
    return _who(request, _paper_flow(request, reference, "who filled it in"))


@requires("survey.paper")
def paper_page(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    return _page(request, _paper_flow(request, reference, f"question page {number}"), number)


@requires("survey.paper")
def paper_check(request: HttpRequest, reference: str) -> HttpResponse:
    return _check(request, _paper_flow(request, reference, "check the answers"))


@requires("survey.paper")
def paper_decline(request: HttpRequest, reference: str) -> HttpResponse:
    """A letter sent back saying the person does not want to answer: no more reminders."""
    return _decline(request, _paper_flow(request, reference, "does not want to answer"))
