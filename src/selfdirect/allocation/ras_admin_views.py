"""Administrators' pages for RAS versions: list, upload a new version as a draft, publish it
with the date it takes effect, export. Versions are never edited."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.access.second_administrator import WAITING, backdated_reason_field
from selfdirect.access.selectors import acting_user
from selfdirect.allocation import services
from selfdirect.allocation.models import RasPublication, RasVersion
from selfdirect.allocation.ras_file import RasFileError
from selfdirect.assessment.models import QuestionnaireVersion
from selfdirect.file_checks import FileRefused, json_parse, upload_read_text
from selfdirect.forms_gov import GovDateField, posted, required_message
from selfdirect.refusals import require_post, run_and_tell


class RasUploadForm(forms.Form):
    ras = forms.FileField(
        label="Upload a RAS file (JSON)",
        error_messages={"required": "Select a RAS file"},
        help_text="For example one exported here, or the fitted RAS from calibration. It becomes a draft.",
    )
    questionnaire_version = forms.TypedChoiceField(
        label="Questionnaire version it prices",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Every section of it must be priced before either can be published.",
        error_messages={"invalid_choice": "Select a questionnaire version"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["questionnaire_version"]
        assert isinstance(field, forms.TypedChoiceField)
        self.questionnaire_versions = {
            v.pk: v
            for v in QuestionnaireVersion.objects.select_related("questionnaire").order_by(
                "questionnaire__title", "-number"
            )
        }
        field.choices = [
            ("", "The newest version of the file's questionnaire"),
            *[
                (
                    pk,
                    f"{v.questionnaire.title} version {v.number} ({v.get_status_display().lower()})",
                )
                for pk, v in self.questionnaire_versions.items()
            ],
        ]


class RasPublishForm(forms.Form):
    effective_from = GovDateField(
        label="Date it takes effect", error_messages=required_message("The date it takes effect")
    )
    reason = backdated_reason_field()


@requires("configuration.manage")
def ras_list(request: HttpRequest) -> HttpResponse:
    form = RasUploadForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["ras"]
        try:
            data = json_parse(upload_read_text(upload, upload.name), upload.name)
            chosen = form.cleaned_data["questionnaire_version"]
            version = services.ras_version_create(
                actor=acting_user(request.user),
                data=data,
                questionnaire_version=None
                if chosen is None
                else form.questionnaire_versions[chosen],
            )
        except FileRefused as bad:
            form.add_error("ras", str(bad))
        except services.AllocationError as bad:
            field = "questionnaire_version" if bad.field == "questionnaire_version" else "ras"
            form.add_error(field, str(bad))
        except RasFileError as bad:
            form.add_error("ras", str(bad))
        else:
            messages.success(request, f"{version} has been added as a draft")
            return redirect("ras_admin:version", version_id=version.pk)
    versions = RasVersion.objects.select_related("questionnaire", "questionnaire_version").order_by(
        "code", "-number"
    )
    return render(
        request, "allocation/admin/list.html", {"nav": "config", "versions": versions, "form": form}
    )


@requires("configuration.manage")
def ras_version(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(
        RasVersion.objects.select_related("questionnaire", "questionnaire_version__questionnaire"),
        pk=version_id,
    )
    form = RasPublishForm(posted(request))
    if request.method == "POST" and form.is_valid():
        when, reason = form.cleaned_data["effective_from"], form.cleaned_data["reason"]
        past = when < timezone.localdate()
        try:
            if past and reason.strip():
                services.ras_publication_request(
                    actor=acting_user(request.user),
                    version=version,
                    effective_from=when,
                    reason=reason,
                )
            else:
                services.ras_version_publish(
                    actor=acting_user(request.user), version=version, effective_from=when
                )
        except services.AllocationError as refused:
            field = refused.field if refused.field in ("reason", "effective_from") else None
            form.add_error(field, str(refused))
        else:
            if past:
                messages.success(request, WAITING.format(version=version, on=f"{when:%-d %B %Y}"))
                return redirect("ras_admin:publications")
            messages.success(request, f"{version} has been published")
            return redirect("ras_admin:version", version_id=version.pk)
    definition: dict[str, Any] = version.definition
    return render(
        request,
        "allocation/admin/version.html",
        {
            "nav": "config",
            "version": version,
            "definition": definition,
            "form": form,
            "allocations": version.allocations.count(),
            "definition_json": json.dumps(definition, indent=2),
        },
    )


@requires("configuration.manage")
def ras_export(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(RasVersion, pk=version_id)
    response = HttpResponse(
        json.dumps(version.definition, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{version.code}-v{version.number}.json"'
    )
    return response


@requires("configuration.manage")
def publications(request: HttpRequest) -> HttpResponse:
    """Requests to publish a RAS version from a date in the past."""
    requests = RasPublication.objects.select_related(
        "version", "requested_by", "decided_by"
    ).order_by("-requested_at", "-id")
    return render(
        request,
        "backdated_publications.html",
        {
            "nav": "config",
            "title": "RAS versions dated in the past",
            "requests": list(requests),
            "back_url": "ras_admin:list",
            "back_text": "Back to Resource Allocation Systems",
            "version_url": "ras_admin:version",
            "confirm_url": "ras_admin:publication_confirm",
            "decline_url": "ras_admin:publication_decline",
        },
    )


def _decide(request: HttpRequest, request_id: int, *, confirm: bool) -> HttpResponse:
    require_post(request)
    asked = get_object_or_404(RasPublication.objects.select_related("version"), pk=request_id)
    actor = acting_user(request.user)
    if confirm:
        run_and_tell(
            request,
            lambda: services.ras_publication_confirm(actor=actor, request=asked),
            f"{asked.version} has been published from {asked.effective_from:%-d %B %Y}",
        )
    else:
        run_and_tell(
            request,
            lambda: services.ras_publication_decline(actor=actor, request=asked),
            "The request has been declined: the version stays a draft",
        )
    return redirect("ras_admin:publications")


@requires("configuration.manage")
def publication_confirm(request: HttpRequest, request_id: int) -> HttpResponse:
    return _decide(request, request_id, confirm=True)


@requires("configuration.manage")
def publication_decline(request: HttpRequest, request_id: int) -> HttpResponse:
    return _decide(request, request_id, confirm=False)
