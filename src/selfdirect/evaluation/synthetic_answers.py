"""Synthetic POET answers at the level of the questionnaire (holders and carers), in the
shape the survey app's ``responses_frame`` gives: item code -> list of answer codes, a
tick-all-that-apply item as one True/False/None column per option ("plan_help.council").
The demo council's responses (``selfdirect.demo.surveys``) and the carers' planted-effect
tests are made from these.

Deterministic from ``seed``. Answers follow the POET 2014 headline figures (digest §5; the
ones the report does not give are marked "assumed" below). The analysis's factors are then
derived from the answers by ``poet_frame`` (so the derivation is exercised too), and each
outcome is drawn from a logistic model: log-odds of a positive impact = intercept + sum of
log(planted OR) x factor, the intercept solved on the sample so that the share positive
among those rating it relevant is the report's figure. A factor not planted has OR 1 given
the planted ones.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import expit
from scipy.stats import norm

from selfdirect.evaluation import poet, poet_frame
from selfdirect.evaluation.synthetic import DEFAULT_NOT_RELEVANT, NOT_RELEVANT_SHARE, PLANTED
from selfdirect.evaluation.synthetic import POSITIVE_SHARE as HOLDER_POSITIVE

Choice = tuple[tuple[str, ...], tuple[float, ...]]

HOLDER_PLANTED: dict[str, float] = dict(PLANTED)

# Completion mode (digest §1): alone 29.7, with help 31.9, proxy 27.8, in a meeting or
# interview 10.5 (recorded here as "with help": the survey records self, with help, proxy).
HOLDER_ANSWERED_BY: Choice = (("self", "with_help", "proxy"), (0.297, 0.424, 0.278))
HOLDER_CHOICES: dict[str, Choice] = {
    "gender": (("female", "male"), (0.578, 0.422)),
    "age_band": (("16_44", "45_64", "65_plus"), (0.314, 0.303, 0.383)),
    "ethnicity": (
        ("white", "mixed", "asian", "black", "chinese_other"),
        (2198, 40, 98, 41, 8),
    ),
    "main_reason": (
        (
            "physical",
            "learning",
            "complex_health",
            "old_age",
            "mental_health",
            "sensory",
            "substance",
            "other",
        ),
        (0.403, 0.203, 0.156, 0.105, 0.087, 0.012, 0.010, 0.026),
    ),
    # Good or very good 31.6, bad or very bad 32.8 (the split within each is assumed).
    "general_health": (
        ("very_good", "good", "fair", "bad", "very_bad"),
        (0.110, 0.206, 0.356, 0.220, 0.108),
    ),
    "holding": (
        ("dp_self", "dp_family", "provider", "council_nhs", "broker", "no_budget"),
        (0.334, 0.205, 0.197, 0.183, 0.050, 0.030),
    ),
    "duration": (("lt_1", "1_3", "gt_3", "dont_know"), (0.193, 0.345, 0.387, 0.075)),
    "support_before": (("yes", "no"), (0.432, 0.568)),
    "funder": (("nhs", "council", "both"), (0.10, 0.75, 0.15)),  # assumed: not reported
}
# "Included" (mostly or very much) in the report's Figure 7; 60% of it "very much" (assumed).
HOLDER_VIEWS: dict[str, float] = {"views_needs": 0.820, "views_amount": 0.651, "views_plan": 0.769}
GAVE_AMOUNT = 0.492
AMOUNT_KIND: Choice = (("weekly", "one_off"), (0.907, 0.093))
AMOUNT_BANDS = ("upto_200", "201_500", "501_1000", "over_1000")
WEEKLY_BANDS = (0.612, 0.283, 0.073, 0.032)
ONE_OFF_BANDS = (0.206, 0.151, 0.119, 0.524)
# Tick all that apply (Figure 6): "no help" is ticked alone; the others independently.
PLAN_HELP: dict[str, float] = {
    "council": 0.499,
    "family_friends": 0.352,
    "provider": 0.187,
    "nhs": 0.092,
    "broker": 0.062,
}
PLAN_ALONE = 0.062
SPEND: dict[str, float] = {
    "care_support": 0.678,
    "personal_assistants": 0.422,
    "community_leisure": 0.258,
    "equipment": 0.084,
}
# % finding each step difficult (Figure 8); the last two are not in the text (assumed 17).
EASE_DIFFICULT: dict[str, float] = {
    "ease_information": 0.241,
    "ease_agree_amount": 0.229,
    "ease_understand_spend": 0.236,
    "ease_support_planning": 0.195,
    "ease_choose_support": 0.195,
    "ease_get_support": 0.212,
    "ease_change_support": 0.284,
    "ease_manage_day_to_day": 0.170,
    "ease_account": 0.170,
}
EASE_NEITHER = 0.25  # assumed
EASE_NOT_APPLICABLE = 0.05  # assumed
EASE_CORRELATION = 0.6  # the report's mean inter-item correlation

CARER_PLANTED: dict[str, float] = {
    "views_person_needs": 2.5,
    "views_carer_needs": 1.6,
    "views_amount": 1.8,
    "held_over_3y": 1.45,
    "knows_amount": 1.5,
    "older_adult": 0.8,
}
CARER_ANSWERED_BY: Choice = (("self", "with_help", "proxy"), (0.85, 0.13, 0.02))  # assumed
CARER_CHOICES: dict[str, Choice] = {
    "gender": (("female", "male"), (789, 407)),
    "age_band": (("18_44", "45_64", "65_plus"), (101, 651, 516)),
    "ethnicity": (("white", "mixed", "asian", "black", "chinese_other"), (1099, 18, 42, 13, 5)),
    "disability": (("yes", "no"), (0.284, 0.716)),
    # Good or very good 57.5, bad or very bad 12.4 (the split within each is assumed).
    "general_health": (
        ("very_good", "good", "fair", "bad", "very_bad"),
        (0.200, 0.375, 0.301, 0.090, 0.034),
    ),
    "cared_for": (
        ("partner", "son_daughter", "parent", "other_relative", "friend"),
        (0.346, 0.306, 0.243, 0.086, 0.023),
    ),
    "same_house": (("yes", "no"), (0.776, 0.224)),
    # 51 or more 62.3; the other bands are not reported (assumed).
    "hours": (("upto_10", "11_30", "31_50", "51_plus"), (0.087, 0.14, 0.15, 0.623)),
    "duration": (("lt_1", "1_3", "gt_3"), (0.321, 0.410, 0.269)),
    "support_before": (("yes", "no"), (0.397, 0.603)),
    "know_amount": (("yes", "no"), (0.6, 0.4)),  # assumed: not reported
    "funder": (("nhs", "council", "both"), (0.10, 0.75, 0.15)),  # assumed
}
# Views "not included" (Figure 18: needs 15.5, budget 15.6; the other two assumed); the
# rest "mostly or very much" so that the four together are near the report's 68.8.
CARER_VIEWS_NOT: dict[str, float] = {
    "views_person_needs": 0.155,
    "views_carer_needs": 0.20,
    "views_amount": 0.156,
    "views_plan": 0.15,
}
CARER_VIEWS_INCLUDED = 0.688
CARER_POSITIVE: dict[str, float] = {
    "carer_control": 0.511,
    "carer_rel_family_friends": 0.55,  # assumed: not stated
    "carer_rel_person": 0.497,
    "carer_work_volunteer": 0.40,  # assumed: not stated
    "carer_stress": 0.606,
    "qol_person": 0.796,
    "qol_carer": 0.713,
    "continue_caring": 0.786,
}
CARER_NOT_RELEVANT: dict[str, float] = {"carer_work_volunteer": 0.5}
# Of those without a positive impact: a lot worse, worse (the rest no difference). Keeps the
# negative share under 5% for holders and 9% for carers, as the report says.
NEGATIVE_OF_REST = (0.04, 0.10)


@dataclass(frozen=True)
class Answers:
    """Answers in the frame's shape; ``answered_by`` per response; ``planted`` ORs."""

    n: int
    items: dict[str, list[Any]]
    answered_by: list[str]
    planted: dict[str, float] = field(default_factory=dict)


