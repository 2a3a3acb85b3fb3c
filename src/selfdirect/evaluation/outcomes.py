"""The POET outcomes reports as ``report.Report``s (docs/evaluation-guide.md): the holders'
(who answered, the difference the budget made, how easy each step was, Tables 1-7) and the
carers' (who answered, the difference to the carer, Tables 8-12). Pure: they read the
survey frame's columns (``items``, ``n``, ``answered_by``), never a person.

Small numbers: a count of 1 to 4 people, a percentage of fewer than 5 people or of 1 to 4
people, and an odds ratio comparing a group of fewer than 5 people are shown as
``report.SUPPRESSED`` ("[c]"), and every report says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from selfdirect.evaluation import poet, poet_frame
from selfdirect.evaluation.report import (
    SUPPRESSED,
    Cell,
    Chart,
    Report,
    Section,
    Table,
    bar_chart,
)

MIN_CELL = 5
SUPPRESSION_NOTE = (
    "Figures about 1 to 4 people, percentages of fewer than 5 people, and odds ratios "
    "comparing a group of fewer than 5 people are shown as [c], so no one can be recognised "
    "in published tables."
)
POSITIVE_NOTE = (
    "A positive impact is “made things better” or “made things a lot better”, as a share of "
    "those who answered and did not say the area was not relevant to them (as POET did)."
)
ODDS_NOTE = (
    "Odds ratios: the odds of a positive impact for people with the factor against people "
    "without it; an asterisk marks p < 0.05 (chi-square, or Fisher's exact test for small "
    "groups). Above 1: more likely to report a positive impact."
)
REGRESSION_NOTE = (
    "Each outcome is modelled with every factor at once (logistic regression, complete "
    "answers only); only factors with p < 0.01 are listed, as in the POET report."
)
DERIVED_NOTE = (
    "Factor definitions the POET report does not give are the team's own: views “fully "
    "included” is the answer “very much”; “made the process easy” is the average over the "
    "steps that applied (easy +1, neither 0, difficult -1) above 0; “caring 24/7” is 51 or "
    "more hours a week."
)
CONSENT_NOTE = "Only responses whose senders agreed to their answers being used in reports."

IMPACT_COLUMNS = (
    (5, "A lot better (%)"),
    (4, "Better (%)"),
    (3, "No difference (%)"),
    (2, "Worse (%)"),
    (1, "A lot worse (%)"),
)
EASE_COLUMNS = ((1, "Easy (%)"), (2, "Neither (%)"), (3, "Difficult (%)"))
ANSWERED_BY = (
    ("self", "On their own"),
    ("with_help", "With help from someone else"),
    ("proxy", "By someone else on their behalf"),
)


@dataclass(frozen=True)
class Selection:
    """What the report covers, in words for its subtitle and notes."""

    instrument: str
    period: str = "all responses"
    proxy: str = "proxy answers included"


def count_cell(n: int) -> Cell:
    return SUPPRESSED if 0 < n < MIN_CELL else n


def percent_cell(part: int, whole: int) -> Cell:
    if whole < MIN_CELL or 0 < part < MIN_CELL:
        return SUPPRESSED
    return round(100.0 * part / whole, 1)


def _who_answered(answered_by: Sequence[str], n: int) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for code, label in ANSWERED_BY:
        k = sum(1 for a in answered_by if a == code)
        rows.append((label, count_cell(k), percent_cell(k, n)))
    rows.append(("All responses", count_cell(n), 100.0 if n >= MIN_CELL else SUPPRESSED))
    return Table(
        caption="Who answered",
        headers=("Answered", "Responses (n)", "Share (%)"),
        rows=tuple(rows),
        places=(None, None, 1),
    )


def _distribution_table(
    caption: str,
    outcomes: Mapping[str, npt.NDArray[np.int16]],
    order: Sequence[tuple[str, str]],
) -> tuple[Table, list[tuple[str, float]]]:
    rows: list[tuple[Cell, ...]] = []
    chart: list[tuple[str, float]] = []
    for key, label in order:
        d = poet.outcome_distribution(outcomes[key], name=key)
        positive = percent_cell(d.positive, d.relevant)
        rows.append(
            (
                label,
                count_cell(d.relevant),
                *(percent_cell(d.counts[code], d.relevant) for code, _h in IMPACT_COLUMNS),
                positive,
                percent_cell(d.negative, d.relevant),
                count_cell(d.not_relevant),
                count_cell(d.missing),
            )
        )
        if isinstance(positive, float):
            chart.append((label, positive))
    table = Table(
        caption=caption,
        headers=(
            "Area of life",
            "Rated it (n)",
            *(h for _c, h in IMPACT_COLUMNS),
            "Positive impact (%)",
            "Negative impact (%)",
            "Not relevant (n)",
            "Not answered (n)",
        ),
        rows=tuple(rows),
        places=(None, None, 1, 1, 1, 1, 1, 1, 1, None, None),
    )
    return table, chart


def _ease_table(
    items: Mapping[str, Sequence[Any]], n: int
) -> tuple[Table, list[tuple[str, float]]]:
    rows: list[tuple[Cell, ...]] = []
    chart: list[tuple[str, float]] = []
    for code, label in poet_frame.HOLDER_EASE_ITEMS:
        column = poet_frame.ease(items, code, n)
        applied = int(np.count_nonzero(column >= 1))
        counts = {c: int(np.count_nonzero(column == c)) for c, _h in EASE_COLUMNS}
        difficult = percent_cell(counts[3], applied)
        rows.append(
            (
                label,
                count_cell(applied),
                *(percent_cell(counts[c], applied) for c, _h in EASE_COLUMNS),
                count_cell(int(np.count_nonzero(column == 0))),
                count_cell(int(np.count_nonzero(column == poet.MISSING))),
            )
        )
        if isinstance(difficult, float):
            chart.append((label, difficult))
    table = Table(
        caption="How easy the council or NHS made each step",
        headers=(
            "Step",
            "It applied (n)",
            *(h for _c, h in EASE_COLUMNS),
            "Not applicable (n)",
            "Not answered (n)",
        ),
        rows=tuple(rows),
        places=(None, None, 1, 1, 1, None, None),
    )
    return table, chart


def _odds_cell(cell: poet.OddsRatio) -> Cell:
    a, b, c, d = cell.cells
    if a + b < MIN_CELL or c + d < MIN_CELL:
        return SUPPRESSED
    return cell.render()


def _association_tables(number: int, table: poet.AssociationTable) -> tuple[Table, Table]:
    """The table in the POET report's form (odds ratios to 2 decimals, * for p < 0.05) for
    the page, and every cell's figures (n, odds ratio, interval, p, test) for the downloads."""
    wide: list[tuple[Cell, ...]] = []
    long: list[tuple[Cell, ...]] = []
    for key, label in table.outcomes:
        wide.append((label, *(_odds_cell(table.cells[key][f]) for f, _l in table.factors)))
        for factor, factor_label in table.factors:
            cell = table.cells[key][factor]
            if _odds_cell(cell) == SUPPRESSED:
                long.append((label, factor_label, SUPPRESSED, *([SUPPRESSED] * 7)))
                continue
            long.append(
                (
                    label,
                    factor_label,
                    cell.n,
                    _rounded(cell.odds_ratio, 4),
                    _rounded(cell.ci_low, 4),
                    _rounded(cell.ci_high, 4),
                    _rounded(cell.p, 6),
                    cell.test,
                    "yes" if cell.significant else "no",
                    "yes" if cell.haldane else "no",
                )
            )
    caption = table.title or f"Table {number}"
    return (
        Table(
            caption=caption,
            headers=("Outcome", *(label for _k, label in table.factors)),
            rows=tuple(wide),
        ),
        Table(
            caption=f"{caption.split(':')[0]}: every odds ratio in full",
            headers=(
                "Outcome",
                "Factor",
                "People (n)",
                "Odds ratio",
                "95% CI low",
                "95% CI high",
                "p",
                "Test",
                "Significant (p < 0.05)",
                "Haldane correction",
            ),
            rows=tuple(long),
            places=(None, None, None, 2, 2, 2, 3),
            on_page=False,
        ),
    )


