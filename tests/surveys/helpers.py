"""Records the campaign tests need: an approved plan with a review in a period, made
directly (the tests are about who is asked and how they answer, not how plans are made)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from selfdirect.people.models import Person
from selfdirect.planning.models import PlanLine, Review, SupportPlan
from selfdirect.surveys import campaigns
from selfdirect.surveys.models import Campaign, Instrument
from tests.access.records import _allocation

PERIOD = (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
IN_PERIOD = dt.date(2026, 11, 15)


def plan_with_review(
    council: Any,
    person: Person,
    *,
    due: dt.date = IN_PERIOD,
    deployment: str = "direct_payment",
    assessment: Any = None,
) -> SupportPlan:
    assessment = assessment or council.holder_assessment
    from selfdirect.assessment.models import Assessment

    if assessment.person_id != person.pk:
        assessment = Assessment.objects.create(
            person=person,
            version=council.holder_assessment.version,
            mode="practitioner",
            status="agreed",
            started_by=council.users["practitioner"],
        )
    plan = SupportPlan.objects.create(
        person=person,
        allocation=_allocation(council, assessment),
        led_by="person",
        starts_on=dt.date(2026, 1, 1),
        status="approved",
        created_by=council.users["practitioner"],
        approved_by=council.users["practitioner"],
        approved_at=timezone.now(),
    )
    PlanLine.objects.create(
        plan=plan,
        description="Support",
        category="personal_assistant",
        unit="hour",
        unit_cost_pence=1500,
        quantity_hundredths=1000,
        funding_stream="adult_social_care",
        deployment=deployment,
    )
    Review.objects.create(plan=plan, kind="annual", due_date=due)
    return plan


def poet(code: str = "poet-holder") -> Instrument:
    return Instrument.objects.get(code=code, status=Instrument.Status.PUBLISHED)


def campaign_make(council: Any, **overrides: Any) -> Campaign:
    kwargs: dict[str, Any] = {
        "actor": council.users["commissioner"],
        "name": "Autumn reviews",
        "instrument": poet(),
        "selection": Campaign.Selection.REVIEWED,
        "period_start": PERIOD[0],
        "period_end": PERIOD[1],
        "invite_by": Campaign.InviteBy.MESSAGE,
        "consent_wording": "We use your answers to improve support.",
        "anonymous": False,
        "closes_on": timezone.localdate() + dt.timedelta(days=30),
    }
    kwargs.update(overrides)
    return campaigns.campaign_create(**kwargs)
