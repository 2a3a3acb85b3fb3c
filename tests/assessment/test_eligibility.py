"""Eligibility scenarios named after the policy cases of the 2015 Regulations."""

from __future__ import annotations

import datetime as dt

import pytest

from selfdirect.assessment.eligibility import (
    ADULTS_2015,
    CARERS_2015,
    Criteria,
    Findings,
    FindingsError,
    Unable,
    criteria_in_force,
    decide,
    facs_eligible,
)

W, P, S, L = (
    Unable.WITHOUT_ASSISTANCE,
    Unable.PAIN_DISTRESS_ANXIETY,
    Unable.ENDANGERS_SAFETY,
    Unable.SIGNIFICANTLY_LONGER,
)


@pytest.mark.parametrize(
    ("case", "findings", "eligible"),
    [
        (
            "two outcomes, impairment, significant impact",
            Findings(True, {"A": frozenset({W}), "B": frozenset({P})}, True),
            True,
        ),
        ("only one outcome", Findings(True, {"A": frozenset({W})}, True), False),
        (
            "two outcomes but no significant impact",
            Findings(True, {"A": frozenset({W}), "C": frozenset({L})}, False),
            False,
        ),
        (
            "needs not from impairment or illness",
            Findings(False, {"A": frozenset({W}), "C": frozenset({W})}, True),
            False,
        ),
        (
            "takes significantly longer counts for adults",
            Findings(True, {"D": frozenset({L}), "E": frozenset({L})}, True),
            True,
        ),
        (
            "outcome listed with no way unable does not count",
            Findings(True, {"A": frozenset({W}), "B": frozenset()}, True),
            False,
        ),
    ],
)
def test_adult_three_part_test(case: str, findings: Findings, eligible: bool) -> None:
    decision = decide(ADULTS_2015, findings)
    assert decision.eligible is eligible, case
    assert decision.criteria_code == "care-act-2015-adult"


def test_adult_reasons_quote_each_outcome_and_limb() -> None:
    decision = decide(ADULTS_2015, Findings(True, {"A": frozenset({W}), "I": frozenset({S})}, True))
    assert decision.outcomes_unable == ("A", "I")
    assert (
        "Unable to achieve managing and maintaining nutrition: cannot achieve it without help."
        in decision.reasons
    )
    assert (
        decision.reasons[-1]
        == "As a consequence there is, or is likely to be, a significant impact on wellbeing."
    )


def test_one_outcome_reason_says_two_are_needed() -> None:
    decision = decide(ADULTS_2015, Findings(True, {"A": frozenset({W})}, True))
    assert (
        "Unable to achieve 1 of the specified outcomes; at least 2 are needed." in decision.reasons
    )


@pytest.mark.parametrize(
    ("case", "findings", "eligible"),
    [
        ("carer unable to achieve one outcome", Findings(True, {"CF": frozenset({W})}, True), True),
        (
            "carer's health deteriorating, no outcome",
            Findings(True, {}, True, carer_health_deteriorating=True),
            True,
        ),
        ("carer with no outcome and good health", Findings(True, {}, True), False),
        (
            "carer not providing necessary care",
            Findings(False, {"CF": frozenset({W})}, True),
            False,
        ),
        ("carer with no significant impact", Findings(True, {"CH": frozenset({P})}, False), False),
    ],
)
def test_carer_test(case: str, findings: Findings, eligible: bool) -> None:
    assert decide(CARERS_2015, findings).eligible is eligible, case


def test_carer_test_has_no_significantly_longer_limb() -> None:
    with pytest.raises(FindingsError, match="significantly_longer is not a meaning"):
        decide(CARERS_2015, Findings(True, {"CF": frozenset({L})}, True))


def test_unknown_outcome_is_refused() -> None:
    with pytest.raises(FindingsError, match="Outcomes not in care-act-2015-adult: Z"):
        decide(ADULTS_2015, Findings(True, {"Z": frozenset({W})}, True))


def test_effective_dated_versions() -> None:
    stricter = Criteria(
        code="local-2030",
        name="Local criteria from 2030",
        applies_to="adult",
        effective_from=dt.date(2030, 4, 1),
        outcomes=ADULTS_2015.outcomes,
        minimum_outcomes_unable=3,
        allowed_unable=ADULTS_2015.allowed_unable,
    )
    versions = (ADULTS_2015, CARERS_2015, stricter)
    assert criteria_in_force("adult", dt.date(2030, 3, 31), versions) is ADULTS_2015
    assert criteria_in_force("adult", dt.date(2030, 4, 1), versions) is stricter
    findings = Findings(True, {"A": frozenset({W}), "B": frozenset({W})}, True)
    assert decide(ADULTS_2015, findings).eligible
    assert not decide(stricter, findings).eligible
    with pytest.raises(LookupError):
        criteria_in_force("adult", dt.date(2010, 1, 1), versions)


def test_facs_bands_for_historic_records() -> None:
    assert facs_eligible("substantial", ("critical", "substantial"))
    assert not facs_eligible("moderate", ("critical", "substantial"))
    with pytest.raises(FindingsError):
        facs_eligible("severe", ("critical",))


def test_reasons_and_criteria_read_in_words_never_a_code() -> None:
    """Decisions recorded before reasons were written in words alone kept the letter."""
    from selfdirect.assessment.eligibility import criteria_name, reason_in_words

    assert (
        reason_in_words("Unable to achieve managing toilet needs (C): cannot do it safely.")
        == "Unable to achieve managing toilet needs: cannot do it safely."
    )
    assert (
        reason_in_words("Unable to achieve maintaining a habitable home environment (CC): x.")
        == "Unable to achieve maintaining a habitable home environment: x."
    )
    kept = "Unable to achieve 1 of the specified outcomes; at least 2 are needed (or deteriorating health)."
    assert reason_in_words(kept) == kept
    assert criteria_name("care-act-2015-carer") == (
        "Care and Support (Eligibility Criteria) Regulations 2015, regulation 3 (carers)"
    )
    for reason in decide(
        CARERS_2015, Findings(True, {"CC": frozenset({Unable.WITHOUT_ASSISTANCE})}, True)
    ).reasons:
        assert "(CC)" not in reason
