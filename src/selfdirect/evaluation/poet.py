"""POET survey analysis over plain numpy arrays (docs/evaluation-guide.md, decision 0045).

The data shape, one entry per response (the survey app's answers turned into columns):

- an outcome column holds codes 1-5 (5 "made things a lot better" ... 1 "a lot worse"),
  ``NOT_RELEVANT`` (0) or ``MISSING`` (-1, not answered);
- a factor column holds 1 (has the factor), 0 (has not) or ``MISSING`` (-1).

"Positive impact" is 4 or 5 among those who rated the outcome relevant (NR and blanks are
left out of the denominator), as in the POET report. Each association is the odds ratio of
a positive impact for people with the factor against people without it, with a Woolf
(log) 95% confidence interval; when a cell of the 2x2 table is zero, 0.5 is added to every
cell (Haldane's correction) and the result says so. The p-value is Pearson's chi-square
(1 df, no continuity correction) unless an expected count is below 5, when it is Fisher's
exact test (two-sided); the result names the test. The regressions (Tables 7 and 12) are
statsmodels' Logit with listwise deletion and Nagelkerke's R² from the fitted and null
log-likelihoods.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats
from threadpoolctl import ThreadpoolController, threadpool_limits

from selfdirect.evaluation import checks
from selfdirect.refusals import Refused

NOT_RELEVANT = 0
MISSING = -1
OUTCOME_CODES = (MISSING, NOT_RELEVANT, 1, 2, 3, 4, 5)
POSITIVE_CODES = (4, 5)
NEGATIVE_CODES = (1, 2)
FACTOR_CODES = (MISSING, 0, 1)

Z_95 = 1.959963984540054  # the standard normal's 97.5th percentile
SIGNIFICANT_AT = 0.05
FISHER_BELOW_EXPECTED = 5.0
KEEP_IN_REGRESSION_AT = 0.01  # Tables 7 and 12 list only predictors with p < 0.01
MIN_EVENTS_PER_VARIABLE = (
    10  # an outcome is modelled only with this many of the rarer answer per predictor
)

TOO_FEW_TO_MODEL = (
    "Not modelled: {events} of the rarer answer for {k} factors (at least {need} needed)."
)
SEPARATED = "Not modelled: a factor predicts the answer perfectly (separation), so its odds ratio is infinite."
COLLINEAR = (
    "Not modelled: some factors are combinations of others (for example every answer of one "
    "question with none left out as the reference), so their odds ratios cannot be separated."
)
NO_FACTORS = "A regression needs at least one factor."

# The 15 holder outcomes, in the POET tables' row order (digest §2.1): key, table label.
OUTCOMES: tuple[tuple[str, str], ...] = (
    ("quality_of_life", "Quality of life"),
    ("self_esteem", "Self-esteem"),
    ("rel_paid", "Relationships-paid"),
    ("rel_family_friends", "Friends"),
    ("rel_family_carer", "Relationships-family"),
    ("volunteering", "Volunteer-community"),
    ("paid_work", "Paid work"),
    ("where_who_live", "Where & who you live with"),
    ("feeling_safe", "Feeling safe"),
    ("arranging_support", "Arranging support"),
    ("independence", "Independence"),
    ("control", "Control over life"),
    ("mental_health", "Mental health"),
    ("physical_health", "Physical health"),
    ("dignity", "Dignity"),
)

# Holder factor columns by table (digest §4.3), in the report's column order.
TABLES: dict[int, tuple[tuple[str, str], ...]] = {
    1: (
        ("female", "Female gender"),
        ("white", "White"),
        ("older_adult", "Older adult (aged 65 years+)"),
        ("learning_disability", "Person with learning disabilities"),
        ("mental_health_need", "Person with mental health difficulties"),
        ("physical_disability", "Person with physical disabilities"),
        ("fair_bad_health", "Fair/bad/very bad self-rated health"),
    ),
    2: (
        ("funded_nhs", "NHS funding personal budget"),
        ("funded_council", "Council funding personal budget"),
        ("funded_both", "Both NHS and council funding personal budget"),
        ("support_before", "Council support before personal budget"),
        ("held_over_1y", "Personal budget held for > 1 year"),
        ("held_over_3y", "Personal budget held for > 3 years"),
        ("knows_amount", "Know amount of personal budget"),
    ),
    3: (
        ("dp_own", "Direct payment paid to own account"),
        ("dp_family", "Direct payment paid to family or friend"),
        ("dp_broker", "Direct payment paid to broker"),
        ("provider_managed", "Provider-managed personal budget"),
        ("council_managed", "NHS/council managed personal budget"),
    ),
    4: (
        ("plan_family", "Family/ friends help me to plan"),
        ("plan_council", "Council helps me to plan"),
        ("plan_nhs", "NHS helps me to plan"),
        ("plan_independent", "Independent person helps me to plan"),
        ("plan_provider", "Provider helps me to plan"),
        ("plan_alone", "Plan without help"),
    ),
    5: (
        ("views_assessment", "Views included when needs assessed"),
        ("views_amount", "Views included when budget amount was set"),
        ("views_plan", "Views included when support plan written"),
        ("process_easy", "Council/NHS made the personal budget process easy"),
    ),
    6: (
        ("spent_care", "Care and support"),
        ("spent_leisure", "Community and leisure"),
        ("spent_pa", "Personal assistants"),
        ("spent_equipment", "Equipment"),
    ),
}
FACTOR_LABELS: dict[str, str] = {key: label for table in TABLES.values() for key, label in table}

# Table 7's predictors: every holder factor, less one reference category in each set of
# answers that are exclusive and (nearly) exhaustive, so the model is identified: council
# funding for the funder, council-managed for the way of holding (the team's choice; the
# report does not say).
TABLE7_REFERENCES = ("funded_council", "council_managed")
TABLE7_FACTORS: tuple[str, ...] = tuple(
    key for table in TABLES.values() for key, _label in table if key not in TABLE7_REFERENCES
)
# Paid work and volunteering were not modelled in the report (too few cases).
TABLE7_OUTCOMES: tuple[str, ...] = tuple(
    k for k, _l in OUTCOMES if k not in ("paid_work", "volunteering")
)

# ---------------------------------------------------------------- carers (Tables 8-12)

# The 8 carer outcomes, in the row order of Tables 8-12 (digest §3.1): key, table label.
# For "Carer stress", "better" means less stress (the form says so).
CARER_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("carer_control", "Carer control over life"),
    ("carer_rel_family_friends", "Carer relationships with family/ friends"),
    ("carer_rel_person", "Carer relationship with person being supported"),
    ("carer_work_volunteer", "Carer opportunities paid work/ volunteering"),
    ("carer_stress", "Carer stress"),
    ("qol_person", "Quality of life: person being supported"),
    ("qol_carer", "Quality of life: carer"),
    ("continue_caring", "Continue caring"),
)

# Carer factor columns by table (digest §3.2-3.5, §4.3), in the report's column order.
# "Caring 24/7" is never defined by the report: here it is the top hours band (51 or more
# a week), the team's choice (docs/evaluation-guide.md). "Views included" is the top
# answer only ("very much"), as for holders.
CARER_TABLES: dict[int, tuple[tuple[str, str], ...]] = {
    8: (
        ("female", "Female gender"),
        ("white", "White"),
        ("older_adult", "Older adult (aged 65 years+)"),
        ("disability", "Self-reported disability"),
        ("fair_bad_health", "Fair/bad/ very bad self-rated health"),
    ),
    9: (
        ("caring_parent", "Caring for parent"),
        ("caring_son_daughter", "Caring for son/ daughter"),
        ("caring_friend", "Caring for friend/ neighbour"),
        ("caring_partner", "Caring for partner/ spouse"),
        ("caring_other", "Caring for other person"),
        ("same_house", "Living in same house as person being supported"),
        ("caring_24_7", "Caring 24/7"),
    ),
    10: TABLES[2],
    11: (
        ("views_person_needs", "Carer views included when person's needs assessed"),
        ("views_carer_needs", "Carer views included when carer's needs assessed"),
        ("views_amount", "Carer views included when budget amount was set"),
        ("views_plan", "Carer views included when support plan written"),
    ),
}
CARER_FACTOR_LABELS: dict[str, str] = {
    key: label for table in CARER_TABLES.values() for key, label in table
}
CARER_TABLE_TITLES: dict[int, str] = {
    8: "Table 8: Carer personal factors and positive impacts on the carer",
    9: "Table 9: Carers' circumstances and positive impacts on the carer",
    10: "Table 10: Aspects of the personal budget and positive impacts on the carer",
    11: "Table 11: Carers' views of the process and positive impacts on the carer",
}
# Table 12's predictors: every carer factor, less one reference in each set of exclusive
# answers (council funding for the funder; caring for a partner or spouse, the commonest,
# for who is cared for), so the model is identified.
TABLE12_REFERENCES = ("funded_council", "caring_partner")
TABLE12_FACTORS: tuple[str, ...] = tuple(
    key for table in CARER_TABLES.values() for key, _label in table if key not in TABLE12_REFERENCES
)
# Paid work/volunteering was not modelled in the report (too few cases).
TABLE12_OUTCOMES: tuple[str, ...] = tuple(
    k for k, _l in CARER_OUTCOMES if k != "carer_work_volunteer"
)


_CONTROLLER: list[ThreadpoolController] = []


def one_blas_thread() -> threadpool_limits:
    """The analysis's matrix products on one BLAS thread. The products are small (tens of
    columns); OpenBLAS's threads, waiting on a core that other work holds, made a Table 7
    fit 50-100 times slower on a busy 2-core machine (decision 0045). The loaded libraries
    are found once (finding them took 6 ms a call, 90 ms of a report)."""
    if not _CONTROLLER:
        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0].limit(limits=1, user_api="blas")


# ---------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class Distribution:
    """One outcome's answers: counts by code and the POET percentages of those for whom it
    was relevant (``relevant`` is the denominator)."""

    counts: dict[int, int]
    relevant: int
    not_relevant: int
    missing: int
    positive: int
    negative: int

    @property
    def positive_percent(self) -> float | None:
        return 100.0 * self.positive / self.relevant if self.relevant else None

    @property
    def negative_percent(self) -> float | None:
        return 100.0 * self.negative / self.relevant if self.relevant else None


def outcome_distribution(values: npt.ArrayLike, *, name: str = "outcome") -> Distribution:
    column = checks.codes(values, name=name, allowed=OUTCOME_CODES)
    counts = np.bincount(column + 1, minlength=len(OUTCOME_CODES))
    by_code = {code: int(counts[code + 1]) for code in OUTCOME_CODES}
    return Distribution(
        counts=by_code,
        relevant=sum(by_code[c] for c in (1, 2, 3, 4, 5)),
        not_relevant=by_code[NOT_RELEVANT],
        missing=by_code[MISSING],
        positive=sum(by_code[c] for c in POSITIVE_CODES),
        negative=sum(by_code[c] for c in NEGATIVE_CODES),
    )


def positive_impact(
    values: npt.ArrayLike, *, name: str = "outcome"
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """(relevant, positive): who rated the outcome (1-5) and who of those rated it 4 or 5."""
    column = checks.codes(values, name=name, allowed=OUTCOME_CODES)
    return column >= 1, column >= 4


# ---------------------------------------------------------------- 2x2 odds ratios


@dataclass(frozen=True)
class OddsRatio:
    """One factor x outcome cell. ``cells`` is (a, b, c, d): with the factor positive / not
    positive, without the factor positive / not positive, as counted (before any
    correction). ``test`` is "chi-square" or "fisher"; ``haldane`` says 0.5 was added to
    every cell because one was zero. ``odds_ratio`` is None when it cannot be estimated
    (nobody with, or nobody without, the factor)."""

    cells: tuple[int, int, int, int]
    odds_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    p: float | None
    test: str
    haldane: bool

    @property
    def n(self) -> int:
        return sum(self.cells)

    @property
    def significant(self) -> bool:
        return self.p is not None and self.p < SIGNIFICANT_AT

    @property
    def direction(self) -> str:
        """ "higher" (OR > 1), "lower" (OR < 1) or "" (1 or not estimable): the report's
        green and red shading, for significant cells."""
        if self.odds_ratio is None or self.odds_ratio == 1:
            return ""
        return "higher" if self.odds_ratio > 1 else "lower"

    def render(self) -> str:
        """The report's cell: two decimals, an asterisk when p < 0.05; a dash when not
        estimable."""
        if self.odds_ratio is None:
            return "–"
        return f"{self.odds_ratio:.2f}" + ("*" if self.significant else "")


def odds_ratio_2x2(a: int, b: int, c: int, d: int) -> OddsRatio:
    """The odds ratio (a·d)/(b·c) of a 2x2 table, its Woolf 95% CI and p (see the module)."""
    for name, value in (("a", a), ("b", b), ("c", c), ("d", d)):
        if int(value) != value or value < 0:
            raise Refused(
                f"The 2x2 cell {name} must be a count (a whole number, 0 or more), not {value}.",
                field=name,
            )
    cells = (int(a), int(b), int(c), int(d))
    if cells[0] + cells[1] == 0 or cells[2] + cells[3] == 0:
        return OddsRatio(cells, None, None, None, None, "none", False)
    p, test = _p_value(*cells)
    haldane = 0 in cells
    fa, fb, fc, fd = (v + 0.5 for v in cells) if haldane else (float(v) for v in cells)
    log_or = math.log(fa) + math.log(fd) - math.log(fb) - math.log(fc)
    se = math.sqrt(1 / fa + 1 / fb + 1 / fc + 1 / fd)
    return OddsRatio(
        cells,
        math.exp(log_or),
        math.exp(log_or - Z_95 * se),
        math.exp(log_or + Z_95 * se),
        p,
        test,
        haldane,
    )


def _p_value(a: int, b: int, c: int, d: int) -> tuple[float | None, str]:
    n = a + b + c + d
    rows = (a + b, c + d)
    cols = (a + c, b + d)
    if 0 in cols:  # nobody (or everybody) had a positive impact: no association to test
        return None, "none"
    expected_min = min(r * k for r in rows for k in cols) / n
    if expected_min < FISHER_BELOW_EXPECTED:
        return float(stats.fisher_exact([[a, b], [c, d]]).pvalue), "fisher"
    chi2 = n * (a * d - b * c) ** 2 / (rows[0] * rows[1] * cols[0] * cols[1])
    return float(stats.chi2.sf(chi2, 1)), "chi-square"


def factor_odds_ratio(
    factor: npt.ArrayLike,
    outcome: npt.ArrayLike,
    *,
    factor_name: str = "factor",
    outcome_name: str = "outcome",
) -> OddsRatio:
    """The odds ratio of a positive impact on ``outcome`` for people with ``factor``
    against people without it, among those who rated the outcome relevant and answered
    the factor."""
    relevant, positive = positive_impact(outcome, name=outcome_name)
    column = checks.codes(
        factor, name=factor_name, allowed=FACTOR_CODES, expected=relevant.shape[0]
    )
    has = relevant & (column == 1)
    has_not = relevant & (column == 0)
    a = int(np.count_nonzero(has & positive))
    c = int(np.count_nonzero(has_not & positive))
    return odds_ratio_2x2(a, int(np.count_nonzero(has)) - a, c, int(np.count_nonzero(has_not)) - c)


@dataclass(frozen=True)
class AssociationTable:
    """Rows are outcomes, columns factors (the POET tables' form); ``cells[outcome][factor]``."""

    title: str
    outcomes: tuple[tuple[str, str], ...]
    factors: tuple[tuple[str, str], ...]
    cells: dict[str, dict[str, OddsRatio]]

    def rows(self) -> list[list[str]]:
        """Header row then one row per outcome, each cell rendered as in the report."""
        out = [["Outcome", *(label for _k, label in self.factors)]]
        for key, label in self.outcomes:
            out.append([label, *(self.cells[key][f].render() for f, _l in self.factors)])
        return out


def association_table(
    factors: Mapping[str, npt.ArrayLike],
    outcomes: Mapping[str, npt.ArrayLike],
    *,
    factor_order: Sequence[tuple[str, str]],
    outcome_order: Sequence[tuple[str, str]] = OUTCOMES,
    title: str = "",
) -> AssociationTable:
    """Every factor x outcome odds ratio. The counts of all cells of one outcome come from
    one matrix product (so 100,000 responses take milliseconds); each cell's OR, CI and p
    are then as odds_ratio_2x2 gives them."""
    outcome_columns = {
        key: checks.codes(outcomes[key], name=key, allowed=OUTCOME_CODES)
        for key, _l in outcome_order
    }
    if not outcome_columns:
        raise Refused(checks.NO_RESPONSES)
    n = next(iter(outcome_columns.values())).shape[0]
    for key, column in outcome_columns.items():
        if column.shape[0] != n:
            raise Refused(
                checks.WRONG_LENGTH.format(name=key, got=column.shape[0], expected=n), field=key
            )
    matrix = np.stack(
        [
            checks.codes(factors[key], name=key, allowed=FACTOR_CODES, expected=n)
            for key, _l in factor_order
        ],
        axis=1,
    )
    has = (matrix == 1).astype(np.float32)
    has_not = (matrix == 0).astype(np.float32)
    cells: dict[str, dict[str, OddsRatio]] = {}
    with one_blas_thread():
        for key, _label in outcome_order:
            cells[key] = _association_row(outcome_columns[key], has, has_not, factor_order)
    return AssociationTable(title, tuple(outcome_order), tuple(factor_order), cells)


def _association_row(
    column: npt.NDArray[np.int16],
    has: npt.NDArray[np.float32],
    has_not: npt.NDArray[np.float32],
    factor_order: Sequence[tuple[str, str]],
) -> dict[str, OddsRatio]:
    # float32 counts are exact below 2**24 (16 million) responses.
    relevant = (column >= 1).astype(np.float32)
    positive = (column >= 4).astype(np.float32)
    with_factor = relevant @ has
    without_factor = relevant @ has_not
    a = positive @ has
    c = positive @ has_not
    row: dict[str, OddsRatio] = {}
    for j, (factor_key, _l) in enumerate(factor_order):
        aj, cj = int(a[j]), int(c[j])
        row[factor_key] = odds_ratio_2x2(
            aj, int(with_factor[j]) - aj, cj, int(without_factor[j]) - cj
        )
    return row


def poet_tables(
    factors: Mapping[str, npt.ArrayLike], outcomes: Mapping[str, npt.ArrayLike]
) -> dict[int, AssociationTable]:
    """The holders' Tables 1-6 over every outcome."""
    return {
        number: association_table(factors, outcomes, factor_order=columns, title=f"Table {number}")
        for number, columns in TABLES.items()
    }


# ---------------------------------------------------------------- regressions


@dataclass(frozen=True)
class Term:
    key: str
    odds_ratio: float
    ci_low: float
    ci_high: float
    p: float


@dataclass(frozen=True)
class Regression:
    """One outcome's logistic regression: positive impact on every factor, entered at once,
    among those who rated it relevant and answered every factor (listwise deletion).
    ``terms`` are all factors in order (the intercept left out); ``skipped`` is the reason
    when it was not modelled (and then the figures are empty)."""

    outcome: str
    n: int
    terms: tuple[Term, ...]
    nagelkerke_r2: float | None
    cox_snell_r2: float | None
    llf: float | None
    llnull: float | None
    skipped: str = ""

    def kept(self, at: float = KEEP_IN_REGRESSION_AT) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.p < at)

    def lines(self, outcome_label: str, labels: Mapping[str, str] = FACTOR_LABELS) -> list[str]:
        """The report's form (digest §4.4): a heading, then each factor with p < 0.01."""
        if self.skipped:
            return [f"Positive impact of budget on {outcome_label}: {self.skipped}"]
        assert self.nagelkerke_r2 is not None
        head = (
            f"Factors associated with positive impact of budget on {outcome_label} "
            f"(n={self.n:,}; Nagelkerke R²={self.nagelkerke_r2:.2f})"
        )
        kept = self.kept()
        if not kept:
            return [head, "No factors associated at p<0.01"]
        return [
            head,
            *(f"{labels.get(t.key, t.key)} {t.odds_ratio:.2f} ({_p_text(t.p)})" for t in kept),
        ]


