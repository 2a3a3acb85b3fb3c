"""Cost-effectiveness between two groups, as IBSEN did it (digest §5.6; decision 0050;
docs/evaluation-guide.md "IBSEN measures and cost-effectiveness").

Weekly cost per person, in whole pence, comes from one of two sources, and every result
says which (``SOURCES``):

- ``plan``: the approved support plan in force on a date, its weekly (recurrent) lines at
  the unit cost in force that day (after any provider switch); one-off lines and payroll,
  account and managed-account fees are left out, as IBSEN left out one-off payments, payroll
  support and direct payment support from the service cost;
- ``ledger``: what the ledger paid into the person's budget accounts over a period (budget
  payments, less their reversals), as a weekly average over the period's days.

The effect is an outcome score with higher = better (ASCOT, or the GHQ-12 0-12 score
reverse-signed). The analysis compares group A (e.g. direct payment) with group B (e.g.
council-arranged): Δcost = mean cost A - mean cost B, Δeffect likewise, and the
incremental cost-effectiveness ratio ICER = Δcost / Δeffect, labelled by the quadrant of
the cost-effectiveness plane it lies in (cheaper and better = A dominates; dearer and
worse = B dominates). Uncertainty is a non-parametric bootstrap (each group resampled with
replacement, 3,000 replications by default, seeded), with bootstrap standard errors and
normal-based 95% intervals as in IBSEN's Table 7.9, and percentile intervals beside them.
The cost-effectiveness acceptability curve gives, for each willingness to pay per unit of
effect λ, the share of replications where A's net benefit λ·Δeffect - Δcost is positive.

Means and ratios are estimates, not amounts of money moved, so they are floats (pence);
the costs they start from are integer pence.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.db.models import Q, Sum

from selfdirect.refusals import Refused

PLAN, LEDGER = "plan", "ledger"
SOURCES: dict[str, str] = {
    PLAN: "The approved support plan in force on the day: its weekly lines at their unit cost "
    "that day (one-off lines and payroll, account and managed-account fees left out)",
    LEDGER: "The ledger: budget payments into the person's budget accounts over the period "
    "(less reversals), as a weekly average",
}
LEFT_OUT_CATEGORIES = frozenset({"account_fees"})
REPLICATIONS = 3000
SEED = 2008
Z_95 = 1.959963984540054
BLOCK = 250  # replications drawn at once: keeps the index array small for big groups

NW, NE, SW, SE = "NW", "NE", "SW", "SE"
QUADRANTS: dict[str, str] = {
    NW: "Cheaper and better",
    NE: "Dearer and better",
    SW: "Cheaper and worse",
    SE: "Dearer and worse",
}

TOO_FEW = "{group} needs at least 2 people with both a cost and an outcome, not {n}."
LENGTHS = "The costs, effects and groups must have one entry per person ({counts})."
BAD_REPLICATIONS = "The number of bootstrap replications must be from 100 to 100,000, not {value}."
NOT_IN_GROUPS = "The groups must include {group}."


@dataclass(frozen=True)
class Arm:
    label: str
    n: int
    mean_cost_pence: float
    mean_effect: float


@dataclass(frozen=True)
class Icer:
    """The point estimate: Δcost (pence a week), Δeffect, the ratio when it is a trade-off
    (None when one group dominates or the effects are equal) and the words for it."""

    delta_cost_pence: float
    delta_effect: float
    ratio_pence: float | None
    quadrant: str
    dominance: str
    words: str


def quadrant(delta_cost: float, delta_effect: float) -> str:
    """Where (Δcost, Δeffect) lies on the plane; on an axis it goes to the side that
    favours neither (no cost difference counts as cheaper, no effect difference as worse)."""
    if delta_effect > 0:
        return NW if delta_cost <= 0 else NE
    return SW if delta_cost <= 0 else SE


def icer(*, delta_cost_pence: float, delta_effect: float, a: str, b: str) -> Icer:
    """The ICER of A against B with its dominance label."""
    where = quadrant(delta_cost_pence, delta_effect)
    pounds = abs(delta_cost_pence) / 100
    if delta_effect == 0:
        if delta_cost_pence < 0:
            dominance, words = (
                f"{a} dominates",
                f"{a} dominates: it costs £{pounds:,.2f} a week less for the same effect.",
            )
        elif delta_cost_pence > 0:
            dominance, words = (
                f"{b} dominates",
                f"{b} dominates: {a} costs £{pounds:,.2f} a week more for the same effect.",
            )
        else:
            dominance, words = "", "No difference in cost or effect."
        return Icer(delta_cost_pence, delta_effect, None, where, dominance, words)
    if delta_cost_pence == 0:
        if delta_effect > 0:
            words = f"{a} dominates: it costs the same and does better."
            return Icer(delta_cost_pence, delta_effect, None, where, f"{a} dominates", words)
        words = f"{b} dominates: {a} costs the same and does worse."
        return Icer(delta_cost_pence, delta_effect, None, where, f"{b} dominates", words)
    if where == NW:
        words = f"{a} dominates: it costs £{pounds:,.2f} a week less and does better."
        return Icer(delta_cost_pence, delta_effect, None, where, f"{a} dominates", words)
    if where == SE:
        words = f"{b} dominates: {a} costs £{pounds:,.2f} a week more and does worse."
        return Icer(delta_cost_pence, delta_effect, None, where, f"{b} dominates", words)
    ratio = delta_cost_pence / delta_effect
    if where == NE:
        words = f"{a} costs £{ratio / 100:,.2f} a week more for each point of effect gained."
    else:
        words = f"{a} saves £{ratio / 100:,.2f} a week for each point of effect lost."
    return Icer(delta_cost_pence, delta_effect, ratio, where, "", words)


@dataclass(frozen=True)
class Interval:
    mean: float
    se: float
    normal_low: float
    normal_high: float
    percentile_low: float
    percentile_high: float


def _interval(point: float, draws: npt.NDArray[np.float64]) -> Interval:
    finite = draws[np.isfinite(draws)]
    se = float(finite.std(ddof=1)) if finite.size > 1 else float("nan")
    low, high = np.percentile(finite, [2.5, 97.5]) if finite.size else (float("nan"), float("nan"))
    return Interval(point, se, point - Z_95 * se, point + Z_95 * se, float(low), float(high))


@dataclass(frozen=True)
class CeacPoint:
    wtp_pence: int  # willingness to pay a week for one point of effect
    probability: float


@dataclass(frozen=True)
class CostEffectiveness:
    """Table 7.9's rows for A against B, the bootstrap draws (for the plane) and the
    acceptability curve."""

    a: Arm
    b: Arm
    point: Icer
    delta_cost: Interval
    delta_effect: Interval
    ratio: Interval
    replications: int
    seed: int
    delta_costs: npt.NDArray[np.float64]
    delta_effects: npt.NDArray[np.float64]
    quadrant_shares: dict[str, float]
    ceac: tuple[CeacPoint, ...]
    source: str
    effect_name: str


def _arrays(
    costs: npt.ArrayLike, effects: npt.ArrayLike, groups: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.str_]]:
    cost = np.asarray(costs, dtype=np.float64)
    effect = np.asarray(effects, dtype=np.float64)
    labels = np.asarray(groups).astype(str)
    if not cost.shape == effect.shape == labels.shape or cost.ndim != 1:
        counts = f"{cost.size} costs, {effect.size} effects, {labels.size} groups"
        raise Refused(LENGTHS.format(counts=counts), field="groups")
    keep = (cost >= 0) & np.isfinite(cost) & np.isfinite(effect)
    return cost[keep], effect[keep], labels[keep]


def _bootstrap_means(
    values: npt.NDArray[np.float64], replications: int, rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    """The mean of each of ``replications`` resamples (with replacement) of the rows of
    ``values`` (n x columns), vectorised in blocks."""
    n = values.shape[0]
    out = np.empty((replications, values.shape[1]), dtype=np.float64)
    for start in range(0, replications, BLOCK):
        stop = min(start + BLOCK, replications)
        index = rng.integers(0, n, size=(stop - start, n))
        out[start:stop] = values[index].mean(axis=1)
    return out


def wtp_grid(max_pence: int, steps: int = 20) -> list[int]:
    """0 to ``max_pence`` in ``steps`` equal whole-pence steps."""
    return [round(max_pence * i / steps) for i in range(steps + 1)]


def ceac(
    delta_costs: npt.NDArray[np.float64],
    delta_effects: npt.NDArray[np.float64],
    wtp_pence: Iterable[int],
) -> tuple[CeacPoint, ...]:
    """The share of replications where λ·Δeffect - Δcost > 0, for each λ."""
    grid = np.asarray(list(wtp_pence), dtype=np.float64)
    benefit = grid[:, None] * delta_effects[None, :] - delta_costs[None, :]
    shares = (benefit > 0).mean(axis=1)
    return tuple(
        CeacPoint(int(w), float(s)) for w, s in zip(grid.tolist(), shares.tolist(), strict=True)
    )


def cost_effectiveness(
    costs_pence: npt.ArrayLike,
    effects: npt.ArrayLike,
    groups: npt.ArrayLike,
    *,
    a: str,
    b: str,
    replications: int = REPLICATIONS,
    seed: int = SEED,
    wtp_pence: Sequence[int] | None = None,
    source: str = PLAN,
    effect_name: str = "effect",
) -> CostEffectiveness:
    """A against B: people with an unknown cost (negative) or effect (NaN) are left out."""
    if (
        isinstance(replications, bool)
        or not isinstance(replications, int)
        or not 100 <= replications <= 100_000
    ):
        raise Refused(BAD_REPLICATIONS.format(value=replications), field="replications")
    cost, effect, labels = _arrays(costs_pence, effects, groups)
    arms, samples = [], []
    for label in (a, b):
        inside = labels == label
        n = int(inside.sum())
        if n < 2:
            raise Refused(TOO_FEW.format(group=label, n=n), field="groups")
        sample = np.column_stack([cost[inside], effect[inside]])
        samples.append(sample)
        arms.append(Arm(label, n, float(sample[:, 0].mean()), float(sample[:, 1].mean())))
    point = icer(
        delta_cost_pence=arms[0].mean_cost_pence - arms[1].mean_cost_pence,
        delta_effect=arms[0].mean_effect - arms[1].mean_effect,
        a=a,
        b=b,
    )
    rng = np.random.default_rng(seed)
    means_a = _bootstrap_means(samples[0], replications, rng)
    means_b = _bootstrap_means(samples[1], replications, rng)
    delta_costs = means_a[:, 0] - means_b[:, 0]
    delta_effects = means_a[:, 1] - means_b[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = delta_costs / delta_effects
    point_ratio = (
        point.delta_cost_pence / point.delta_effect if point.delta_effect else float("nan")
    )
    where = np.where(
        delta_effects > 0,
        np.where(delta_costs <= 0, 0, 1),
        np.where(delta_costs <= 0, 2, 3),
    )
    counts = np.bincount(where, minlength=4)
    shares = {q: float(counts[i]) / replications for i, q in enumerate((NW, NE, SW, SE))}
    if wtp_pence is None:
        wtp_pence = wtp_grid(_default_wtp_max(delta_costs, delta_effects))
    return CostEffectiveness(
        a=arms[0],
        b=arms[1],
        point=point,
        delta_cost=_interval(point.delta_cost_pence, delta_costs),
        delta_effect=_interval(point.delta_effect, delta_effects),
        ratio=_interval(point_ratio, ratios),
        replications=replications,
        seed=seed,
        delta_costs=delta_costs,
        delta_effects=delta_effects,
        quadrant_shares=shares,
        ceac=ceac(delta_costs, delta_effects, wtp_pence),
        source=source,
        effect_name=effect_name,
    )


def _default_wtp_max(
    delta_costs: npt.NDArray[np.float64], delta_effects: npt.NDArray[np.float64]
) -> int:
    """A range for λ wide enough to show the curve level off: the 97.5th percentile of
    |Δcost| / |Δeffect| over the replications, rounded up to a whole £10 (at least £10)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.abs(delta_costs) / np.abs(delta_effects)
    finite = ratios[np.isfinite(ratios)]
    top = float(np.percentile(finite, 97.5)) if finite.size else 0.0
    return max(1000, int(np.ceil(top / 1000.0)) * 1000)


