"""Administrators build questionnaires: versions, drafts, sections, preview, publish, import
and export. A published version never changes; every change is audited."""

from __future__ import annotations

import copy
import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.access.second_administrator import WAITING
from selfdirect.access.selectors import acting_user
from selfdirect.assessment import services
from selfdirect.assessment.admin_forms import ImportForm, PublishForm, SectionForm, section_initial
from selfdirect.assessment.forms import AnswerForm
from selfdirect.assessment.models import (
    Questionnaire,
    QuestionnairePublication,
    QuestionnaireVersion,
)
from selfdirect.assessment.questionnaire import DefinitionError, definition_parse
from selfdirect.file_checks import FileRefused, json_parse, upload_read_text
from selfdirect.forms_gov import posted
from selfdirect.refusals import require_post, run_and_tell


@requires("configuration.manage")
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    questionnaires = Questionnaire.objects.prefetch_related("versions").order_by("title")
    return render(
        request, "assessment/admin/list.html", {"nav": "config", "questionnaires": questionnaires}
    )


@requires("configuration.manage")
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(
        QuestionnaireVersion.objects.select_related("questionnaire"), pk=version_id
    )
    publish = PublishForm(posted(request))
    if request.method == "POST" and request.POST.get("action") == "publish" and publish.is_valid():
        when, reason = publish.cleaned_data["effective_from"], publish.cleaned_data["reason"]
        past = when < timezone.localdate()
        try:
            if past and reason.strip():
                services.questionnaire_publication_request(
                    actor=acting_user(request.user),
                    version=version,
                    effective_from=when,
                    reason=reason,
                )
            else:
                services.questionnaire_version_publish(
                    actor=acting_user(request.user), version=version, effective_from=when
                )
        except (services.AssessmentError, DefinitionError) as refused:
            field = getattr(refused, "field", "")
            publish.add_error(
                field if field in ("reason", "effective_from") else None, str(refused)
            )
        else:
            if past:
                messages.success(request, WAITING.format(version=version, on=f"{when:%-d %B %Y}"))
                return redirect("assessment_admin:publications")
            messages.success(request, f"Version {version.number} has been published")
            return redirect("assessment_admin:version", version_id=version.pk)
    if request.method == "POST" and request.POST.get("action") == "draft":
        draft = services.questionnaire_version_draft(
            actor=acting_user(request.user), source=version
        )
        messages.success(
            request, f"Draft version {draft.number} has been made from version {version.number}"
        )
        return redirect("assessment_admin:version", version_id=draft.pk)
    return render(
        request,
        "assessment/admin/version.html",
        {
            "nav": "config",
            "version": version,
            "definition": version.definition,
            "form": publish if request.method == "POST" else PublishForm(),
            "in_use": version.assessments.count(),
        },
    )


def _draft(version_id: int) -> QuestionnaireVersion:
    version = get_object_or_404(
        QuestionnaireVersion.objects.select_related("questionnaire"), pk=version_id
    )
    if version.status != QuestionnaireVersion.Status.DRAFT:
        raise Http404("Only drafts can change")
    return version


@requires("configuration.manage")
def section_edit(request: HttpRequest, version_id: int, section_id: str = "") -> HttpResponse:
    version = _draft(version_id)
    definition = copy.deepcopy(version.definition)
    ids = [s["id"] for s in definition["sections"]]
    if section_id and section_id not in ids:
        raise Http404("No such section")
    initial = section_initial(definition["sections"][ids.index(section_id)]) if section_id else {}
    form = SectionForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        section = form.section()
        if section_id:
            definition["sections"][ids.index(section_id)] = section
        else:
            definition["sections"].append(section)
        try:
            services.questionnaire_version_update(
                actor=acting_user(request.user), version=version, definition=definition
            )
        except (DefinitionError, services.AssessmentError) as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"The section ‘{section['title']}’ has been saved")
            return redirect("assessment_admin:version", version_id=version.pk)
    return render(
        request,
        "assessment/admin/section.html",
        {"nav": "config", "version": version, "form": form, "editing": bool(section_id)},
    )


