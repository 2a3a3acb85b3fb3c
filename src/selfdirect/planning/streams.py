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


ALL_WAYS = frozenset(
    {"direct_payment", "managed_account", "isf", "third_party", "council_commissioned"}
)


@dataclass(frozen=True)
class StreamRule:
    code: str
    name: str
    effective_from: dt.date
    may_pay_for: frozenset[str]
    ring_fenced: bool  # under-spend stays in the stream, never moved silently
    # "integrated" in the RAS amount (counts against the budget), "recharged" (paid from the
    # budget and recharged to its funder) or "aligned" (funded alongside, decided elsewhere).
    integration: str
    owner: str  # who the holder is accountable to for this money
    payment_route: str  # how the money reaches what it pays for, in words
    may_be_held: frozenset[str]  # the ways of holding this stream's lines may use
    monitoring_level: str

    @property
    def counts_against_budget(self) -> bool:
        """Integrated and recharged money is part of the personal budget; aligned money is
        awarded and paid separately, alongside it."""
        return self.integration != "aligned"


SHIPPED: tuple[StreamRule, ...] = (
    StreamRule(
        "adult_social_care",
        "Adult social care",
        dt.date(2015, 4, 1),
        ALL - {"adaptations", "housing_support", "employment_support", "health_care"},
        False,
        "integrated",
        owner="The council",
        payment_route="Any way of holding the budget",
        may_be_held=ALL_WAYS,
        monitoring_level="Proportionate: light-touch, more where there is risk",
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
        owner="The council",
        payment_route="Any way of holding the budget, often a direct payment to the carer",
        may_be_held=ALL_WAYS,
        monitoring_level="Proportionate: light-touch",
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
        owner="The NHS (integrated care board)",
        payment_route="Paid from the budget and recharged to the NHS",
        may_be_held=ALL_WAYS,
        monitoring_level="NHS personal health budget monitoring",
    ),
    StreamRule(
        "supporting_people",
        "Supporting People",
        dt.date(2015, 4, 1),
        frozenset({"housing_support"}),
        True,
        # IBSEN §2.1: usually a ring-fenced tranche in the RAS (price per point includes it).
        "integrated",
        owner="The council's housing-related support (Supporting People) budget",
        payment_route="Any way of holding the budget, spent only on housing-related support",
        may_be_held=ALL_WAYS,
        monitoring_level="Light-touch: a sample of plans, quarterly returns",
    ),
    StreamRule(
        "access_to_work",
        "Access to Work",
        dt.date(2015, 4, 1),
        frozenset({"employment_support", "transport", "equipment_purchase"}),
        True,
        "aligned",
        owner="The Department for Work and Pensions (Jobcentre Plus)",
        payment_route="A grant paid to the person or their employer",
        may_be_held=frozenset({"direct_payment"}),
        monitoring_level="Claims with receipts to Access to Work",
    ),
    StreamRule(
        "dfg",
        "Disabled Facilities Grant",
        dt.date(2015, 4, 1),
        frozenset({"adaptations"}),
        True,
        "aligned",
        owner="The housing authority",
        payment_route="A capital grant paid on proof that the approved works are done",
        may_be_held=frozenset({"council_commissioned"}),
        monitoring_level="Inspection of the works",
    ),
    StreamRule(
        "ilf",
        "Independent Living Fund",
        dt.date(2015, 4, 1),
        frozenset({"home_care_agency", "personal_assistant"}),
        True,
        # IBSEN §2.1: aligned only, never in a RAS (no guarantee of an award or its size).
        "aligned",
        owner="The Independent Living Fund trustees",
        payment_route="Paid straight into the person's bank account",
        may_be_held=frozenset({"direct_payment"}),
        monitoring_level="Receipt-level",
    ),
    StreamRule(
        "equipment",
        "Community equipment",
        dt.date(2015, 4, 1),
        frozenset({"equipment_purchase", "equipment_maintenance"}),
        True,
        "recharged",
        owner="The community equipment service (council and NHS)",
        payment_route="Loaned and maintained free by the equipment service",
        may_be_held=frozenset({"council_commissioned"}),
        monitoring_level="Equipment service records",
    ),
)


def stream_name(code: str) -> str:
    """A funding stream's name in words (its code, if it is not one of ours)."""
    return next((r.name for r in reversed(SHIPPED) if r.code == code), code)


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


def route_refusal(rule: StreamRule, deployment: str) -> str | None:
    """None if this stream's money may be held this way, else the reason in words."""
    if deployment in rule.may_be_held:
        return None
    ways = ", ".join(sorted(DEPLOYMENTS[w].lower() for w in rule.may_be_held))
    return (
        f"{rule.name} money cannot be held as {DEPLOYMENTS[deployment].lower()}: "
        f"{rule.payment_route.lower()}, so hold it as {ways}"
    )


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
