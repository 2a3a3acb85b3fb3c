"""The demo council's distributions, each with its source in shared/domain/.

IBSEN = individual-budgets-evaluation.md (the 2008 national evaluation, 959 people);
POET = poet-survey.md (2014 national survey). "Assumption" marks a figure the digests do
not give, with the reason for the value chosen. docs/demo-data.md lists these in words.
"""

from __future__ import annotations

from typing import Final

# User group mix of the IBSEN sample (N=956): PD 327, OP 263, LD 235, MH 131 — IBSEN §7.1, Table 4.1.
USER_GROUP_SHARES: Final[dict[str, float]] = {
    "physical_disability": 327 / 956,
    "older_people": 263 / 956,
    "learning_disability": 235 / 956,
    "mental_health": 131 / 956,
}

# Mean age, % female and % black and minority ethnic by group — IBSEN §7.1, Table 4.2.
# The spread (standard deviation) and age limits are assumptions: working-age groups 18-64
# for PD, 65+ for OP (the groups' definitions), and a plausible spread around the mean.
AGE_BY_GROUP: Final[dict[str, tuple[float, float, int, int]]] = {
    # mean, standard deviation, youngest, oldest
    "physical_disability": (54, 9, 18, 64),
    "older_people": (81, 7, 65, 103),
    "learning_disability": (34, 12, 18, 80),
    "mental_health": (49, 12, 18, 85),
}
FEMALE_SHARE: Final[dict[str, float]] = {
    "physical_disability": 0.63,
    "older_people": 0.66,
    "learning_disability": 0.42,
    "mental_health": 0.46,
}
BME_SHARE: Final[dict[str, float]] = {
    "physical_disability": 0.10,
    "older_people": 0.05,
    "learning_disability": 0.11,
    "mental_health": 0.05,
}

# Living situation — IBSEN §7.1 (Ch.4.3.3): 39% live alone; 511 of the 587 people who live
# with others live with a carer; settings: private household 80%, sheltered or extra care
# housing 9%, care home 1.5%. The remaining 9.5% is split by assumption between supported
# accommodation (mostly learning disability) and other settings.
LIVES_ALONE_SHARE: Final[float] = 0.39
CO_RESIDENT_IS_CARER_SHARE: Final[float] = 511 / 587
# People who live alone but have a carer visiting: assumption (the digests give no figure);
# 25% chosen so that about 6 in 10 people have an unpaid carer overall.
LIVES_ALONE_HAS_CARER_SHARE: Final[float] = 0.25
ACCOMMODATION_SHARES: Final[dict[str, float]] = {
    "Owner occupier or shared ownership scheme": 0.38,
    "Tenant - Local Authority/Arms Length Management Organisation/Registered Social Landlord/Housing Association": 0.27,
    "Tenant - private landlord": 0.05,
    "Settled mainstream housing with family/friends": 0.10,
    "Sheltered housing/extra care housing/other sheltered housing": 0.09,
    "Registered care home": 0.015,
    "Supported accommodation/Supported lodgings/Supported group home": 0.075,
    "Shared Lives scheme": 0.02,
}

# Proxy interviews were 24% of IBSEN interviews (§7.1): used as the share of people with a
# representative. The split between nominated (the person has capacity) and authorised
# (lacks capacity) persons is an assumption: authorised for 40% of them, mostly people with
# dementia or a learning disability.
REPRESENTATIVE_SHARE: Final[float] = 0.24
AUTHORISED_SHARE_OF_REPRESENTATIVES: Final[float] = 0.40

# Carers: POET carers were 66% women (App. 2) — POET §4.
CARER_FEMALE_SHARE: Final[float] = 0.66
# Whether the person consents to share their record with their carer: assumption, 75%
# given, 10% refused, the rest not yet asked (a gap practitioners see on their home page).
CARER_SHARING_GIVEN: Final[float] = 0.75
CARER_SHARING_REFUSED: Final[float] = 0.10