def _p_text(p: float) -> str:
    return "p<0.001" if p < 0.001 else f"p={p:.3f}"


def nagelkerke_r2(*, llf: float, llnull: float, n: int) -> tuple[float, float]:
    """(Nagelkerke, Cox and Snell) R² from the fitted and null log-likelihoods:
    Cox-Snell = 1 - exp(2(llnull - llf)/n); Nagelkerke = Cox-Snell / (1 - exp(2·llnull/n))."""
    cox_snell = 1.0 - math.exp(2.0 * (llnull - llf) / n)
    maximum = 1.0 - math.exp(2.0 * llnull / n)
    return cox_snell / maximum, cox_snell


def logistic_regression(
    factors: Mapping[str, npt.ArrayLike],
    outcome: npt.ArrayLike,
    *,
    factor_keys: Sequence[str],
    outcome_name: str = "outcome",
    min_events_per_variable: int = MIN_EVENTS_PER_VARIABLE,
) -> Regression:
    """statsmodels' Logit of positive impact on ``factor_keys`` (Tables 7 and 12)."""
    from statsmodels.discrete.discrete_model import Logit
    from statsmodels.tools.sm_exceptions import PerfectSeparationError, PerfectSeparationWarning

    if not factor_keys:
        raise Refused(NO_FACTORS)
    relevant, positive = positive_impact(outcome, name=outcome_name)
    n_all = relevant.shape[0]
    matrix = np.stack(
        [
            checks.codes(factors[k], name=k, allowed=FACTOR_CODES, expected=n_all)
            for k in factor_keys
        ],
        axis=1,
    )
    keep = relevant & np.all(matrix >= 0, axis=1)
    y = positive[keep].astype(np.float64)
    n = int(y.shape[0])
    k = len(factor_keys)
    events = int(min(y.sum(), n - y.sum()))
    need = min_events_per_variable * k
    if events < need:
        return Regression(
            outcome_name,
            n,
            (),
            None,
            None,
            None,
            None,
            TOO_FEW_TO_MODEL.format(events=events, k=k, need=need),
        )
    x = np.empty((n, k + 1), dtype=np.float64)
    x[:, 0] = 1.0
    x[:, 1:] = matrix[keep]
    try:
        with warnings.catch_warnings(), one_blas_thread():
            warnings.simplefilter("error", PerfectSeparationWarning)
            # The rank is checked on the small Gram matrix, not by statsmodels' QR of x.
            if np.linalg.matrix_rank(x.T @ x) < k + 1:
                return Regression(outcome_name, n, (), None, None, None, None, COLLINEAR)
            fitted = Logit(y, x, check_rank=False).fit(disp=0, maxiter=100)
            params = np.asarray(fitted.params)
            ci = np.asarray(fitted.conf_int(alpha=0.05))
            pvalues = np.asarray(fitted.pvalues)
            llf, llnull = float(fitted.llf), float(fitted.llnull)
    except (PerfectSeparationError, PerfectSeparationWarning, np.linalg.LinAlgError):
        return Regression(outcome_name, n, (), None, None, None, None, SEPARATED)
    terms = tuple(
        Term(
            key,
            float(np.exp(params[i + 1])),
            float(np.exp(ci[i + 1, 0])),
            float(np.exp(ci[i + 1, 1])),
            float(pvalues[i + 1]),
        )
        for i, key in enumerate(factor_keys)
    )
    r2, cox_snell = nagelkerke_r2(llf=llf, llnull=llnull, n=n)
    return Regression(outcome_name, n, terms, r2, cox_snell, llf, llnull)


