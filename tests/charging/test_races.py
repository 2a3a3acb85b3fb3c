"""Two officers at once on one person's assessment (PostgreSQL, real concurrent
transactions): one start makes one assessment, one completion records one contribution;
and the database's one-open-assessment rule behind them, on both engines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from selfdirect.access.roles import Role
from selfdirect.charging import services
from selfdirect.charging.models import FinancialAssessment
from selfdirect.people.models import Person
from selfdirect.planning.models import AssessedContribution
from tests.charging.test_services import PENSIONER_AMOUNTS
from tests.concurrency import one_success_one_refusal, race

APRIL = dt.date(2026, 4, 6)


@pytest.mark.postgres
def test_two_starts_at_once_make_one_assessment(committed_council: Any) -> None:
    council = committed_council
    staff = [council.users[Role.FINANCE], council.users[Role.PRACTITIONER]]
    outcomes = race(
        lambda _i: Person.objects.get(pk=council.holder_person.pk),
        lambda i, person: services.assessment_start(actor=staff[i], person=person),
    )
    refused = one_success_one_refusal(outcomes, services.ChargingError)
    assert str(refused).startswith("This person already has a financial assessment")
    assert FinancialAssessment.objects.filter(person=council.holder_person).count() == 1


@pytest.mark.postgres
def test_two_completions_at_once_record_one_contribution(committed_council: Any) -> None:
    council = committed_council
    finance = council.users[Role.FINANCE]
    assessment = services.assessment_start(actor=finance, person=council.holder_person)
    services.assessment_fill(
        actor=finance,
        assessment=assessment,
        band="single_pension_age",
        disability_premium=False,
        enhanced_disability_premium=False,
        carer_premium=False,
        dependent_children=0,
        amounts=PENSIONER_AMOUNTS,
    )
    outcomes = race(
        lambda _i: FinancialAssessment.objects.get(pk=assessment.pk),
        lambda _i, loaded: services.assessment_complete(
            actor=finance, assessment=loaded, weekly_cost_pence=50_000, charge_from=APRIL
        ),
    )
    refused = one_success_one_refusal(outcomes, services.ChargingError)
    assert str(refused) == services.ASSESSMENT_CLOSED
    assert AssessedContribution.objects.filter(person=council.holder_person).count() == 1


@pytest.mark.django_db
def test_the_database_allows_one_open_assessment_per_person(council: Any) -> None:
    finance = council.users[Role.FINANCE]
    FinancialAssessment.objects.create(person=council.holder_person, started_by=finance)
    with pytest.raises(IntegrityError), transaction.atomic():
        FinancialAssessment.objects.create(
            person=council.holder_person, started_by=finance, status="deferred"
        )
    # A finished one does not count.
    FinancialAssessment.objects.create(
        person=council.holder_person,
        started_by=finance,
        status="light_touch",
        light_touch="pays_full_cost",
    )
