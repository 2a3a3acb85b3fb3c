"""Administrators build questionnaire versions in the app: draft, edit, preview, publish,
import and export; published versions never change."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from selfdirect.access.roles import Role
from selfdirect.assessment.models import QuestionnaireVersion
from selfdirect.audit.models import Event

pytestmark = pytest.mark.django_db

SECTION = {
    "id": "pets",
    "title": "Pets",
    "question": "Do you need help looking after a pet?",
    "options": "none | No | 0\nsome | Yes, sometimes | 2\nall | Yes, every day | 4",
}


def _published() -> QuestionnaireVersion:
    return QuestionnaireVersion.objects.get(
        questionnaire__code="self-assessment", status="published"
    )


def test_draft_edit_preview_publish(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.ADMIN])
    published = _published()
    page = client.get(f"/admin/questionnaires/versions/{published.pk}/").content.decode()
    assert "It cannot change" in page and "Add a section" not in page
    response = client.post(f"/admin/questionnaires/versions/{published.pk}/", {"action": "draft"})
    draft = QuestionnaireVersion.objects.get(status="draft")
    assert response["Location"] == f"/admin/questionnaires/versions/{draft.pk}/"
    bad = client.post(
        f"/admin/questionnaires/versions/{draft.pk}/sections/new/",
        {**SECTION, "options": "none | No"},
    ).content.decode()
    assert "Line 1 of the answers must be: id | words | points" in bad
    duplicate = client.post(
        f"/admin/questionnaires/versions/{draft.pk}/sections/new/", {**SECTION, "id": "nutrition"}
    ).content.decode()
    assert "sections[18].id &#x27;nutrition&#x27; is used by another section" in duplicate
    assert (
        client.post(f"/admin/questionnaires/versions/{draft.pk}/sections/new/", SECTION).status_code
        == 302
    )
    draft.refresh_from_db()
    assert draft.definition["sections"][-1]["options"][1] == {
        "id": "some",
        "text": "Yes, sometimes",
        "points": 2,
    }
    change = {
        **SECTION,
        "id": "nutrition",
        "title": "Food and drink",
        "question": "How much help do you need with food?",
    }
    client.post(f"/admin/questionnaires/versions/{draft.pk}/sections/nutrition/", change)
    draft.refresh_from_db()
    assert draft.definition["sections"][0]["title"] == "Food and drink"
    preview = client.get(f"/admin/questionnaires/versions/{draft.pk}/preview/1/").content.decode()
    assert (
        "How much help do you need with food?" in preview
        and "nothing you choose here is saved" in preview
    )
    client.post(f"/admin/questionnaires/versions/{draft.pk}/sections/pets/remove/")
    draft.refresh_from_db()
    assert "pets" not in [s["id"] for s in draft.definition["sections"]]
    missing_date = client.post(
        f"/admin/questionnaires/versions/{draft.pk}/", {"action": "publish"}
    ).content.decode()
    assert "Enter the date it takes effect" in missing_date
    client.post(
        f"/admin/questionnaires/versions/{draft.pk}/",
        {
            "action": "publish",
            "effective_from_day": "1",
            "effective_from_month": "4",
            "effective_from_year": "2030",
        },
    )
    draft.refresh_from_db()
    assert draft.status == "published" and str(draft.effective_from) == "2030-04-01"
    # Now published: its sections cannot be changed.
    assert (
        client.post(
            f"/admin/questionnaires/versions/{draft.pk}/sections/nutrition/", change
        ).status_code
        == 404
    )
    published.refresh_from_db()
    assert published.definition["sections"][0]["title"] == "Eating and drinking"
    assert Event.objects.filter(
        object_type="questionnaire_version", summary__startswith="Published version 2"
    ).exists()


def test_export_and_import(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.ADMIN])
    published = _published()
    exported = client.get(f"/admin/questionnaires/versions/{published.pk}/export/")
    assert exported["Content-Disposition"] == 'attachment; filename="self-assessment-v1.json"'
    data = json.loads(exported.content)
    client.post(f"/admin/questionnaires/versions/{published.pk}/", {"action": "draft"})
    draft = QuestionnaireVersion.objects.get(status="draft")
    data["sections"][0]["options"][0]["points"] = "many"
    bad = SimpleUploadedFile("q.json", json.dumps(data).encode(), content_type="application/json")
    page = client.post(
        f"/admin/questionnaires/versions/{draft.pk}/import/", {"definition": bad}
    ).content.decode()
    assert "sections[0].options[0].points must be a whole number from 0 to 1000" in page
    data["sections"][0]["options"][0]["points"] = 1
    good = SimpleUploadedFile("q.json", json.dumps(data).encode(), content_type="application/json")
    assert (
        client.post(
            f"/admin/questionnaires/versions/{draft.pk}/import/", {"definition": good}
        ).status_code
        == 302
    )
    draft.refresh_from_db()
    assert draft.definition["sections"][0]["options"][0]["points"] == 1
    assert draft.content_hash != published.content_hash
