"""POET analysis: hand-worked 2x2 odds ratios, planted odds ratios recovered, the
regression equal to statsmodels' own, Nagelkerke's R² by hand, refusals of bad columns."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.discrete.discrete_model import Logit

from selfdirect.evaluation import checks, poet, synthetic
from selfdirect.refusals import Refused


def test_a_hand_worked_2x2_odds_ratio_with_woolf_interval_and_chi_square() -> None:
    result = poet.odds_ratio_2x2(20, 10, 15, 30)
    # OR = (20·30)/(10·15) = 4; SE(log OR) = sqrt(1/20 + 1/10 + 1/15 + 1/30) = 0.5.
    assert result.odds_ratio == pytest.approx(4.0)
    assert result.ci_low == pytest.approx(4.0 / math.exp(1.959964 * 0.5), rel=1e-6)
    assert result.ci_high == pytest.approx(4.0 * math.exp(1.959964 * 0.5), rel=1e-6)
    assert (result.ci_low, result.ci_high) == (
        pytest.approx(1.50125, rel=1e-4),
        pytest.approx(10.6578, rel=1e-4),
    )
    # Smallest expected count 30·35/75 = 14, so Pearson's chi-square, 1 df, no correction:
    # 75·(600 − 150)² / (30·45·35·40) = 8.0357; P(χ²₁ > x) = erfc(sqrt(x/2)).
    chi2 = 75 * 450**2 / (30 * 45 * 35 * 40)
    assert result.test == "chi-square" and not result.haldane
    assert result.p == pytest.approx(math.erfc(math.sqrt(chi2 / 2)), rel=1e-9)
    assert result.significant and result.direction == "higher"
    assert result.render() == "4.00*" and result.n == 75


def test_a_zero_cell_takes_haldanes_correction_and_fishers_test() -> None:
    result = poet.odds_ratio_2x2(0, 10, 5, 5)
    assert result.haldane and result.test == "fisher"
    assert result.odds_ratio == pytest.approx((0.5 * 5.5) / (10.5 * 5.5))
    se = math.sqrt(1 / 0.5 + 1 / 10.5 + 1 / 5.5 + 1 / 5.5)
    assert result.ci_high == pytest.approx(result.odds_ratio * math.exp(1.959964 * se), rel=1e-6)
    # Rows 10/10, 5 positive in all: P(a=0) = P(a=5) = C(10,5)/C(20,5) = 252/15504, and
    # every other table is likelier, so the two-sided p is twice that.
    assert result.p == pytest.approx(2 * 252 / 15504, rel=1e-9)
    assert result.render() == "0.05*" and result.direction == "lower"


@pytest.mark.parametrize(
    "cells", [(20, 10, 15, 30), (0, 10, 5, 5), (7, 0, 3, 12), (120, 340, 95, 410)]
)
def test_the_hand_written_odds_ratio_agrees_with_statsmodels_table2x2(
    cells: tuple[int, int, int, int],
) -> None:
    from statsmodels.stats.contingency_tables import Table2x2

    a, b, c, d = cells
    table = np.array([[a, b], [c, d]], dtype=float)
    # Haldane adds 0.5 to every cell when one is 0; statsmodels' own shift_zeros would put
    # 0.5 in the zero cells only, so it is given the corrected table.
    theirs = Table2x2(table + 0.5 if 0 in cells else table, shift_zeros=False)
    ours = poet.odds_ratio_2x2(a, b, c, d)
    assert ours.odds_ratio == pytest.approx(theirs.oddsratio, rel=1e-12)
    low, high = theirs.oddsratio_confint(alpha=0.05)
    assert (ours.ci_low, ours.ci_high) == (
        pytest.approx(low, rel=1e-9),
        pytest.approx(high, rel=1e-9),
    )


def test_nobody_without_the_factor_gives_no_odds_ratio() -> None:
    result = poet.odds_ratio_2x2(3, 4, 0, 0)
    assert result.odds_ratio is None and result.p is None and result.render() == "–"


def test_nagelkerke_r2_by_hand() -> None:
    r2, cox_snell = poet.nagelkerke_r2(llf=-50.0, llnull=100 * math.log(0.5), n=100)
    # Cox-Snell = 1 − exp(2(−69.3147 + 50)/100) = 0.320430; maximum = 1 − 0.5² = 0.75.
    assert cox_snell == pytest.approx(1 - math.exp(2 * (100 * math.log(0.5) + 50) / 100))
    assert cox_snell == pytest.approx(0.320430, abs=1e-6)
    assert r2 == pytest.approx(0.320430 / 0.75, abs=1e-6)


def _complete_rows(
    survey: synthetic.SyntheticSurvey, outcome: str, keys: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    relevant, positive = poet.positive_impact(survey.outcomes[outcome])
    matrix = np.stack([survey.factors[k] for k in keys], axis=1)
    keep = relevant & np.all(matrix >= 0, axis=1)
    return positive[keep].astype(float), matrix[keep].astype(float)


def test_the_regression_is_statsmodels_logit_on_the_complete_cases() -> None:
    survey = synthetic.generate(6_000, seed=11)
    keys = ("process_easy", "spent_pa", "plan_alone", "female")
    result = poet.logistic_regression(survey.factors, survey.outcomes["dignity"], factor_keys=keys)
    y, x = _complete_rows(survey, "dignity", keys)
    fitted = Logit(y, np.column_stack([np.ones(len(y)), x])).fit(disp=0)
    assert result.n == len(y) < 6_000  # listwise deletion dropped blanks and not relevant
    assert [t.odds_ratio for t in result.terms] == pytest.approx(
        np.exp(fitted.params[1:]).tolist(), rel=1e-8
    )
    assert [t.p for t in result.terms] == pytest.approx(fitted.pvalues[1:].tolist(), rel=1e-6)
    ci = np.exp(fitted.conf_int()[1:])
    assert [(t.ci_low, t.ci_high) for t in result.terms] == [
        (pytest.approx(lo, rel=1e-8), pytest.approx(hi, rel=1e-8)) for lo, hi in ci
    ]
    # Nagelkerke from a hand computation of both log-likelihoods, not statsmodels' llf.
    xb = fitted.params[0] + x @ fitted.params[1:]
    llf = float(np.sum(y * xb - np.log1p(np.exp(xb))))
    share = y.mean()
    llnull = len(y) * (share * math.log(share) + (1 - share) * math.log(1 - share))
    cox_snell = 1 - math.exp(2 * (llnull - llf) / len(y))
    assert result.nagelkerke_r2 == pytest.approx(
        cox_snell / (1 - math.exp(2 * llnull / len(y))), rel=1e-6
    )


def test_planted_odds_ratios_are_recovered_within_their_intervals() -> None:
    # A 95% interval misses the truth 1 time in 20, so with this seed every planted OR of
    # one model is inside (seeds 3 and 4 have provider-managed, measured against the
    # council-managed reference, just outside: 1.61, 1.40x-1.86). The mean check below and
    # the coverage check hold whatever the seed.
    survey = synthetic.generate(30_000, seed=5)
    models = poet.table7(survey.factors, survey.outcomes)
    assert set(models) == set(poet.TABLE7_OUTCOMES) and "paid_work" not in models
    quality = models["quality_of_life"]
    for term in quality.terms:
        if term.key in survey.planted:
            assert term.ci_low <= survey.planted[term.key] <= term.ci_high, term
    # Unbiased: each planted OR's geometric mean over the 13 models is within 5% of it.
    for key, planted in survey.planted.items():
        logs = [
            math.log(t.odds_ratio) for model in models.values() for t in model.terms if t.key == key
        ]
        assert math.exp(sum(logs) / len(logs)) == pytest.approx(planted, rel=0.05), key
    # Across all 13 models, every term's 95% interval (planted or true OR 1) covers the
    # truth about 95% of the time.
    covered = [
        t.ci_low <= survey.planted.get(t.key, 1.0) <= t.ci_high
        for model in models.values()
        for t in model.terms
    ]
    assert len(covered) == 13 * len(poet.TABLE7_FACTORS)
    assert sum(covered) / len(covered) >= 0.9
    # The strong planted effects are the ones kept at p < 0.01; the report's form.
    kept = {t.key for t in quality.kept()}
    assert {"process_easy", "spent_pa", "plan_alone"} <= kept
    assert not kept & {"female", "white", "older_adult", "dp_own"}
    lines = quality.lines("Quality of life")
    assert lines[0].startswith(
        f"Factors associated with positive impact of budget on Quality of life (n={quality.n:,}; "
    )
    assert "Council/NHS made the personal budget process easy 2." in "\n".join(lines)


def test_a_single_planted_factor_is_recovered_by_the_2x2_odds_ratio_and_the_tables() -> None:
    survey = synthetic.generate(20_000, seed=5, planted={"spent_pa": 2.0})
    cell = poet.factor_odds_ratio(survey.factors["spent_pa"], survey.outcomes["quality_of_life"])
    assert cell.ci_low <= 2.0 <= cell.ci_high and cell.significant
    null = poet.factor_odds_ratio(survey.factors["white"], survey.outcomes["quality_of_life"])
    assert null.ci_low <= 1.0 <= null.ci_high
    tables = poet.poet_tables(survey.factors, survey.outcomes)
    assert sorted(tables) == [1, 2, 3, 4, 5, 6]
    assert tables[6].cells["quality_of_life"]["spent_pa"] == cell
    rows = tables[6].rows()
    assert rows[0] == [
        "Outcome",
        "Care and support",
        "Community and leisure",
        "Personal assistants",
        "Equipment",
    ]
    assert [r[0] for r in rows[1:]] == [label for _k, label in poet.OUTCOMES]
    assert rows[1][3] == cell.render() and rows[1][3].endswith("*")


def test_outcome_distribution_counts_positive_among_the_relevant_only() -> None:
    result = poet.outcome_distribution([5, 4, 3, 2, 1, 0, 0, -1, 4, 5])
    assert (result.relevant, result.not_relevant, result.missing) == (7, 2, 1)
    assert result.positive == 4 and result.positive_percent == pytest.approx(100 * 4 / 7)
    assert result.negative_percent == pytest.approx(100 * 2 / 7)


def test_too_few_events_is_not_modelled_and_says_why() -> None:
    survey = synthetic.generate(300, seed=1)
    result = poet.logistic_regression(
        survey.factors, survey.outcomes["paid_work"], factor_keys=poet.TABLE7_FACTORS
    )
    assert result.skipped.startswith("Not modelled: ") and not result.terms
    assert result.lines("Paid work") == [
        f"Positive impact of budget on Paid work: {result.skipped}"
    ]


def test_no_factor_kept_prints_the_reports_line() -> None:
    survey = synthetic.generate(4_000, seed=2, planted={})
    result = poet.logistic_regression(
        survey.factors, survey.outcomes["dignity"], factor_keys=("female", "white")
    )
    assert not result.kept()
    assert result.lines("Dignity")[1] == "No factors associated at p<0.01"


def test_collinear_factors_are_not_modelled() -> None:
    survey = synthetic.generate(5_000, seed=4)
    keys = ("funded_nhs", "funded_council", "funded_both")  # every answer, no reference left out
    result = poet.logistic_regression(survey.factors, survey.outcomes["dignity"], factor_keys=keys)
    assert result.skipped == poet.COLLINEAR


def test_a_column_of_the_wrong_length_is_refused_by_name() -> None:
    with pytest.raises(Refused) as refused:
        poet.factor_odds_ratio([1, 0, 1], [5, 4, 3, 2], factor_name="female")
    assert str(refused.value) == checks.WRONG_LENGTH.format(name="female", got=3, expected=4)
    assert (
        str(refused.value)
        == "female has 3 answers but there are 4 responses: every column needs one answer per response."
    )
    assert refused.value.field == "female"


def test_an_out_of_range_code_is_refused_by_name() -> None:
    with pytest.raises(Refused) as refused:
        poet.outcome_distribution([5, 4, 7], name="dignity")
    assert (
        str(refused.value)
        == "dignity has the code 7, which is not one of the allowed codes (-1, 0, 1, 2, 3, 4, 5)."
    )
    with pytest.raises(Refused) as refused:
        poet.factor_odds_ratio([1, 2, 0], [5, 4, 3], factor_name="white")
    assert (
        str(refused.value)
        == "white has the code 2, which is not one of the allowed codes (-1, 0, 1)."
    )
    with pytest.raises(Refused) as refused:
        poet.outcome_distribution([5.0, 4.5], name="dignity")
    assert "4.5" in str(refused.value)


def test_a_table_with_a_short_factor_column_is_refused() -> None:
    survey = synthetic.generate(100, seed=1)
    factors = dict(survey.factors)
    factors["spent_pa"] = factors["spent_pa"][:-1]
    with pytest.raises(Refused) as refused:
        poet.poet_tables(factors, survey.outcomes)
    assert refused.value.field == "spent_pa" and "99 answers but there are 100" in str(
        refused.value
    )


def test_process_easy_is_the_sign_of_the_mean_over_the_steps_that_applied() -> None:
    ratings = np.array(
        [
            [1, 1, 3, 0, 0, 0, 0, 0, 0],  # +1 +1 −1 → easy
            [1, 3, 2, 0, 0, 0, 0, 0, 0],  # +1 −1 0 → not easy
            [0, 0, 0, 0, 0, 0, 0, 0, -1],  # nothing applied → missing
            [3, 3, 1, 1, 1, 2, 2, 2, 2],  # −2 +3 → easy
        ]
    )
    assert poet.process_easy(ratings).tolist() == [1, 0, -1, 1]
    with pytest.raises(Refused) as refused:
        poet.process_easy(ratings[:, :8])
    assert str(refused.value) == "process ratings needs 9 items per response but has 8."