# Primary support reason within each group: assumption built from POET's "main reason for
# support" (physical 40%, learning disability 20%, old age 10.5%, mental health 8.7%,
# sensory 1.2% — POET §2) mapped to the CLD list.
PSR_BY_GROUP: Final[dict[str, dict[str, float]]] = {
    "physical_disability": {
        "Physical Support: Personal care support": 0.62,
        "Physical Support: Access & mobility only": 0.28,
        "Sensory Support: Support for visual impairment": 0.05,
        "Sensory Support: Support for hearing impairment": 0.03,
        "Sensory Support: Support for dual impairment": 0.02,
    },
    "older_people": {
        "Physical Support: Personal care support": 0.66,
        "Support with Memory & Cognition": 0.24,
        "Physical Support: Access & mobility only": 0.10,
    },
    "learning_disability": {"Learning Disability Support": 1.0},
    "mental_health": {
        "Mental Health Support": 0.95,
        "Social Support: Substance misuse support": 0.05,
    },
}

# Flags (CLD): assumptions, as the digests give none — dementia among older people 25%,
# autism among people with a learning disability 30%.
DEMENTIA_SHARE_OLDER: Final[float] = 0.25
AUTISM_SHARE_LD: Final[float] = 0.30

# Paid work — IBSEN Table 7.6 uses employment as a control but gives no share: assumption
# of 7% (LD), 10% (MH), 15% (PD); older people retired.
PAID_WORK_SHARE: Final[dict[str, float]] = {
    "physical_disability": 0.15,
    "older_people": 0.0,
    "learning_disability": 0.07,
    "mental_health": 0.10,
}

# Communication needs (Accessible Information Standard): assumptions — easy read for half of
# people with a learning disability, large print for 1 in 10 older people, BSL for 1 in
# 100 people, a spoken-language interpreter for 1 in 5 people from a minority ethnic group.
EASY_READ_SHARE_LD: Final[float] = 0.5
LARGE_PRINT_SHARE_OLDER: Final[float] = 0.10
BSL_SHARE: Final[float] = 0.01
INTERPRETER_SHARE_BME: Final[float] = 0.20

# People supported by a provider from the directory: assumption, 70% (the rest use only
# personal assistants, family or universal services).
PROVIDER_CLIENT_SHARE: Final[float] = 0.70
# Caseload size per practitioner: assumption, 60 people.
PEOPLE_PER_PRACTITIONER: Final[int] = 60
PEOPLE_PER_TEAM: Final[int] = 2000

# Ways of holding the budget. Main source: IBSEN Table 5.3 (§3.3), by user group, because the
# demo people have user groups. The counts are plans using each route (PD N=94, LD N=72,
# MH N=35, OP N=81); a plan can use more than one, so they are read as shares of the routes
# named. Agent, trust and "other" (family, third-party accounts) are all a third party
# holding the money; "local authority" is the council holding it.
HOLDING_ROUTE_COUNTS_BY_GROUP: Final[dict[str, dict[str, int]]] = {
    # personal account, joint account, agent, trust, local authority, provider, other
    "physical_disability": {
        "dp_personal": 65,
        "dp_joint": 1,
        "agent": 14,
        "trust": 0,
        "council": 17,
        "provider": 0,
        "other": 2,
    },
    "learning_disability": {
        "dp_personal": 21,
        "dp_joint": 24,
        "agent": 11,
        "trust": 1,
        "council": 16,
        "provider": 2,
        "other": 4,
    },
    "mental_health": {
        "dp_personal": 25,
        "dp_joint": 6,
        "agent": 2,
        "trust": 0,
        "council": 9,
        "provider": 1,
        "other": 1,
    },
    "older_people": {
        "dp_personal": 31,
        "dp_joint": 14,
        "agent": 10,
        "trust": 0,
        "council": 16,
        "provider": 1,
        "other": 1,
    },
}
# Individual Service Funds from POET Figure 2 (§2.3) instead: "managed by a service
# provider" 19.7% of all answers, 20.3% of the 97.0% who had a budget (the digest reads it as
# the ISF). IBSEN's pilots (2006-08) came before ISFs were common (4 of 285 plans); POET
# (2014) is the present-day share. It is the same for every group (POET gives no split); the
# other routes keep IBSEN's proportions within each group in the remaining 79.7%.
ISF_SHARE: Final[float] = 19.7 / (100 - 3.0)
# Plans held more than one way (e.g. part direct payment, part council-managed): 33 of 285,
# 12% — IBSEN Ch.5.4.
MIXED_SHARE: Final[float] = 33 / 285
# A council-held budget is either a managed account the council pays the person's chosen
# providers from, or services the council commissions under its own contracts. POET's
# "council- or NHS-managed" (18.3%) does not split them: assumption, half each.
MANAGED_ACCOUNT_SHARE_OF_COUNCIL: Final[float] = 0.5
# A direct payment into the person's own account goes into a bank account or onto a prepaid
# card: assumption, 1 in 4 on a prepaid card (the digests give no figure).
PREPAID_CARD_SHARE: Final[float] = 0.25