def table7(
    factors: Mapping[str, npt.ArrayLike],
    outcomes: Mapping[str, npt.ArrayLike],
    *,
    factor_keys: Sequence[str] = TABLE7_FACTORS,
    outcome_keys: Sequence[str] = TABLE7_OUTCOMES,
) -> dict[str, Regression]:
    """One regression per modelled holder outcome (Table 7)."""
    return {
        key: logistic_regression(factors, outcomes[key], factor_keys=factor_keys, outcome_name=key)
        for key in outcome_keys
    }


# ---------------------------------------------------------------- the process-easy composite

EASE_CODES = (MISSING, 0, 1, 2, 3)  # 1 easy, 2 neither, 3 difficult, 0 not applicable
EASE_STEPS = 9


def process_easy(ratings: npt.ArrayLike, *, name: str = "process ratings") -> npt.NDArray[np.int8]:
    """The team's own "Council/NHS made the process easy" factor (the report gives no rule,
    digest §4.3): over the steps that applied, easy = +1, neither = 0, difficult = -1; the
    factor is 1 when the mean is above 0, 0 when not, MISSING when no step applied."""
    matrix = checks.codes(ratings, name=name, allowed=EASE_CODES, width=EASE_STEPS)
    applies = matrix >= 1
    score = np.where(matrix == 1, 1, np.where(matrix == 3, -1, 0)).sum(axis=1)
    counted = applies.sum(axis=1)
    out = np.where(score > 0, 1, 0).astype(np.int8)
    out[counted == 0] = MISSING
    return out


def carer_tables(
    factors: Mapping[str, npt.ArrayLike], outcomes: Mapping[str, npt.ArrayLike]
) -> dict[int, AssociationTable]:
    """The carers' Tables 8-11 over the 8 carer outcomes."""
    return {
        number: association_table(
            factors,
            outcomes,
            factor_order=columns,
            outcome_order=CARER_OUTCOMES,
            title=CARER_TABLE_TITLES[number],
        )
        for number, columns in CARER_TABLES.items()
    }


def table12(
    factors: Mapping[str, npt.ArrayLike],
    outcomes: Mapping[str, npt.ArrayLike],
    *,
    factor_keys: Sequence[str] = TABLE12_FACTORS,
    outcome_keys: Sequence[str] = TABLE12_OUTCOMES,
) -> dict[str, Regression]:
    """One regression per modelled carer outcome (Table 12); print each with
    ``lines(label, CARER_FACTOR_LABELS)``."""
    return table7(factors, outcomes, factor_keys=factor_keys, outcome_keys=outcome_keys)
