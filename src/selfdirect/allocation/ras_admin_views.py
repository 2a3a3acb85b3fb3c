"""Administrators' pages for RAS versions: list, upload a new version as a draft, publish it
with the date it takes effect, export. Versions are never edited."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user
from selfdirect.allocation import services
from selfdirect.allocation.models import RasVersion
from selfdirect.allocation.ras_file import RasFileError
from selfdirect.file_checks import FileRefused, json_parse, upload_read_text
from selfdirect.forms_gov import GovDateField, posted, required_message


class RasUploadForm(forms.Form):
    ras = forms.FileField(
        label="Upload a RAS file (JSON)",
        error_messages={"required": "Select a RAS file"},
        help_text="For example one exported here, or the fitted RAS from calibration. It becomes a draft.",
    )


class RasPublishForm(forms.Form):
    effective_from = GovDateField(
        label="Date it takes effect", error_messages=required_message("The date it takes effect")
    )


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
            version = services.ras_version_create(actor=acting_user(request.user), data=data)
        except FileRefused as bad:
            form.add_error("ras", str(bad))
        except (RasFileError, services.AllocationError) as bad:
            form.add_error("ras", str(bad))
        else:
            messages.success(request, f"{version} has been added as a draft")
            return redirect("ras_admin:version", version_id=version.pk)
    versions = RasVersion.objects.select_related("questionnaire").order_by("code", "-number")
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
        try:
            services.ras_version_publish(
                actor=acting_user(request.user),
                version=version,
                effective_from=form.cleaned_data["effective_from"],
            )
        except services.AllocationError as refused:
            form.add_error(None, str(refused))
        else:
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
