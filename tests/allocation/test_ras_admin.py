"""RAS versions: added as drafts, published with a date, never edited; the version in force
is the one budgets use from that date."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from selfdirect.access.roles import Role
from selfdirect.allocation import services
from selfdirect.allocation.models import RasVersion
from selfdirect.assessment.models import Questionnaire

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "ras-example.json"


def test_upload_a_draft_publish_it_and_it_comes_into_force(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.ADMIN])
    data = json.loads(SAMPLE.read_text())
    data["price_per_point_pence"]["older_people"] = 400
    bad = dict(data, method="magic")
    page = client.post(
        "/admin/ras/", {"ras": SimpleUploadedFile("r.json", json.dumps(bad).encode())}
    ).content.decode()
    assert "ras.method must be one of points, hours, plan" in page
    response = client.post(
        "/admin/ras/", {"ras": SimpleUploadedFile("r.json", json.dumps(data).encode())}
    )
    draft = RasVersion.objects.get(status="draft")
    assert response["Location"] == f"/admin/ras/{draft.pk}/"
    assert draft.number == 2 and draft.definition["price_per_point_pence"]["older_people"] == 400
    questionnaire = Questionnaire.objects.get(code="self-assessment")
    assert services.ras_version_in_force(questionnaire).number == 1
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    client.post(
        f"/admin/ras/{draft.pk}/",
        {
            "effective_from_day": tomorrow.day,
            "effective_from_month": tomorrow.month,
            "effective_from_year": tomorrow.year,
        },
    )
    draft.refresh_from_db()
    assert draft.status == "published"
    assert services.ras_version_in_force(questionnaire).number == 1
    assert services.ras_version_in_force(questionnaire, tomorrow).number == 2
    again = client.post(
        f"/admin/ras/{draft.pk}/",
        {"effective_from_day": "1", "effective_from_month": "1", "effective_from_year": "2031"},
    ).content.decode()
    assert "A published RAS version cannot be changed: make a new version" in again


def test_ras_publish_command(council: Any) -> None:
    out = io.StringIO()
    call_command(
        "ras_publish", ras=str(SAMPLE), effective_from="2031-04-01", as_user="admin", stdout=out
    )
    assert "version 2: published from 01 April 2031" in out.getvalue()
    with pytest.raises(CommandError, match="--effective-from must be a date"):
        call_command("ras_publish", ras=str(SAMPLE), effective_from="soon")
    assert RasVersion.objects.filter(code="default-ras").count() == 2