def _rounded(value: float | None, places: int) -> Cell:
    return None if value is None else round(value, places)


def _regression_table(
    caption: str,
    models: Mapping[str, poet.Regression],
    outcome_labels: Mapping[str, str],
    factor_labels: Mapping[str, str],
) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for key, model in models.items():
        label = outcome_labels[key]
        if model.skipped:
            rows.append((label, count_cell(model.n), None, model.skipped, None, None, None, None))
            continue
        r2 = _rounded(model.nagelkerke_r2, 3)
        kept = model.kept()
        if not kept:
            rows.append(
                (label, model.n, r2, "No factors associated at p<0.01", None, None, None, None)
            )
        for term in kept:
            rows.append(
                (
                    label,
                    model.n,
                    r2,
                    factor_labels.get(term.key, term.key),
                    round(term.odds_ratio, 4),
                    round(term.ci_low, 4),
                    round(term.ci_high, 4),
                    round(term.p, 6),
                )
            )
    return Table(
        caption=caption,
        headers=(
            "Outcome",
            "People (n)",
            "Nagelkerke R²",
            "Factor",
            "Corrected odds ratio",
            "95% CI low",
            "95% CI high",
            "p",
        ),
        rows=tuple(rows),
        places=(None, None, 2, None, 2, 2, 2, 3),
    )


def _no_responses(title: str, selection: Selection) -> Report:
    return Report(
        title=title,
        subtitle=f"{selection.instrument}: {selection.period}, {selection.proxy}.",
        notes=(CONSENT_NOTE,),
        sections=(
            Section(
                heading="No responses",
                paragraphs=("There are no responses to report for this choice.",),
            ),
        ),
    )


def _chart(title: str, description: str, items: list[tuple[str, float]]) -> tuple[Chart, ...]:
    if not items:
        return ()
    return (bar_chart(title=title, description=description, items=items, places=1, maximum=100.0),)


HOLDER_TITLE = "Outcomes of personal budgets: budget holders"
CARER_TITLE = "Outcomes of personal budgets: carers"


