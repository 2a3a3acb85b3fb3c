"""From the survey app's frame of POET answers (``selfdirect.surveys.frame.responses_frame``:
item code -> list of answer codes) to the analysis's columns (``poet``: outcomes coded 5..1,
0 not relevant, -1 blank; factors 1, 0, -1), by the POET report's factor definitions
(digest §2-§4; docs/evaluation-guide.md says which are the team's choices).

The team's choices, where the report gives no rule:

- "Views fully included" is the top answer only (``VIEWS_FULLY``: "very much").
- "Know amount of personal budget" (holders) is 1 when the holder gave an amount band, else 0
  (the report's 49.2% "gave an amount"); carers answer yes or no.
- Held for more than 1 / 3 years: "don't know" is blank, not "no".
- "Council/NHS made the process easy": ``poet.process_easy`` over the nine steps.
- "Caring 24/7" (carers): the top hours band, 51 or more a week.
- Personal factors are one against the rest: "Person with learning disabilities" is 1 when
  that is the main reason for support, 0 for any other reason.
- "Older adult (aged 65 years+)" is the age band 65 and over (not the "old age" reason).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from selfdirect.evaluation import poet

Column = npt.NDArray[np.int16]

VIEWS_FULLY: tuple[str, ...] = ("very_much",)
VIEWS_INCLUDED: tuple[str, ...] = ("mostly", "very_much")  # the headline "included"
FAIR_BAD_HEALTH = ("fair", "bad", "very_bad")
IMPACT_CODES = {"5": 5, "4": 4, "3": 3, "2": 2, "1": 1, "NR": poet.NOT_RELEVANT}
EASE_CODES = {"easy": 1, "neither": 2, "difficult": 3, "na": 0}

HOLDER_EASE_ITEMS: tuple[tuple[str, str], ...] = (
    ("ease_information", "Information and advice"),
    ("ease_agree_amount", "Agree amount"),
    ("ease_understand_spend", "Understand what budget can be spent on"),
    ("ease_support_planning", "Support planning"),
    ("ease_choose_support", "Choose support"),
    ("ease_get_support", "Get the support wanted"),
    ("ease_change_support", "Change support"),
    ("ease_manage_day_to_day", "Manage support from day to day"),
    ("ease_account", "Account for how the budget is spent"),
)


def _values(items: Mapping[str, Sequence[Any]], code: str, n: int) -> npt.NDArray[Any]:
    column = items.get(code)
    if column is None:
        return np.full(n, None, dtype=object)
    return np.asarray(list(column), dtype=object)


def _blank(values: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    return np.fromiter((v is None for v in values), dtype=bool, count=len(values))


def flag(items: Mapping[str, Sequence[Any]], code: str, yes: Sequence[str], n: int) -> Column:
    """1 when the answer is one of ``yes``, 0 for any other answer, -1 when blank."""
    values = _values(items, code, n)
    out = np.where(np.isin(values, list(yes)), 1, 0).astype(np.int16)
    out[_blank(values)] = poet.MISSING
    return out


def ticked(items: Mapping[str, Sequence[Any]], column: str, n: int) -> Column:
    """A tick-all-that-apply option: 1 ticked, 0 not (when something was ticked), -1 blank."""
    values = _values(items, column, n)
    out = np.where(np.equal(values, True), 1, 0).astype(np.int16)
    out[_blank(values)] = poet.MISSING
    return out


def impact(items: Mapping[str, Sequence[Any]], code: str, n: int) -> Column:
    values = _values(items, code, n)
    out = np.full(n, poet.MISSING, dtype=np.int16)
    for answer, number in IMPACT_CODES.items():
        out[np.equal(values, answer)] = number
    return out


def ease(items: Mapping[str, Sequence[Any]], code: str, n: int) -> Column:
    values = _values(items, code, n)
    out = np.full(n, poet.MISSING, dtype=np.int16)
    for answer, number in EASE_CODES.items():
        out[np.equal(values, answer)] = number
    return out


def _held(items: Mapping[str, Sequence[Any]], n: int) -> tuple[Column, Column]:
    values = _values(items, "duration", n)
    over_1 = flag(items, "duration", ("1_3", "gt_3"), n)
    over_3 = flag(items, "duration", ("gt_3",), n)
    unknown = np.equal(values, "dont_know")
    over_1[unknown] = poet.MISSING
    over_3[unknown] = poet.MISSING
    return over_1, over_3


def _budget_factors(items: Mapping[str, Sequence[Any]], n: int) -> dict[str, Column]:
    over_1, over_3 = _held(items, n)
    return {
        "funded_nhs": flag(items, "funder", ("nhs",), n),
        "funded_council": flag(items, "funder", ("council",), n),
        "funded_both": flag(items, "funder", ("both",), n),
        "support_before": flag(items, "support_before", ("yes",), n),
        "held_over_1y": over_1,
        "held_over_3y": over_3,
    }


def holder_columns(
    items: Mapping[str, Sequence[Any]], n: int
) -> tuple[dict[str, Column], dict[str, Column]]:
    """(factors keyed as poet.TABLES, outcomes keyed as poet.OUTCOMES) from a POET holder
    frame's items."""
    gave_amount = _values(items, "amount_band", n)
    ease_matrix = np.stack([ease(items, code, n) for code, _l in HOLDER_EASE_ITEMS], axis=1)
    factors: dict[str, Column] = {
        "female": flag(items, "gender", ("female",), n),
        "white": flag(items, "ethnicity", ("white",), n),
        "older_adult": flag(items, "age_band", ("65_plus",), n),
        "learning_disability": flag(items, "main_reason", ("learning",), n),
        "mental_health_need": flag(items, "main_reason", ("mental_health",), n),
        "physical_disability": flag(items, "main_reason", ("physical",), n),
        "fair_bad_health": flag(items, "general_health", FAIR_BAD_HEALTH, n),
        **_budget_factors(items, n),
        "knows_amount": np.where(_blank(gave_amount), 0, 1).astype(np.int16),
        "dp_own": flag(items, "holding", ("dp_self",), n),
        "dp_family": flag(items, "holding", ("dp_family",), n),
        "dp_broker": flag(items, "holding", ("broker",), n),
        "provider_managed": flag(items, "holding", ("provider",), n),
        "council_managed": flag(items, "holding", ("council_nhs",), n),
        "plan_family": ticked(items, "plan_help.family_friends", n),
        "plan_council": ticked(items, "plan_help.council", n),
        "plan_nhs": ticked(items, "plan_help.nhs", n),
        "plan_independent": ticked(items, "plan_help.broker", n),
        "plan_provider": ticked(items, "plan_help.provider", n),
        "plan_alone": ticked(items, "plan_help.none", n),
        "views_assessment": flag(items, "views_needs", VIEWS_FULLY, n),
        "views_amount": flag(items, "views_amount", VIEWS_FULLY, n),
        "views_plan": flag(items, "views_plan", VIEWS_FULLY, n),
        "process_easy": poet.process_easy(ease_matrix).astype(np.int16),
        "spent_care": ticked(items, "spend.care_support", n),
        "spent_leisure": ticked(items, "spend.community_leisure", n),
        "spent_pa": ticked(items, "spend.personal_assistants", n),
        "spent_equipment": ticked(items, "spend.equipment", n),
    }
    outcomes = {key: impact(items, key, n) for key, _l in poet.OUTCOMES}
    return factors, outcomes


