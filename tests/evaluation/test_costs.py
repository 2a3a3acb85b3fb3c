"""Cost-effectiveness (digest §5.6): the ICER worked by hand, its dominance labels, the
bootstrap reproducible from a seed, and the acceptability curve's properties."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from selfdirect.evaluation import costs, ibsen, synthetic
from selfdirect.refusals import Refused

DP, CA = "Direct payment", "Council-arranged"


def test_icer_worked_by_hand() -> None:
    # Direct payment: costs £1, £2, £3 a week (mean 200p), effects 1, 2, 3 (mean 2).
    # Council-arranged: £0.50, £1.50 (mean 100p), effects 1, 2 (mean 1.5).
    # Δcost = 100p, Δeffect = 0.5, ICER = 200p (£2.00) a week per point gained: dearer
    # and better, a trade-off (NE).
    result = costs.cost_effectiveness(
        [100, 200, 300, 50, 150], [1, 2, 3, 1, 2], [DP, DP, DP, CA, CA], a=DP, b=CA
    )
    assert (result.a.n, result.a.mean_cost_pence, result.a.mean_effect) == (3, 200.0, 2.0)
    assert (result.b.n, result.b.mean_cost_pence, result.b.mean_effect) == (2, 100.0, 1.5)
    point = result.point
    assert (point.delta_cost_pence, point.delta_effect) == (100.0, 0.5)
    assert point.ratio_pence == 200.0 and point.quadrant == costs.NE and point.dominance == ""
    assert point.words == "Direct payment costs £2.00 a week more for each point of effect gained."
    assert result.ratio.mean == 200.0


@pytest.mark.parametrize(
    ("delta_cost", "delta_effect", "quadrant", "dominance", "ratio", "words"),
    [
        (
            -1600.0,
            0.07,
            costs.NW,
            "Direct payment dominates",
            None,
            "Direct payment dominates: it costs £16.00 a week less and does better.",
        ),
        (
            2500.0,
            -0.1,
            costs.SE,
            "Council-arranged dominates",
            None,
            "Council-arranged dominates: Direct payment costs £25.00 a week more and does worse.",
        ),
        (
            -1000.0,
            -0.5,
            costs.SW,
            "",
            2000.0,
            "Direct payment saves £20.00 a week for each point of effect lost.",
        ),
        (
            -500.0,
            0.0,
            costs.SW,
            "Direct payment dominates",
            None,
            "Direct payment dominates: it costs £5.00 a week less for the same effect.",
        ),
        (
            500.0,
            0.0,
            costs.SE,
            "Council-arranged dominates",
            None,
            "Council-arranged dominates: Direct payment costs £5.00 a week more for the same effect.",
        ),
        (0.0, 0.0, costs.SW, "", None, "No difference in cost or effect."),
        (
            0.0,
            0.2,
            costs.NW,
            "Direct payment dominates",
            None,
            "Direct payment dominates: it costs the same and does better.",
        ),
        (
            0.0,
            -0.2,
            costs.SW,
            "Council-arranged dominates",
            None,
            "Council-arranged dominates: Direct payment costs the same and does worse.",
        ),
    ],
)
def test_dominance_is_labelled(
    delta_cost: float,
    delta_effect: float,
    quadrant: str,
    dominance: str,
    ratio: float | None,
    words: str,
) -> None:
    point = costs.icer(delta_cost_pence=delta_cost, delta_effect=delta_effect, a=DP, b=CA)
    assert (point.quadrant, point.dominance, point.ratio_pence, point.words) == (
        quadrant,
        dominance,
        ratio,
        words,
    )


def _cohort_arrays() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cohort = synthetic.generate_cohort(600, seed=9)
    effect = ibsen.ascot(cohort.ascot_levels).scores
    return cohort.weekly_cost_pence, effect, cohort.group


def test_bootstrap_is_reproducible_from_its_seed() -> None:
    cost, effect, group = _cohort_arrays()
    first = costs.cost_effectiveness(cost, effect, group, a=DP, b=CA, seed=42)
    again = costs.cost_effectiveness(cost, effect, group, a=DP, b=CA, seed=42)
    other = costs.cost_effectiveness(cost, effect, group, a=DP, b=CA, seed=43)
    assert first.replications == 3000 and first.delta_costs.shape == (3000,)
    assert np.array_equal(first.delta_costs, again.delta_costs)
    assert np.array_equal(first.delta_effects, again.delta_effects)
    assert first.delta_cost == again.delta_cost and first.ceac == again.ceac
    assert not np.array_equal(first.delta_costs, other.delta_costs)
    assert sum(first.quadrant_shares.values()) == pytest.approx(1.0)


def test_bootstrap_standard_error_is_near_the_formula() -> None:
    cost, effect, group = _cohort_arrays()
    keep = (cost >= 0) & ~np.isnan(effect)
    result = costs.cost_effectiveness(cost, effect, group, a=DP, b=CA)
    a, b = cost[keep & (group == DP)], cost[keep & (group == CA)]
    formula = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    assert result.delta_cost.se == pytest.approx(formula, rel=0.1)
    assert result.delta_cost.mean == pytest.approx(a.mean() - b.mean())
    assert result.delta_cost.normal_low == pytest.approx(
        result.delta_cost.mean - costs.Z_95 * result.delta_cost.se
    )
    assert (
        result.delta_cost.percentile_low
        < result.delta_cost.mean
        < result.delta_cost.percentile_high
    )


def test_acceptability_curve_properties() -> None:
    rng = np.random.default_rng(3)
    delta_costs = rng.normal(500, 2000, 4000)
    delta_effects = rng.normal(0.05, 0.06, 4000)
    grid = costs.wtp_grid(10_000_000, steps=40)
    curve = costs.ceac(delta_costs, delta_effects, grid)
    probabilities = [p.probability for p in curve]
    assert all(0.0 <= p <= 1.0 for p in probabilities)
    # At λ = 0 only cost counts: the share of replications where A is cheaper.
    assert probabilities[0] == pytest.approx(float((delta_costs < 0).mean()))
    # At a very high λ only effect counts: the share where A does better.
    assert probabilities[-1] == pytest.approx(float((delta_effects > 0).mean()), abs=0.005)
    # When A always does better, paying more per point can only make it more acceptable.
    better = np.abs(delta_effects) + 1e-6
    rising = [p.probability for p in costs.ceac(delta_costs, better, grid)]
    assert all(x <= y for x, y in itertools.pairwise(rising))
    # When A always does worse, it can only become less acceptable.
    worse = -better
    falling = [p.probability for p in costs.ceac(delta_costs, worse, grid)]
    assert all(x >= y for x, y in itertools.pairwise(falling))


def test_a_planted_cheaper_and_better_group_lands_mostly_north_west() -> None:
    cohort = synthetic.generate_cohort(4000, seed=1, cost_effect_pence=-6000, ascot_effect=0.2)
    effect = ibsen.ascot(cohort.ascot_levels).scores
    result = costs.cost_effectiveness(
        cohort.weekly_cost_pence, effect, cohort.group, a=DP, b=CA, replications=1000
    )
    assert result.point.quadrant == costs.NW and result.point.dominance == f"{DP} dominates"
    assert result.quadrant_shares[costs.NW] > 0.9
    assert result.ceac[0].probability == pytest.approx(float((result.delta_costs < 0).mean()))


def test_refusals_name_the_field_and_compute_nothing() -> None:
    with pytest.raises(Refused) as refused:
        costs.cost_effectiveness([100, 200, 300], [1, 2, 3], [DP, DP, CA], a=DP, b=CA)
    assert str(refused.value) == (
        "Council-arranged needs at least 2 people with both a cost and an outcome, not 1."
    )
    with pytest.raises(Refused) as refused:
        costs.cost_effectiveness([100, -1, 300, 4], [1, 2, 3, 4], [DP, DP, CA, CA], a=DP, b=CA)
    assert "Direct payment needs at least 2 people" in str(refused.value)
    with pytest.raises(Refused) as refused:
        costs.cost_effectiveness([1, 2], [1, 2], [DP, CA], a=DP, b=CA, replications=50)
    assert str(refused.value) == costs.BAD_REPLICATIONS.format(value=50)
    assert refused.value.field == "replications"
    with pytest.raises(Refused) as refused:
        costs.cost_effectiveness([1, 2], [1], [DP, CA], a=DP, b=CA)
    assert refused.value.field == "groups"
