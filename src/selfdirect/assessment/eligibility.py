"""Eligibility under the Care and Support (Eligibility Criteria) Regulations 2015, as plain
rules over frozen dataclasses (no Django). A council's criteria are effective-dated
versions; each decision returns its reasons in words, so the letter can quote them.

Adults (reg 2): needs arise from impairment or illness; unable to achieve two or more of
ten outcomes; consequent significant impact on wellbeing. Carers (reg 3): needs arise
from providing necessary care; health deteriorating (or at risk) or unable to achieve any
of eight outcomes; consequent significant impact on wellbeing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum


class Unable(StrEnum):
    """The four statutory meanings of "unable to achieve" (reg 2(3) / reg 3(4))."""

    WITHOUT_ASSISTANCE = "without_assistance"
    PAIN_DISTRESS_ANXIETY = "pain_distress_anxiety"
    ENDANGERS_SAFETY = "endangers_safety"
    SIGNIFICANTLY_LONGER = "significantly_longer"


UNABLE_WORDS = {
    Unable.WITHOUT_ASSISTANCE: "cannot achieve it without help",
    Unable.PAIN_DISTRESS_ANXIETY: "can achieve it without help but it causes significant pain, distress or anxiety",
    Unable.ENDANGERS_SAFETY: "can achieve it without help but doing so puts their own or others' health or safety at risk",
    Unable.SIGNIFICANTLY_LONGER: "can achieve it without help but it takes significantly longer than normally expected",
}

ADULT_OUTCOMES: dict[str, str] = {
    "A": "managing and maintaining nutrition",
    "B": "maintaining personal hygiene",
    "C": "managing toilet needs",
    "D": "being appropriately clothed",
    "E": "being able to make use of the home safely",
    "F": "maintaining a habitable home environment",
    "G": "developing and maintaining family or other personal relationships",
    "H": "accessing and engaging in work, training, education or volunteering",
    "I": "making use of necessary facilities or services in the local community, including public transport and recreational facilities or services",
    "J": "carrying out any caring responsibilities for a child",
}

CARER_OUTCOMES: dict[str, str] = {
    "CA": "carrying out any caring responsibilities for a child",
    "CB": "providing care to other people they care for",
    "CC": "maintaining a habitable home environment in the carer's home",
    "CD": "managing and maintaining nutrition",
    "CE": "developing and maintaining family or other personal relationships",
    "CF": "engaging in work, training, education or volunteering",
    "CG": "making use of necessary facilities or services in the local community, including recreational facilities or services",
    "CH": "engaging in recreational activities",
}


@dataclass(frozen=True)
class Criteria:
    """One effective-dated version of a council's eligibility criteria."""

    code: str
    name: str
    applies_to: str  # "adult" or "carer"
    effective_from: dt.date
    outcomes: dict[str, str]
    minimum_outcomes_unable: int
    allowed_unable: frozenset[Unable]
    # Carers: a deteriorating (or at-risk) health condition meets limb (b) on its own.
    health_deterioration_counts: bool = False


ADULTS_2015 = Criteria(
    code="care-act-2015-adult",
    name="Care and Support (Eligibility Criteria) Regulations 2015, regulation 2 (adults)",
    applies_to="adult",
    effective_from=dt.date(2015, 4, 1),
    outcomes=ADULT_OUTCOMES,
    minimum_outcomes_unable=2,
    allowed_unable=frozenset(Unable),
)

CARERS_2015 = Criteria(
    code="care-act-2015-carer",
    name="Care and Support (Eligibility Criteria) Regulations 2015, regulation 3 (carers)",
    applies_to="carer",
    effective_from=dt.date(2015, 4, 1),
    outcomes=CARER_OUTCOMES,
    minimum_outcomes_unable=1,
    allowed_unable=frozenset(
        {Unable.WITHOUT_ASSISTANCE, Unable.PAIN_DISTRESS_ANXIETY, Unable.ENDANGERS_SAFETY}
    ),
    health_deterioration_counts=True,
)

DEFAULT_CRITERIA = (ADULTS_2015, CARERS_2015)


@dataclass(frozen=True)
class Findings:
    """What the assessor found, for one person, against one set of criteria."""

    needs_from_condition: bool  # adults: impairment or illness; carers: providing necessary care
    unable: dict[str, frozenset[Unable]] = field(
        default_factory=dict
    )  # outcome code -> ways unable
    significant_impact_on_wellbeing: bool = False
    carer_health_deteriorating: bool = False


@dataclass(frozen=True)
class Decision:
    eligible: bool
    criteria_code: str
    outcomes_unable: tuple[str, ...]
    reasons: tuple[str, ...]


class FindingsError(ValueError):
    """Findings that name an outcome or a meaning of "unable" the criteria do not have."""


def criteria_in_force(
    applies_to: str, on: dt.date, versions: tuple[Criteria, ...] = DEFAULT_CRITERIA
) -> Criteria:
    """The latest version for adults or carers that was in force on ``on``."""
    candidates = [c for c in versions if c.applies_to == applies_to and c.effective_from <= on]
    if not candidates:
        raise LookupError(f"No {applies_to} eligibility criteria in force on {on.isoformat()}")
    return max(candidates, key=lambda c: c.effective_from)


