"""The financial assessment pages: finance starts, fills in and completes an assessment
through the forms; the result page shows the working; the person sees it read only; the
budget statement shows an outstanding or deferred assessment as such; the rates page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.charging import services
from selfdirect.charging.models import ChargingRates, FinancialAssessment
from selfdirect.planning.figures import contribution_on

FILLED = {
    "band": "single_pension_age",
    "capital__savings": "16,000",
    "capital__main_home": "250000",
    "income__state_pension": "230.25",
    "income__daily_living": "73.90",
    "income__mobility": "77.05",
    "dre__community_alarm": "5",
    "dre__heating": "15.00",
    "housing__council_tax": "10",
}


def _date(prefix: str, on: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(on.day),
        f"{prefix}_month": str(on.month),
        f"{prefix}_year": str(on.year),
    }


def test_finance_completes_an_assessment_through_the_pages(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.FINANCE])
    person = council.holder_person
    page = client.get(f"/charging/people/{person.pk}/")
    assert "Outstanding: the financial assessment has not been started" in page.content.decode()
    started = client.post(f"/charging/people/{person.pk}/start/")
    assessment = FinancialAssessment.objects.get(person=person)
    assert started.url == f"/charging/assessments/{assessment.pk}/fill/"
    assert client.post(started.url, FILLED).status_code == 302
    on = dt.date(2026, 4, 6)
    done = client.post(
        f"/charging/assessments/{assessment.pk}/complete/",
        {"weekly_cost": "500.00", **_date("charge_from", on)},
    )
    assert done.status_code == 302
    assessment.refresh_from_db()
    assert assessment.weekly_charge_pence == 4_855
    assert contribution_on(person.pk, on).weekly_pence == 4_855  # type: ignore[union-attr]
    html = client.get(f"/charging/assessments/{assessment.pk}/").content.decode()
    assert 'id="working"' in html
    assert "Tariff income from capital above the lower limit" in html and "£7.00" in html
    assert "£48.55 a week" in html


def test_fill_errors_name_the_field_and_change_nothing(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.FINANCE])
    assessment = services.assessment_start(
        actor=council.users[Role.FINANCE], person=council.holder_person
    )
    response = client.post(
        f"/charging/assessments/{assessment.pk}/fill/", {"income__earnings": "12.345"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "Choose the person&#x27;s age and circumstance" in html
    assert "Enter an amount in pounds, like 125.50" in html
    assert not assessment.items.exists()


def test_complete_without_rates_on_the_date_is_refused_on_the_date(
    client: Any, council: Any
) -> None:
    finance = council.users[Role.FINANCE]
    client.force_login(finance)
    assessment = services.assessment_start(actor=finance, person=council.holder_person)
    client.post(f"/charging/assessments/{assessment.pk}/fill/", FILLED)
    response = client.post(
        f"/charging/assessments/{assessment.pk}/complete/",
        {"weekly_cost": "500", **_date("charge_from", dt.date(2024, 1, 1))},
    )
    assert response.status_code == 200
    assert services.NO_RATES.format(on="1 January 2024") in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "outstanding"


def test_holder_sees_result_in_plain_words_and_no_staff_actions(client: Any, council: Any) -> None:
    finance = council.users[Role.FINANCE]
    assessment = services.assessment_start(actor=finance, person=council.holder_person)
    services.light_touch_record(
        actor=finance,
        assessment=assessment,
        choice="pays_full_cost",
        weekly_cost_pence=32_000,
        charge_from=dt.date(2026, 4, 6),
    )
    client.force_login(council.users[Role.HOLDER])
    response = client.get(f"/charging/assessments/{assessment.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your financial assessment" in html and "£320.00 a week" in html
    assert "minimum income guarantee" in html
    assert "/fill/" not in html and "/complete/" not in html
    look = Event.objects.filter(action=Action.VIEW, person=council.holder_person).latest("pk")
    assert look.summary == "Financial assessment result"
    # Another person's assessment: 404 and a DENIED event.
    other = services.assessment_start(actor=finance, person=council.other_person)
    assert client.get(f"/charging/assessments/{other.pk}/").status_code == 404
    assert Event.objects.filter(action=Action.DENIED, person=council.other_person).exists()


def test_budget_statement_shows_outstanding_then_deferred(client: Any, council: Any) -> None:
    """The budget page's statement (allocation and planning are below charging) shows the
    standing through the page signal, to the holder and on the letter's page alike."""
    from selfdirect.allocation.models import Allocation
    from tests.access.records import _allocation

    allocation = _allocation(council, council.holder_assessment)
    Allocation.objects.filter(pk=allocation.pk).update(status="approved", agreed_weekly_pence=2000)
    client.force_login(council.users[Role.HOLDER])
    address = reverse("allocation:detail", kwargs={"allocation_id": allocation.pk})
    html = client.get(address).content.decode()
    assert 'id="financial-assessment"' in html
    assert "Outstanding: the financial assessment has not been started" in html
    finance = council.users[Role.FINANCE]
    until = timezone.localdate() + dt.timedelta(days=14)
    services.assessment_defer(
        actor=finance,
        assessment=services.assessment_start(actor=finance, person=council.holder_person),
        reason="Waiting for pension statements",
        until=until,
    )
    html = client.get(address).content.decode()
    assert f"Deferred until {until:%-d %B %Y}: Waiting for pension statements" in html


def test_rates_page_adds_rates_and_refuses_a_past_date(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.ADMIN])
    page = client.get("/charging/rates/")
    html = page.content.decode()
    assert "£23,250.00" in html and "NOT YET CHECKED" in html
    shipped = ChargingRates.objects.get()
    figures = {name: f"{getattr(shipped, name) / 100:.2f}" for name in services.RATE_FIELDS}
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    refused = client.post(
        "/charging/rates/", {**figures, **_date("effective_from", yesterday), "source": "Cabinet"}
    )
    assert services.RATES_DATE_PAST in refused.content.decode()
    assert ChargingRates.objects.count() == 1
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    added = client.post(
        "/charging/rates/",
        {
            **figures,
            "carer_premium_pence": "60.00",
            **_date("effective_from", tomorrow),
            "source": "Cabinet",
        },
    )
    assert added.status_code == 302
    assert ChargingRates.objects.get(effective_from=tomorrow).carer_premium_pence == 6_000


def test_plan_page_and_person_page_show_the_standing(client: Any, council: Any) -> None:
    from tests.access.records import records_build

    own = records_build(council)["own"]  # its financial assessment is outstanding
    client.force_login(council.users[Role.PRACTITIONER])
    plan_page = client.get(reverse("planning:detail", kwargs={"plan_id": own.approved.pk}))
    html = plan_page.content.decode()
    assert 'id="financial-assessment"' in html
    assert "Outstanding: started on" in html
    assert reverse("charging:detail", kwargs={"assessment_id": own.financial_assessment.pk}) in html
    person_page = client.get(f"/people/{council.holder_person.pk}/").content.decode()
    assert "Outstanding: started on" in person_page
    assert f"/charging/people/{council.holder_person.pk}/" in person_page
