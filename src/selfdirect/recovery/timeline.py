"""A case's dated steps, in order, for its pages (each step is also in the audit log)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from selfdirect.money import pounds
from selfdirect.recovery.models import RecoveryCase


@dataclass(frozen=True)
class Step:
    on: dt.date
    title: str
    detail: str = ""


def timeline(case: RecoveryCase) -> list[Step]:
    steps = [
        Step(case.opened_on, "Case opened", f"A surplus of {pounds(case.surplus_pence)} was found")
    ]
    if case.letter_sent_on and case.explain_by:
        steps.append(
            Step(
                case.letter_sent_on,
                "Letter sent",
                f"Time to explain until {case.explain_by:%-d %B %Y}",
            )
        )
    if case.explained_on:
        steps.append(
            Step(case.explained_on, "Explanation given", case.get_explanation_kind_display())
        )
    if case.adjustments_on:
        steps.append(Step(case.adjustments_on, "Reasonable adjustments recorded", case.adjustments))
    if case.decided_on:
        steps.append(
            Step(
                case.decided_on,
                "Decision made",
                f"{case.get_decision_display()}: {pounds(case.decided_pence or 0)}",
            )
        )
    if case.plan_set_on:
        steps.append(Step(case.plan_set_on, "Recovery plan set", case.get_plan_kind_display()))
    for instalment in case.instalments.all():
        if instalment.collected_on:
            steps.append(
                Step(
                    instalment.collected_on,
                    f"Recovery {instalment.number} taken",
                    pounds(instalment.amount_pence),
                )
            )
    if case.appealed_on:
        steps.append(Step(case.appealed_on, "Appeal made", "Collection paused"))
    if case.appeal_decided_on:
        steps.append(
            Step(case.appeal_decided_on, "Appeal decided", case.get_appeal_outcome_display())
        )
    if case.closed_on:
        steps.append(Step(case.closed_on, "Case closed"))
    return sorted(steps, key=lambda s: s.on)
