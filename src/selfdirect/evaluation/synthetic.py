"""Synthetic POET holder responses with planted odds ratios, for tests, the benchmark and
demonstrations until the survey app's responses are wired in.

Deterministic from ``seed``. The factors follow the POET 2014 headline distributions
(digest §5.1), drawn independently of each other except where the answers belong to one
question (funder, way of holding, time held, main reason for support; the planning
sources' "plan without help" is ticked exactly when no other source is). Every outcome is
then drawn from a logistic model: log-odds of a positive impact = the outcome's intercept
+ sum of log(planted OR) x factor, with the intercept set so that the share positive is
near the report's figure for that outcome. A factor not in ``planted`` has OR 1. So a
logistic regression on all factors estimates the planted ORs without bias, and so does a
2x2 odds ratio when only that factor is planted (the factors being independent).

Blanks: each factor question is left unanswered (MISSING) by ``missing`` of respondents;
each outcome is "not relevant" at the rate below (high for paid work, volunteering and
where/who you live with, as the report implies) and unanswered at ``missing``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from selfdirect.evaluation import ibsen
from selfdirect.evaluation.poet import MISSING, NOT_RELEVANT, OUTCOMES

# Digest §5.5: roughly the associations the report shows, as conditional odds ratios.
PLANTED: dict[str, float] = {
    "process_easy": 2.3,
    "views_plan": 1.6,
    "views_amount": 1.5,
    "spent_pa": 2.0,
    "spent_leisure": 1.5,
    "spent_care": 0.8,
    "spent_equipment": 0.7,
    "plan_alone": 0.6,
    "held_over_1y": 1.4,
    "provider_managed": 1.4,
}

# % positive among those rating it relevant (digest §5.3; paid work assumed 45).
POSITIVE_SHARE: dict[str, float] = {
    "dignity": 0.820,
    "quality_of_life": 0.814,
    "arranging_support": 0.799,
    "independence": 0.789,
    "rel_paid": 0.759,
    "rel_family_carer": 0.746,
    "self_esteem": 0.732,
    "feeling_safe": 0.728,
    "control": 0.706,
    "rel_family_friends": 0.678,
    "mental_health": 0.655,
    "physical_health": 0.599,
    "where_who_live": 0.579,
    "volunteering": 0.546,
    "paid_work": 0.45,
}
NOT_RELEVANT_SHARE: dict[str, float] = {
    "paid_work": 0.6,
    "volunteering": 0.5,
    "where_who_live": 0.45,
}
DEFAULT_NOT_RELEVANT = 0.05

_BERNOULLI: dict[str, float] = {
    "female": 0.578,
    "white": 0.921,
    "older_adult": 0.383,
    "fair_bad_health": 0.684,
    "support_before": 0.432,
    "knows_amount": 0.492,
    "views_assessment": 0.82,
    "views_amount": 0.651,
    "views_plan": 0.769,
    "process_easy": 0.6,
    "spent_care": 0.678,
    "spent_leisure": 0.258,
    "spent_pa": 0.422,
    "spent_equipment": 0.084,
}
_PLANNING: dict[str, float] = {
    "plan_family": 0.352,
    "plan_council": 0.499,
    "plan_nhs": 0.092,
    "plan_independent": 0.062,
    "plan_provider": 0.187,
}
# One answer each: (probabilities, the factor each answer sets or None).
_CHOICES: dict[str, tuple[tuple[float, ...], tuple[str | None, ...]]] = {
    "reason": (
        (0.403, 0.203, 0.087, 0.307),
        ("physical_disability", "learning_disability", "mental_health_need", None),
    ),
    "funder": ((0.10, 0.75, 0.15), ("funded_nhs", "funded_council", "funded_both")),
    "holding": (
        (0.334, 0.205, 0.05, 0.197, 0.184, 0.03),
        ("dp_own", "dp_family", "dp_broker", "provider_managed", "council_managed", None),
    ),
}


@dataclass(frozen=True)
class SyntheticSurvey:
    """Columns keyed like poet.TABLES (factors) and poet.OUTCOMES (outcomes)."""

    factors: dict[str, npt.NDArray[np.int8]]
    outcomes: dict[str, npt.NDArray[np.int8]]
    planted: dict[str, float] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return int(next(iter(self.outcomes.values())).shape[0])

    def rows(self) -> list[dict[str, object]]:
        """The responses as the survey app gives them: a dict per response keyed by item
        code, blanks as None, every one consenting to be reported."""
        keys = [*self.factors, *self.outcomes]
        columns = [*self.factors.values(), *self.outcomes.values()]
        return [
            {
                "consent_to_report": True,
                **{k: (None if v == MISSING else v) for k, v in zip(keys, values, strict=True)},
            }
            for values in zip(*(c.tolist() for c in columns), strict=True)
        ]


def generate(
    size: int,
    *,
    seed: int = 2014,
    planted: Mapping[str, float] | None = None,
    missing: float = 0.02,
) -> SyntheticSurvey:
    rng = np.random.default_rng(seed)
    chosen = dict(PLANTED if planted is None else planted)
    factors: dict[str, npt.NDArray[np.int8]] = {}
    for key, share in _BERNOULLI.items():
        factors[key] = (rng.random(size) < share).astype(np.int8)
    for key, share in _PLANNING.items():
        factors[key] = (rng.random(size) < share).astype(np.int8)
    ticked = np.zeros(size, dtype=np.int8)
    for key in _PLANNING:
        ticked += factors[key]
    factors["plan_alone"] = (ticked == 0).astype(np.int8)
    for shares, keys in _CHOICES.values():
        answer = rng.choice(len(shares), size=size, p=np.asarray(shares) / sum(shares))
        for i, sets in enumerate(keys):
            if sets is not None:
                factors[sets] = (answer == i).astype(np.int8)
    held = rng.choice(4, size=size, p=[0.193, 0.345, 0.387, 0.075])  # <1, 1-3, >3 years, don't know
    factors["held_over_1y"] = (held >= 1).astype(np.int8)
    factors["held_over_3y"] = (held == 2).astype(np.int8)
    for key in ("held_over_1y", "held_over_3y"):
        factors[key][held == 3] = MISSING
    unknown = sorted(set(chosen) - set(factors))
    if unknown:
        raise ValueError(f"No such factor to plant: {', '.join(unknown)}")

    linear = np.zeros(size, dtype=np.float64)
    for key, odds_ratio in chosen.items():
        linear += math.log(odds_ratio) * (factors[key] == 1)
    # Blanks after the outcomes are drawn (missing at random), one mask per question.
    for group in (
        ("held_over_1y", "held_over_3y"),
        *((k,) for k in factors if not k.startswith("held_")),
    ):
        blank = rng.random(size) < missing
        for key in group:
            factors[key][blank] = MISSING

    outcomes: dict[str, npt.NDArray[np.int8]] = {}
    centre = float(linear.mean())
    for key, _label in OUTCOMES:
        share = POSITIVE_SHARE[key]
        intercept = math.log(share / (1 - share)) - centre
        positive = rng.random(size) < 1.0 / (1.0 + np.exp(-(intercept + linear)))
        draw = rng.random(size)
        codes = np.where(
            positive,
            np.where(draw < 0.5, 5, 4),
            np.where(draw < 0.06, 1, np.where(draw < 0.15, 2, 3)),
        ).astype(np.int8)
        state = rng.random(size)
        not_relevant = NOT_RELEVANT_SHARE.get(key, DEFAULT_NOT_RELEVANT)
        codes[state < not_relevant] = NOT_RELEVANT
        codes[(state >= not_relevant) & (state < not_relevant + missing)] = MISSING
        outcomes[key] = codes
    return SyntheticSurvey(factors, outcomes, chosen)


# ---------------------------------------------------------------- IBSEN-shaped people

DIRECT_PAYMENT = "Direct payment"
COUNCIL_ARRANGED = "Council-arranged"
_USER_GROUPS = (
    ("older_people", 0.28),
    ("physical_disability", 0.34),
    ("learning_disability", 0.25),
    ("mental_health", 0.13),
)


def generate_cohort(
    size: int,
    *,
    seed: int = 2008,
    ascot_effect: float = 0.07,
    control_effect: float = 0.5,
    cost_effect_pence: int = -1600,
    satisfaction_effect: float = 0.35,
    proxy_share: float = 0.24,
    missing: float = 0.02,
) -> ibsen.Cohort:
    """People shaped like IBSEN's six-month sample (digest §4, §5, §7): half hold a direct
    payment, half council-arranged support. Planted: a direct payment moves ASCOT's latent
    score by ``ascot_effect`` (about 0.07, Table 7.9), the log-odds of "no needs" in
    control by ``control_effect`` (+0.537, Table 6.13) and the weekly cost by
    ``cost_effect_pence`` (about -£16, Table 7.9). GHQ-12 items carry no group effect.
    Deterministic from ``seed``."""
    rng = np.random.default_rng(seed)
    direct = rng.random(size) < 0.5
    group = np.where(direct, DIRECT_PAYMENT, COUNCIL_ARRANGED)
    codes = np.array([c for c, _ in _USER_GROUPS])
    user_group = codes[rng.choice(len(codes), size=size, p=[p for _, p in _USER_GROUPS])]
    age = np.clip(
        np.where(user_group == "older_people", rng.normal(81, 7, size), rng.normal(47, 15, size)),
        18,
        100,
    ).round()
    proxy = (rng.random(size) < proxy_share).astype(np.float64)
    employed = ((rng.random(size) < 0.08) & (age < 66)).astype(np.float64)
    dementia = (rng.random(size) < np.where(user_group == "older_people", 0.3, 0.05)).astype(
        np.float64
    )
    carer = (rng.random(size) < 0.53).astype(np.float64)
    white = (rng.random(size) < 0.92).astype(np.float64)
    plan_not_agreed = (direct & (rng.random(size) < 0.2)).astype(np.float64)
    base_cost = {
        "older_people": 22700,
        "physical_disability": 33400,
        "learning_disability": 39000,
        "mental_health": 15200,
    }
    mean_cost = np.vectorize(base_cost.get)(user_group) + np.where(direct, cost_effect_pence, 0)
    shape = 2.0  # gamma: right-skewed like real packages
    cost = np.round(rng.gamma(shape, mean_cost / shape)).astype(np.int64)
    # ASCOT: each domain's level from a latent score (ordered logit), control with its own
    # effect; the other domains share the ASCOT effect spread over the seven domains.
    latent = rng.logistic(size=(size, len(ibsen.ASCOT_DOMAINS)))
    shift = np.zeros((size, len(ibsen.ASCOT_DOMAINS)))
    weights = ibsen.PLACEHOLDER_WEIGHTS.matrix()
    step = weights[:, 0] - weights[:, 2]  # a domain's range: no needs minus high needs
    shift[:, 1:] = (ascot_effect * 4.0 / step[1:].sum()) * direct[:, None]
    shift[:, 0] = control_effect * direct
    shift -= 0.7 * proxy[:, None] + 0.6 * dementia[:, None]
    score = latent + shift
    levels = np.where(score > -0.2, 0, np.where(score > -2.2, 1, 2)).astype(np.int16)
    items = np.clip(
        np.round(rng.normal(1.15, 0.6, size)[:, None] + rng.normal(0, 0.6, (size, 12))), 0, 3
    ).astype(np.int16)
    qol = np.clip(np.round(rng.normal(3.8, 1.3, size)), 1, 7).astype(np.int16)
    health = np.clip(np.round(rng.normal(2.9, 1.1, size)), 1, 5).astype(np.int16)
    # Satisfaction (1 extremely satisfied ... 7): IBSEN's +0.35 for budget holders (T6.16).
    satisfaction = np.clip(
        np.round(rng.normal(2.8, 1.4, size) - satisfaction_effect * direct), 1, 7
    ).astype(np.int16)
    for column in (items, levels):
        column[rng.random(column.shape) < missing / 4] = ibsen.MISSING
    for single in (qol, health, satisfaction):
        single[rng.random(size) < missing] = ibsen.MISSING
    cost[rng.random(size) < missing] = -1
    covariates = ibsen.covariates_from(
        proxy=proxy,
        plan_not_agreed=plan_not_agreed,
        weekly_cost_pence=cost,
        dementia=dementia,
        user_group=user_group,
        employed=employed,
        age=age,
        informal_carer=carer,
        white=white,
    )
    return ibsen.Cohort(
        group=group,
        ghq_items=items,
        ascot_levels=levels,
        quality_of_life=qol,
        covariates=covariates,
        weekly_cost_pence=cost,
        groups=(DIRECT_PAYMENT, COUNCIL_ARRANGED),
        health=health,
        satisfaction=satisfaction,
    )