def holding_route_shares(group: str) -> dict[str, float]:
    """Shares of the ways a plan's budget is mainly held, for a user group: direct payment to
    the person's own account or a joint account, council-held, third party, ISF."""
    counts = HOLDING_ROUTE_COUNTS_BY_GROUP[group]
    named = sum(n for route, n in counts.items() if route != "provider")
    rest = 1 - ISF_SHARE
    return {
        "dp_personal": rest * counts["dp_personal"] / named,
        "dp_joint": rest * counts["dp_joint"] / named,
        "council": rest * counts["council"] / named,
        "third_party": rest * (counts["agent"] + counts["trust"] + counts["other"]) / named,
        "isf": ISF_SHARE,
    }


def plan_holding_shares(group: str) -> dict[str, float]:
    """Expected shares of plans held only by a direct payment, only by the council ("managed"),
    only as an ISF, only by a third party, or in a mix."""
    routes = holding_route_shares(group)
    single = 1 - MIXED_SHARE
    return {
        "direct_payment": single * (routes["dp_personal"] + routes["dp_joint"]),
        "managed": single * routes["council"],
        "isf": single * routes["isf"],
        "third_party": single * routes["third_party"],
        "mixed": MIXED_SHARE,
    }


# Who led the support plan — IBSEN Table 5.4 (§3.4, "leading" %, N=285, more than one party
# can lead): the holder 55; family (partner 10, son or daughter 9, parent 14, other family 3,
# friend 1) 37; a broker, advocate, provider or non-council care manager (18 + 2 + 5) 25; the
# council's care manager 35. Normalised to one lead per plan. A family-led plan is led by
# the person's representative or carer when they have one, else by the person.
PLAN_LED_BY: Final[dict[str, float]] = {
    "person": 55 / 152,
    "family": 37 / 152,
    "planner": 25 / 152,
    "practitioner": 35 / 152,
}

# What the budget buys, by user group — IBSEN Table 5.5 (§3.5): personal assistance PD 76%,
# LD 63%, MH 31%, OP 41%; leisure PD 43%, LD 42%, MH 65%, OP 15%. Table 5.6: personal
# assistants are used in 64% of direct payment plans and 47% of managed ones against 59%
# overall, so the group share is scaled by 64/59 or 47/59 for the main line.
PERSONAL_ASSISTANT_SHARE: Final[dict[str, float]] = {
    "physical_disability": 0.76,
    "learning_disability": 0.63,
    "mental_health": 0.31,
    "older_people": 0.41,
}
PA_SCALE_DIRECT_PAYMENT: Final[float] = 64 / 59
PA_SCALE_MANAGED: Final[float] = 47 / 59
LEISURE_SHARE: Final[dict[str, float]] = {
    "physical_disability": 0.43,
    "learning_disability": 0.42,
    "mental_health": 0.65,
    "older_people": 0.15,
}
# Planned short breaks 22% of plans — IBSEN Table 5.6.
SHORT_BREAKS_SHARE: Final[float] = 0.22
# A one-off purchase (equipment) — IBSEN Table 5.1, plans with a one-off part: PD 12%, LD 4%,
# MH 47%, OP 18%.
ONE_OFF_SHARE: Final[dict[str, float]] = {
    "physical_disability": 0.12,
    "learning_disability": 0.04,
    "mental_health": 0.47,
    "older_people": 0.18,
}
# Supporting People (housing-related support) and the Independent Living Fund in the plan —
# IBSEN Table 5.2: SP PD 13%, LD 8%, MH 29%, OP under 1%; ILF PD 11%, LD 14%, MH 0, OP 1 person.
SUPPORTING_PEOPLE_SHARE: Final[dict[str, float]] = {
    "physical_disability": 0.13,
    "learning_disability": 0.08,
    "mental_health": 0.29,
    "older_people": 0.005,
}
ILF_SHARE: Final[dict[str, float]] = {
    "physical_disability": 0.11,
    "learning_disability": 0.14,
    "mental_health": 0.0,
    "older_people": 0.01,
}
# The ILF is paid into the person's account (a direct payment), alongside the budget, for a
# personal assistant — IBSEN Table 5.2 mean £15,640 a year, about £300 a week; each award is
# drawn from half to one and a half times that.
ILF_WEEKLY_PENCE: Final[int] = 15_640 * 100 // 52