def decide(criteria: Criteria, findings: Findings) -> Decision:
    """Apply the three-part test; every limb gives a reason in words, met or not."""
    unknown = set(findings.unable) - set(criteria.outcomes)
    if unknown:
        raise FindingsError(f"Outcomes not in {criteria.code}: {', '.join(sorted(unknown))}")
    reasons: list[str] = []
    counted = []
    for code, ways in sorted(findings.unable.items()):
        bad = set(ways) - set(criteria.allowed_unable)
        if bad:
            raise FindingsError(
                f"Outcome {code}: {', '.join(sorted(bad))} is not a meaning of 'unable' for {criteria.code}"
            )
        if ways:
            counted.append(code)
    is_carer = criteria.applies_to == "carer"

    if findings.needs_from_condition:
        reasons.append(
            "The needs arise from providing necessary care."
            if is_carer
            else "The needs arise from or are related to a physical or mental impairment or illness."
        )
    else:
        reasons.append(
            "The needs do not arise from providing necessary care."
            if is_carer
            else "The needs do not arise from a physical or mental impairment or illness."
        )

    for code in counted:
        ways_text = "; ".join(UNABLE_WORDS[w] for w in sorted(findings.unable[code]))
        reasons.append(
            f"Unable to achieve {criteria.outcomes[code]}: {ways_text}."
        )  # words, no code
    enough_outcomes = len(counted) >= criteria.minimum_outcomes_unable
    health = criteria.health_deterioration_counts and findings.carer_health_deteriorating
    if health:
        reasons.append(
            "The carer's physical or mental health is deteriorating or at risk of deteriorating."
        )
    second_limb = enough_outcomes or health
    if not second_limb:
        needed = criteria.minimum_outcomes_unable
        reasons.append(
            f"Unable to achieve {len(counted)} of the specified outcomes; at least {needed} "
            f"{'is' if needed == 1 else 'are'} needed{' (or deteriorating health)' if is_carer else ''}."
        )

    if findings.significant_impact_on_wellbeing:
        reasons.append(
            "As a consequence there is, or is likely to be, a significant impact on wellbeing."
        )
    else:
        reasons.append("There is not, and is not likely to be, a significant impact on wellbeing.")

    eligible = (
        findings.needs_from_condition and second_limb and findings.significant_impact_on_wellbeing
    )
    return Decision(
        eligible=eligible,
        criteria_code=criteria.code,
        outcomes_unable=tuple(counted),
        reasons=tuple(reasons),
    )


def criteria_name(code: str, versions: tuple[Criteria, ...] = DEFAULT_CRITERIA) -> str:
    """The criteria's name in words, for a code stored on a decision."""
    return next((c.name for c in versions if c.code == code), "the council's eligibility criteria")


@dataclass(frozen=True)
class Condition:
    """One of the three conditions of the test, in words, met or not (for letters)."""

    words: str
    met: bool
    detail: tuple[str, ...] = ()


def conditions_in_words(
    code: str, findings: dict[str, object], versions: tuple[Criteria, ...] = DEFAULT_CRITERIA
) -> list[Condition]:
    """The three conditions of the Regulations for a stored decision, each met or not, in
    the Regulations' words and never an outcome's letter: the outcomes the person is unable
    to achieve are listed by name, with the ways they are unable."""
    criteria = next((c for c in versions if c.code == code), None)
    is_carer = code.endswith("carer") if criteria is None else criteria.applies_to == "carer"
    outcomes = criteria.outcomes if criteria is not None else {**ADULT_OUTCOMES, **CARER_OUTCOMES}
    needed = criteria.minimum_outcomes_unable if criteria is not None else (1 if is_carer else 2)
    raw_unable = findings.get("unable")
    unable: dict[str, list[str]] = raw_unable if isinstance(raw_unable, dict) else {}
    named = [
        f"{outcomes[o][0].upper()}{outcomes[o][1:]}: "
        + "; ".join(UNABLE_WORDS[Unable(w)] for w in ways if w in {u.value for u in Unable})
        for o, ways in sorted(unable.items())
        if ways and o in outcomes
    ]
    health = bool(findings.get("carer_health_deteriorating")) and is_carer
    second = len(named) >= needed or health
    if is_carer:
        first_words = "The needs arise from providing necessary care to an adult"
        second_words = (
            "The carer's physical or mental health is deteriorating or at risk of "
            "deteriorating, or the carer is unable to achieve at least one of the outcomes "
            "the Regulations set out"
        )
        if health:
            named.append("The carer's physical or mental health is deteriorating or at risk")
    else:
        first_words = (
            "The needs arise from or are related to a physical or mental impairment or illness"
        )
        second_words = (
            f"Because of those needs, the person is unable to achieve {needed} or more of the "
            "outcomes the Regulations set out"
        )
    return [
        Condition(first_words, bool(findings.get("needs_from_condition"))),
        Condition(second_words, second, tuple(named)),
        Condition(
            "As a consequence, there is, or is likely to be, a significant impact on wellbeing",
            bool(findings.get("significant_impact_on_wellbeing")),
        ),
    ]


_OUTCOME_CODE = re.compile(
    r" \((?:"
    + "|".join(sorted({*ADULT_OUTCOMES, *CARER_OUTCOMES}, key=len, reverse=True))
    + r")\):"
)


def reason_in_words(reason: str) -> str:
    """A stored reason without the outcome's letter (decisions recorded before the reasons
    were written in words alone said "nutrition (A): ...")."""
    return _OUTCOME_CODE.sub(":", reason)


# Fair Access to Care Services bands, kept for historic records before April 2015.
FACS_BANDS = ("critical", "substantial", "moderate", "low")


def facs_eligible(band: str, eligible_bands: tuple[str, ...]) -> bool:
    """Whether a FACS band was eligible under a council's historic threshold."""
    if band not in FACS_BANDS:
        raise FindingsError(f"Unknown FACS band {band!r}; expected one of {', '.join(FACS_BANDS)}")
    return band in eligible_bands
