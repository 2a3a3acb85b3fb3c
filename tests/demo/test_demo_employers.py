"""The demo council's PA employers (issue 14): a PA for each person whose approved plan pays
one by direct payment, the same from the same seed; the demo holder's full set."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from selfdirect.demo.generator import demo_council_build
from selfdirect.employers.models import EmployerInsurance, PersonalAssistant, Timesheet
from selfdirect.employers.selectors import expected_spend, true_cost
from selfdirect.people.models import Person
from selfdirect.planning.models import PlanLine

TODAY = dt.date(2026, 11, 24)

pytestmark = pytest.mark.django_db


def test_the_demo_employs_pas_where_plans_pay_them_by_direct_payment() -> None:
    summary = demo_council_build(people=200, seed=6, today=TODAY, money_people=0)
    holder = Person.objects.get(pk=summary.holder_person_id)
    employing = set(
        PlanLine.objects.filter(
            plan__status="approved",
            category="personal_assistant",
            deployment="direct_payment",
            unit="hour",
        ).values_list("plan__person_id", flat=True)
    )
    pas = list(PersonalAssistant.objects.all())
    assert employing and {pa.person_id for pa in pas} == employing
    assert summary.counts["personal assistants"] == len(pas) == len(employing)
    assert all(pa.hourly_rate_pence >= 1271 for pa in pas)
    # The demo holder: her PA, training, insurance due for a reminder and timesheets.
    [mine] = [pa for pa in pas if pa.person_id == holder.pk]
    assert mine.training.count() == 3
    policy = EmployerInsurance.objects.get(person=holder)
    assert policy.expires_on == TODAY + dt.timedelta(days=20)
    sheets = Timesheet.objects.filter(person=holder)
    assert sorted(s.status for s in sheets) == ["approved"] * 3 + ["entered"]
    spend = expected_spend(holder, today=TODAY)
    assert spend is not None and spend.approved_pence > 0 and spend.waiting == 1
    cost = true_cost(holder, on=TODAY)
    assert cost is not None and cost.plan_pa_week_pence == 4350  # 3 hours at £14.50


def test_the_same_seed_employs_the_same_pas() -> None:
    def build(seed: int) -> list[tuple[object, ...]]:
        with transaction.atomic():
            demo_council_build(people=120, seed=seed, today=TODAY, money_people=0)
            rows = list(
                PersonalAssistant.objects.order_by("person__la_person_id").values_list(
                    "person__la_person_id", "name", "role", "hours_hundredths", "hourly_rate_pence"
                )
            )
            transaction.set_rollback(True)
        return rows

    first = build(9)
    assert first and build(9) == first
    assert build(10) != first