def _choose(
    rng: np.random.Generator, choice: Choice, size: int, missing: float
) -> npt.NDArray[Any]:
    codes, weights = choice
    p = np.asarray(weights, dtype=np.float64)
    picked = np.asarray(codes, dtype=object)[rng.choice(len(codes), size=size, p=p / p.sum())]
    picked[rng.random(size) < missing] = None
    return picked


def _views(
    rng: np.random.Generator, not_included: float, included: float, size: int, missing: float
) -> npt.NDArray[Any]:
    very_much = 0.6 * included
    mostly = included - very_much
    a_little = max(0.0, 1.0 - included - not_included)
    return _choose(
        rng,
        (("not", "a_little", "mostly", "very_much"), (not_included, a_little, mostly, very_much)),
        size,
        missing,
    )


def _multi(
    rng: np.random.Generator, name: str, shares: Mapping[str, float], size: int
) -> dict[str, list[Any]]:
    """Independent ticks; a response with nothing ticked left the question blank."""
    ticks = {code: rng.random(size) < share for code, share in shares.items()}
    any_ticked = np.zeros(size, dtype=bool)
    for column in ticks.values():
        any_ticked |= column
    return {
        f"{name}.{code}": [bool(t) if a else None for t, a in zip(column, any_ticked, strict=True)]
        for code, column in ticks.items()
    }


