"""The two IBSEN reports as ``report.Report`` objects: outcomes compared between groups,
and cost-effectiveness (docs/evaluation-guide.md "IBSEN measures and cost-effectiveness").
Pure functions of a Cohort: the page, the CSV, the spreadsheet and the PDF read the same
object. The cost-effectiveness plane and the acceptability curve are scatter and line
charts (``Plane``, ``Curve``, each a ``report.Figure`` of its section), drawn by one SVG
include each on the page and in the PDF, beside the tables holding their figures."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from selfdirect.evaluation import cohort as cohorts
from selfdirect.evaluation import costs, ibsen
from selfdirect.evaluation.report import SUPPRESSED, Cell, Report, Section, Table, bar_chart

SMALL = 5  # a group figure from fewer people is suppressed (decision 0049)
PLACEHOLDER_NOTE = (
    "ASCOT scores use placeholder preference weights, not the published ASCOT weights "
    "(Burge et al. 2006): compare groups with them, but do not quote the scores as ASCOT "
    "scores. A council loads its licensed table to replace them."
)
SYNTHETIC_NOTE = (
    "These figures are from synthetic demonstration data shaped like the IBSEN sample, "
    "not from anyone's answers."
)
SUPPRESSED_NOTE = f"A figure from fewer than {SMALL} people is shown as {SUPPRESSED}."
NOT_RECORDED_NOTE = (
    "IBSEN's models also controlled for "
    + ", ".join(ibsen.NOT_RECORDED)
    + "; Selfdirect does not record these, so the models here leave them out."
)
GHQ_REVERSED = "GHQ-12 (0-12, reverse-signed: higher is better)"
ASCOT_NAME = "ASCOT current score"


@dataclass(frozen=True)
class Measures:
    ghq: ibsen.Ghq12
    ascot: ibsen.AscotScores
    qol: npt.NDArray[np.float64]  # 1-7, higher worse, NaN missing
    control: npt.NDArray[np.float64]  # 0 high needs, 1 low, 2 no needs (higher better)
    health: npt.NDArray[np.float64]  # 1-5, higher worse, NaN missing
    satisfaction: npt.NDArray[np.float64]  # 1-7, higher less satisfied, NaN missing


def measures(cohort: ibsen.Cohort, *, threshold: int = ibsen.GHQ_CASENESS_THRESHOLD) -> Measures:
    qol = cohort.quality_of_life.astype(np.float64)
    qol[qol < 1] = np.nan
    control = cohort.ascot_levels[:, 0].astype(np.float64)
    control[control < 0] = np.nan
    return Measures(
        ghq=ibsen.ghq12(cohort.ghq_items, threshold=threshold),
        ascot=ibsen.ascot(cohort.ascot_levels),
        qol=qol,
        control=2.0 - control,
        health=_scale(cohort.health, cohort.size),
        satisfaction=_scale(cohort.satisfaction, cohort.size),
    )


def _scale(codes: npt.NDArray[np.int16] | None, size: int) -> npt.NDArray[np.float64]:
    """A single-item scale as floats, NaN where not answered (or not asked at all)."""
    if codes is None:
        return np.full(size, np.nan)
    values = codes.astype(np.float64)
    values[values < 1] = np.nan
    return values


def _fig(value: float | None, n: int) -> Cell:
    if value is None:
        return None
    return SUPPRESSED if n < SMALL else value


def _comparison_rows(
    results: Sequence[ibsen.Comparison], groups: Sequence[str]
) -> tuple[tuple[str, ...], tuple[tuple[Cell, ...], ...], tuple[int | None, ...]]:
    headers = ["Measure", "Test"]
    for g in groups:
        headers += [f"{g}: n", f"{g}: mean or %"]
    headers += ["Difference (first - second)", "95% CI low", "95% CI high", "Statistic", "p"]
    places: list[int | None] = [None, None] + [0, 2] * len(groups) + [2, 2, 2, 2, 3]
    rows = []
    for r in results:
        figures = {f.label: f for f in r.groups}
        row: list[Cell] = [r.outcome, r.test if not r.skipped else r.skipped]
        for g in groups:
            f = figures.get(g)
            if f is None:
                row += [0, None]
                continue
            value = f.percent if f.count is not None else f.mean
            row += [f.n if f.n >= SMALL else SUPPRESSED, _fig(value, f.n)]
        small = any(f.n < SMALL for f in r.groups)
        row += [
            SUPPRESSED if small and r.estimate is not None else r.estimate,
            SUPPRESSED if small and r.ci_low is not None else r.ci_low,
            SUPPRESSED if small and r.ci_high is not None else r.ci_high,
            r.statistic,
            r.p,
        ]
        rows.append(tuple(row))
    return tuple(headers), tuple(rows), tuple(places)


def _comparisons(
    cohort: ibsen.Cohort, m: Measures, keep: npt.NDArray[np.bool_]
) -> list[ibsen.Comparison]:
    order = list(cohort.groups)
    group = cohort.group[keep]
    return [
        ibsen.compare_scores(m.ghq.likert[keep], group, name="GHQ-12 Likert (0-36)", order=order),
        ibsen.chi_square(
            m.ghq.case[keep],
            group,
            name=f"GHQ-12 score {m.ghq.threshold} or more (%)",
            order=order,
            answered=m.ghq.complete[keep],
        ),
        ibsen.compare_scores(m.ascot.scores[keep], group, name=ASCOT_NAME, order=order),
        ibsen.chi_square(
            m.control[keep] == 2,
            group,
            name="Control over daily life: no needs (%)",
            order=order,
            answered=~np.isnan(m.control[keep]),
        ),
        ibsen.compare_scores(
            m.qol[keep], group, name="Quality of life (1-7, higher worse)", order=order
        ),
        ibsen.compare_scores(
            m.health[keep], group, name="Self-perceived health (1-5, higher worse)", order=order
        ),
        ibsen.compare_scores(
            m.satisfaction[keep],
            group,
            name="Satisfaction with support (1-7, higher less satisfied)",
            order=order,
        ),
        ibsen.chi_square(
            m.satisfaction[keep] <= 2,
            group,
            name="Extremely or very satisfied with support (%)",
            order=order,
            answered=~np.isnan(m.satisfaction[keep]),
        ),
    ]


def _varying(
    columns: dict[str, npt.NDArray[np.float64]], keys: Sequence[str]
) -> tuple[list[str], list[str]]:
    """The keys whose known values are not all the same, and those left out."""
    kept: list[str] = []
    dropped: list[str] = []
    for key in keys:
        values = columns[key][~np.isnan(columns[key])]
        (kept if values.size and np.unique(values).size > 1 else dropped).append(key)
    return kept, dropped


def _model_table(
    caption: str, pair: tuple[ibsen.Model, ibsen.Model], labels: dict[str, str]
) -> Table:
    everyone, own = pair
    keys = [c.key for c in everyone.coefficients] or [c.key for c in own.coefficients]
    rows: list[tuple[Cell, ...]] = []
    for key in keys:
        row: list[Cell] = [labels.get(key, key)]
        for model in pair:
            c = model.coefficient(key)
            row += (
                [None, None, None, None]
                if c is None
                else [
                    c.estimate,
                    c.ci_low,
                    c.ci_high,
                    c.p,
                ]
            )
        rows.append(tuple(row))
    rows.append(("People in the model", everyone.n, None, None, None, own.n, None, None, None))
    fit = "R²" if everyone.method == ibsen.OLS else "McFadden pseudo-R²"
    rows.append((fit, everyone.r2, None, None, None, own.r2, None, None, None))
    notes = tuple(
        f"{'With' if m.proxies else 'Without'} proxy answers: {m.skipped}"
        for m in pair
        if m.skipped
    )
    return Table(
        caption=f"{caption} ({everyone.method})",
        headers=(
            "Term",
            "Estimate",
            "95% CI low",
            "95% CI high",
            "p",
            "Without proxies: estimate",
            "95% CI low",
            "95% CI high",
            "p",
        ),
        rows=tuple(rows),
        places=(None, 3, 3, 3, 3, 3, 3, 3, 3),
        notes=notes,
    )


def outcomes_report(
    cohort: ibsen.Cohort,
    *,
    grouping_label: str,
    synthetic: bool = False,
    threshold: int = ibsen.GHQ_CASENESS_THRESHOLD,
    left_out: Sequence[str] = (),
    by_user_group: bool = False,
) -> Report:
    """IBSEN outcomes by group (digest §4.3-§4.4): the Table 6.3 measures compared with
    and without proxy answers, and the production functions (OLS; ordered logit for
    control over daily life) on the group plus the covariates."""
    m = measures(cohort, threshold=threshold)
    present = [g for g in cohort.groups if g in set(cohort.group.tolist())]
    everyone = np.ones(cohort.size, dtype=bool)
    own = ~cohort.proxy
    sections: list[Section] = []
    for heading, keep in (("All answers", everyone), ("Without proxy answers", own)):
        headers, rows, places = _comparison_rows(_comparisons(cohort, m, keep), present)
        paragraphs = (
            (
                "Each measure compared between the groups: Welch's t-test for two groups or "
                "one-way ANOVA for more (scores), Pearson's chi-square (shares). The "
                "difference is the first group's mean or % minus the second's."
            ),
        )
        sections.append(
            Section(
                heading=f"Outcomes by group: {heading.lower()}",
                paragraphs=paragraphs if keep is everyone else (),
                tables=(
                    Table(
                        caption=f"IBSEN measures by {grouping_label.lower()}: {heading.lower()}",
                        headers=headers,
                        rows=rows,
                        places=places,
                    ),
                ),
            )
        )
    charts = []
    case_items = []
    ascot_items = []
    for g in present:
        inside = cohort.group == g
        complete = m.ghq.complete & inside
        if int(complete.sum()) >= SMALL:
            case_items.append((g, 100.0 * float(m.ghq.case[complete].mean())))
        scores = m.ascot.scores[inside]
        scores = scores[~np.isnan(scores)]
        if scores.size >= SMALL:
            ascot_items.append((g, float(scores.mean())))
    charts.append(
        bar_chart(
            title=f"GHQ-12 score {threshold} or more by group",
            description="A bar for each group, longer for a larger share at risk of "
            "psychological ill-health; the same figures are in the table above.",
            items=case_items,
        )
    )
    charts.append(
        bar_chart(
            title="Mean ASCOT current score by group",
            description="A bar for each group, longer for a higher score (fewer social care "
            "needs; placeholder weights); the same figures are in the table above.",
            items=ascot_items,
            unit="",
            places=2,
            maximum=4.57,
        )
    )
    sections[0] = Section(
        heading=sections[0].heading,
        paragraphs=sections[0].paragraphs,
        tables=sections[0].tables,
        charts=tuple(charts),
    )
    terms, group_keys = ibsen.group_terms(cohort.group, order=present)
    columns = {**cohort.covariates, **terms}
    covariate_keys = [k for k, _ in ibsen.COVARIATES]
    if by_user_group:
        # The user-group dummies are the group terms.
        covariate_keys = [
            k
            for k in covariate_keys
            if k not in ("physical_disability", "learning_disability", "mental_health")
        ]
    keys, dropped = _varying(columns, [*group_keys, *covariate_keys])
    labels = {**dict(ibsen.COVARIATES), **{k: f"{k[6:]} (against {present[-1]})" for k in terms}}
    ascot = m.ascot.scores
    ghq_better = 12.0 - m.ghq.ghq
    models = (
        ("ASCOT current score", ascot, ibsen.OLS),
        ("GHQ-12 (0-12, reverse-signed: higher is better)", ghq_better, ibsen.OLS),
        ("Quality of life (1-7, higher worse)", m.qol, ibsen.OLS),
        ("Satisfaction with support (1-7, higher less satisfied)", m.satisfaction, ibsen.OLS),
        ("Control over daily life (no, low, high needs)", m.control, ibsen.ORDERED_LOGIT),
    )
    tables = tuple(
        _model_table(
            name,
            ibsen.with_and_without_proxies(
                y, columns, proxy=cohort.proxy, keys=keys, method=method, name=name
            ),
            labels,
        )
        for name, y, method in models
    )
    model_paragraphs = [
        (
            "Each outcome regressed on the group and the covariates IBSEN used that "
            "Selfdirect records (people with any of them unknown are left out). OLS "
            "coefficients are in the outcome's units; the ordered logit's are log-odds "
            "of fewer needs."
        )
    ]
    if dropped:
        model_paragraphs.append(
            "Left out because they are the same for everyone here: "
            + ", ".join(labels.get(k, k) for k in dropped)
            + "."
        )
    sections.append(
        Section(
            heading="Models: group and covariates",
            paragraphs=tuple(model_paragraphs),
            tables=tables,
        )
    )
    notes = [PLACEHOLDER_NOTE] if m.ascot.placeholder else []
    if synthetic:
        notes.insert(0, SYNTHETIC_NOTE)
    notes += [
        f"Groups: {grouping_label.lower()}. {cohort.size:,} people; "
        f"{int(cohort.proxy.sum()):,} answered by a proxy.",
        *left_out,
        NOT_RECORDED_NOTE,
        SUPPRESSED_NOTE,
    ]
    return Report(
        title="IBSEN outcomes by group",
        subtitle=f"Grouped by {grouping_label.lower()}",
        sections=tuple(sections),
        notes=tuple(notes),
        slug="ibsen-outcomes",
    )


# ---------------------------------------------------------------- cost-effectiveness

PLANE_SIZE = 320
PLANE_PAD = 56
LEGEND = 28  # the plane's legend row under its axis label


@dataclass(frozen=True)
class Plane:
    """The cost-effectiveness plane: every replication as a point, x = Δcost (right =
    the first group dearer), y = Δeffect (up = the first group better), the axes through
    0, and the ICER (the point estimate) marked. Coordinates are the SVG's; the page and
    the PDF draw it with ``template``, beside the table ``table``."""

    title: str
    description: str
    slug: str
    points: tuple[tuple[float, float], ...]  # SVG coordinates
    origin: tuple[float, float]
    icer: tuple[float, float]
    # The points as SVG circles, made once with the plane (3,000 a plane: a template loop
    # over them took most of the page's time).
    dots: str
    x_label: str
    y_label: str
    x_ticks: tuple[tuple[float, str], ...]
    y_ticks: tuple[tuple[float, str], ...]
    table: str
    size: int = PLANE_SIZE + 2 * PLANE_PAD
    height: int = PLANE_SIZE + 2 * PLANE_PAD + LEGEND
    template: str = "evaluation/_ibsen_plane.html"


@dataclass(frozen=True)
class Curve:
    """The acceptability curve: the probability A is cost-effective (y, 0-100%) against
    the willingness to pay a week for one point (x), as an SVG path."""

    title: str
    description: str
    slug: str
    path: str
    x_ticks: tuple[tuple[float, str], ...]
    y_ticks: tuple[tuple[float, str], ...]
    x_label: str
    y_label: str
    table: str
    size: int = PLANE_SIZE + 2 * PLANE_PAD
    height: int = PLANE_SIZE + 2 * PLANE_PAD
    template: str = "evaluation/_ibsen_curve.html"


def _span(values: npt.NDArray[np.float64], point: float = 0.0) -> float:
    top = max(float(np.max(np.abs(values))) if values.size else 0.0, abs(point))
    return top * 1.05 if top > 0 else 1.0


def _pounds(pence: float, places: int = 0) -> str:
    """Signed pounds as people write them: -£6.02, £56."""
    sign = "-" if pence < 0 and round(abs(pence) / 100, places) else ""
    return f"{sign}£{abs(pence) / 100:,.{places}f}"


def quadrant_caption(result: costs.CostEffectiveness) -> str:
    return f"{result.effect_name}: replications by quadrant of the plane"


def curve_caption(result: costs.CostEffectiveness) -> str:
    return f"{result.effect_name}: acceptability curve"


def plane(result: costs.CostEffectiveness, *, slug: str) -> Plane:
    point = result.point
    x_span = _span(result.delta_costs, point.delta_cost_pence)
    y_span = _span(result.delta_effects, point.delta_effect)
    half = PLANE_SIZE / 2
    cx = cy = PLANE_PAD + half
    xs = cx + result.delta_costs / x_span * half
    ys = cy - result.delta_effects / y_span * half
    points = tuple(
        (round(x, 1), round(y, 1)) for x, y in zip(xs.tolist(), ys.tolist(), strict=True)
    )
    dots = "".join(f'<circle cx="{x}" cy="{y}" r="1.5"></circle>' for x, y in points)
    icer_at = (
        round(cx + point.delta_cost_pence / x_span * half, 1),
        round(cy - point.delta_effect / y_span * half, 1),
    )
    x_ticks = tuple((cx + f * half, _pounds(f * x_span)) for f in (-1.0, -0.5, 0.0, 0.5, 1.0))
    y_ticks = tuple((cy - f * half, f"{f * y_span:.2f}") for f in (-1.0, -0.5, 0.0, 0.5, 1.0))
    a, b = result.a.label, result.b.label
    shares = result.quadrant_shares
    return Plane(
        title=f"Cost-effectiveness plane: {result.effect_name}",
        description=(
            f"{result.replications:,} bootstrap replications of {a} against {b}, each a dot: "
            f"to the right {a} costs more, upwards it does better; the axes cross at no "
            f"difference. The ICER, the point estimate, is marked at "
            f"{_pounds(point.delta_cost_pence, 2)} a week and {point.delta_effect:,.2f} points. "
            + "; ".join(
                f"{costs.QUADRANTS[q].lower()}: {100 * shares[q]:.1f}%" for q in costs.QUADRANTS
            )
            + ". The same shares are in the table of quadrants."
        ),
        slug=slug,
        points=points,
        origin=(cx, cy),
        icer=icer_at,
        dots=dots,
        x_label=f"Difference in weekly cost ({a} - {b})",
        y_label=f"Difference in {result.effect_name}",
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        table=quadrant_caption(result),
    )


def curve(result: costs.CostEffectiveness, *, slug: str) -> Curve:
    top = max((p.wtp_pence for p in result.ceac), default=1) or 1
    coords = [
        (
            PLANE_PAD + p.wtp_pence / top * PLANE_SIZE,
            PLANE_PAD + (1 - p.probability) * PLANE_SIZE,
        )
        for p in result.ceac
    ]
    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(coords))
    x_ticks = tuple((PLANE_PAD + f * PLANE_SIZE, f"£{f * top / 100:,.0f}") for f in (0.0, 0.5, 1.0))
    y_ticks = tuple((PLANE_PAD + (1 - f) * PLANE_SIZE, f"{100 * f:.0f}%") for f in (0.0, 0.5, 1.0))
    first, last = result.ceac[0], result.ceac[-1]
    return Curve(
        title=f"Cost-effectiveness acceptability curve: {result.effect_name}",
        description=(
            f"The chance that {result.a.label} is cost-effective against {result.b.label} "
            f"for each amount a council would pay a week for one point of "
            f"{result.effect_name}: {100 * first.probability:.1f}% at £0, "
            f"{100 * last.probability:.1f}% at £{last.wtp_pence / 100:,.0f}. The same "
            "figures are in the table of the curve."
        ),
        slug=slug,
        path=path,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        x_label="Willingness to pay a week for one point",
        y_label="Probability cost-effective",
        table=curve_caption(result),
    )


def _interval_row(label: str, interval: costs.Interval, scale: float) -> tuple[Cell, ...]:
    return (
        label,
        interval.mean / scale,
        interval.se / scale,
        interval.normal_low / scale,
        interval.normal_high / scale,
        interval.percentile_low / scale,
        interval.percentile_high / scale,
    )


def _ce_section(result: costs.CostEffectiveness, index: int) -> Section:
    name = result.effect_name
    table79 = Table(
        caption=f"{name}: differences and ICER (Table 7.9 form)",
        headers=(
            "Row",
            "Mean",
            "Bootstrap SE",
            "95% CI low (normal)",
            "95% CI high (normal)",
            "2.5th percentile",
            "97.5th percentile",
        ),
        rows=(
            _interval_row("Difference in weekly cost (£)", result.delta_cost, 100.0),
            _interval_row(f"Difference in {name}", result.delta_effect, 1.0),
            _interval_row("Cost per point of effect (ICER, £ a week)", result.ratio, 100.0),
        ),
        places=(None, 2, 2, 2, 2, 2, 2),
    )
    quadrants = Table(
        caption=quadrant_caption(result),
        headers=("Quadrant", f"What it means for {result.a.label}", "Replications", "Share (%)"),
        rows=tuple(
            (
                q,
                costs.QUADRANTS[q],
                round(result.quadrant_shares[q] * result.replications),
                100.0 * result.quadrant_shares[q],
            )
            for q in costs.QUADRANTS
        ),
        places=(None, None, 0, 1),
    )
    ceac_table = Table(
        caption=curve_caption(result),
        headers=("Willingness to pay a week for one point (£)", "Probability cost-effective (%)"),
        rows=tuple((p.wtp_pence / 100, 100.0 * p.probability) for p in result.ceac),
        places=(2, 1),
    )
    return Section(
        heading=f"Cost-effectiveness: {name}",
        paragraphs=(result.point.words,),
        tables=(table79, quadrants, ceac_table),
        figures=(plane(result, slug=f"plane-{index}"), curve(result, slug=f"curve-{index}")),
    )


def cost_effectiveness_results(
    cohort: ibsen.Cohort,
    *,
    source: str,
    replications: int = costs.REPLICATIONS,
    seed: int = costs.SEED,
) -> list[costs.CostEffectiveness]:
    """Both IBSEN effects (ASCOT; GHQ-12 0-12 reverse-signed) for the cohort's first group
    against its last."""
    m = measures(cohort)
    a, b = cohort.groups[0], cohort.groups[-1]
    return [
        costs.cost_effectiveness(
            cohort.weekly_cost_pence,
            effect,
            cohort.group,
            a=a,
            b=b,
            replications=replications,
            seed=seed,
            source=source,
            effect_name=name,
        )
        for name, effect in ((ASCOT_NAME, m.ascot.scores), (GHQ_REVERSED, 12.0 - m.ghq.ghq))
    ]


def cost_effectiveness_report(
    results: Sequence[costs.CostEffectiveness],
    *,
    source_words: str,
    synthetic: bool = False,
    left_out: Sequence[str] = (),
) -> Report:
    first = results[0]
    arms = Table(
        caption="Weekly cost and effect by group",
        headers=("Group", "People", "Mean weekly cost (£)", *(r.effect_name for r in results)),
        rows=tuple(
            (
                arm.label,
                arm.n if arm.n >= SMALL else SUPPRESSED,
                _fig(arm.mean_cost_pence / 100, arm.n),
                *(_fig((r.a if i == 0 else r.b).mean_effect, arm.n) for r in results),
            )
            for i, arm in enumerate((first.a, first.b))
        ),
        places=(None, 0, 2, *(3 for _ in results)),
        notes=("People with both a cost and the first effect; each effect has its own n.",),
    )
    notes = [
        f"Weekly cost from {source_words}.",
        f"Bootstrap: {first.replications:,} replications, seed {first.seed} (the same seed "
        "gives the same figures).",
        *left_out,
        SUPPRESSED_NOTE,
        PLACEHOLDER_NOTE,
    ]
    if synthetic:
        notes.insert(0, SYNTHETIC_NOTE)
    return Report(
        title="Cost-effectiveness by way of holding",
        subtitle=f"{first.a.label} against {first.b.label}",
        sections=(
            Section(
                heading="Cost and effect by group",
                paragraphs=(
                    "Effects have higher = better: the ASCOT current score, and the GHQ-12 "
                    "0-12 score reverse-signed (12 minus the score), as IBSEN did.",
                ),
                tables=(arms,),
            ),
            *(_ce_section(r, i) for i, r in enumerate(results)),
        ),
        notes=tuple(notes),
        slug="cost-effectiveness",
    )


# The two reports from the records (or the synthetic people), as the pages, their downloads
# and ``manage.py survey_report --survey ibsen|cost-effectiveness`` all build them.

OUTCOMES_TITLE = "IBSEN outcomes by group"
CE_TITLE = "Cost-effectiveness by way of holding"
NO_ANSWERS = (
    "No one has answered the IBSEN questionnaires (GHQ-12, ASCOT, quality of life) yet, "
    "or no one who answered has a support plan or payments to cost."
)
LEDGER_PERIOD_DAYS = 84


def _day(on: dt.date) -> str:
    return f"{on.day} {on:%B %Y}"


def left_out_notes(gathered: cohorts.Gathered) -> list[str]:
    notes = []
    if gathered.anonymous:
        notes.append(
            f"{gathered.anonymous:,} anonymous responses are left out: they cannot be linked "
            "to a plan, a cost or the person's details."
        )
    if gathered.without_cost:
        notes.append(
            f"{gathered.without_cost:,} people who answered are left out: they have no cost "
            "from the chosen source, so no way of holding to group them by."
        )
    return notes


def _empty(title: str, slug: str, notes: list[str], why: str) -> Report:
    return Report(
        title=title,
        sections=(Section(heading="No figures yet", paragraphs=(why,)),),
        notes=tuple(notes),
        slug=slug,
    )


def outcomes_for(*, on: dt.date, grouping: str, synthetic: bool) -> Report:
    """The outcomes page's report: everyone's latest answers with their group on ``on``."""
    if synthetic:
        return _synthetic_outcomes(grouping)
    gathered = cohorts.cohort_from_records(on=on, grouping=grouping)
    return _outcomes_of(gathered, grouping=grouping, synthetic=False)


@functools.lru_cache(maxsize=len(cohorts.GROUPINGS))
def _synthetic_outcomes(grouping: str) -> Report:
    """The demonstration report: the synthetic people are made from a fixed seed, so it is
    worked out once a process (it took about a second a request)."""
    gathered = cohorts.synthetic_cohort(grouping=grouping)
    return _outcomes_of(gathered, grouping=grouping, synthetic=True)


def _outcomes_of(gathered: cohorts.Gathered, *, grouping: str, synthetic: bool) -> Report:
    notes = left_out_notes(gathered)
    if gathered.cohort.size == 0:
        return _empty(OUTCOMES_TITLE, "ibsen-outcomes", notes, NO_ANSWERS)
    return outcomes_report(
        gathered.cohort,
        grouping_label=cohorts.GROUPINGS[grouping],
        synthetic=synthetic,
        left_out=notes,
        by_user_group=grouping == cohorts.USER_GROUP,
    )


def ledger_period(on: dt.date) -> tuple[dt.date, dt.date]:
    """The page's ledger period: the 12 weeks to ``on``."""
    return on - dt.timedelta(days=LEDGER_PERIOD_DAYS - 1), on