# ---------------------------------------------------------------- weekly costs from records


def plan_weekly_costs(
    person_ids: Iterable[int], *, on: dt.date
) -> dict[int, tuple[int, dict[str, int]]]:
    """person id -> (weekly cost in pence, pence by way of holding) of the approved plan in
    force on ``on`` (the latest version started by then, not ended); people without one
    are absent."""
    from selfdirect.planning.models import LineSwitch, PlanLine, SupportPlan, line_cost_pence

    ids = list(person_ids)
    # The latest approved (or since replaced) version that had started by the day.
    in_force = (SupportPlan.Status.APPROVED, SupportPlan.Status.SUPERSEDED)
    latest: dict[int, int] = {}
    for plan_id, person_id in (
        SupportPlan.objects.filter(person_id__in=ids, status__in=in_force, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .order_by("starts_on", "version", "pk")
        .values_list("pk", "person_id")
    ):
        latest[person_id] = plan_id
    plans = SupportPlan.objects.filter(pk__in=list(latest.values()))
    lines = list(
        PlanLine.objects.filter(plan__in=plans)
        .exclude(unit=PlanLine.Unit.ITEM)
        .exclude(category__in=LEFT_OUT_CATEGORIES)
        .values_list(
            "pk", "plan__person_id", "deployment", "unit_cost_pence", "quantity_hundredths"
        )
    )
    switched: dict[int, tuple[str, int | None]] = {}
    for line_id, to_deployment, to_cost in (
        LineSwitch.objects.filter(
            line_id__in=[row[0] for row in lines], undone_at__isnull=True, effective_date__lte=on
        )
        .order_by("effective_date", "pk")
        .values_list("line_id", "to_deployment", "to_unit_cost_pence")
    ):
        switched[line_id] = (to_deployment, to_cost)
    out: dict[int, tuple[int, dict[str, int]]] = {}
    by_way: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line_id, person_id, deployment, unit_cost, quantity in lines:
        if line_id in switched:
            deployment, to_cost = switched[line_id]
            unit_cost = to_cost if to_cost is not None else unit_cost
        by_way[person_id][deployment] += line_cost_pence(unit_cost, quantity)
    for person_id in plans.values_list("person_id", flat=True):
        ways = dict(by_way.get(person_id, {}))
        out[person_id] = (sum(ways.values()), ways)
    return out


def ledger_weekly_costs(
    person_ids: Iterable[int], *, start: dt.date, end: dt.date
) -> dict[int, tuple[int, dict[str, int]]]:
    """person id -> (weekly average in pence, pence a week by way of holding) of the budget
    payments the ledger posted to the person's budget accounts from ``start`` to ``end``
    (inclusive), less reversals of them; people with no payment are absent."""
    from selfdirect.ledger.models import Account, Posting, Transaction

    days = (end - start).days + 1
    payments = Q(transaction__kind=Transaction.Kind.PAYMENT) | Q(
        transaction__kind=Transaction.Kind.REVERSAL,
        transaction__reverses__kind=Transaction.Kind.PAYMENT,
    )
    rows = (
        Posting.objects.filter(
            payments,
            account__kind=Account.Kind.BUDGET,
            account__person_id__in=list(person_ids),
            effective_date__gte=start,
            effective_date__lte=end,
        )
        .values_list("account__person_id", "account__deployment")
        .annotate(total=Sum("amount_pence"))
    )
    totals: dict[int, dict[str, int]] = defaultdict(dict)
    for person_id, deployment, total in rows:
        totals[person_id][deployment] = int(total)
    out = {}
    for person_id, ways in totals.items():
        weekly = {w: _weekly_average(p, days) for w, p in ways.items()}
        out[person_id] = (_weekly_average(sum(ways.values()), days), weekly)
    return out


def _weekly_average(pence: int, days: int) -> int:
    """pence x 7 / days in whole pence, halves rounded up."""
    return (pence * 7 * 2 + days) // (days * 2)