def _outcomes(
    rng: np.random.Generator,
    factors: Mapping[str, npt.NDArray[np.int16]],
    planted: Mapping[str, float],
    positive_share: Mapping[str, float],
    not_relevant: Mapping[str, float],
    size: int,
    missing: float,
) -> dict[str, list[Any]]:
    linear = np.zeros(size, dtype=np.float64)
    for key, odds_ratio in planted.items():
        linear += math.log(odds_ratio) * (factors[key] == 1)
    out: dict[str, list[Any]] = {}
    for key, share in positive_share.items():
        intercept = _intercept_for(linear, share)
        positive = rng.random(size) < expit(intercept + linear)
        draw = rng.random(size)
        lot_worse, worse = NEGATIVE_OF_REST
        codes = np.where(
            positive,
            np.where(draw < 0.5, "5", "4"),
            np.where(draw < lot_worse, "1", np.where(draw < lot_worse + worse, "2", "3")),
        ).astype(object)
        state = rng.random(size)
        nr = not_relevant.get(key, DEFAULT_NOT_RELEVANT)
        codes[state < nr] = "NR"
        codes[(state >= nr) & (state < nr + missing)] = None
        out[key] = codes.tolist()
    return out


def _intercept_for(linear: npt.NDArray[np.float64], share: float) -> float:
    """The intercept whose mean predicted probability over the sample is ``share``
    (bisection: the mean is increasing in the intercept)."""
    low, high = -20.0, 20.0
    for _ in range(50):
        middle = (low + high) / 2
        if float(expit(middle + linear).mean()) < share:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _ease(rng: np.random.Generator, size: int, missing: float) -> dict[str, list[Any]]:
    """The nine ratings, correlated through one latent ease per person (correlation of the
    latent scores EASE_CORRELATION): low latent -> difficult, then neither, then easy."""
    person = rng.standard_normal(size)
    weight = math.sqrt(EASE_CORRELATION)
    out: dict[str, list[Any]] = {}
    for code, difficult in EASE_DIFFICULT.items():
        latent = weight * person + math.sqrt(1 - EASE_CORRELATION) * rng.standard_normal(size)
        applies_share = 1 - EASE_NOT_APPLICABLE
        cut_difficult = norm.ppf(difficult)
        cut_neither = norm.ppf(min(0.999, difficult + EASE_NEITHER))
        rating = np.where(
            latent < cut_difficult, "difficult", np.where(latent < cut_neither, "neither", "easy")
        ).astype(object)
        state = rng.random(size)
        rating[state >= applies_share] = "na"
        rating[state < missing] = None
        out[code] = rating.tolist()
    return out


