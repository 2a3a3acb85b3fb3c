"""Reading financial assessments: which ones a user may see, and how a person's stands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from selfdirect.access.selectors import AnyUser
from selfdirect.audit.services import record_or_refused
from selfdirect.charging.models import FinancialAssessment
from selfdirect.money import pounds
from selfdirect.people.selectors import people_visible_to
from selfdirect.planning.figures import contribution_on


def assessments_visible_to(user: AnyUser) -> QuerySet[FinancialAssessment]:
    """The financial assessments of the people ``user`` may see (the one who-sees-what rule:
    people_visible_to); the capability to see them at all is checked by the page's guard."""
    return FinancialAssessment.objects.filter(
        person__in=people_visible_to(user).values("pk")
    ).select_related("person", "rates", "decided_by", "started_by")


def assessment_for(user: AnyUser, assessment_id: int) -> FinancialAssessment:
    """The assessment if ``user`` may see it; otherwise 404, recorded as refused."""
    return record_or_refused(assessments_visible_to(user), actor=user, object_id=assessment_id)


def person_assessments(person_id: int) -> list[FinancialAssessment]:
    """A person's financial assessments, newest first."""
    return list(
        FinancialAssessment.objects.filter(person_id=person_id).select_related(
            "rates", "decided_by", "started_by"
        )
    )


@dataclass(frozen=True)
class Standing:
    """How a person's financial assessment stands, in the words the budget statement uses."""

    status: str  # "none", "elsewhere", or a FinancialAssessment.Status value
    words: str
    assessment: FinancialAssessment | None = None

    @property
    def done(self) -> bool:
        return self.status in ("completed", "light_touch")


NOT_STARTED = "Outstanding: the financial assessment has not been started"
RECORDED_ELSEWHERE = "Done outside Selfdirect ({ref}): {amount} a week from {start}"
OUTSTANDING = "Outstanding: started on {on}, not finished yet"
DEFERRED = "Deferred until {until}: {reason}"
DONE = "{how} on {on} ({ref}): {amount} a week from {start}"


def standing_of(person_id: int) -> Standing:
    """The newest assessment's standing: outstanding, deferred, or done with its result."""
    latest = (
        FinancialAssessment.objects.filter(person_id=person_id)
        .order_by("-started_at", "-id")
        .first()
    )
    if latest is None:
        # A contribution entered from an assessment kept elsewhere (planning's form).
        recorded = contribution_on(person_id, timezone.localdate())
        if recorded is not None:
            return Standing(
                "elsewhere",
                RECORDED_ELSEWHERE.format(
                    ref=recorded.source_reference,
                    amount=pounds(recorded.weekly_pence),
                    start=_day(recorded.effective_from),
                ),
            )
        return Standing("none", NOT_STARTED)
    if latest.status == FinancialAssessment.Status.OUTSTANDING:
        return Standing(
            latest.status, OUTSTANDING.format(on=_day(latest.started_at.date())), latest
        )
    if latest.status == FinancialAssessment.Status.DEFERRED:
        assert latest.deferred_until is not None
        return Standing(
            latest.status,
            DEFERRED.format(until=_day(latest.deferred_until), reason=latest.deferred_reason),
            latest,
        )
    assert latest.decided_at is not None and latest.charge_from is not None
    how = "Light-touch assessment" if latest.status == "light_touch" else "Completed"
    return Standing(
        latest.status,
        DONE.format(
            how=how,
            on=_day(latest.decided_at.date()),
            ref=latest.reference,
            amount=pounds(latest.weekly_charge_pence),
            start=_day(latest.charge_from),
        ),
        latest,
    )


def _day(on: dt.date) -> str:
    return f"{on:%-d %B %Y}"
