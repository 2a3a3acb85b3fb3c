"""Pages about the audit log: who has looked at a person's record (for the person and
their representative), and the data protection officer's exports of one person's or one
member of staff's audit trail, and of one person's whole record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from selfdirect.access.decorators import requires
from selfdirect.access.roles import STAFF_ROLES, Role
from selfdirect.access.selectors import acting_user
from selfdirect.audit.exports import audit_trail_export_person, audit_trail_export_user
from selfdirect.audit.models import Action, Event
from selfdirect.audit.selectors import person_looks, staff_find
from selfdirect.audit.services import look_record, look_refused
from selfdirect.csv_export import csv_download
from selfdirect.operations.jobs import job_start
from selfdirect.pdf import PdfUnavailable, pdf_unavailable_response
from selfdirect.people.models import Person
from selfdirect.people.selectors import UNKNOWN_REFERENCE, subject_find
from selfdirect.portal.jobs import AUDIT_TRAIL_PERSON, AUDIT_TRAIL_STAFF, WHOLE_RECORD_EXPORT
from selfdirect.portal.record_export import WHOLE_RECORD, person_record_export
from selfdirect.portal.selectors import look_subject_for, look_subjects_for
from selfdirect.refusals import require_post

LOOKS_PAGE_SIZE = 25
REFERENCE_NEEDED = "Enter the person's council reference"
USERNAME_NEEDED = "Enter the username of the member of staff"
USERNAME_UNKNOWN = "No user has the username {username}"
CHANNELS = {"web": "Website", "api": "A connected system (API)", "command": "Council system"}


def show_staff_names() -> bool:
    """The council's choice: show the names of those who looked (default: roles and teams only)."""
    return bool(getattr(settings, "SELFDIRECT_SHOW_STAFF_NAMES_TO_PEOPLE", False))


def _who(event: Event, reader_id: int, names: bool) -> dict[str, str]:
    """Who looked, as the person is told: "You", or their role and team (and name if the
    council shows names)."""
    if event.actor_id is not None and event.actor_id == reader_id:
        return {"name": "You", "role": "", "team": ""}
    labels = dict(Role.choices)
    codes = [c for c in event.actor_roles.split(",") if c]
    role = ", ".join(labels.get(c, c) for c in codes) or "Council system"
    name = ""
    if names and event.actor is not None:
        name = event.actor.get_full_name() or event.actor.get_username()
    return {"name": name, "role": role, "team": event.actor_teams or ""}


@requires("record.looks")
def looks_choose(request: HttpRequest) -> HttpResponse:
    """Which record's log to see: straight to the only one, or a choice for a representative."""
    subjects = look_subjects_for(request.user)
    return render(
        request,
        "portal/looks_choose.html",
        {"subjects": subjects, "own_id": _own_id(request), "nav": "home"},
    )


def _own_id(request: HttpRequest) -> int | None:
    profile = getattr(request.user, "profile", None)
    return profile.person_id if profile is not None else None


