"""The demo council's history of provider switches (issue 14, the market dashboard): some
people's council-arranged lines moved to another provider on a date in the last year, with
their reasons, through planning's own ``line_switch`` (audited, as staff would record it).
The way of holding and the cost stay the same, so the year of payments is unchanged.
Deterministic from the seed; at most ``MOST`` switches, so it stays fast at any size."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import User

from selfdirect.people.models import Person
from selfdirect.planning.models import PlanLine, SupportPlan
from selfdirect.planning.services import line_switch
from selfdirect.providers.models import Provider

MOST = 60
# Reasons people gave for leaving an agency (the pick-list's agency reasons, most common first).
REASONS = (
    ("NO_CONTINUITY", 6),
    ("TIMING_LATE_EARLY", 5),
    ("RUSHED_VISITS", 4),
    ("CANCELLATIONS", 3),
    ("DISSATISFIED_GENERAL", 3),
    ("COMPLAINTS_IGNORED", 2),
    ("OFFICE_SYSTEMS", 2),
    ("WANT_PERSONAL_CHOICE", 1),
    ("COST", 1),
)


def demo_switches_build(
    *, seed: int, holder: Person, recorder: User, today: dt.date
) -> dict[str, int]:
    rng = random.Random(seed + 47)
    providers = list(Provider.objects.order_by("pk"))
    lines = list(
        PlanLine.objects.filter(
            plan__status=SupportPlan.Status.APPROVED,
            deployment="council_commissioned",
            provider__isnull=False,
        )
        .exclude(unit=PlanLine.Unit.ITEM)
        .exclude(plan__person=holder)
        .select_related("plan", "provider")
        .order_by("pk")
    )
    if len(providers) < 2 or not lines:
        return {"provider switches": 0}
    chosen = rng.sample(lines, min(MOST, max(1, len(lines) // 8)))
    codes = [c for c, _ in REASONS]
    weights = [w for _, w in REASONS]
    made = 0
    for line in sorted(chosen, key=lambda li: li.pk):
        first = max(line.plan.starts_on + dt.timedelta(days=14), today - dt.timedelta(days=330))
        last = today - dt.timedelta(days=7)
        if first > last:
            continue
        on = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
        to = rng.choice([p for p in providers if p.pk != line.provider_id])
        reasons = sorted(set(rng.choices(codes, weights, k=rng.choice((1, 1, 2)))))
        line_switch(
            actor=recorder,
            line=line,
            effective_date=on,
            deployment=line.deployment,
            provider=to,
            provided_by="",
            reasons=reasons,
        )
        made += 1
    return {"provider switches": made}