def ilf_share_with_direct_payment(group: str) -> float:
    """The ILF share among plans with a direct payment, so that ``ILF_SHARE`` of all plans in
    the group have it. A plan has a direct payment if it is mainly held that way, or if it is
    mixed and the other way (drawn from the routes of other kinds) is a direct payment."""
    routes = holding_route_shares(group)
    dp = routes["dp_personal"] + routes["dp_joint"]
    others = [share for route, share in routes.items() if not route.startswith("dp_")]
    in_mix = dp + sum(share * dp / (1 - share) for share in others)
    with_dp = (1 - MIXED_SHARE) * dp + MIXED_SHARE * in_mix
    return min(1.0, ILF_SHARE[group] / with_dp)


# Plans over budget say why (the plan services ask for it): assumption, these reasons.
VARIANCE_REASONS: Final[tuple[str, ...]] = (
    "Two extra hours a week while my carer recovers from an operation",
    "The agency's hourly rate went up after the budget was set",
    "Extra help at night for a few weeks after a fall",
    "My personal assistant's pay went up with the National Living Wage",
)
# Day centres or day activities: assumption within IBSEN's "mainstream services" (Table 5.5,
# 53-65% by group, which also counts home care): LD 45%, MH and OP 20%, PD 10%.
DAY_ACTIVITY_SHARE: Final[dict[str, float]] = {
    "physical_disability": 0.10,
    "learning_disability": 0.45,
    "mental_health": 0.20,
    "older_people": 0.20,
}
# Plans costed a little above the budget and signed off by a team manager: assumption, 5%,
# 1-5% over; the rest cost 95-100% of the budget (plans are written to use the budget).
OVER_BUDGET_PLAN_SHARE: Final[float] = 0.05
# Plans approved 2 weeks to 13 months ago, so some annual reviews are overdue (about 1 in 11)
# and some due this month; the other reviews already past are done, except 1 in 10 of those
# that fell due in the last 8 weeks: assumptions.
PLAN_AGE_DAYS: Final[tuple[int, int]] = (14, 400)
PAST_REVIEW_STILL_DUE_SHARE: Final[float] = 0.10
RECENTLY_DUE_DAYS: Final[int] = 56
# Reviews done: each outcome met 60%, partly met 30%, not met 10% — assumption (IBSEN reports
# outcomes at six months on other scales, §4).
REVIEW_OUTCOME_MET: Final[dict[str, float]] = {"met": 0.6, "partly": 0.3, "not_met": 0.1}
# Fund agreements whose surplus is carried forward for the person's outcomes rather than
# returned at each statement: assumption, 30%.
FUND_SURPLUS_CARRY_SHARE: Final[float] = 0.30
# One-off equipment from the community equipment service rather than bought from adult
# social care, on council-commissioned plans (the service loans it): assumption, 30%.
EQUIPMENT_STREAM_SHARE: Final[float] = 0.30
# Prices in pence (lowest, highest), drawn evenly between: assumptions, as the digests give
# none — round figures near what English councils paid in the mid-2020s. Hourly: personal
# assistant, agency home care, housing support; a session of day opportunities; a day of a
# short break; a week of a leisure activity, insurance or a managed-account fee; one piece
# of equipment.
PRICES: Final[dict[str, tuple[int, int]]] = {
    "personal_assistant": (1400, 1700),
    "home_care_agency": (2150, 2650),
    "housing_support": (1850, 2100),
    "day_activity": (4200, 6800),
    "short_breaks": (11000, 16000),
    "leisure": (800, 2500),
    "insurance": (200, 320),
    "account_fees": (400, 900),
    "equipment_purchase": (4000, 60000),
}