@requires("record.looks")
def looks(request: HttpRequest, person_id: int) -> HttpResponse:
    """Who has looked at the person's record, when, what they saw, by role and team."""
    user = acting_user(request.user)
    person = look_subject_for(user, person_id)
    page = Paginator(person_looks(person_id=person.pk), LOOKS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    names = show_staff_names()
    rows = [
        {
            "event": e,
            "who": _who(e, user.pk, names),
            "channel": CHANNELS.get(e.channel, e.channel),
            "exported": e.action == Action.EXPORT,
            "whole_record": e.object_type == WHOLE_RECORD,
        }
        for e in page.object_list
    ]
    return render(
        request,
        "portal/looks.html",
        {
            "person": person,
            "is_own": person.pk == _own_id(request),
            "page": page,
            "rows": rows,
            "show_names": names,
            "nav": "home",
        },
    )


class ReferenceForm(forms.Form):
    reference = forms.CharField(
        label="Council reference",
        help_text="For example, P000123",
        max_length=20,
        error_messages={"required": REFERENCE_NEEDED},
    )

    def clean_reference(self) -> Person:
        reference = self.cleaned_data["reference"]
        person = subject_find(reference=reference)
        if person is None:
            raise forms.ValidationError(UNKNOWN_REFERENCE.format(reference=reference.strip()))
        return person


class UsernameForm(forms.Form):
    username = forms.CharField(
        label="Username", max_length=150, error_messages={"required": USERNAME_NEEDED}
    )

    def clean_username(self) -> Any:
        username = self.cleaned_data["username"]
        found = staff_find(username=username)
        if found is None:
            raise forms.ValidationError(USERNAME_UNKNOWN.format(username=username.strip()))
        return found


@requires("audit.export")
def trail_person(request: HttpRequest) -> HttpResponse:
    """Find a person by council reference, then download every event about them."""
    form = ReferenceForm(request.GET or None)
    found = form.cleaned_data["reference"] if form.is_valid() else None
    if found is not None:
        look_record(actor=request.user, record=found, summary="Found for an audit trail export")
    return render(
        request,
        "portal/trail_person.html",
        {"form": form, "found": found, "nav": "home"},
    )


@requires("audit.export")
def trail_staff(request: HttpRequest) -> HttpResponse:
    """Find a user by username, then download every event by them."""
    form = UsernameForm(request.GET or None)
    found = form.cleaned_data["username"] if form.is_valid() else None
    return render(
        request,
        "portal/trail_staff.html",
        {"form": form, "found": found, "is_staff": found is not None and _is_staff(found)},
    )


def _is_staff(user: Any) -> bool:
    profile = getattr(user, "profile", None)
    return profile is not None and bool(set(profile.roles) & {str(r) for r in STAFF_ROLES})


@requires("audit.export")
def trail_person_csv(request: HttpRequest, person_id: int) -> HttpResponse:
    """Subject access: every event about the person, as CSV (the export is audited)."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise look_refused(actor=request.user, model=Person, object_id=person_id)
    response = csv_download(f"audit-trail-{person.la_person_id}.csv")
    audit_trail_export_person(actor=acting_user(request.user), person=person, out=response)  # type: ignore[arg-type]
    return response


@requires("audit.export")
def trail_staff_csv(request: HttpRequest, user_id: int) -> HttpResponse:
    """Every event by one user, as CSV (the export is audited)."""
    from django.contrib.auth.models import User

    staff = User.objects.filter(pk=user_id).first()
    if staff is None:
        raise look_refused(actor=request.user, model=User, object_id=user_id, person_path=None)
    response = csv_download(f"audit-trail-user-{staff.get_username()}.csv")
    audit_trail_export_user(actor=acting_user(request.user), user=staff, out=response)  # type: ignore[arg-type]
    return response


@requires("audit.export")
def person_record_zip(request: HttpRequest, person_id: int) -> HttpResponse:
    """Subject access or a move to another council: the person's whole record as a ZIP of
    ``record.json`` and ``summary.pdf`` (the export is audited)."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise look_refused(actor=request.user, model=Person, object_id=person_id)
    try:
        export = person_record_export(actor=acting_user(request.user), person=person)
    except PdfUnavailable as unavailable:
        return pdf_unavailable_response(unavailable)
    response = HttpResponse(export.as_zip(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="record-{person.la_person_id}.zip"'
    return response


# The same exports as background jobs (the pages' buttons): a long trail or a large record
# is made by the worker while the officer waits on the job's status page, and downloaded
# from there (decision 0017).


def _person_or_refused(request: HttpRequest, person_id: int) -> Person:
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise look_refused(actor=request.user, model=Person, object_id=person_id)
    return person


@requires("audit.export")
def trail_person_csv_start(request: HttpRequest, person_id: int) -> HttpResponse:
    """Start the export of a person's audit trail; on to its status page."""
    require_post(request)
    person = _person_or_refused(request, person_id)
    job = job_start(
        actor=acting_user(request.user),
        kind=AUDIT_TRAIL_PERSON,
        title=f"Audit trail of {person.la_person_id} (CSV)",
        params={"person_id": person.pk},
        person_id=person.pk,
    )
    return redirect("jobs:detail", job_id=job.pk)


@requires("audit.export")
def person_record_start(request: HttpRequest, person_id: int) -> HttpResponse:
    """Start the export of a person's whole record; on to its status page."""
    require_post(request)
    person = _person_or_refused(request, person_id)
    job = job_start(
        actor=acting_user(request.user),
        kind=WHOLE_RECORD_EXPORT,
        title=f"Whole record of {person.la_person_id} (ZIP)",
        params={"person_id": person.pk},
        person_id=person.pk,
    )
    return redirect("jobs:detail", job_id=job.pk)


@requires("audit.export")
def trail_staff_csv_start(request: HttpRequest, user_id: int) -> HttpResponse:
    """Start the export of everything one user did; on to its status page."""
    from django.contrib.auth.models import User

    require_post(request)
    staff = User.objects.filter(pk=user_id).first()
    if staff is None:
        raise look_refused(actor=request.user, model=User, object_id=user_id, person_path=None)
    job = job_start(
        actor=acting_user(request.user),
        kind=AUDIT_TRAIL_STAFF,
        title=f"Audit trail of the user {staff.get_username()} (CSV)",
        params={"user_id": staff.pk},
    )
    return redirect("jobs:detail", job_id=job.pk)