def cost_effectiveness_for(
    *,
    on: dt.date,
    source: str,
    synthetic: bool,
    period: tuple[dt.date, dt.date] | None = None,
) -> tuple[Report, list[costs.CostEffectiveness]]:
    """The cost-effectiveness page's report and results: costs from the plans in force
    ``on`` or from the ledger over ``period`` (default ``ledger_period(on)``)."""
    if synthetic:
        return _synthetic_cost_effectiveness()
    if source == costs.LEDGER:
        start, end = period or ledger_period(on)
        gathered = cohorts.cohort_from_records(on=end, source=source, period=(start, end))
        words = (
            f"{costs.SOURCES[source][0].lower()}{costs.SOURCES[source][1:]}, "
            f"{_day(start)} to {_day(end)}"
        )
    else:
        gathered = cohorts.cohort_from_records(on=on, source=source)
        words = f"{costs.SOURCES[source][0].lower()}{costs.SOURCES[source][1:]} ({_day(on)})"
    return _cost_effectiveness_of(gathered, source=source, words=words, synthetic=False)


@functools.lru_cache(maxsize=1)
def _synthetic_cost_effectiveness() -> tuple[Report, list[costs.CostEffectiveness]]:
    """The demonstration report, worked out once a process (fixed seeds throughout)."""
    return _cost_effectiveness_of(
        cohorts.synthetic_cohort(),
        source=costs.PLAN,
        words="synthetic weekly costs",
        synthetic=True,
    )


def _cost_effectiveness_of(
    gathered: cohorts.Gathered, *, source: str, words: str, synthetic: bool
) -> tuple[Report, list[costs.CostEffectiveness]]:
    from selfdirect.refusals import Refused

    notes = left_out_notes(gathered)
    try:
        results = cost_effectiveness_results(gathered.cohort, source=source)
    except Refused as refused:
        why = NO_ANSWERS if gathered.cohort.size == 0 else str(refused)
        return _empty(CE_TITLE, "cost-effectiveness", notes, why), []
    report = cost_effectiveness_report(
        results, source_words=words, synthetic=synthetic, left_out=notes
    )
    return report, results
