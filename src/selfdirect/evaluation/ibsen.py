"""IBSEN outcome scores over plain numpy arrays (digest §4.2; docs/evaluation-guide.md).

GHQ-12: twelve items, each answered 0-3 (0 "less than usual" / "better than usual" ... 3
"much more than usual"), ``MISSING`` (-1) when not answered. Two scorings: Likert (the
codes summed, 0-36) and GHQ (an item counts 1 when answered 2 or 3, so 0-12), with
"caseness" at a configurable threshold (default 4: at risk of psychological ill-health).
A score is missing (NaN) when any item is, as in the IBSEN report.

ASCOT: seven domains, each at level 0 (no needs), 1 (low needs) or 2 (high needs),
``MISSING`` when not answered; the score is the sum of the preference weights of the
levels, higher = better. The real weights (Burge et al. 2006) are not in the IBSEN report,
so PLACEHOLDER_WEIGHTS is a made-up table with the right range (0 to 4.57) and marked as
a placeholder: every result computed with it says so (``AscotScores.placeholder``), and a
report must say so too. Give the council's licensed table as ``AscotWeights``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from scipy import stats

from selfdirect.evaluation import checks
from selfdirect.evaluation.poet import one_blas_thread
from selfdirect.refusals import Refused

MISSING = -1
GHQ12_ITEMS = 12
GHQ12_CODES = (MISSING, 0, 1, 2, 3)
GHQ_CASENESS_THRESHOLD = 4

ASCOT_DOMAINS: tuple[tuple[str, str], ...] = (
    ("control", "Control over daily life"),
    ("safety", "Personal safety"),
    ("personal_care", "Personal care and comfort"),
    ("accommodation", "Accommodation cleanliness and comfort"),
    ("food", "Meals, food and nutrition"),
    ("social", "Social participation and involvement"),
    ("occupation", "Occupation"),
)
ASCOT_LEVELS = (MISSING, 0, 1, 2)  # no needs, low needs, high needs

BAD_THRESHOLD = "The caseness threshold must be a whole number from 1 to 12, not {value}."
WEIGHTS_INCOMPLETE = "The ASCOT weights table needs three weights for {domain} (no, low and high needs), not {count}."


@dataclass(frozen=True)
class Ghq12:
    likert: npt.NDArray[np.float64]  # 0-36, NaN when any item is missing
    ghq: npt.NDArray[np.float64]  # 0-12, NaN when any item is missing
    case: npt.NDArray[np.bool_]  # ghq >= threshold (False where missing: see ``complete``)
    complete: npt.NDArray[np.bool_]
    threshold: int

    @property
    def caseness_percent(self) -> float | None:
        """% of complete answers at or above the threshold."""
        answered = int(self.complete.sum())
        return 100.0 * int(self.case.sum()) / answered if answered else None


def ghq12(items: npt.ArrayLike, *, threshold: int = GHQ_CASENESS_THRESHOLD) -> Ghq12:
    """Both GHQ-12 scorings of an (n responses x 12 items) array."""
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int)
        or not 1 <= threshold <= GHQ12_ITEMS
    ):
        raise Refused(BAD_THRESHOLD.format(value=threshold), field="threshold")
    matrix = checks.codes(items, name="GHQ-12 answers", allowed=GHQ12_CODES, width=GHQ12_ITEMS)
    complete = np.all(matrix >= 0, axis=1)
    likert = matrix.sum(axis=1).astype(np.float64)
    ghq = (matrix >= 2).sum(axis=1).astype(np.float64)
    likert[~complete] = np.nan
    ghq[~complete] = np.nan
    case = complete & (np.nan_to_num(ghq, nan=0.0) >= threshold)
    return Ghq12(likert, ghq, case, complete, threshold)


@dataclass(frozen=True)
class AscotWeights:
    """Preference weight (a decimal number) of each domain at each level (0, 1, 2)."""

    name: str
    weights: Mapping[str, tuple[float, float, float]]
    placeholder: bool = False

    def matrix(self) -> npt.NDArray[np.float64]:
        rows = []
        for domain, _label in ASCOT_DOMAINS:
            levels = self.weights.get(domain)
            if levels is None or len(levels) != 3:
                count = 0 if levels is None else len(levels)
                raise Refused(
                    WEIGHTS_INCOMPLETE.format(domain=domain, count=count), field="weights"
                )
            rows.append([float(v) for v in levels])
        return np.asarray(rows, dtype=np.float64)


# PLACEHOLDER, not the published ASCOT weights: invented so that no needs in every domain
# scores 4.57 (the IBSEN report's maximum) and high needs 0. Do not report results from it
# as ASCOT scores without saying so.
PLACEHOLDER_WEIGHTS = AscotWeights(
    name="Placeholder weights (not the published ASCOT preference weights)",
    weights={
        "control": (0.70, 0.35, 0.0),
        "safety": (0.68, 0.34, 0.0),
        "personal_care": (0.66, 0.33, 0.0),
        "accommodation": (0.60, 0.30, 0.0),
        "food": (0.63, 0.31, 0.0),
        "social": (0.65, 0.33, 0.0),
        "occupation": (0.65, 0.32, 0.0),
    },
    placeholder=True,
)


@dataclass(frozen=True)
class AscotScores:
    scores: npt.NDArray[np.float64]  # NaN when any domain is missing
    weights_name: str
    placeholder: bool


def ascot(levels: npt.ArrayLike, *, weights: AscotWeights = PLACEHOLDER_WEIGHTS) -> AscotScores:
    """ASCOT scores of an (n responses x 7 domains, in ASCOT_DOMAINS order) array of levels."""
    table = weights.matrix()
    matrix = checks.codes(
        levels, name="ASCOT levels", allowed=ASCOT_LEVELS, width=len(ASCOT_DOMAINS)
    )
    complete = np.all(matrix >= 0, axis=1)
    picked = table[np.arange(len(ASCOT_DOMAINS)), np.clip(matrix, 0, 2)]
    scores = picked.sum(axis=1)
    scores[~complete] = np.nan
    return AscotScores(scores, weights.name, weights.placeholder)


# ---------------------------------------------------------------- group comparisons
# Digest §4.3: chi-square for two categorical variables (e.g. GHQ caseness by group), a
# t-test for a score between two groups and one-way ANOVA across more; then OLS and an
# ordered logit of an outcome on the group plus the covariates, each run with and without
# proxy answers (the IBSEN results changed when proxies were left out). scipy and
# statsmodels do the arithmetic (decision 0050); these functions choose the test, drop the
# missing answers and return plain dataclasses.

Z_95 = 1.959963984540054
MIN_PER_GROUP = 2
TOO_FEW_IN_GROUPS = "Not compared: every group needs at least {need} answers ({counts})."
ONE_GROUP = "Not compared: the answers are all in one group."
GROUPS_WRONG_LENGTH = "The groups have {got} entries but there are {expected} answers."
TOO_FEW_TO_FIT = "Not modelled: {n} complete answers for {k} terms (at least {need} needed)."
NOT_IDENTIFIED = (
    "Not modelled: some terms are combinations of others (for example a covariate that is "
    "the same for everyone), so their effects cannot be separated."
)
ONE_LEVEL = "Not modelled: every answer is at the same level."
MIN_PER_TERM = 5
PROXY_KEY = "proxy"

# The IBSEN production functions' controls (digest §4.3) that Selfdirect records, in the
# order the report lists them. Not recorded, so not used: ADL ability, declined the budget
# and lives with a partner. Cognitive impairment is "dementia recorded" on the person.
# User groups enter as dummies against older people.
COVARIATES: tuple[tuple[str, str], ...] = (
    (PROXY_KEY, "Answered by a proxy"),
    ("plan_not_agreed", "Support plan not yet agreed"),
    ("weekly_cost", "Weekly cost of support (£)"),
    ("weekly_cost_sq", "Weekly cost squared (£²)"),
    ("cognitive_impairment", "Cognitive impairment (dementia recorded)"),
    ("physical_disability", "Physical disability (against older people)"),
    ("learning_disability", "Learning disability (against older people)"),
    ("mental_health", "Mental health (against older people)"),
    ("employed", "In paid work"),
    ("age", "Age (years)"),
    ("age_sq", "Age squared"),
    ("informal_carer", "Has an unpaid carer"),
    ("white", "White ethnic group"),
)
NOT_RECORDED = ("ADL ability", "declined the budget", "lives with a partner")


@dataclass(frozen=True)
class GroupFigures:
    """One group's figures: n answers, and the mean and SD of a score or the count and %
    of a yes/no outcome (``count`` None for a score)."""

    label: str
    n: int
    mean: float | None = None
    sd: float | None = None
    count: int | None = None
    percent: float | None = None


@dataclass(frozen=True)
class Comparison:
    """A test between groups. ``estimate`` (with its 95% CI) is the first group's mean or %
    minus the second's when there are exactly two groups, else None. ``df`` is the degrees
    of freedom (ANOVA: between, within). ``skipped`` says why nothing was tested."""

    outcome: str
    test: str
    groups: tuple[GroupFigures, ...]
    n: int
    statistic: float | None = None
    df: tuple[float, ...] = ()
    p: float | None = None
    estimate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    skipped: str = ""

    @property
    def significant(self) -> bool:
        return self.p is not None and self.p < 0.05


def _labels(groups: npt.ArrayLike, expected: int) -> npt.NDArray[np.str_]:
    labels = np.asarray(groups).astype(str)
    if labels.ndim != 1 or labels.shape[0] != expected:
        raise Refused(
            GROUPS_WRONG_LENGTH.format(got=labels.size, expected=expected), field="groups"
        )
    return labels


def _order(labels: npt.NDArray[np.str_], order: Sequence[str] | None) -> list[str]:
    present = list(dict.fromkeys(labels.tolist()))
    if order is None:
        return sorted(present)
    return [g for g in order if g in present] + sorted(set(present) - set(order))


def chi_square(
    outcome: npt.ArrayLike,
    groups: npt.ArrayLike,
    *,
    name: str = "outcome",
    order: Sequence[str] | None = None,
    answered: npt.ArrayLike | None = None,
) -> Comparison:
    """Pearson's chi-square (no continuity correction) of a yes/no outcome by group.
    ``answered`` (default: every row) marks the rows whose outcome is known."""
    yes = np.asarray(outcome).astype(bool)
    labels = _labels(groups, yes.shape[0])
    keep = np.ones(yes.shape[0], bool) if answered is None else np.asarray(answered, bool)
    yes, labels = yes[keep], labels[keep]
    names = _order(labels, order)
    figures, cells = [], []
    for g in names:
        inside = labels == g
        n, count = int(inside.sum()), int(yes[inside].sum())
        figures.append(GroupFigures(g, n, count=count, percent=100.0 * count / n))
        cells.append((count, n))
    base = Comparison(name, "Chi-square", tuple(figures), int(keep.sum()))
    if len(names) < 2:
        return replace(base, skipped=ONE_GROUP)
    if any(f.n < MIN_PER_GROUP for f in figures):
        return replace(base, skipped=_too_few(figures))
    table = np.array([[count, n - count] for count, n in cells], dtype=np.float64)
    if np.any(table.sum(axis=0) == 0):
        return replace(base, skipped=ONE_LEVEL)
    result = stats.chi2_contingency(table, correction=False)
    estimate = low = high = None
    if len(figures) == 2:
        (c1, n1), (c2, n2) = cells
        p1, p2 = c1 / n1, c2 / n2
        se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
        estimate = 100.0 * (p1 - p2)
        low, high = estimate - 100.0 * Z_95 * se, estimate + 100.0 * Z_95 * se
    return replace(
        base,
        statistic=float(result.statistic),
        df=(float(result.dof),),
        p=float(result.pvalue),
        estimate=estimate,
        ci_low=low,
        ci_high=high,
    )


def compare_scores(
    scores: npt.ArrayLike,
    groups: npt.ArrayLike,
    *,
    name: str = "score",
    order: Sequence[str] | None = None,
) -> Comparison:
    """Welch's t-test between two groups, one-way ANOVA across three or more, of a score
    (NaN = missing, left out)."""
    values = np.asarray(scores, dtype=np.float64)
    labels = _labels(groups, values.shape[0])
    keep = ~np.isnan(values)
    values, labels = values[keep], labels[keep]
    names = _order(labels, order)
    samples = [values[labels == g] for g in names]
    figures = tuple(
        GroupFigures(
            g,
            int(s.size),
            mean=float(s.mean()) if s.size else None,
            sd=float(s.std(ddof=1)) if s.size > 1 else None,
        )
        for g, s in zip(names, samples, strict=True)
    )
    test = "t-test (Welch)" if len(names) == 2 else "One-way ANOVA"
    base = Comparison(name, test, figures, int(values.size))
    if len(names) < 2:
        return replace(base, skipped=ONE_GROUP)
    if any(f.n < MIN_PER_GROUP for f in figures):
        return replace(base, skipped=_too_few(figures))
    if len(names) == 2:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # identical answers: p is NaN
            t = stats.ttest_ind(samples[0], samples[1], equal_var=False)
            ci = t.confidence_interval(0.95)
        return replace(
            base,
            statistic=float(t.statistic),
            df=(float(t.df),),
            p=float(t.pvalue),
            estimate=float(samples[0].mean() - samples[1].mean()),
            ci_low=float(ci.low),
            ci_high=float(ci.high),
        )
    f = stats.f_oneway(*samples)
    k, n = len(samples), int(values.size)
    return replace(base, statistic=float(f.statistic), df=(k - 1.0, n - k * 1.0), p=float(f.pvalue))


def _too_few(figures: Sequence[GroupFigures]) -> str:
    counts = ", ".join(f"{f.label} {f.n}" for f in figures)
    return TOO_FEW_IN_GROUPS.format(need=MIN_PER_GROUP, counts=counts)


@dataclass(frozen=True)
class Coefficient:
    key: str
    estimate: float
    ci_low: float
    ci_high: float
    p: float


@dataclass(frozen=True)
class Model:
    """One regression of ``outcome`` on ``terms`` (listwise deletion): OLS (``r2`` is R²)
    or ordered logit (``r2`` is McFadden's pseudo-R², coefficients on the log-odds scale,
    the cut points left out). ``proxies`` says whether proxy answers were in."""

    outcome: str
    method: str
    proxies: bool
    n: int
    coefficients: tuple[Coefficient, ...] = ()
    r2: float | None = None
    skipped: str = ""

    def coefficient(self, key: str) -> Coefficient | None:
        return next((c for c in self.coefficients if c.key == key), None)


OLS = "OLS"
ORDERED_LOGIT = "Ordered logit"


def _design(
    outcome: npt.ArrayLike, covariates: Mapping[str, npt.ArrayLike], keys: Sequence[str]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    y = np.asarray(outcome, dtype=np.float64)
    columns = []
    for key in keys:
        column = np.asarray(covariates[key], dtype=np.float64)
        if column.shape != y.shape:
            raise Refused(GROUPS_WRONG_LENGTH.format(got=column.size, expected=y.size), field=key)
        columns.append(column)
    x = np.stack(columns, axis=1) if columns else np.empty((y.size, 0))
    keep = ~np.isnan(y) & ~np.any(np.isnan(x), axis=1)
    return y[keep], x[keep]


def regression(
    outcome: npt.ArrayLike,
    covariates: Mapping[str, npt.ArrayLike],
    *,
    keys: Sequence[str],
    method: str = OLS,
    name: str = "outcome",
    proxies: bool = True,
) -> Model:
    """statsmodels' OLS (with a constant) or OrderedModel (logit link, no constant: the cut
    points take its place) of ``outcome`` on the ``keys`` columns of ``covariates``. NaN in
    the outcome or any covariate leaves the row out."""
    from statsmodels.miscmodels.ordinal_model import OrderedModel
    from statsmodels.regression.linear_model import OLS as StatsOLS

    y, x = _design(outcome, covariates, keys)
    n, k = int(y.size), len(keys)
    base = Model(name, method, proxies, n)
    need = MIN_PER_TERM * (k + 1)
    if n < need:
        return replace(base, skipped=TOO_FEW_TO_FIT.format(n=n, k=k + 1, need=need))
    if np.unique(y).size < 2:
        return replace(base, skipped=ONE_LEVEL)
    with warnings.catch_warnings(), one_blas_thread():
        warnings.simplefilter("ignore")
        if method == OLS:
            design = np.column_stack([np.ones(n), x])
            if np.linalg.matrix_rank(design) < k + 1:
                return replace(base, skipped=NOT_IDENTIFIED)
            fitted = StatsOLS(y, design).fit()
            offset, r2 = 1, float(fitted.rsquared)
        else:
            if k and (np.linalg.matrix_rank(np.column_stack([np.ones(n), x])) < k + 1):
                return replace(base, skipped=NOT_IDENTIFIED)
            levels = np.unique(y)
            codes = np.searchsorted(levels, y)
            # Each column divided by its spread for the fit (BFGS on numerical gradients
            # crawls when age² and cost² sit beside 0/1 terms), the slopes and their
            # intervals divided back: the same model, p-values unchanged.
            scale = np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0) if k else np.ones(0)
            fitted = OrderedModel(codes, x / scale, distr="logit").fit(
                method="bfgs", disp=False, maxiter=500, gtol=1e-8
            )
            offset = 0
            null = float(_ordered_null_llf(codes))
            r2 = 1.0 - float(fitted.llf) / null
        params = np.asarray(fitted.params)
        ci = np.asarray(fitted.conf_int(alpha=0.05))
        pvalues = np.asarray(fitted.pvalues)
        if method != OLS:
            params[:k] = params[:k] / scale
            ci[:k] = ci[:k] / scale[:, None]
    coefficients = tuple(
        Coefficient(
            key,
            float(params[i + offset]),
            float(ci[i + offset, 0]),
            float(ci[i + offset, 1]),
            float(pvalues[i + offset]),
        )
        for i, key in enumerate(keys)
    )
    return replace(base, coefficients=coefficients, r2=r2)


def _ordered_null_llf(codes: npt.NDArray[np.intp]) -> float:
    """The log-likelihood with cut points only: each level at its share."""
    counts = np.bincount(codes)
    counts = counts[counts > 0]
    return float((counts * np.log(counts / counts.sum())).sum())


def with_and_without_proxies(
    outcome: npt.ArrayLike,
    covariates: Mapping[str, npt.ArrayLike],
    *,
    proxy: npt.ArrayLike,
    keys: Sequence[str],
    method: str = OLS,
    name: str = "outcome",
) -> tuple[Model, Model]:
    """The model on every answer, then on the answers not given by a proxy (the proxy
    covariate, if among ``keys``, is dropped from the second: it is 0 for everyone)."""
    by_proxy = np.asarray(proxy, dtype=bool)
    y = np.asarray(outcome, dtype=np.float64)
    everyone = regression(y, covariates, keys=keys, method=method, name=name, proxies=True)
    own = {k: np.asarray(v, dtype=np.float64)[~by_proxy] for k, v in covariates.items()}
    own_keys = [k for k in keys if k != PROXY_KEY]
    without = regression(y[~by_proxy], own, keys=own_keys, method=method, name=name, proxies=False)
    return everyone, without


def group_terms(
    groups: npt.ArrayLike, *, order: Sequence[str]
) -> tuple[dict[str, npt.NDArray[np.float64]], list[str]]:
    """0/1 columns for every group but the last in ``order`` (the reference), keyed
    ``group:<label>``, and their keys in order."""
    labels = np.asarray(groups).astype(str)
    columns = {f"group:{g}": (labels == g).astype(np.float64) for g in order[:-1]}
    return columns, list(columns)


# ---------------------------------------------------------------- the people compared

QOL_CODES = (MISSING, 1, 2, 3, 4, 5, 6, 7)  # 1 "so good, it could not be better" ... 7


@dataclass(frozen=True)
class Cohort:
    """One row per person, every column the same length: the group each is in (e.g. way
    of holding), their GHQ-12 items (n x 12), ASCOT current levels (n x 7, ASCOT_DOMAINS
    order), quality of life (1-7, higher worse, MISSING), the covariates by COVARIATES key
    (NaN when unknown; ``proxy`` 1 when a proxy answered), the weekly cost in pence
    (-1 when unknown), and self-perceived health and satisfaction when asked."""

    group: npt.NDArray[np.str_]
    ghq_items: npt.NDArray[np.int16]
    ascot_levels: npt.NDArray[np.int16]
    quality_of_life: npt.NDArray[np.int16]
    covariates: dict[str, npt.NDArray[np.float64]]
    weekly_cost_pence: npt.NDArray[np.int64]
    groups: tuple[str, ...]  # the order to show them in; the last is the reference
    # Self-perceived health (1 very good ... 5 very bad) and satisfaction with support
    # (1 extremely satisfied ... 7 extremely dissatisfied), MISSING when not answered.
    health: npt.NDArray[np.int16] | None = None
    satisfaction: npt.NDArray[np.int16] | None = None

    @property
    def size(self) -> int:
        return int(self.group.shape[0])

    @property
    def proxy(self) -> npt.NDArray[np.bool_]:
        return np.asarray(self.covariates[PROXY_KEY] == 1.0)


def covariates_from(
    *,
    proxy: npt.ArrayLike,
    plan_not_agreed: npt.ArrayLike,
    weekly_cost_pence: npt.ArrayLike,
    dementia: npt.ArrayLike,
    user_group: npt.ArrayLike,
    employed: npt.ArrayLike,
    age: npt.ArrayLike,
    informal_carer: npt.ArrayLike,
    white: npt.ArrayLike,
) -> dict[str, npt.NDArray[np.float64]]:
    """The COVARIATES columns from what is recorded (yes/no columns as 1/0, NaN unknown;
    ``user_group`` as the people app's codes; cost -1 when unknown)."""
    cost = np.asarray(weekly_cost_pence, dtype=np.float64) / 100.0
    cost[cost < 0] = np.nan
    years = np.asarray(age, dtype=np.float64)
    groups = np.asarray(user_group).astype(str)
    known = np.isin(
        groups, ["older_people", "physical_disability", "learning_disability", "mental_health"]
    )

    def dummy(code: str) -> npt.NDArray[np.float64]:
        column: npt.NDArray[np.float64] = (groups == code).astype(np.float64)
        column[~known] = np.nan
        return column

    return {
        PROXY_KEY: np.asarray(proxy, dtype=np.float64),
        "plan_not_agreed": np.asarray(plan_not_agreed, dtype=np.float64),
        "weekly_cost": cost,
        "weekly_cost_sq": cost**2,
        "cognitive_impairment": np.asarray(dementia, dtype=np.float64),
        "physical_disability": dummy("physical_disability"),
        "learning_disability": dummy("learning_disability"),
        "mental_health": dummy("mental_health"),
        "employed": np.asarray(employed, dtype=np.float64),
        "age": years,
        "age_sq": years**2,
        "informal_carer": np.asarray(informal_carer, dtype=np.float64),
        "white": np.asarray(white, dtype=np.float64),
    }
