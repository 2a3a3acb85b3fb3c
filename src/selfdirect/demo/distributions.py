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