def holder_answers(
    size: int,
    *,
    seed: int = 2014,
    planted: Mapping[str, float] | None = None,
    missing: float = 0.02,
) -> Answers:
    rng = np.random.default_rng(seed)
    chosen = dict(HOLDER_PLANTED if planted is None else planted)
    items: dict[str, list[Any]] = {
        code: _choose(rng, choice, size, missing).tolist()
        for code, choice in HOLDER_CHOICES.items()
    }
    for code, included in HOLDER_VIEWS.items():
        items[code] = _views(rng, (1 - included) / 2, included, size, missing).tolist()
    gave = rng.random(size) < GAVE_AMOUNT
    kind = _choose(rng, AMOUNT_KIND, size, 0.0)
    weekly = _choose(rng, (AMOUNT_BANDS, WEEKLY_BANDS), size, 0.0)
    one_off = _choose(rng, (AMOUNT_BANDS, ONE_OFF_BANDS), size, 0.0)
    items["amount_kind"] = [k if g else None for k, g in zip(kind, gave, strict=True)]
    items["amount_band"] = [
        (w if k == "weekly" else o) if g else None
        for w, o, k, g in zip(weekly, one_off, kind, gave, strict=True)
    ]
    alone = rng.random(size) < PLAN_ALONE
    helped = _multi(rng, "plan_help", {k: v / (1 - PLAN_ALONE) for k, v in PLAN_HELP.items()}, size)
    for column in helped.values():
        for i in np.flatnonzero(alone):
            column[i] = False
    items.update(helped)
    items["plan_help.none"] = [
        True if a else (None if helped["plan_help.council"][i] is None else False)
        for i, a in enumerate(alone)
    ]
    items.update(_multi(rng, "spend", SPEND, size))
    items.update(_ease(rng, size, missing))
    factors, _ = poet_frame.holder_columns(items, size)
    _check_planted(chosen, factors)
    items.update(
        _outcomes(
            rng,
            factors,
            chosen,
            {key: HOLDER_POSITIVE[key] for key, _l in poet.OUTCOMES},
            NOT_RELEVANT_SHARE,
            size,
            missing,
        )
    )
    answered_by = _choose(rng, HOLDER_ANSWERED_BY, size, 0.0).tolist()
    return Answers(size, items, answered_by, chosen)


def carer_answers(
    size: int,
    *,
    seed: int = 2014,
    planted: Mapping[str, float] | None = None,
    missing: float = 0.02,
) -> Answers:
    rng = np.random.default_rng(seed)
    chosen = dict(CARER_PLANTED if planted is None else planted)
    items: dict[str, list[Any]] = {
        code: _choose(rng, choice, size, missing).tolist() for code, choice in CARER_CHOICES.items()
    }
    for code, not_included in CARER_VIEWS_NOT.items():
        items[code] = _views(rng, not_included, CARER_VIEWS_INCLUDED, size, missing).tolist()
    factors, _ = poet_frame.carer_columns(items, size)
    _check_planted(chosen, factors)
    items.update(
        _outcomes(
            rng,
            factors,
            chosen,
            {key: CARER_POSITIVE[key] for key, _l in poet.CARER_OUTCOMES},
            CARER_NOT_RELEVANT,
            size,
            missing,
        )
    )
    answered_by = _choose(rng, CARER_ANSWERED_BY, size, 0.0).tolist()
    return Answers(size, items, answered_by, chosen)


def _check_planted(
    planted: Mapping[str, float], factors: Sequence[str] | Mapping[str, Any]
) -> None:
    unknown = sorted(set(planted) - set(factors))
    if unknown:
        raise ValueError(f"No such factor to plant: {', '.join(unknown)}")


def response_answers(answers: Answers) -> list[dict[str, str | list[str]]]:
    """Each response's answers as the survey app records them (item code -> code, or the
    list of codes ticked), blanks left out."""
    singles = [code for code in answers.items if "." not in code]
    multis: dict[str, list[tuple[str, list[Any]]]] = {}
    for column, values in answers.items.items():
        if "." in column:
            item, option = column.split(".", 1)
            multis.setdefault(item, []).append((option, values))
    out: list[dict[str, str | list[str]]] = []
    for i in range(answers.n):
        row: dict[str, str | list[str]] = {
            code: answers.items[code][i] for code in singles if answers.items[code][i] is not None
        }
        for item, options in multis.items():
            ticked = [option for option, values in options if values[i] is True]
            if ticked:
                row[item] = ticked
        out.append(row)
    return out