def carer_columns(
    items: Mapping[str, Sequence[Any]], n: int
) -> tuple[dict[str, Column], dict[str, Column]]:
    """(factors keyed as poet.CARER_TABLES, outcomes keyed as poet.CARER_OUTCOMES) from a
    POET carer frame's items."""
    factors: dict[str, Column] = {
        "female": flag(items, "gender", ("female",), n),
        "white": flag(items, "ethnicity", ("white",), n),
        "older_adult": flag(items, "age_band", ("65_plus",), n),
        "disability": flag(items, "disability", ("yes",), n),
        "fair_bad_health": flag(items, "general_health", FAIR_BAD_HEALTH, n),
        "caring_parent": flag(items, "cared_for", ("parent",), n),
        "caring_son_daughter": flag(items, "cared_for", ("son_daughter",), n),
        "caring_friend": flag(items, "cared_for", ("friend",), n),
        "caring_partner": flag(items, "cared_for", ("partner",), n),
        "caring_other": flag(items, "cared_for", ("other_relative",), n),
        "same_house": flag(items, "same_house", ("yes",), n),
        "caring_24_7": flag(items, "hours", ("51_plus",), n),
        **_budget_factors(items, n),
        "knows_amount": flag(items, "know_amount", ("yes",), n),
        "views_person_needs": flag(items, "views_person_needs", VIEWS_FULLY, n),
        "views_carer_needs": flag(items, "views_carer_needs", VIEWS_FULLY, n),
        "views_amount": flag(items, "views_amount", VIEWS_FULLY, n),
        "views_plan": flag(items, "views_plan", VIEWS_FULLY, n),
    }
    outcomes = {key: impact(items, key, n) for key, _l in poet.CARER_OUTCOMES}
    return factors, outcomes
