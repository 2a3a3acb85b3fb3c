"""Staff choose a directory service for a line of a draft plan: the line's provider and
unit cost follow through planning's own line_edit, audited there."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.planning import services as planning
from selfdirect.planning.models import PlanLine
from tests.directory.builders import service_build
from tests.planning.test_plans import _draft_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(council: Any) -> PlanLine:
    plan = _draft_plan(council)
    return planning.line_add(
        actor=council.users[Role.PRACTITIONER],
        plan=plan,
        fields={
            "description": "Help getting up",
            "category": "home_care_agency",
            "outcome": None,
            "provider": None,
            "provided_by": "",
            "provisional": False,
            "unit": "hour",
            "unit_cost_pence": 1800,
            "quantity_hundredths": 700,
            "funding_stream": "adult_social_care",
        },
    )


def test_choosing_a_service_sets_the_lines_provider_and_unit_cost(
    client: Any, council: Any, line: PlanLine
) -> None:
    service = service_build(name="Morning Care", pence=2150)
    client.force_login(council.users[Role.PRACTITIONER])
    url = reverse("directory:choose_for_line", args=[line.plan_id, line.pk])
    page = client.get(url, {"need": "Morning"})
    assert "Morning Care" in page.content.decode()
    response = client.post(
        url, {"service": str(service.pk), "seen": planning.edit_fingerprint(line)}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.provider == service.organization
    assert line.unit_cost_pence == 2150
    event = Event.objects.get(object_type="plan_line", object_id=str(line.pk), action=Action.UPDATE)
    assert "Provider" in str(event.changes)


def test_a_stale_choice_changes_nothing(client: Any, council: Any, line: PlanLine) -> None:
    service = service_build(name="Morning Care", pence=2150)
    client.force_login(council.users[Role.PRACTITIONER])
    url = reverse("directory:choose_for_line", args=[line.plan_id, line.pk])
    client.post(url, {"service": str(service.pk), "seen": "an-older-look"})
    line.refresh_from_db()
    assert line.provider is None and line.unit_cost_pence == 1800


def test_a_holder_cannot_choose_for_a_line(client: Any, council: Any, line: PlanLine) -> None:
    service = service_build()
    client.force_login(council.users[Role.HOLDER])
    url = reverse("directory:choose_for_line", args=[line.plan_id, line.pk])
    assert client.post(url, {"service": str(service.pk)}).status_code == 403
    line.refresh_from_db()
    assert line.provider is None


def test_staff_choose_by_opening_time(client: Any, council: Any, line: PlanLine) -> None:
    service_build(name="Morning Care")  # weekdays 07:00-10:30
    evening = service_build(name="Evening Care")
    evening.schedules.update(opens_at="18:00", closes_at="21:00")
    client.force_login(council.users[Role.PRACTITIONER])
    url = reverse("directory:choose_for_line", args=[line.plan_id, line.pk])
    text = client.get(url, {"need": "Care", "time": "evening"}).content.decode()
    assert "Evening Care" in text and "Morning Care" not in text
