"""IBSEN group comparisons (digest §4.3): the tests and models give scipy's and
statsmodels' own answers, a chi-square worked by hand, and planted effects recovered."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.regression.linear_model import OLS

from selfdirect.evaluation import ibsen, synthetic


def test_chi_square_of_caseness_by_group_worked_by_hand() -> None:
    # Direct payment: 10 cases of 30; council-arranged: 20 of 30. Expected 15 in each
    # case cell and 15 in each non-case cell: chi² = 4 x (5²/15) = 6.667 on 1 df.
    case = np.array([1] * 10 + [0] * 20 + [1] * 20 + [0] * 10)
    group = np.array(["Direct payment"] * 30 + ["Council-arranged"] * 30)
    result = ibsen.chi_square(
        case, group, name="GHQ 4+", order=["Direct payment", "Council-arranged"]
    )
    assert result.statistic == pytest.approx(20 / 3)
    assert result.df == (1.0,)
    assert result.p == pytest.approx(math.erfc(math.sqrt(20 / 3 / 2)))  # chi²(1) tail
    assert [(g.label, g.n, g.count) for g in result.groups] == [
        ("Direct payment", 30, 10),
        ("Council-arranged", 30, 20),
    ]
    assert result.estimate == pytest.approx(100 / 3 - 200 / 3)
    se = math.sqrt((1 / 3) * (2 / 3) / 30 * 2)
    assert result.ci_low == pytest.approx(100 * (-1 / 3 - ibsen.Z_95 * se))
    assert result.significant


def test_chi_square_leaves_out_unanswered_rows_and_takes_more_groups() -> None:
    case = np.array([1, 0, 1, 1, 0, 0, 1, 0, 1])
    group = np.array(list("AAABBBCCC"))
    answered = np.array([1, 1, 1, 1, 1, 1, 1, 1, 0], bool)
    result = ibsen.chi_square(case, group, answered=answered)
    expected = stats.chi2_contingency(np.array([[2, 1], [1, 2], [1, 1]]), correction=False)
    assert result.n == 8 and result.statistic == pytest.approx(expected.statistic)
    assert result.df == (2.0,) and result.estimate is None


def test_t_test_and_anova_equal_scipys_own() -> None:
    rng = np.random.default_rng(1)
    scores = rng.normal(3.5, 0.8, 300)
    scores[::17] = np.nan
    two = np.where(np.arange(300) % 2 == 0, "Direct payment", "Council-arranged")
    result = ibsen.compare_scores(scores, two, order=["Direct payment", "Council-arranged"])
    a, b = scores[::2], scores[1::2]
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    own = stats.ttest_ind(a, b, equal_var=False)
    assert result.test == "t-test (Welch)"
    assert result.statistic == pytest.approx(own.statistic)
    assert result.p == pytest.approx(own.pvalue)
    assert result.estimate == pytest.approx(a.mean() - b.mean())
    assert (result.ci_low, result.ci_high) == pytest.approx(tuple(own.confidence_interval(0.95)))
    three = np.array(["LD", "MH", "OP"])[np.arange(300) % 3]
    anova = ibsen.compare_scores(scores, three)
    samples = [scores[three == g] for g in ("LD", "MH", "OP")]
    own_f = stats.f_oneway(*(s[~np.isnan(s)] for s in samples))
    assert anova.test == "One-way ANOVA"
    assert anova.statistic == pytest.approx(own_f.statistic)
    assert anova.p == pytest.approx(own_f.pvalue)
    assert anova.df == (2.0, float(anova.n - 3))


def test_too_few_or_one_group_is_said_not_tested() -> None:
    one = ibsen.compare_scores([1.0, 2.0, 3.0], ["A", "A", "A"])
    assert one.skipped == ibsen.ONE_GROUP and one.p is None
    few = ibsen.compare_scores([1.0, 2.0, 3.0], ["A", "A", "B"])
    assert few.skipped == "Not compared: every group needs at least 2 answers (A 2, B 1)."


def _planted(size: int, seed: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    covariates = {
        "group:Direct payment": (rng.random(size) < 0.5).astype(float),
        "age": rng.normal(60, 15, size),
        ibsen.PROXY_KEY: (rng.random(size) < 0.25).astype(float),
    }
    y = (
        3.0
        + 0.3 * covariates["group:Direct payment"]
        + 0.01 * covariates["age"]
        - 0.4 * covariates[ibsen.PROXY_KEY]
        + rng.normal(0, 0.7, size)
    )
    return y, covariates


def test_ols_equals_statsmodels_and_recovers_a_planted_group_effect() -> None:
    y, covariates = _planted(2000, 7)
    keys = ["group:Direct payment", "age", ibsen.PROXY_KEY]
    model = ibsen.regression(y, covariates, keys=keys)
    own = OLS(y, np.column_stack([np.ones(y.size), *(covariates[k] for k in keys)])).fit()
    assert [c.estimate for c in model.coefficients] == pytest.approx(list(own.params[1:]))
    assert [c.p for c in model.coefficients] == pytest.approx(list(own.pvalues[1:]))
    assert model.r2 == pytest.approx(own.rsquared) and model.n == 2000
    group = model.coefficient("group:Direct payment")
    assert group is not None and group.ci_low < 0.3 < group.ci_high and group.p < 0.001


def test_ordered_logit_equals_statsmodels_and_recovers_a_planted_effect() -> None:
    rng = np.random.default_rng(11)
    size = 3000
    direct = (rng.random(size) < 0.5).astype(float)
    proxy = (rng.random(size) < 0.25).astype(float)
    latent = 0.54 * direct - 0.7 * proxy + rng.logistic(size=size)
    level = np.where(latent > 0.5, 2, np.where(latent > -1.0, 1, 0)).astype(float)
    covariates = {"group:Direct payment": direct, ibsen.PROXY_KEY: proxy}
    keys = ["group:Direct payment", ibsen.PROXY_KEY]
    model = ibsen.regression(level, covariates, keys=keys, method=ibsen.ORDERED_LOGIT)
    own = OrderedModel(level.astype(int), np.column_stack([direct, proxy]), distr="logit").fit(
        method="bfgs", disp=False, maxiter=500, gtol=1e-8
    )
    # The same maximum of the same likelihood (found on rescaled columns here).
    assert [c.estimate for c in model.coefficients] == pytest.approx(list(own.params[:2]), rel=1e-5)
    assert [c.p for c in model.coefficients] == pytest.approx(list(own.pvalues[:2]), rel=1e-3)
    assert [c.ci_low for c in model.coefficients] == pytest.approx(
        list(np.asarray(own.conf_int())[:2, 0]), rel=1e-4
    )
    group = model.coefficient("group:Direct payment")
    assert group is not None and group.ci_low < 0.54 < group.ci_high
    assert 0 < (model.r2 or 0) < 1
    # A column in other units (x 1000) gives the slope in those units, the rest unchanged.
    wide = ibsen.regression(
        level,
        {**covariates, ibsen.PROXY_KEY: proxy * 1000},
        keys=keys,
        method=ibsen.ORDERED_LOGIT,
    )
    assert [c.estimate for c in wide.coefficients] == pytest.approx(
        [own.params[0], own.params[1] / 1000], rel=1e-5
    )
    assert wide.coefficients[1].p == pytest.approx(own.pvalues[1], rel=1e-3)


def test_models_with_and_without_proxies() -> None:
    y, covariates = _planted(1000, 3)
    keys = ["group:Direct payment", "age", ibsen.PROXY_KEY]
    everyone, own = ibsen.with_and_without_proxies(
        y, covariates, proxy=covariates[ibsen.PROXY_KEY], keys=keys
    )
    proxies = int(covariates[ibsen.PROXY_KEY].sum())
    assert everyone.proxies and not own.proxies
    assert everyone.n == 1000 and own.n == 1000 - proxies
    assert own.coefficient(ibsen.PROXY_KEY) is None
    assert own.coefficient("age") is not None


def test_a_model_drops_rows_with_missing_values_and_says_when_it_cannot_fit() -> None:
    y, covariates = _planted(200, 5)
    covariates["age"][:10] = np.nan
    model = ibsen.regression(y, covariates, keys=["age"])
    assert model.n == 190
    few = ibsen.regression(y[:18], {k: v[:18] for k, v in covariates.items()}, keys=["age"])
    assert few.skipped == "Not modelled: 8 complete answers for 2 terms (at least 10 needed)."
    same = ibsen.regression(y, {"same": np.ones(200)}, keys=["same"])
    assert same.skipped == ibsen.NOT_IDENTIFIED


def test_synthetic_cohort_plants_a_direct_payment_effect_on_control() -> None:
    cohort = synthetic.generate_cohort(3000, seed=5)
    terms, keys = ibsen.group_terms(cohort.group, order=cohort.groups)
    control = cohort.ascot_levels[:, 0].astype(float)
    control[control < 0] = np.nan
    better = 2.0 - control  # ordered so that higher is fewer needs
    model = ibsen.regression(
        better,
        {**terms, **cohort.covariates},
        keys=[*keys, ibsen.PROXY_KEY, "cognitive_impairment"],
        method=ibsen.ORDERED_LOGIT,
    )
    group = model.coefficient("group:Direct payment")
    assert group is not None and group.ci_low < 0.5 < group.ci_high and group.p < 0.01
