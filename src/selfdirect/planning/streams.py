"""Funding streams and what each may pay for, as plain rules with effective dates (no Django).

A support plan's costed lines are each funded by a stream; a line a stream may not pay for
is refused with the reason. The shipped rules follow IBSEN §2 (funding streams) and the
holders' spending categories (holders-experience REQ-23).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

CATEGORIES: dict[str, str] = {
    "home_care_agency": "Home care from an agency",
    "personal_assistant": "Personal assistant",
    "day_activity": "Day centre or day activity",
    "short_breaks": "Short breaks and holidays",
    "transport": "Transport and travel",
    "leisure": "Leisure, gym or personal training",
    "hobby": "Hobby materials",
    "it_communication": "IT and communication",
    "equipment_purchase": "Equipment to buy",
    "equipment_maintenance": "Equipment upkeep",
    "adaptations": "Home adaptations",
    "housing_support": "Housing-related support",
    "employment_support": "Support at work",
    "health_care": "Health care",
    "account_fees": "Payroll, accounts and managed-account fees",
    "insurance": "Employer's and public liability insurance",
}

ALL = frozenset(CATEGORIES)


@dataclass(frozen=True)
class StreamRule:
    code: str
    name: str
    effective_from: dt.date
    may_pay_for: frozenset[str]
    ring_fenced: bool  # under-spend stays in the stream, never moved silently
    integration: str  # "integrated" in the RAS amount, "aligned" alongside it, or "recharged"


SHIPPED: tuple[StreamRule, ...] = (
    StreamRule(
        "adult_social_care",
        "Adult social care",
        dt.date(2015, 4, 1),
        ALL - {"adaptations", "housing_support", "employment_support", "health_care"},
        False,
        "integrated",
    ),
    StreamRule(
        "carers_budget",
        "Carer's budget",
        dt.date(2015, 4, 1),
        frozenset(
            {
                "short_breaks",
                "leisure",
                "transport",
                "hobby",
                "it_communication",
                "personal_assistant",
            }
        ),
        True,
        "integrated",
    ),
    StreamRule(
        "nhs_chc",
        "NHS continuing healthcare / personal health budget",
        dt.date(2015, 4, 1),
        frozenset(
            {
                "home_care_agency",
                "personal_assistant",
                "health_care",
                "equipment_purchase",
                "equipment_maintenance",
                "account_fees",
                "insurance",
            }
        ),
        True,
        "recharged",
    ),
    StreamRule(
        "supporting_people",
        "Supporting People",
        dt.date(2015, 4, 1),
        frozenset({"housing_support"}),
        True,
        "aligned",
    ),
    StreamRule(
        "access_to_work",
        "Access to Work",
        dt.date(2015, 4, 1),
        frozenset({"employment_support", "transport", "equipment_purchase"}),
        True,
        "aligned",
    ),
    StreamRule(
        "dfg",
        "Disabled Facilities Grant",
        dt.date(2015, 4, 1),
        frozenset({"adaptations"}),
        True,
        "aligned",
    ),
    StreamRule(
        "ilf",
        "Independent Living Fund",
        dt.date(2015, 4, 1),
        frozenset({"home_care_agency", "personal_assistant"}),
        True,
        "integrated",
    ),
    StreamRule(
        "equipment",
        "Community equipment",
        dt.date(2015, 4, 1),
        frozenset({"equipment_purchase", "equipment_maintenance"}),
        True,
        "aligned",
    ),
)


def rule_on(code: str, on: dt.date, rules: tuple[StreamRule, ...] = SHIPPED) -> StreamRule:
    """The stream's rule in effect on a date."""
    candidates = [r for r in rules if r.code == code and r.effective_from <= on]
    if not candidates:
        raise LookupError(f"No rule for the funding stream {code} on {on.isoformat()}")
    return max(candidates, key=lambda r: r.effective_from)


def refusal(rule: StreamRule, category: str) -> str | None:
    """None if the stream may pay for the category, else the reason in words."""
    if category in rule.may_pay_for:
        return None
    allowed = ", ".join(sorted(CATEGORIES[c].lower() for c in rule.may_pay_for))
    return f"{rule.name} cannot pay for {CATEGORIES.get(category, category).lower()}: it pays only for {allowed}"


# Ways of holding a budget (SCIE; IBSEN §3), set for each line: a person with a mix sees one budget.
DEPLOYMENTS: dict[str, str] = {
    "direct_payment": "Direct payment",
    "managed_account": "Managed account held by the council",
    "isf": "Individual Service Fund held by a provider",
    "third_party": "Third-party managed account",
    "council_commissioned": "Council-commissioned service",
}

# Why people switch provider or way of holding (Ipsos MORI 2011, holders-experience pick-list A).
SWITCH_REASONS: dict[str, str] = {
    "DISSATISFIED_GENERAL": "General dissatisfaction with the service",
    "NO_CONTINUITY": "No continuity: different carers each time",
    "VARIABLE_CARER_QUALITY": "Some carers good, others poor",
    "RUSHED_VISITS": "Rushed or shortened visits",
    "TIMING_LATE_EARLY": "Carers arriving too late or too early",
    "INCONVENIENT_TIMES": "Visit times unsuitable",
    "NOT_TOLD_WHO": "Not told which carer is coming",
    "CANCELLATIONS": "Cancelled visits",
    "COMPLAINTS_IGNORED": "Complaints hard to get dealt with",
    "OFFICE_SYSTEMS": "Unhappy with the office and scheduling",
    "PA_INFLEXIBLE_HOURS": "Personal assistant not flexible about hours",
    "PA_TASKS_NOT_DONE": "Personal assistant not doing the tasks needed",
    "PA_RELATIONSHIP": "Relationship with the personal assistant not working",
    "PA_ABSENCE": "Personal assistant's sickness or time off",
    "PA_TRUST_SAFETY": "Doubts about the personal assistant's honesty or safety",
    "PA_LEFT": "The personal assistant left",
    "EMPLOYER_BURDEN": "Being an employer is too much",
    "PROVIDER_LOST_CONTRACT": "The provider lost its council contract",
    "NOT_APPROVED_PROVIDER": "Wants a provider not on the council's list",
    "UNHAPPY_COUNCIL_ARRANGED": "Unhappy with council-arranged care",
    "UNSUITABLE_PEER_GROUP": "The service suits a different age or ability group",
    "WANT_PERSONAL_CHOICE": "Wants to choose the person who supports them",
    "WANT_BACKUP_COVER": "Needs guaranteed cover",
    "COST": "Cost",
}
