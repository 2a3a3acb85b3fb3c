"""The RAS engine: the vectorised engine equals a plain reference; money properties hold."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfdirect.allocation.engine import (
    CarerAdjustment,
    Engine,
    HoursBand,
    Inputs,
    RasDefinition,
    SectionPoints,
    Uplift,
    explanation,
)
from selfdirect.allocation.ras_file import ras_parse
from tests.allocation.reference import allocate_one

DEFAULT = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "selfdirect"
    / "allocation"
    / "definitions"
    / "default-ras.json"
)
GROUPS = ("older_people", "physical_disability", "learning_disability", "mental_health")


def default_ras() -> RasDefinition:
    return ras_parse(json.loads(DEFAULT.read_text()))


RAS = default_ras()
ENGINE = Engine(RAS)


@st.composite
def people(
    draw: st.DrawFn, ras: RasDefinition = RAS, max_size: int = 30
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    n = draw(st.integers(min_value=1, max_value=max_size))
    options = np.array(
        [[draw(st.integers(0, len(s.option_ids) - 1)) for s in ras.sections] for _ in range(n)],
        dtype=np.int8,
    )
    groups = np.array([draw(st.integers(0, len(GROUPS) - 1)) for _ in range(n)], dtype=np.int16)
    flags = {f: np.array([draw(st.booleans()) for _ in range(n)]) for f in ("rural", "agency")}
    return options, groups, flags


def _inputs(options: np.ndarray, groups: np.ndarray, flags: dict[str, np.ndarray]) -> Inputs:
    return Inputs(options=options, group_index=groups, groups=GROUPS, flags=flags)


@settings(max_examples=60, deadline=None)
@given(people())
def test_vectorised_engine_equals_the_scalar_reference(
    sample: tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]],
) -> None:
    options, groups, flags = sample
    result = ENGINE.allocate(_inputs(options, groups, flags))
    for i in range(options.shape[0]):
        answers = {s.section_id: s.option_ids[options[i, j]] for j, s in enumerate(RAS.sections)}
        expected = allocate_one(
            RAS, answers, GROUPS[groups[i]], {f: bool(v[i]) for f, v in flags.items()}
        )
        assert int(result.total_points[i]) == expected["total_points"]
        assert {k: int(v[i]) for k, v in result.uplift_pence.items()} == expected["uplifts"]
        assert int(result.carer_adjustment_pence[i]) == expected["carer_adjustment"]
        assert int(result.weekly_pence[i]) == expected["weekly"]
        assert int(result.annual_pence[i]) == expected["annual"]


@settings(max_examples=60, deadline=None)
@given(people(), st.data())
def test_more_points_never_mean_less_money(
    sample: tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]], data: st.DataObject
) -> None:
    """Within floor and ceiling, raising one answer's points (in a section with no uplift or
    carer rule attached) never lowers the weekly amount."""
    options, groups, flags = sample
    plain = [
        j
        for j, s in enumerate(RAS.sections)
        if s.section_id
        not in {u.section_id for u in RAS.uplifts} | {RAS.carer.section_id if RAS.carer else ""}
        and s.section_id not in {x for u in RAS.uplifts for x in u.sections}
    ]
    column = data.draw(st.sampled_from(plain))
    section = RAS.sections[column]
    higher = options.copy()
    for i in range(options.shape[0]):
        current = section.points[options[i, column]]
        better = [k for k, p in enumerate(section.points) if p >= current]
        higher[i, column] = data.draw(st.sampled_from(better))
    before = ENGINE.allocate(_inputs(options, groups, flags))
    after = ENGINE.allocate(_inputs(higher, groups, flags))
    assert np.all(after.total_points >= before.total_points)
    assert np.all(after.weekly_pence >= before.weekly_pence)
    assert np.all(
        (after.weekly_pence >= RAS.floor_weekly_pence)
        & (after.weekly_pence <= RAS.ceiling_weekly_pence)
    )


@settings(max_examples=60, deadline=None)
@given(people())
def test_the_carer_adjustment_never_raises_the_amount(
    sample: tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]],
) -> None:
    options, groups, flags = sample
    with_carer = ENGINE.allocate(_inputs(options, groups, flags))
    without = Engine(replace(RAS, carer=None)).allocate(_inputs(options, groups, flags))
    assert np.all(with_carer.carer_adjustment_pence <= 0)
    assert np.all(with_carer.weekly_pence <= without.weekly_pence)


@settings(max_examples=40, deadline=None)
@given(people())
def test_recomputing_from_the_stored_explanation_gives_the_same_pence(
    sample: tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]],
) -> None:
    options, groups, flags = sample
    result = ENGINE.allocate(_inputs(options, groups, flags))
    stored = [json.loads(json.dumps(explanation(ENGINE, result, i))) for i in range(len(result))]
    again = Engine(ras_parse(json.loads(DEFAULT.read_text()))).allocate(
        _inputs(options.copy(), groups.copy(), flags)
    )
    for i, record in enumerate(stored):
        assert record["ras"]["hash"] == RAS.content_hash
        assert record["weekly_pence"] == int(again.weekly_pence[i])
        steps = (
            record["base_weekly_pence"]
            + sum(u["pence"] for u in record["uplifts"])
            + record["carer_adjustment_pence"]
            + record["rounding_pence"]
        )
        assert record["weekly_pence"] == min(
            max(steps, RAS.floor_weekly_pence), RAS.ceiling_weekly_pence
        )


def test_a_worked_example() -> None:
    """Two sections, 3 and 5 points at £2.50 a point, a waking-night uplift, rural travel and a
    carer willing to carry on (20% less), rounded to the pound."""
    ras = RasDefinition(
        code="t",
        title="t",
        version=1,
        questionnaire_code="q",
        method="points",
        sections=(
            SectionPoints("a", ("x", "y"), (0, 3)),
            SectionPoints("b", ("x", "y"), (1, 5)),
            SectionPoints("night", ("no", "yes"), (0, 0)),
            SectionPoints("carer", ("none", "willing"), (0, 0)),
        ),
        price_per_point_pence=(("*", 250),),
        floor_weekly_pence=1000,
        ceiling_weekly_pence=100_000,
        rounding_pence=100,
        uplifts=(
            Uplift(
                "night",
                "waking nights",
                "weekly_pence",
                section_id="night",
                by_option=(("yes", 5000),),
            ),
            Uplift("rural", "travel", "percent_if_flag", flag="rural", basis_points=1000),
        ),
        carer=CarerAdjustment("carer", (("willing", 2000),), "carer helps"),
    )
    result = Engine(ras).allocate(
        Inputs(
            options=np.array([[1, 1, 1, 1]]),
            group_index=np.array([0]),
            groups=("any",),
            flags={"rural": np.array([True])},
        )
    )
    # 8 points × 250p = 2,000p; + 5,000p night; + 200p rural (10% of 2,000p) = 7,200p; − 20% = 5,760p; → £58.
    assert int(result.base_weekly_pence[0]) == 2000
    assert int(result.carer_neutral_weekly_pence[0]) == 7200
    assert int(result.carer_adjustment_pence[0]) == -1440
    assert int(result.weekly_pence[0]) == 5800
    assert int(result.annual_pence[0]) == 5800 * 52


def test_floor_and_ceiling_are_reported() -> None:
    options = np.zeros((2, len(RAS.sections)), dtype=np.int8)
    options[1, :] = [len(s.option_ids) - 1 for s in RAS.sections]
    result = ENGINE.allocate(
        Inputs(options=options, group_index=np.array([2, 2]), groups=GROUPS, flags={})
    )
    assert int(result.weekly_pence[0]) == RAS.floor_weekly_pence and int(result.bound[0]) == -1
    record = explanation(ENGINE, result, 0)
    assert record["bound"] == "floor"


def test_hours_method() -> None:
    ras = replace(
        RAS,
        method="hours",
        price_per_point_pence=(),
        hourly_rate_pence=(("*", 2150),),
        hours_bands=(HoursBand(0, 0), HoursBand(20, 50), HoursBand(60, 150)),
        uplifts=(),
        carer=None,
        rounding_pence=1,
        floor_weekly_pence=0,
    )
    options = np.zeros((1, len(ras.sections)), dtype=np.int8)
    options[0, 0] = 3  # nutrition: 12 points
    options[0, 1] = 3  # hygiene: 12 points
    result = Engine(ras).allocate(
        Inputs(options=options, group_index=np.array([0]), groups=("older_people",))
    )
    assert int(result.total_points[0]) == 24
    assert int(result.weekly_pence[0]) == 5 * 2150  # 5 hours a week at £21.50


def test_plan_method_needs_costs() -> None:
    ras = replace(RAS, method="plan", uplifts=(), carer=None, rounding_pence=1)
    options = np.zeros((2, len(ras.sections)), dtype=np.int8)
    with pytest.raises(ValueError, match="needs the plan's weekly cost"):
        Engine(ras).allocate(
            Inputs(options=options, group_index=np.zeros(2, np.int16), groups=GROUPS)
        )
    result = Engine(ras).allocate(
        Inputs(
            options=options,
            group_index=np.zeros(2, np.int16),
            groups=GROUPS,
            plan_weekly_pence=np.array([12345, 10**9]),
        )
    )
    assert result.weekly_pence.tolist() == [12345, ras.ceiling_weekly_pence]


def test_content_hash_changes_with_any_rule() -> None:
    assert RAS.content_hash == default_ras().content_hash
    assert (
        replace(RAS, floor_weekly_pence=RAS.floor_weekly_pence + 1).content_hash != RAS.content_hash
    )