def holder_report(
    items: Mapping[str, Sequence[Any]],
    n: int,
    answered_by: Sequence[str],
    selection: Selection,
) -> Report:
    """The holders' report from a POET holder frame's columns."""
    if n == 0:
        return _no_responses(HOLDER_TITLE, selection)
    factors, outcomes = poet_frame.holder_columns(items, n)
    impact, impact_chart = _distribution_table(
        "Difference the budget made, by area of life", outcomes, poet.OUTCOMES
    )
    ease, ease_chart = _ease_table(items, n)
    association = poet.poet_tables(factors, outcomes)
    tables: list[Table] = []
    for number, table in association.items():
        titled = poet.AssociationTable(
            f"Table {number}: {HOLDER_TABLE_TITLES[number]}",
            table.outcomes,
            table.factors,
            table.cells,
        )
        tables.extend(_association_tables(number, titled))
    models = poet.table7(factors, outcomes)
    return Report(
        title=HOLDER_TITLE,
        subtitle=f"{selection.instrument}: {selection.period}, {selection.proxy}.",
        slug="outcomes-holders",
        notes=(CONSENT_NOTE, SUPPRESSION_NOTE, POSITIVE_NOTE, DERIVED_NOTE),
        sections=(
            Section(heading="Who answered", tables=(_who_answered(answered_by, n),)),
            Section(
                heading="Difference the budget made",
                paragraphs=(POSITIVE_NOTE,),
                tables=(impact,),
                charts=_chart(
                    "Positive impact by area of life",
                    "A bar for each area of life, longer for a larger share reporting a "
                    "positive impact (0 to 100%); the same figures are in the table below.",
                    impact_chart,
                ),
            ),
            Section(
                heading="How easy each step was",
                paragraphs=(
                    "Shares are of the people for whom the step applied. The nine steps "
                    "together make the factor “Council/NHS made the personal budget process "
                    "easy” used in Tables 5 and 7.",
                ),
                tables=(ease,),
                charts=_chart(
                    "Share finding each step difficult",
                    "A bar for each step, longer for a larger share finding it difficult "
                    "(0 to 100%); the same figures are in the table below.",
                    ease_chart,
                ),
            ),
            Section(
                heading="What goes with a positive impact (Tables 1 to 6)",
                paragraphs=(ODDS_NOTE,),
                tables=tuple(tables),
            ),
            Section(
                heading="Factors taken together (Table 7)",
                paragraphs=(REGRESSION_NOTE,),
                tables=(
                    _regression_table(
                        "Table 7: Factors associated with a positive impact (holders)",
                        models,
                        dict(poet.OUTCOMES),
                        poet.FACTOR_LABELS,
                    ),
                ),
            ),
        ),
    )


HOLDER_TABLE_TITLES = {
    1: "Personal factors and positive impacts",
    2: "Aspects of the personal budget and positive impacts",
    3: "How the budget is held and positive impacts",
    4: "Help to plan and positive impacts",
    5: "Views of the process and positive impacts",
    6: "What the budget is spent on and positive impacts",
}


def carer_report(
    items: Mapping[str, Sequence[Any]],
    n: int,
    answered_by: Sequence[str],
    selection: Selection,
) -> Report:
    """The carers' report from a POET carer frame's columns."""
    if n == 0:
        return _no_responses(CARER_TITLE, selection)
    factors, outcomes = poet_frame.carer_columns(items, n)
    impact, impact_chart = _distribution_table(
        "Difference the budget made to the carer", outcomes, poet.CARER_OUTCOMES
    )
    tables: list[Table] = []
    for number, table in poet.carer_tables(factors, outcomes).items():
        tables.extend(_association_tables(number, table))
    models = poet.table12(factors, outcomes)
    return Report(
        title=CARER_TITLE,
        subtitle=f"{selection.instrument}: {selection.period}, {selection.proxy}.",
        slug="outcomes-carers",
        notes=(CONSENT_NOTE, SUPPRESSION_NOTE, POSITIVE_NOTE, DERIVED_NOTE),
        sections=(
            Section(heading="Who answered", tables=(_who_answered(answered_by, n),)),
            Section(
                heading="Difference the budget made to the carer",
                paragraphs=(
                    POSITIVE_NOTE,
                    "For “Carer stress”, better means less stress.",
                ),
                tables=(impact,),
                charts=_chart(
                    "Positive impact on the carer by area",
                    "A bar for each area, longer for a larger share reporting a positive "
                    "impact (0 to 100%); the same figures are in the table below.",
                    impact_chart,
                ),
            ),
            Section(
                heading="What goes with a positive impact (Tables 8 to 11)",
                paragraphs=(ODDS_NOTE,),
                tables=tuple(tables),
            ),
            Section(
                heading="Factors taken together (Table 12)",
                paragraphs=(REGRESSION_NOTE,),
                tables=(
                    _regression_table(
                        "Table 12: Factors associated with a positive impact on the carer",
                        models,
                        dict(poet.CARER_OUTCOMES),
                        poet.CARER_FACTOR_LABELS,
                    ),
                ),
            ),
        ),
    )