@requires("configuration.manage")
def section_remove(request: HttpRequest, version_id: int, section_id: str) -> HttpResponse:
    version = _draft(version_id)
    if request.method == "POST":
        definition = copy.deepcopy(version.definition)
        definition["sections"] = [s for s in definition["sections"] if s["id"] != section_id]
        try:
            services.questionnaire_version_update(
                actor=acting_user(request.user), version=version, definition=definition
            )
        except DefinitionError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, "The section has been removed")
    return redirect("assessment_admin:version", version_id=version.pk)


@requires("configuration.manage")
def preview(request: HttpRequest, version_id: int, number: int = 1) -> HttpResponse:
    version = get_object_or_404(QuestionnaireVersion, pk=version_id)
    sections = definition_parse(version.definition).sections
    if not 1 <= number <= len(sections):
        raise Http404("No such question")
    section = sections[number - 1]
    return render(
        request,
        "assessment/admin/preview.html",
        {
            "nav": "config",
            "version": version,
            "section": section,
            "form": AnswerForm(section=section),
            "number": number,
            "total": len(sections),
        },
    )


@requires("configuration.manage")
def export(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(
        QuestionnaireVersion.objects.select_related("questionnaire"), pk=version_id
    )
    response = HttpResponse(
        json.dumps(version.definition, indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{version.questionnaire.code}-v{version.number}.json"'
    )
    return response


@requires("configuration.manage")
def import_into_draft(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _draft(version_id)
    form = ImportForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["definition"]
        try:
            data = json_parse(upload_read_text(upload, upload.name), upload.name)
            services.questionnaire_version_update(
                actor=acting_user(request.user), version=version, definition=data
            )
        except FileRefused as bad:
            form.add_error("definition", str(bad))
        except DefinitionError as refused:
            form.add_error("definition", str(refused))
        else:
            messages.success(request, "The draft now holds the imported questionnaire")
            return redirect("assessment_admin:version", version_id=version.pk)
    return render(
        request, "assessment/admin/import.html", {"nav": "config", "version": version, "form": form}
    )


@requires("configuration.manage")
def publications(request: HttpRequest) -> HttpResponse:
    """Requests to publish a questionnaire version from a date in the past."""
    requests = QuestionnairePublication.objects.select_related(
        "version__questionnaire", "requested_by", "decided_by"
    ).order_by("-requested_at", "-id")
    return render(
        request,
        "backdated_publications.html",
        {
            "nav": "config",
            "title": "Questionnaire versions dated in the past",
            "requests": list(requests),
            "back_url": "assessment_admin:list",
            "back_text": "Back to questionnaires",
            "version_url": "assessment_admin:version",
            "confirm_url": "assessment_admin:publication_confirm",
            "decline_url": "assessment_admin:publication_decline",
        },
    )


def _decide(request: HttpRequest, request_id: int, *, confirm: bool) -> HttpResponse:
    require_post(request)
    asked = get_object_or_404(
        QuestionnairePublication.objects.select_related("version__questionnaire"), pk=request_id
    )
    actor = acting_user(request.user)
    if confirm:
        run_and_tell(
            request,
            lambda: services.questionnaire_publication_confirm(actor=actor, request=asked),
            f"{asked.version.questionnaire.title} version {asked.version.number} has been "
            f"published from {asked.effective_from:%-d %B %Y}",
        )
    else:
        run_and_tell(
            request,
            lambda: services.questionnaire_publication_decline(actor=actor, request=asked),
            "The request has been declined: the version stays a draft",
        )
    return redirect("assessment_admin:publications")


@requires("configuration.manage")
def publication_confirm(request: HttpRequest, request_id: int) -> HttpResponse:
    return _decide(request, request_id, confirm=True)


@requires("configuration.manage")
def publication_decline(request: HttpRequest, request_id: int) -> HttpResponse:
    return _decide(request, request_id, confirm=False)
