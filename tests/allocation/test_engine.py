"""The RAS engine: the vectorised engine equals a plain scalar reference (tests/allocation/
reference.py) for any RAS and any answers; the money properties hold; a stored allocation
recomputes to the same pence."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfdirect.allocation.engine import (
    DEFAULT_CHUNK_ROWS,
    CarerAdjustment,
    Engine,
    HoursBand,
    Inputs,
    RasDefinition,
    Result,
    SectionPoints,
    Uplift,
    explanation,
)
from selfdirect.allocation.pricing import Person, inputs_for, price, price_one
from selfdirect.allocation.ras_file import ras_parse, ras_to_file
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
FLAGS = ("rural", "agency")


def default_ras() -> RasDefinition:
    return ras_parse(json.loads(DEFAULT.read_text()))


RAS = default_ras()
ENGINE = Engine(RAS)


# Strategies: any RAS file ras_parse accepts (within sizes a test can afford), and people.


def _by_option(draw: st.DrawFn, options: list[str], high: int) -> dict[str, int]:
    chosen = draw(st.lists(st.sampled_from(options), min_size=1, unique=True))
    return {o: draw(st.integers(0, high)) for o in chosen}


def _prices(draw: st.DrawFn, high: int) -> dict[str, int]:
    if draw(st.booleans()):
        return {"*": draw(st.integers(0, high))}
    return {g: draw(st.integers(0, high)) for g in GROUPS}


@st.composite
def ras_documents(draw: st.DrawFn, methods: tuple[str, ...] = ("points", "hours", "plan")) -> Any:
    # Most options a section may have: 4 (2-bit codes), 16 (3- and 4-bit) or 40 (pairs).
    most = draw(st.sampled_from([4, 16, 40]))
    big = draw(st.sampled_from([12, 10_000]))
    sections = []
    for j in range(draw(st.integers(1, 14))):
        size = draw(st.integers(1, most))
        sections.append(
            {"id": f"s{j}", "points": {f"o{k}": draw(st.integers(0, big)) for k in range(size)}}
        )
    options = {s["id"]: list(s["points"]) for s in sections}
    ids = list(options)
    method = draw(st.sampled_from(methods))
    floor = draw(st.integers(0, 50_000))
    data: dict[str, Any] = {
        "code": "random",
        "title": "Random RAS",
        "version": 1,
        "questionnaire": "q",
        "method": method,
        "sections": sections,
        "floor_weekly_pence": floor,
        "ceiling_weekly_pence": draw(st.sampled_from([floor, floor + 99_999, 10**8])),
        "rounding_pence": draw(st.sampled_from([1, 100])),
    }
    if method != "hours":
        data["price_per_point_pence"] = _prices(draw, 1_000)
    else:
        starts = sorted(draw(st.sets(st.integers(1, 200), max_size=4)))
        hours = sorted(draw(st.integers(0, 1680)) for _ in range(len(starts) + 1))
        data["hours_bands"] = [
            {"min_points": m, "tenths_of_hours": h}
            for m, h in zip([0, *starts], hours, strict=True)
        ]
        data["hourly_rate_pence"] = _prices(draw, 5_000)
    uplifts = []
    for n in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["weekly_pence", "percent_of_sections", "percent_if_flag"]))
        uplift: dict[str, Any] = {"code": f"u{n}", "kind": kind, "reason": "a reason"}
        if kind == "percent_if_flag":
            uplift.update(
                flag=draw(st.sampled_from(FLAGS)), basis_points=draw(st.integers(0, 20_000))
            )
            applies_to = draw(st.sampled_from([None, "base", "running"]))
            if applies_to:
                uplift["applies_to"] = applies_to
        else:
            section = draw(st.sampled_from(ids))
            high = 10**7 if kind == "weekly_pence" else 100_000
            uplift.update(section=section, by_option=_by_option(draw, options[section], high))
            if kind == "percent_of_sections":
                uplift["sections"] = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
        uplifts.append(uplift)
    if uplifts:
        data["uplifts"] = uplifts
    if draw(st.booleans()):
        section = draw(st.sampled_from(ids))
        data["carer_adjustment"] = {
            "section": section,
            "reason": "a carer",
            "reduction_basis_points": _by_option(draw, options[section], 10_000),
        }
        carer_applies_to = draw(st.sampled_from([None, "after_uplifts", "before_uplifts"]))
        if carer_applies_to:
            data["carer_adjustment"]["applies_to"] = carer_applies_to
    arithmetic = draw(st.sampled_from([None, "stepwise", "exact"]))
    if arithmetic:
        data["arithmetic"] = arithmetic
    return data


@st.composite
def people(draw: st.DrawFn, ras: RasDefinition, max_size: int = 25) -> list[Person]:
    return [
        Person(
            answers={s.section_id: draw(st.sampled_from(s.option_ids)) for s in ras.sections},
            user_group=draw(st.sampled_from(GROUPS)),
            flags={f: draw(st.booleans()) for f in FLAGS},
        )
        for _ in range(draw(st.integers(1, max_size)))
    ]


def _reference(ras: RasDefinition, person: Person, plan: int = 0) -> dict[str, Any]:
    return allocate_one(ras, person.answers, person.user_group, person.flags, plan)


def _assert_matches(
    engine: Engine, result: Result, i: int, expected: dict[str, Any], method: str
) -> None:
    assert (
        dict(zip(engine.section_ids, result.section_points[i].tolist(), strict=True))
        == (expected["section_points"])
    )
    assert int(result.total_points[i]) == expected["total_points"]
    if method != "hours":
        assert int(result.price_per_point_pence[i]) == expected["price"]
    assert int(result.base_weekly_pence[i]) == expected["base"]
    assert {k: int(v[i]) for k, v in result.uplift_pence.items()} == expected["uplifts"]
    assert int(result.carer_neutral_weekly_pence[i]) == expected["neutral"]
    assert int(result.carer_adjustment_pence[i]) == expected["carer_adjustment"]
    assert int(result.rounding_pence[i]) == expected["rounding"]
    assert {-1: "floor", 0: "", 1: "ceiling"}[int(result.bound[i])] == expected["bound"]
    assert int(result.weekly_pence[i]) == expected["weekly"]
    assert int(result.annual_pence[i]) == expected["annual"]


# The properties.


@settings(max_examples=150, deadline=None)
@given(
    ras_documents(),
    st.data(),
    st.sampled_from([1, 2, 3, 7, DEFAULT_CHUNK_ROWS]),
    st.sampled_from(["int8", "uint8", "int16", "int64", "fortran"]),
    st.sampled_from([1, 2, 3]),
)
def test_vectorised_engine_equals_the_scalar_reference(
    document: Any, data: st.DataObject, chunk_rows: int, layout: str, threads: int
) -> None:
    """Every step, for every person, for any RAS: whatever the code path (2-, 3- and 4-bit
    codes, pairs), the chunk boundaries, the layout of the answers and the number of
    threads sharing the chunks."""
    ras = ras_parse(document)
    crowd = data.draw(people(ras))
    plans = data.draw(st.lists(st.integers(0, 10**6), min_size=len(crowd), max_size=len(crowd)))
    inputs = inputs_for(ras, crowd)
    options = (
        np.asfortranarray(inputs.options.astype(np.int16))
        if layout == "fortran"
        else inputs.options.astype(layout)
    )
    engine = Engine(ras, chunk_rows=chunk_rows, threads=threads)
    result = engine.allocate(
        replace(inputs, options=options, plan_weekly_pence=np.array(plans, dtype=np.int64))
    )
    assert len(result) == len(crowd)
    for i, person in enumerate(crowd):
        _assert_matches(engine, result, i, _reference(ras, person, plans[i]), ras.method)


@settings(max_examples=100, deadline=None)
@given(ras_documents(), st.data())
def test_more_points_never_mean_less_money_and_the_amount_stays_within_the_bounds(
    document: Any, data: st.DataObject
) -> None:
    """The same answers under a RAS that gives some options more points: no one's total
    points or weekly amount goes down, and every amount is within the floor and ceiling."""
    ras = ras_parse(document)
    crowd = data.draw(people(ras))
    richer = json.loads(json.dumps(document))
    for section in richer["sections"]:
        for option in section["points"]:
            points = section["points"][option]
            section["points"][option] = min(10_000, points + data.draw(st.integers(0, 50)))
    more = ras_parse(richer)
    if ras.method == "plan":
        ras, more = replace(ras, method="points"), replace(more, method="points")
    _engine, before = price(ras, crowd)
    _engine, after = price(more, crowd)
    assert np.all(after.total_points >= before.total_points)
    assert np.all(after.weekly_pence >= before.weekly_pence)
    for result in (before, after):
        assert np.all(result.weekly_pence >= ras.floor_weekly_pence)
        assert np.all(result.weekly_pence <= ras.ceiling_weekly_pence)


@settings(max_examples=100, deadline=None)
@given(ras_documents(methods=("points", "hours")), st.data())
def test_choosing_an_answer_worth_more_points_never_means_less_money(
    document: Any, data: st.DataObject
) -> None:
    """In a section that sets no uplift and no carer adjustment, an answer worth more points
    never lowers the amount."""
    ras = ras_parse(document)
    triggers = {u.section_id for u in ras.uplifts} | {ras.carer.section_id if ras.carer else ""}
    plain = [s for s in ras.sections if s.section_id not in triggers]
    crowd = data.draw(people(ras, max_size=10))
    if not plain or not crowd:
        return
    section = data.draw(st.sampled_from(plain))
    moved = []
    for person in crowd:
        current = section.points[section.option_ids.index(person.answers[section.section_id])]
        better = [
            o for o, p in zip(section.option_ids, section.points, strict=True) if p >= current
        ]
        answers = {**person.answers, section.section_id: data.draw(st.sampled_from(better))}
        moved.append(replace(person, answers=answers))
    _engine, before = price(ras, crowd)
    _engine, after = price(ras, moved)
    assert np.all(after.weekly_pence >= before.weekly_pence)


@settings(max_examples=100, deadline=None)
@given(ras_documents(), st.data())
def test_the_carer_adjustment_never_raises_the_amount(document: Any, data: st.DataObject) -> None:
    ras = ras_parse(document)
    crowd = data.draw(people(ras))
    plans = np.array(
        data.draw(st.lists(st.integers(0, 10**6), min_size=len(crowd), max_size=len(crowd))),
        dtype=np.int64,
    )
    inputs = replace(inputs_for(ras, crowd), plan_weekly_pence=plans)
    with_carer = Engine(ras).allocate(inputs)
    without = Engine(replace(ras, carer=None)).allocate(inputs)
    assert np.all(with_carer.carer_adjustment_pence <= 0)
    assert np.all(with_carer.weekly_pence <= without.weekly_pence)
    if ras.carer is not None and ras.carer.applies_to == "before_uplifts":
        # Running uplifts start from the reduced amount, so they are no larger with it.
        assert np.all(with_carer.carer_neutral_weekly_pence <= without.carer_neutral_weekly_pence)
    elif ras.arithmetic == "stepwise":
        assert np.array_equal(
            with_carer.carer_neutral_weekly_pence, without.carer_neutral_weekly_pence
        )


@settings(max_examples=60, deadline=None)
@given(ras_documents(methods=("points", "hours")), st.data())
def test_recomputing_from_what_is_stored_gives_the_same_pence(
    document: Any, data: st.DataObject
) -> None:
    """What an allocation stores (the inputs, the RAS version as JSON with its hash, the
    explanation record), taken through JSON and back, recomputes to the same record."""
    ras = ras_parse(document)
    person = data.draw(people(ras, max_size=1))[0]
    record = price_one(ras, person)
    stored = json.loads(
        json.dumps(
            {
                "ras": ras_to_file(ras),
                "hash": ras.content_hash,
                "inputs": {
                    "answers": person.answers,
                    "user_group": person.user_group,
                    "flags": person.flags,
                },
                "explanation": record,
            },
            sort_keys=True,
        )
    )
    again = ras_parse(stored["ras"])
    assert again == ras and again.content_hash == stored["hash"] == record["ras"]["hash"]
    inputs = stored["inputs"]
    assert (
        price_one(again, Person(inputs["answers"], inputs["user_group"], inputs["flags"]))
        == (stored["explanation"])
    )
    steps = (
        record["base_weekly_pence"]
        + sum(u["pence"] for u in record["uplifts"])
        + record["carer_adjustment_pence"]
        + record["rounding_pence"]
    )
    assert record["weekly_pence"] == min(
        max(steps, ras.floor_weekly_pence), ras.ceiling_weekly_pence
    )
    assert record["annual_pence"] == record["weekly_pence"] * 52


# Each code path, every combination of answers.


@pytest.mark.parametrize(
    "sizes",
    [
        (4, 4, 4, 4, 3),  # 2-bit codes, one multiplication; a padded group
        (5, 6, 2, 3),  # 3-bit codes
        (16, 9, 2, 1, 2),  # 4-bit codes
        (17, 3, 20),  # pairs of sections
        (1,),  # one section, one option
    ],
)
def test_every_combination_of_answers_on_each_code_path(sizes: tuple[int, ...]) -> None:
    sections = tuple(
        SectionPoints(
            f"s{j}", tuple(f"o{k}" for k in range(n)), tuple((7 * j + 3 * k) % 11 for k in range(n))
        )
        for j, n in enumerate(sizes)
    )
    ras = RasDefinition(
        code="t",
        title="t",
        version=1,
        questionnaire_code="q",
        method="points",
        sections=sections,
        price_per_point_pence=(("*", 123),),
        floor_weekly_pence=0,
        ceiling_weekly_pence=10**6,
        uplifts=(
            Uplift("night", "r", "weekly_pence", "s0", (("o0", 5), (f"o{sizes[0] - 1}", 10**6))),
            Uplift(
                "two",
                "r",
                "percent_of_sections",
                sections[-1].section_id,
                (("o0", 10_000),),
                sections=("s0",),
            ),
        ),
        carer=CarerAdjustment(sections[-1].section_id, ((f"o{sizes[-1] - 1}", 2_500),), "r"),
    )
    combos = list(itertools.product(*(range(n) for n in sizes)))
    engine = Engine(ras, chunk_rows=1000)
    options = np.array(combos, dtype=np.uint8)
    result = engine.allocate(
        Inputs(options=options, group_index=np.zeros(len(combos), np.int8), groups=("any",))
    )
    for i, combo in enumerate(combos):
        answers = {s.section_id: s.option_ids[k] for s, k in zip(sections, combo, strict=True)}
        _assert_matches(engine, result, i, allocate_one(ras, answers, "any", {}), "points")


def test_the_largest_values_the_file_allows_do_not_overflow_the_packed_tables() -> None:
    """Every field at its largest: 10,000 points an answer, uplifts of 1,000% and £100,000 a
    week, four "percent of sections" uplifts, a 100% carer reduction (several packed words)."""
    ids = [f"s{j}" for j in range(14)]
    document = {
        "code": "big",
        "title": "Big",
        "version": 1,
        "questionnaire": "q",
        "sections": [{"id": i, "points": {"none": 0, "all": 10_000}} for i in ids],
        "price_per_point_pence": {"*": 100_000},
        "floor_weekly_pence": 0,
        "ceiling_weekly_pence": 10**8,
        "uplifts": [
            {
                "code": "night",
                "kind": "weekly_pence",
                "section": "s0",
                "reason": "r",
                "by_option": {"all": 10**7},
            },
            *[
                {
                    "code": f"two{n}",
                    "kind": "percent_of_sections",
                    "section": ids[n],
                    "sections": ids,
                    "reason": "r",
                    "by_option": {"all": 100_000},
                }
                for n in range(4)
            ],
        ],
        "carer_adjustment": {
            "section": "s13",
            "reason": "r",
            "reduction_basis_points": {"all": 10_000},
        },
    }
    ras = ras_parse(document)
    engine = Engine(ras)
    assert len(engine._words) > 1
    rng = np.random.default_rng(5)
    options = np.vstack([np.ones((1, 14)), rng.integers(0, 2, size=(500, 14))]).astype(np.uint8)
    result = engine.allocate(
        Inputs(options=options, group_index=np.zeros(len(options), np.int8), groups=("any",))
    )
    assert int(result.total_points[0]) == 140_000
    for i, row in enumerate(options):
        answers = {s.section_id: s.option_ids[k] for s, k in zip(ras.sections, row, strict=True)}
        _assert_matches(engine, result, i, allocate_one(ras, answers, "any", {}), "points")
    # Every answer out of range at once: the sentinels' sum must not wrap round to a number.
    with pytest.raises(ValueError, match="Row 1, section s0: option 3 is not one of its 2"):
        engine.allocate(
            Inputs(
                options=np.full((1, 14), 3, np.uint8),
                group_index=np.zeros(1, np.int8),
                groups=("a",),
            )
        )


def test_many_people_in_many_chunks_match_the_reference() -> None:
    """The default RAS over 200,000 random people (13 chunks, answers read in place), every
    weekly amount checked against the reference; and two threads sharing the chunks give
    every output the same."""
    rng = np.random.default_rng(4)
    count = 200_000
    options = np.stack(
        [rng.integers(0, len(s.option_ids), size=count) for s in RAS.sections], axis=1
    ).astype(np.int8)
    groups = rng.integers(0, len(GROUPS), size=count).astype(np.int16)
    flags = {f: rng.random(count) < 0.3 for f in FLAGS}
    result = ENGINE.allocate(
        Inputs(options=options, group_index=groups, groups=GROUPS, flags=flags)
    )
    expected = [
        allocate_one(
            RAS,
            {s.section_id: s.option_ids[options[i, j]] for j, s in enumerate(RAS.sections)},
            GROUPS[groups[i]],
            {f: bool(v[i]) for f, v in flags.items()},
        )["weekly"]
        for i in range(count)
    ]
    assert result.weekly_pence.tolist() == expected
    shared = Engine(RAS, threads=2).allocate(
        Inputs(options=options, group_index=groups, groups=GROUPS, flags=flags)
    )
    for name in (
        "total_points",
        "price_per_point_pence",
        "base_weekly_pence",
        "carer_neutral_weekly_pence",
        "carer_adjustment_pence",
        "rounding_pence",
        "weekly_pence",
        "annual_pence",
        "bound",
    ):
        assert np.array_equal(getattr(shared, name), getattr(result, name)), name
    for code, amounts in result.uplift_pence.items():
        assert np.array_equal(shared.uplift_pence[code], amounts), code


# Worked examples and the edges.


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
    engine = Engine(ras)
    result = engine.allocate(
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
    assert int(result.rounding_pence[0]) == 40
    assert int(result.weekly_pence[0]) == 5800
    assert int(result.annual_pence[0]) == 5800 * 52
    record = explanation(engine, result, 0)
    assert record["section_points"] == {"a": 3, "b": 5, "night": 0, "carer": 0}
    assert record["uplifts"] == [
        {
            "code": "night",
            "reason": "waking nights",
            "pence": 5000,
            "kind": "weekly_pence",
            "applies_to": "",
        },
        {
            "code": "rural",
            "reason": "travel",
            "pence": 200,
            "kind": "percent_if_flag",
            "applies_to": "base",
            "basis_points": 1000,
            "of_pence": 2000,
        },
    ]
    assert record["carer_reason"] == "carer helps"
    assert (record["carer_applies_to"], record["carer_basis_points"]) == ("after_uplifts", 2000)
    assert record["carer_of_pence"] == 7200
    assert (record["arithmetic"], record["rounding_unit_pence"]) == ("stepwise", 100)
    assert record["ras"] == {
        "code": "t",
        "version": 1,
        "hash": ras.content_hash,
        "method": "points",
    }


def test_floor_and_ceiling_are_reported() -> None:
    options = np.zeros((2, len(RAS.sections)), dtype=np.int8)
    options[1, :] = [len(s.option_ids) - 1 for s in RAS.sections]
    result = ENGINE.allocate(
        Inputs(options=options, group_index=np.array([2, 2]), groups=GROUPS, flags={})
    )
    assert int(result.weekly_pence[0]) == RAS.floor_weekly_pence and int(result.bound[0]) == -1
    assert int(result.weekly_pence[1]) == RAS.ceiling_weekly_pence and int(result.bound[1]) == 1
    assert explanation(ENGINE, result, 0)["bound"] == "floor"
    assert explanation(ENGINE, result, 1)["bound"] == "ceiling"


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
    assert result.bound.tolist() == [0, 1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda o: o.__setitem__((2, 3), 4),
            "Row 3, section dressing: option 4 is not one of its 4 options",
        ),
        (
            lambda o: o.__setitem__((0, 10), 3),
            "Row 1, section equipment: option 3 is not one of its 3 options",
        ),
        (
            lambda o: o.__setitem__((1, 0), -1),
            "Row 2, section nutrition: option -1 is not one of its 4 options",
        ),
        (
            lambda o: o.__setitem__((1, 0), 300),
            "Row 2, section nutrition: option 300 is not one of its 4 options",
        ),
    ],
)
def test_an_answer_the_section_does_not_have_is_refused(change: Any, message: str) -> None:
    """Whether caught before the lookup (out of the code's range) or by the sentinel, in
    one thread or in chunks shared by two."""
    shared = Engine(RAS, chunk_rows=1, threads=2)
    for dtype, engine in itertools.product((np.int16, np.int64), (ENGINE, shared)):
        options = np.zeros((3, len(RAS.sections)), dtype=dtype)
        change(options)
        with pytest.raises(ValueError) as error:
            engine.allocate(
                Inputs(options=options, group_index=np.zeros(3, np.int8), groups=GROUPS)
            )
        assert str(error.value) == message


def test_inputs_of_the_wrong_shape_are_refused() -> None:
    options = np.zeros((2, len(RAS.sections)), dtype=np.int8)
    with pytest.raises(ValueError, match="Expected 18 answer columns"):
        ENGINE.allocate(
            Inputs(options=options[:, :3], group_index=np.zeros(2, np.int8), groups=GROUPS)
        )
    with pytest.raises(ValueError, match="one user group for each person"):
        ENGINE.allocate(Inputs(options=options, group_index=np.zeros(3, np.int8), groups=GROUPS))
    with pytest.raises(ValueError, match="outside the list of groups"):
        ENGINE.allocate(Inputs(options=options, group_index=np.array([0, 4]), groups=GROUPS))


def test_threads_must_be_at_least_one() -> None:
    with pytest.raises(ValueError, match="threads must be at least 1"):
        Engine(RAS, threads=0)


def test_no_people_gives_empty_results() -> None:
    result = ENGINE.allocate(
        Inputs(
            options=np.zeros((0, len(RAS.sections)), np.int8),
            group_index=np.zeros(0, np.int8),
            groups=GROUPS,
        )
    )
    assert len(result) == 0 and result.section_points.shape == (0, len(RAS.sections))


def test_content_hash_is_of_the_canonical_json_and_changes_with_any_rule() -> None:
    assert RAS.content_hash == default_ras().content_hash
    assert (
        ras_parse(json.loads(json.dumps(ras_to_file(RAS), sort_keys=True))).content_hash
        == RAS.content_hash
    )
    assert (
        replace(RAS, floor_weekly_pence=RAS.floor_weekly_pence + 1).content_hash != RAS.content_hash
    )
    assert replace(RAS, method="plan").content_hash != RAS.content_hash
