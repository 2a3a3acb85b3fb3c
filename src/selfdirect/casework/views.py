"""Front-door and case-note pages: thin, over the casework services and selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user, user_can
from selfdirect.audit.services import look_record, looks_record
from selfdirect.casework import selectors, services
from selfdirect.casework.forms import (
    CarerOfferForm,
    CaseNoteForm,
    ContactForm,
    PersonFindForm,
    TriageForm,
)
from selfdirect.forms_gov import posted
from selfdirect.people.selectors import person_for, person_list
from selfdirect.refusals import require_post

FOUND_LIMIT = 20


def _refusal_onto(form: Any, refused: services.CaseworkError) -> None:
    field = refused.field if refused.field in form.fields else None
    form.add_error(field, str(refused))


@requires("contact.record")
def queue(request: HttpRequest) -> HttpResponse:
    """The team's front door: contacts by filter with counts, and finding a person to
    record a new contact for."""
    user = request.user
    show = request.GET.get("show", "untriaged")
    show = show if show in selectors.FILTERS else "untriaged"
    contacts = list(selectors.front_door_queue(user, show)[:100])
    find = PersonFindForm(request.GET if "q" in request.GET else None)
    query = find.cleaned_data["q"].strip() if find.is_valid() else ""
    found = list(person_list(user=user, query=query)[:FOUND_LIMIT]) if query else []
    looks_record(actor=user, people=[c.person_id for c in contacts], summary="Front-door queue")
    looks_record(actor=user, people=found, summary="Front door: found when recording a contact")
    return render(
        request,
        "casework/queue.html",
        {
            "nav": "front_door",
            "show": show,
            "show_label": selectors.FILTERS[show][0],
            "counts": selectors.front_door_counts(user),
            "contacts": contacts,
            "find": find,
            "query": query,
            "found": found,
            "can_create_person": user_can(user, "person.create"),
        },
    )


@requires("contact.record")
def contact_new(request: HttpRequest, person_id: int) -> HttpResponse:
    user = acting_user(request.user)
    person = person_for(user, person_id)
    look_record(actor=user, record=person, summary="Front door: record a contact form")
    form = ContactForm(posted(request), initial={"received_on": dt.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_record(actor=user, person=person, fields=form.cleaned_data)
        except services.CaseworkError as refused:
            _refusal_onto(form, refused)
        else:
            messages.success(request, "The contact has been recorded: triage it next")
            return redirect("casework:contact", contact_id=contact.pk)
    return render(
        request,
        "casework/contact_form.html",
        {"nav": "front_door", "form": form, "person": person},
    )


@requires("contact.record")
def contact(request: HttpRequest, contact_id: int) -> HttpResponse:
    """One contact, with its triage decision (made or changed here)."""
    user = acting_user(request.user)
    record = selectors.contact_for(user, contact_id)
    look_record(actor=user, record=record, summary="Front door: a contact")
    initial = {"decision": record.decision, "decision_notes": record.decision_notes}
    form = TriageForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_triage(
                actor=user,
                contact=record,
                decision=form.cleaned_data["decision"],
                notes=form.cleaned_data["decision_notes"],
            )
        except services.CaseworkError as refused:
            _refusal_onto(form, refused)
        else:
            messages.success(request, "The triage decision has been recorded")
            return redirect("casework:contact", contact_id=record.pk)
    return render(
        request,
        "casework/contact.html",
        {
            "nav": "front_door",
            "contact": record,
            "person": record.person,
            "form": form,
            "can_triage": record.assessment_id is None,
            "can_start": record.decision == "assess" and record.assessment_id is None,
        },
    )


@requires("contact.record")
def contact_start(request: HttpRequest, contact_id: int) -> HttpResponse:
    require_post(request)
    user = acting_user(request.user)
    record = selectors.contact_for(user, contact_id)
    try:
        assessment = services.contact_assessment_start(actor=user, contact=record)
    except services.CaseworkError as refused:
        messages.error(request, str(refused))
        return redirect("casework:contact", contact_id=record.pk)
    messages.success(request, "The assessment has been started from the contact")
    return redirect("assessment:detail", assessment_id=assessment.pk)


@requires("casenote.view")
def notes(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person's case notes, newest first; staff add one here."""
    user = acting_user(request.user)
    person = person_for(user, person_id)
    can_write = user_can(user, "casenote.write")
    if request.method == "POST" and not can_write:
        raise PermissionDenied  # the person and their representative read; staff write
    look_record(actor=user, record=person, summary="Record: case notes")
    form = CaseNoteForm(posted(request), initial={"happened_on": dt.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_note_write(actor=user, person=person, fields=form.cleaned_data)
        except services.CaseworkError as refused:
            _refusal_onto(form, refused)
        else:
            messages.success(request, "The note has been added")
            return redirect("casework:notes", person_id=person.pk)
    return render(
        request,
        "casework/notes.html",
        {
            "nav": "people" if user_can(user, "person.search") else "home",
            "person": person,
            "notes": list(selectors.case_notes_of(user, person.pk)),
            "form": form if can_write else None,
            "can_write": can_write,
        },
    )


@requires("casenote.write")
def note_edit(request: HttpRequest, note_id: int) -> HttpResponse:
    user = acting_user(request.user)
    note = selectors.case_note_for(user, note_id)
    look_record(actor=user, record=note, summary="Record: change a case note")
    initial = {name: getattr(note, name) for name in services.NOTE_FIELDS}
    form = CaseNoteForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_note_change(actor=user, note=note, fields=form.cleaned_data)
        except services.CaseworkError as refused:
            _refusal_onto(form, refused)
        else:
            messages.success(request, "The note has been changed; what it said before is kept")
            return redirect("casework:notes", person_id=note.person_id)
    return render(
        request,
        "casework/note_form.html",
        {"nav": "people", "form": form, "note": note, "person": note.person},
    )


@requires("contact.record")
def carer_offer(request: HttpRequest, person_id: int) -> HttpResponse:
    """Offer a carer of a person on the caseload a carer's assessment: start it with them
    now, or record that they declined and why."""
    user = acting_user(request.user)
    person = person_for(user, person_id)
    look_record(actor=user, record=person, summary="Record: offer a carer's assessment")
    carers = {str(r.related_person_id): r.related_person for r in selectors.carers_of(person.pk)}
    form = CarerOfferForm(
        posted(request), carers=[(pk, carer.full_name) for pk, carer in carers.items()]
    )
    if request.method == "POST" and form.is_valid():
        carer = carers[form.cleaned_data["carer"]]
        try:
            if form.cleaned_data["outcome"] == "start":
                assessment = services.carer_assessment_start(actor=user, person=person, carer=carer)
                messages.success(request, f"{carer.full_name}'s carer's assessment has started")
                return redirect("assessment:detail", assessment_id=assessment.pk)
            services.carer_assessment_decline(
                actor=user, person=person, carer=carer, reason=form.cleaned_data["reason"]
            )
        except services.CaseworkError as refused:
            _refusal_onto(form, refused)
        else:
            messages.success(request, "The carer's answer and reason have been recorded")
            return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "casework/carer_offer.html",
        {"nav": "people", "form": form, "person": person, "carers": carers},
    )
