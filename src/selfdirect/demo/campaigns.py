"""The demo council's survey campaigns (issue 15): "Tell us how it went" for the people
whose review falls on the demo holder's next review date, so the demo holder (and their
representative) has a survey to answer in the portal, and the carers' survey for their
carers, so the demo carer has one too. Made through the surveys app's own service, as a
commissioner would; small at any size (one day's reviews)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from selfdirect.people.models import Person
from selfdirect.planning.models import Review
from selfdirect.surveys.campaigns import campaign_create
from selfdirect.surveys.models import Campaign, Instrument

CONSENT = (
    "We use your answers, with everyone else's, to see what difference personal budgets "
    "make and to improve support. Nobody is named in what we publish."
)


def demo_campaigns_build(*, holder: Person, commissioner: User, today: dt.date) -> dict[str, int]:
    review = (
        Review.objects.filter(plan__person=holder)
        .exclude(status=Review.Status.REPLACED)
        .order_by("due_date", "pk")
        .first()
    )
    if review is None:
        return {"survey invitations": 0}
    day = review.due_date
    closes_on = max(today, timezone.localdate()) + dt.timedelta(days=42)
    made = 0
    for code, name in (
        ("poet-holder", "Reviews in the demo: tell us how it went"),
        ("poet-carer", "Carers of people reviewed in the demo"),
    ):
        instrument = Instrument.objects.filter(code=code, status="published").first()
        if instrument is None:
            continue
        campaign = campaign_create(
            actor=commissioner,
            name=name,
            instrument=instrument,
            selection=Campaign.Selection.REVIEWED,
            period_start=day,
            period_end=day,
            invite_by=Campaign.InviteBy.MESSAGE,
            consent_wording=CONSENT,
            anonymous=False,
            closes_on=closes_on,
        )
        made += campaign.invitations.count()
    return {"survey invitations": made}
