"""Approved support plans for every demo person with an approved budget: outcomes in their
own words, costed lines near the budget, each held a way the seeds report (``distributions``),
with the direct payment and fund agreements and the scheduled reviews that go with them.

Rows are inserted a chunk of budgets at a time (``bulk``: COPY on PostgreSQL), so memory
stays bounded for 100,000 people; the draws follow the budgets in order, so a seed always
gives the same plans.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from selfdirect.allocation.models import Allocation
from selfdirect.budgets.models import DirectPaymentAgreement, FundAgreement
from selfdirect.demo import distributions as d
from selfdirect.demo import names
from selfdirect.demo.bulk import ids_from, rows_insert
from selfdirect.people import codes
from selfdirect.people.models import Person, Relationship
from selfdirect.planning import streams
from selfdirect.planning.models import (
    PlanLine,
    PlanOutcome,
    Review,
    SupportPlan,
    line_cost_pence,
)
from selfdirect.providers.models import Provider, ProviderClient

BATCH = 5000

# The family of each way of holding: a plan using more than one family is "mixed".
HOLDING_FAMILY = {
    "direct_payment": "direct_payment",
    "managed_account": "managed",
    "council_commissioned": "managed",
    "isf": "isf",
    "third_party": "third_party",
}
_ROUTE_FAMILY = {
    "dp_personal": "direct_payment",
    "dp_joint": "direct_payment",
    "council": "managed",
    "isf": "isf",
    "third_party": "third_party",
}

# Outcomes in the person's own words, by user group: everyday living (Care Act eligibility
# outcomes A-F) and the rest of their life (G-J). Each plan has one of the first and one or two
# of the second.
DAILY: dict[str, tuple[tuple[str, str], ...]] = {
    "older_people": (
        ("I want to get up, washed and dressed at a time that suits me", "B"),
        ("I want a hot meal at lunchtime and not to skip meals", "A"),
        ("I want to stay in my own home and feel safe moving about it", "E"),
        ("I want my home kept clean and tidy the way I like it", "F"),
        ("I want to manage the toilet at night without falling", "C"),
    ),
    "physical_disability": (
        ("I want help showering and dressing so I am ready for the day", "B"),
        ("I want to use the toilet when I need to, not when someone is free", "C"),
        ("I want to cook my own meals with help for the hard parts", "A"),
        ("I want to get in and out of bed safely", "E"),
        ("I want to keep my flat how I like it", "F"),
    ),
    "learning_disability": (
        ("I want to learn to cook my own tea", "A"),
        ("I want to choose my own clothes and get dressed by myself", "D"),
        ("I want someone to help me with my washing and ironing", "F"),
        ("I want to keep my flat nice and pay my bills on time", "F"),
        ("I want to have a bath when I want one", "B"),
    ),
    "mental_health": (
        ("I want to get up in the morning and have a routine", "B"),
        ("I want to eat properly and do my own shopping", "A"),
        ("I want to keep on top of my post and my bills", "F"),
        ("I want to keep my tenancy and feel settled at home", "F"),
        ("I want my home to feel like somewhere I can relax", "E"),
    ),
}
LIFE: dict[str, tuple[tuple[str, str], ...]] = {
    "older_people": (
        ("I want to get out to the shops and the library once a week", "I"),
        ("I want to keep going to church on Sundays", "I"),
        ("I want to see my grandchildren more often", "G"),
        ("I want to keep up with my friends at the lunch club", "G"),
        ("I want to get back out into the garden in the summer", "I"),
        ("I want my family to get a proper break now and then", "G"),
    ),
    "physical_disability": (
        ("I want to keep my job and get to work on time", "H"),
        ("I want to go swimming again", "I"),
        ("I want to go to the football with my mates", "G"),
        ("I want to study at college part-time", "H"),
        ("I want to take my children to school", "J"),
        ("I want to get to the gym twice a week", "I"),
    ),
    "learning_disability": (
        ("I want to go to the disco on Friday nights", "G"),
        ("I want to get a job in a cafe", "H"),
        ("I want to go on the bus into town on my own", "I"),
        ("I want to see my mum and dad at the weekends", "G"),
        ("I want to go on holiday to the seaside", "I"),
        ("I want to do drama with my friends", "G"),
    ),
    "mental_health": (
        ("I want to get out of the house and meet people", "G"),
        ("I want to go to the allotment group", "I"),
        ("I want to do some volunteering", "H"),
        ("I want to get back to running", "I"),
        ("I want to do a course at college", "H"),
        ("I want to see my son more often", "G"),
    ),
}
INFORMAL = (
    "My {who} helps in the evenings and at weekends",
    "My {who} does my shopping and rings every day",
    "My {who} comes with me to appointments",
    "My {who} sorts out my post with me",
)
LEISURE = (
    "Gym membership",
    "Swimming sessions",
    "Art class",
    "Football season ticket",
    "Allotment society",
    "Drama group",
    "Lunch club",
    "Music lessons",
    "Walking group",
)
EQUIPMENT = (
    "Perching stool and kitchen trolley",
    "Riser recliner chair",
    "Washer-dryer",
    "Shower chair and grab rails",
    "Electric profiling bed",
    "Kettle tipper and easy-grip cutlery",
)
PA_DOING = (
    "help at home",
    "personal care and going out",
    "the mornings and evenings",
    "getting out and about",
    "cooking, shopping and cleaning",
)


@dataclass
class _Line:
    fields: dict[str, Any]
    outcome: int | None  # index into the plan's outcomes


@dataclass
class _Plan:
    allocation_id: int
    person_id: int
    team_id: int | None
    budget: int
    led_by: str
    starts_on: dt.date
    outcomes: list[dict[str, Any]]
    lines: list[_Line] = field(default_factory=list)
    contingency: str = ""
    variance_reason: str = ""
    agreement: dict[str, Any] | None = None
    funds: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Person:
    """What a plan needs to know about the person and the people around them."""

    given_name: str
    family_name: str
    user_group: str
    team_id: int | None
    representative: tuple[int, str] | None = None  # person id, kind of representative
    carer: tuple[str, str] | None = None  # name, relationship
    provider_id: int | None = None


def _pick(rng: random.Random, shares: dict[str, float]) -> str:
    keys = list(shares)
    return rng.choices(keys, weights=[shares[k] for k in keys])[0]


def plan_holding(deployments: Iterable[str]) -> str:
    """The way a plan is held as a whole: one family of ways, or "mixed"."""
    families = {HOLDING_FAMILY[x] for x in deployments}
    return families.pop() if len(families) == 1 else "mixed"


def _deployment(rng: random.Random, route: str) -> str:
    if route == "council":
        return (
            "managed_account"
            if rng.random() < d.MANAGED_ACCOUNT_SHARE_OF_COUNCIL
            else "council_commissioned"
        )
    return {"dp_personal": "direct_payment", "dp_joint": "direct_payment"}.get(route, route)


def _hourly(
    rng: random.Random,
    *,
    description: str,
    category: str,
    cost: tuple[int, int],
    pence: int,
    deployment: str,
    outcome: int | None,
    provider: tuple[int, str] | None = None,
    provided_by: str = "",
    stream: str = "adult_social_care",
) -> _Line:
    quantity, unit_cost = _hours(rng, pence, cost)
    return _fixed(
        description=description,
        category=category,
        unit=PlanLine.Unit.HOUR,
        unit_cost=unit_cost,
        quantity=quantity,
        deployment=deployment,
        outcome=outcome,
        provider=provider,
        provided_by=provided_by,
        stream=stream,
    )


def _hours(rng: random.Random, pence: int, cost: tuple[int, int]) -> tuple[int, int]:
    """Quarter-hours a week and an hourly rate within ``cost`` that come closest to ``pence``
    without going over (small budgets buy an hour or less, so the rate takes up the rest)."""
    low, high = cost
    start = max(25, pence * 100 // rng.randrange(low, high + 1, 5) // 25 * 25)
    best = (start, low)
    for quantity in (start, start + 25):
        rate = min(high, pence * 100 // quantity // 5 * 5)
        if rate >= low and rate * quantity > best[0] * best[1]:
            best = (quantity, rate)
    return best


def _fixed(
    *,
    description: str,
    category: str,
    unit: str,
    unit_cost: int,
    quantity: int,
    deployment: str,
    outcome: int | None,
    provider: tuple[int, str] | None = None,
    provided_by: str = "",
    stream: str = "adult_social_care",
) -> _Line:
    return _Line(
        {
            "description": description,
            "category": category,
            "provider_id": provider[0] if provider else None,
            "provided_by": provided_by,
            "unit": unit,
            "unit_cost_pence": unit_cost,
            "quantity_hundredths": quantity,
            "funding_stream": stream,
            "deployment": deployment,
        },
        outcome,
    )


def _weekly(line: _Line) -> int:
    """As ``PlanLine.weekly_cost_pence``: halves round up; one-off items cost nothing a week."""
    if line.fields["unit"] == PlanLine.Unit.ITEM:
        return 0
    return line_cost_pence(line.fields["unit_cost_pence"], line.fields["quantity_hundredths"])


def _wants_personal_assistant(rng: random.Random, who: _Person, deployment: str) -> bool:
    """Whether the main line is a personal assistant (else a provider's hours)."""
    if deployment in ("isf", "council_commissioned"):
        return False
    scale = d.PA_SCALE_DIRECT_PAYMENT if deployment == "direct_payment" else d.PA_SCALE_MANAGED
    return rng.random() < min(0.95, d.PERSONAL_ASSISTANT_SHARE[who.user_group] * scale)


def _main_line(
    rng: random.Random,
    who: _Person,
    *,
    personal_assistant: bool,
    deployment: str,
    pence: int,
    provider: tuple[int, str],
) -> _Line:
    """The line that carries most of the budget: a personal assistant or a provider's hours."""
    if personal_assistant:
        return _hourly(
            rng,
            description=f"Personal assistant for {rng.choice(PA_DOING)}",
            category="personal_assistant",
            cost=d.PRICES["personal_assistant"],
            pence=pence,
            deployment=deployment,
            outcome=0,
            provided_by="A personal assistant the person employs"
            if deployment == "direct_payment"
            else "A personal assistant employed through the account",
        )
    if who.user_group in ("learning_disability", "mental_health"):
        description = f"Support worker from {provider[1]}"
    elif deployment == "isf":
        description = f"Help at home from {provider[1]}, hours used flexibly"
    else:
        description = f"Home care visits from {provider[1]}"
    return _hourly(
        rng,
        description=description,
        category="home_care_agency",
        cost=d.PRICES["home_care_agency"],
        pence=pence,
        deployment=deployment,
        outcome=0,
        provider=provider,
    )


def _second_line(
    rng: random.Random, *, deployment: str, pence: int, provider: tuple[int, str], outcome: int
) -> _Line:
    """The part of a mixed plan held the other way: a personal assistant through a direct
    payment or a third party, else day opportunities (or hours, for a small budget) from a provider."""
    if deployment in ("direct_payment", "third_party"):
        return _hourly(
            rng,
            description=f"Personal assistant for {rng.choice(PA_DOING)}",
            category="personal_assistant",
            cost=d.PRICES["personal_assistant"],
            pence=pence,
            deployment=deployment,
            outcome=outcome,
            provided_by="A personal assistant the person employs"
            if deployment == "direct_payment"
            else "A personal assistant employed through the account",
        )
    cost = _price(rng, "day_activity", 50)
    if pence < cost:
        return _hourly(
            rng,
            description=f"Support from {provider[1]} to get out and about",
            category="home_care_agency",
            cost=d.PRICES["home_care_agency"],
            pence=pence,
            deployment=deployment,
            outcome=outcome,
            provider=provider,
        )
    return _day_activity(
        deployment=deployment,
        cost=cost,
        sessions=min(4, pence // cost),
        provider=provider,
        outcome=outcome,
    )


def _day_activity(
    *, deployment: str, cost: int, sessions: int, provider: tuple[int, str], outcome: int
) -> _Line:
    return _fixed(
        description=f"Day opportunities at {provider[1]}",
        category="day_activity",
        unit=PlanLine.Unit.SESSION,
        unit_cost=cost,
        quantity=sessions * 100,
        deployment=deployment,
        outcome=outcome,
        provider=provider,
    )


def _checked(line: _Line, on: dt.date) -> _Line:
    """Never a line the plan services would refuse: the stream must pay for the category and
    allow the way it is held."""
    rule = streams.rule_on(line.fields["funding_stream"], on)
    reason = streams.refusal(rule, line.fields["category"]) or streams.route_refusal(
        rule, line.fields["deployment"]
    )
    if reason is not None:
        raise ValueError(reason)
    return line


def _from_budget(line: _Line, on: dt.date) -> int:
    """The line's weekly cost to the personal budget: nothing for a stream funded alongside."""
    rule = streams.rule_on(line.fields["funding_stream"], on)
    return _weekly(line) if rule.counts_against_budget else 0


def _price(rng: random.Random, category: str, step: int) -> int:
    low, high = d.PRICES[category]
    return rng.randrange(low, high + 1, step)


def _plan_lines(
    rng: random.Random,
    who: _Person,
    *,
    budget: int,
    over: bool,
    primary: str,
    secondary: str | None,
    provider: tuple[int, str],
    organisation: tuple[int, str],
    outcomes: int,
) -> list[_Line]:
    """The main line first, then the part held another way (a mixed plan), the extras and
    the costs of managing the support; the main line takes up what is left of the budget."""
    # In hundredths of a percent, so the money stays in whole pence.
    target = budget * (rng.randint(10100, 10500) if over else rng.randint(9500, 10000)) // 10000
    group = who.user_group
    life = list(range(1, outcomes))
    personal_assistant = _wants_personal_assistant(rng, who, primary)
    kept: list[_Line] = []  # never trimmed: they make the plan the way it is held
    if secondary is not None:
        kept.append(
            _second_line(
                rng,
                deployment=secondary,
                pence=target * rng.randint(15, 35) // 100,
                provider=provider,
                outcome=life[0],
            )
        )
    if "third_party" in (primary, secondary):
        kept.append(
            _fixed(
                description=f"Managed account fee to {organisation[1]}",
                category="account_fees",
                unit=PlanLine.Unit.WEEK,
                unit_cost=_price(rng, "account_fees", 25) if budget > 8000 else 200,
                quantity=100,
                deployment="third_party",
                outcome=None,
            )
        )
    # The Independent Living Fund is paid into the person's account (a direct payment) for
    # personal assistants, alongside the budget (streams.SHIPPED): only with a direct payment.
    direct_payment = "direct_payment" in (primary, secondary)
    ilf = direct_payment and rng.random() < d.ilf_share_with_direct_payment(group)
    if (personal_assistant and primary == "direct_payment") or secondary == "direct_payment" or ilf:
        # An employer needs employer's liability insurance (IBSEN Table 5.8, "managing support").
        kept.append(
            _fixed(
                description="Employer's and public liability insurance",
                category="insurance",
                unit=PlanLine.Unit.WEEK,
                unit_cost=_price(rng, "insurance", 10),
                quantity=100,
                deployment="direct_payment",
                outcome=None,
            )
        )
    extras: list[_Line] = []
    # The main line keeps the larger part; the smallest budgets buy one thing.
    room = target * 55 // 100 - sum(_weekly(x) for x in kept) if target >= 6000 else 0

    def add(line: _Line) -> None:
        nonlocal room
        if _weekly(line) <= room:
            extras.append(line)
            room -= _weekly(line)

    if rng.random() < d.SUPPORTING_PEOPLE_SHARE[group]:
        add(
            _hourly(
                rng,
                description=f"Housing support from {provider[1]} to keep my tenancy",
                category="housing_support",
                cost=d.PRICES["housing_support"],
                pence=rng.randint(2, 5) * 2000,
                deployment=primary,
                outcome=0,
                provider=provider,
                stream="supporting_people",
            )
        )
    if secondary is None and rng.random() < d.DAY_ACTIVITY_SHARE[group]:
        add(
            _day_activity(
                deployment=primary,
                cost=_price(rng, "day_activity", 50),
                sessions=rng.randint(1, 3 if group == "learning_disability" else 2),
                provider=provider,
                outcome=life[0],
            )
        )
    if rng.random() < d.LEISURE_SHARE[group]:
        add(
            _fixed(
                description=rng.choice(LEISURE),
                category="leisure",
                unit=PlanLine.Unit.WEEK,
                unit_cost=_price(rng, "leisure", 50),
                quantity=100,
                deployment=primary,
                outcome=life[-1],
            )
        )
    if rng.random() < d.SHORT_BREAKS_SHARE:
        add(
            _fixed(
                description=rng.choice(
                    (
                        "Short breaks so my family get a rest",
                        "A holiday with support",
                        "Respite stays",
                    )
                ),
                category="short_breaks",
                unit=PlanLine.Unit.DAY,
                unit_cost=_price(rng, "short_breaks", 500),
                quantity=rng.choice((10, 15, 20, 30)),  # 5 to 15 days a year
                deployment=primary,
                outcome=life[-1],
                provider=provider,
            )
        )
    if rng.random() < d.ONE_OFF_SHARE[group]:
        extras.append(
            _fixed(
                description=rng.choice(EQUIPMENT),
                category="equipment_purchase",
                unit=PlanLine.Unit.ITEM,
                unit_cost=_price(rng, "equipment_purchase", 500),
                quantity=100,
                deployment=primary,
                outcome=0,
                # The equipment service loans what it provides: council-commissioned only.
                stream="equipment"
                if primary == "council_commissioned" and rng.random() < d.EQUIPMENT_STREAM_SHARE
                else "adult_social_care",
            )
        )
    main = _main_line(
        rng,
        who,
        personal_assistant=personal_assistant,
        deployment=primary,
        pence=target - sum(_weekly(x) for x in (*kept, *extras)),
        provider=provider,
    )
    lines = [main, *kept, *extras]
    _fit(lines, budget=budget, over=over, spare=extras)
    if ilf:
        # Funded alongside the budget, so not part of what is fitted to it.
        lines.append(
            _hourly(
                rng,
                description="Personal assistant paid by the Independent Living Fund",
                category="personal_assistant",
                cost=d.PRICES["personal_assistant"],
                pence=d.ILF_WEEKLY_PENCE * rng.randint(50, 150) // 100,
                deployment="direct_payment",
                outcome=0,
                provided_by="A personal assistant the person employs",
                stream="ilf",
            )
        )
    return lines


def _fit(lines: list[_Line], *, budget: int, over: bool, spare: list[_Line]) -> None:
    """Trim the main line (then the spare extras) to the budget; for a plan meant to go a
    little over, make sure it does."""
    main = lines[0]

    def total() -> int:
        return sum(_weekly(x) for x in lines)

    if over:
        while total() <= budget:
            main.fields["unit_cost_pence"] += 5
        return
    while total() > budget and main.fields["quantity_hundredths"] > 25:
        main.fields["quantity_hundredths"] -= 25
    for line in sorted(spare, key=_weekly, reverse=True):
        if total() <= budget:
            return
        lines.remove(line)


def _agreement(
    rng: random.Random, who: _Person, *, joint: bool, starts_on: dt.date
) -> dict[str, Any]:
    rep = who.representative
    fields: dict[str, Any] = {
        "recipient_type": DirectPaymentAgreement.Recipient.PERSON,
        "recipient_id": None,
        "sort_code": f"00{rng.randrange(10_000):04d}",
        "account_number": f"{rng.randrange(10_000_000, 100_000_000)}",
        "starts_on": starts_on,
    }
    authorised = rep is not None and rep[1] == codes.RelationshipKind.AUTHORISED_PERSON
    if rep is not None and (joint or authorised):
        fields["recipient_type"] = (
            DirectPaymentAgreement.Recipient.AUTHORISED
            if authorised
            else DirectPaymentAgreement.Recipient.NOMINATED
        )
        fields["recipient_id"] = rep[0]
    if joint:
        fields["account_type"] = DirectPaymentAgreement.Account.JOINT
        fields["second_account_holder"] = (
            f"{who.given_name} {who.family_name}"
            if fields["recipient_id"]
            else (
                who.carer[0]
                if who.carer
                else f"{rng.choice(names.FEMALE + names.MALE)} {who.family_name}"
            )
        )
    elif fields["recipient_id"] is None and rng.random() < d.PREPAID_CARD_SHARE:
        fields.update(
            account_type=DirectPaymentAgreement.Account.PREPAID,
            sort_code="",
            account_number="",
            card_reference=f"DEMO-{rng.randrange(10**9):09d}",
        )
    else:
        fields["account_type"] = DirectPaymentAgreement.Account.BANK
    recipient = fields["recipient_type"]
    fields.update(
        has_capacity=recipient != DirectPaymentAgreement.Recipient.AUTHORISED,
        recipient_agrees=True,
        capable_of_managing=True,
        appropriate=True,
        not_excluded=True,
        best_interests=recipient == DirectPaymentAgreement.Recipient.AUTHORISED,
        # Authorised persons in the demo hold a lasting power of attorney (generator._LEGAL_BASIS).
        deputy_or_attorney=recipient == DirectPaymentAgreement.Recipient.AUTHORISED,
        close_family_or_friend=recipient != DirectPaymentAgreement.Recipient.PERSON,
    )
    return fields


def _plan(
    rng: random.Random,
    who: _Person,
    *,
    allocation_id: int,
    person_id: int,
    budget: int,
    today: dt.date,
    providers: list[tuple[int, str]],
    route_shares: dict[str, float],
    over_allowed: bool,
) -> _Plan:
    """One person's plan: how it is held (the seeds' shares for their group, and whether part
    of it is held another way), who led it, the outcomes, the lines and the agreements."""
    group = who.user_group
    route = _pick(rng, route_shares)
    secondary_route = None
    if rng.random() < d.MIXED_SHARE:
        others = {
            r: s
            for r, s in route_shares.items()
            if _ROUTE_FAMILY[r] != _ROUTE_FAMILY[route] and s > 0
        }
        secondary_route = _pick(rng, others)
    primary = _deployment(rng, route)
    secondary = _deployment(rng, secondary_route) if secondary_route else None

    lead = _pick(rng, d.PLAN_LED_BY)
    if lead == "family":
        lead = "representative" if who.representative else "carer" if who.carer else "person"
    starts_on = today - dt.timedelta(days=rng.randint(*d.PLAN_AGE_DAYS))

    daily = rng.choice(DAILY[group])
    life = rng.sample(LIFE[group], rng.choice((1, 2)))
    informal = rng.choice(INFORMAL).format(who=who.carer[1].lower()) if who.carer else ""
    outcomes = [
        {"in_their_words": words, "eligibility_outcome": code, "informal_support": ""}
        for words, code in (daily, *life)
    ]
    outcomes[0]["informal_support"] = informal

    provider = next((p for p in providers if p[0] == who.provider_id), None) or rng.choice(
        providers
    )
    organisation = rng.choice(providers)
    over = rng.random() < d.OVER_BUDGET_PLAN_SHARE and over_allowed
    plan = _Plan(
        allocation_id=allocation_id,
        person_id=person_id,
        team_id=who.team_id,
        budget=budget,
        led_by=lead,
        starts_on=starts_on,
        outcomes=outcomes,
    )
    plan.lines = [
        _checked(line, starts_on)
        for line in _plan_lines(
            rng,
            who,
            budget=budget,
            over=over,
            primary=primary,
            secondary=secondary,
            provider=provider,
            organisation=organisation,
            outcomes=len(outcomes),
        )
    ]
    if sum(_from_budget(x, starts_on) for x in plan.lines) > budget:
        plan.variance_reason = rng.choice(d.VARIANCE_REASONS)
    for line in plan.lines:
        # The ISF is held by the provider that gives the support, which pays for the rest.
        if line.fields["deployment"] == "isf":
            line.fields["provider_id"] = provider[0]
    for i, outcome in enumerate(outcomes):
        met_by = [x.fields["description"] for x in plan.lines if x.outcome == i]
        outcome["how_met"] = "; ".join(met_by) if met_by else "Family, friends and the community"
    main = plan.lines[0].fields
    plan.contingency = (
        "If my personal assistant is ill or away, a back-up personal assistant covers, "
        "and the council's emergency duty team can arrange an agency at short notice."
        if main["category"] == "personal_assistant"
        else "If the provider cannot come, they phone me and send someone else the same day; "
        "the council's emergency duty team covers nights and weekends."
    )
    used = {x.fields["deployment"] for x in plan.lines}
    if "direct_payment" in used:
        dp_route = route if _ROUTE_FAMILY[route] == "direct_payment" else secondary_route
        plan.agreement = _agreement(rng, who, joint=dp_route == "dp_joint", starts_on=starts_on)
    for kind, org in (("isf", provider), ("third_party", organisation)):
        if kind in used:
            plan.funds.append(
                {
                    "kind": kind,
                    "organisation_id": org[0],
                    "surplus_rule": FundAgreement.Surplus.CARRY
                    if rng.random() < d.FUND_SURPLUS_CARRY_SHARE
                    else FundAgreement.Surplus.RETURN,
                    "fee_weekly_pence": sum(
                        _weekly(x) for x in plan.lines if x.fields["category"] == "account_fees"
                    )
                    if kind == "third_party"
                    else 0,
                    "starts_on": starts_on,
                    "person_agreed_on": starts_on - dt.timedelta(days=rng.randint(3, 21)),
                    "organisation_agreed_on": starts_on - dt.timedelta(days=rng.randint(0, 14)),
                }
            )
    return plan


def _people(person_ids: list[int]) -> dict[int, _Person]:
    """The chunk's people, with their representative, carer and provider (ids in a range, so
    the queries never carry thousands of parameters)."""
    low, high = min(person_ids), max(person_ids)
    wanted = set(person_ids)
    people = {
        pk: _Person(given, family, group, team)
        for pk, given, family, group, team in Person.objects.filter(
            pk__gte=low, pk__lte=high
        ).values_list("pk", "given_name", "family_name", "user_group", "team_id")
        if pk in wanted
    }
    relationships = (
        Relationship.objects.current()
        .filter(person_id__gte=low, person_id__lte=high)
        .order_by("pk")
        .values_list(
            "person_id",
            "kind",
            "related_person_id",
            "related_person__given_name",
            "related_person__family_name",
            "description",
        )
    )
    for pk, kind, other, given, family, description in relationships:
        who = people.get(pk)
        if who is None:
            continue
        if kind in codes.REPRESENTATIVE_KINDS and who.representative is None:
            who.representative = (other, kind)
        elif kind == codes.RelationshipKind.UNPAID_CARER and who.carer is None:
            who.carer = (f"{given} {family}", description or "carer")
    for pk, provider in (
        ProviderClient.objects.filter(
            person_id__gte=low, person_id__lte=high, end_date__isnull=True
        )
        .order_by("pk")
        .values_list("person_id", "provider_id")
    ):
        if pk in people and people[pk].provider_id is None:
            people[pk].provider_id = provider
    return people


def demo_plans_build(
    *,
    seed: int,
    practitioner: User,
    managers: dict[int, User],
    colleagues: dict[int, User],
    manager: User,
    holder: Person,
    today: dt.date,
    sign_off_limit_pence: int,
) -> dict[str, int]:
    """An approved plan for every approved budget except the demo holder's (hand-built in
    ``assessments.demo_holder_plan``). ``managers`` is each team's manager, who signs off the
    plans that cost a little more than the budget; ``colleagues`` is a practitioner of each
    team other than ``practitioner`` (who writes the plans), who approves those within the
    budget; ``manager`` signs off the rest."""
    rng = random.Random(seed + 13)
    providers = list(Provider.objects.order_by("pk").values_list("pk", "name"))
    counts = {
        "support plans": 0,
        "plan outcomes": 0,
        "plan lines": 0,
        "reviews": 0,
        "direct payment agreements": 0,
        "fund agreements": 0,
    }
    if not providers:
        return counts
    shares = {group: d.holding_route_shares(group) for group in d.HOLDING_ROUTE_COUNTS_BY_GROUP}
    budgets = (
        Allocation.objects.filter(status=Allocation.Status.APPROVED)
        .exclude(person=holder)
        .order_by("pk")
    )
    last = 0
    while True:
        chunk = list(
            budgets.filter(pk__gt=last).values_list(
                "pk", "person_id", "agreed_weekly_pence", "indicative_weekly_pence"
            )[:BATCH]
        )
        if not chunk:
            return counts
        last = chunk[-1][0]
        people = _people([person_id for _pk, person_id, _a, _i in chunk])
        plans = []
        for allocation_id, person_id, agreed, indicative in chunk:
            who = people[person_id]
            budget = agreed or indicative
            plans.append(
                _plan(
                    rng,
                    who,
                    allocation_id=allocation_id,
                    person_id=person_id,
                    budget=budget,
                    today=today,
                    providers=providers,
                    route_shares=shares[who.user_group],
                    # Over budget only within the manager's sign-off limit (else it is the panel's).
                    over_allowed=budget * 105 // 100 < sign_off_limit_pence,
                )
            )
        for key, n in _insert(
            plans,
            rng=rng,
            practitioner=practitioner,
            managers=managers,
            colleagues=colleagues,
            manager=manager,
            today=today,
        ).items():
            counts[key] += n


def _insert(
    plans: list[_Plan],
    *,
    rng: random.Random,
    practitioner: User,
    managers: dict[int, User],
    colleagues: dict[int, User],
    manager: User,
    today: dt.date,
) -> dict[str, int]:
    zone = timezone.get_current_timezone()
    offered = sorted(streams.DEPLOYMENTS)
    first = ids_from(SupportPlan)
    ids = list(range(first, first + len(plans)))
    rows_insert(
        SupportPlan,
        [
            {
                "id": plan_id,
                "person_id": p.person_id,
                "allocation_id": p.allocation_id,
                "version": 1,
                "kind": SupportPlan.Kind.STANDARD,
                "led_by": p.led_by,
                "starts_on": p.starts_on,
                "status": SupportPlan.Status.APPROVED,
                "contingency": p.contingency,
                "variance_reason": p.variance_reason,
                "holding_options_offered": offered,
                "created_by_id": practitioner.pk,
                # Someone other than the practitioner who wrote it approves it (decision 0007):
                # over budget the team's manager, within it a colleague in the team.
                "approved_by_id": (
                    managers.get(p.team_id or 0, manager)
                    if sum(_from_budget(x, p.starts_on) for x in p.lines) > p.budget
                    else colleagues.get(p.team_id or 0, manager)
                ).pk,
                "approved_at": dt.datetime.combine(p.starts_on, dt.time(11), tzinfo=zone),
            }
            for plan_id, p in zip(ids, plans, strict=True)
        ],
    )
    outcome_rows: list[dict[str, Any]] = []
    outcomes: dict[int, list[int]] = {}
    next_outcome = ids_from(PlanOutcome)
    for plan_id, p in zip(ids, plans, strict=True):
        outcomes[plan_id] = list(range(next_outcome, next_outcome + len(p.outcomes)))
        outcome_rows.extend(
            {**o, "id": pk, "plan_id": plan_id}
            for pk, o in zip(outcomes[plan_id], p.outcomes, strict=True)
        )
        next_outcome += len(p.outcomes)
    rows_insert(PlanOutcome, outcome_rows)
    lines = [
        {
            **line.fields,
            "plan_id": plan_id,
            "outcome_id": outcomes[plan_id][line.outcome] if line.outcome is not None else None,
            "provisional": False,
        }
        for plan_id, p in zip(ids, plans, strict=True)
        for line in p.lines
    ]
    rows_insert(PlanLine, lines)
    agreements = [
        {
            **p.agreement,
            "plan_id": plan_id,
            "person_id": p.person_id,
            "status": DirectPaymentAgreement.Status.ACTIVE,
            "created_by_id": practitioner.pk,
        }
        for plan_id, p in zip(ids, plans, strict=True)
        if p.agreement is not None
    ]
    rows_insert(DirectPaymentAgreement, agreements)
    funds = [
        {
            **fund,
            "plan_id": plan_id,
            "person_id": p.person_id,
            "status": FundAgreement.Status.ACTIVE,
            "created_by_id": practitioner.pk,
        }
        for plan_id, p in zip(ids, plans, strict=True)
        for fund in p.funds
    ]
    rows_insert(FundAgreement, funds)
    reviews = [
        review
        for plan_id, p in zip(ids, plans, strict=True)
        for review in _reviews(
            rng, plan_id, p, outcomes[plan_id], practitioner=practitioner, today=today
        )
    ]
    rows_insert(Review, reviews)
    return {
        "support plans": len(plans),
        "plan outcomes": sum(len(x) for x in outcomes.values()),
        "plan lines": len(lines),
        "reviews": len(reviews),
        "direct payment agreements": len(agreements),
        "fund agreements": len(funds),
    }


def _reviews(
    rng: random.Random,
    plan_id: int,
    plan: _Plan,
    outcomes: list[int],
    *,
    practitioner: User,
    today: dt.date,
) -> list[dict[str, Any]]:
    """The reviews ``planning.services.reviews_schedule`` sets when a plan is signed off; the
    ones already past are done, except the annual review (overdue) and a few that fell due
    lately."""
    from selfdirect.planning.services import review_dates

    has_dp = any(x.fields["deployment"] == "direct_payment" for x in plan.lines)
    reviews = []
    for kind, due, covers in review_dates(plan.starts_on, plan.starts_on if has_dp else None):
        review: dict[str, Any] = {
            "plan_id": plan_id,
            "kind": kind,
            "due_date": due,
            "covers_direct_payment": covers,
        }
        recent = (today - due).days <= d.RECENTLY_DUE_DAYS
        if (
            due < today
            and kind != Review.Kind.ANNUAL
            and not (recent and rng.random() < d.PAST_REVIEW_STILL_DUE_SHARE)
        ):
            review.update(
                status=Review.Status.DONE,
                completed_by_id=practitioner.pk,
                completed_on=min(today, due + dt.timedelta(days=rng.randint(-7, 14))),
                outcomes_met={str(pk): _pick(rng, d.REVIEW_OUTCOME_MET) for pk in outcomes},
            )
        reviews.append(review)
    return reviews
