"""The RAS file's options for councils moving from a spreadsheet RAS (issue 11): uplifts on
the running amount, the carer adjustment before the uplifts, exact arithmetic with one
rounding at the end; keys the format does not know refused by name; and old files keep
exactly today's pence and content hash."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command

from selfdirect.allocation.engine import Engine, HoursBand, Inputs, RasDefinition, explanation
from selfdirect.allocation.pricing import Person, inputs_for, price_one
from selfdirect.allocation.ras_file import RasFileError, ras_load, ras_parse, ras_to_file
from tests.allocation.reference import allocate_one

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = (
    ROOT / "src" / "selfdirect" / "allocation" / "definitions" / "default-ras.json",
    ROOT / "docs" / "samples" / "ras-example.json",
)
GROUPS = ("older_people", "physical_disability", "learning_disability", "mental_health")

# The spreadsheet council's RAS: 17 points at £3.25, a carer willing to keep helping takes
# 12.5% off before anything is added, then night care, rural travel and agency rates, each
# percentage of the amount so far, with fractions of a penny kept until the end.
SPREADSHEET = {
    "code": "spreadsheet-ras",
    "title": "A council's spreadsheet RAS",
    "version": 1,
    "questionnaire": "self-assessment",
    "arithmetic": "exact",
    "sections": [
        {"id": "personal_care", "points": {"none": 0, "some": 9, "lots": 17}},
        {"id": "night_care", "points": {"none": 0, "sometimes": 0}},
        {"id": "carer", "points": {"no_carer": 0, "willing_able": 0}},
    ],
    "price_per_point_pence": {"*": 325},
    "uplifts": [
        {
            "code": "night_care",
            "kind": "weekly_pence",
            "section": "night_care",
            "by_option": {"sometimes": 1250},
            "reason": "Help at night costs more than points alone can show.",
        },
        {
            "code": "rural",
            "kind": "percent_if_flag",
            "flag": "rural",
            "basis_points": 1000,
            "applies_to": "running",
            "reason": "Care takes longer to reach you where you live.",
        },
        {
            "code": "agency",
            "kind": "percent_if_flag",
            "flag": "agency",
            "basis_points": 1500,
            "applies_to": "running",
            "reason": "Care from an agency costs more an hour.",
        },
    ],
    "carer_adjustment": {
        "section": "carer",
        "applies_to": "before_uplifts",
        "reduction_basis_points": {"willing_able": 1250},
        "reason": "Someone close to you is willing and able to keep helping.",
    },
    "floor_weekly_pence": 2000,
    "ceiling_weekly_pence": 150000,
    "rounding_pence": 1,
}
EVERYTHING = Person(
    answers={"personal_care": "lots", "night_care": "sometimes", "carer": "willing_able"},
    user_group="older_people",
    flags={"rural": True, "agency": True},
)


def test_running_uplifts_with_exact_arithmetic_and_the_carer_first_give_the_hand_worked_pence() -> (
    None
):
    """Worked by hand, in pence, with fractions kept exactly:

    points                17 × 325                            = 5525
    carer, before uplifts − 12.5% of 5525 = − 5525/8          = − 690 5/8
                                         running: 5525 − 690 5/8 = 4834 3/8
    night care            + 1250 (fixed)            running: 6084 3/8
    rural, running        + 10% of 6084 3/8 = 6084 3/8 / 10   = 608 7/16
                                         running: 6084 3/8 + 608 7/16 = 6692 13/16
    agency, running       + 15% of 6692 13/16 = 107085/16 × 3/20 = 64251/64 = 1003 59/64
                                         total: 6692 13/16 + 1003 59/64 = 7696 47/64
    one rounding, half up, at the end: 7696 47/64 (7696.734375)  → 7697p = £76.97

    Shown to the penny, the steps are 5525 − 691 + 1250 + 608 + 1004 = 7696, so the
    explanation's rounding line is + 1p and the figures add up to £76.97. Rounding at each
    step instead (stepwise) gives − 691, 4834, 6084, + 608 (608.4), 6692, + 1004 (1003.8)
    = 7696p: a penny less than the council's spreadsheet."""
    ras = ras_parse(SPREADSHEET)
    record = price_one(ras, EVERYTHING)
    assert record["base_weekly_pence"] == 5525
    assert record["carer_adjustment_pence"] == -691
    assert (record["carer_applies_to"], record["carer_of_pence"]) == ("before_uplifts", 5525)
    assert [
        (u["code"], u["pence"], u["applies_to"], u.get("of_pence")) for u in record["uplifts"]
    ] == [
        ("night_care", 1250, "", None),
        ("rural", 608, "running", 6084),  # 6084 3/8 to the penny
        ("agency", 1004, "running", 6693),  # 6692 13/16 to the penny
    ]
    assert record["rounding_pence"] == 1
    assert record["weekly_pence"] == 7697 and record["annual_pence"] == 7697 * 52
    assert record["arithmetic"] == "exact"
    assert (
        record["base_weekly_pence"]
        + sum(u["pence"] for u in record["uplifts"])
        + record["carer_adjustment_pence"]
        + record["rounding_pence"]
        == record["weekly_pence"]
    )
    stepwise = price_one(replace(ras, arithmetic="stepwise"), EVERYTHING)
    assert stepwise["weekly_pence"] == 7696 and stepwise["rounding_pence"] == 0
    # To the nearest pound, after the one rounding to the penny: 7697p → £77.
    assert price_one(replace(ras, rounding_pence=100), EVERYTHING)["weekly_pence"] == 7700


def test_ras_allocate_prices_the_spreadsheet_file(tmp_path: Path) -> None:
    """The batch command reads the new keys and writes the same pence."""
    ras_file = tmp_path / "ras.json"
    ras_file.write_text(json.dumps(SPREADSHEET, indent=2))
    answers = tmp_path / "answers.csv"
    answers.write_text(
        "person_ref,user_group,personal_care,night_care,carer,rural,agency\n"
        "S1,older_people,lots,sometimes,willing_able,yes,yes\n"
        "S2,older_people,some,none,no_carer,no,yes\n"
    )
    out = tmp_path / "out.csv"
    printed = io.StringIO()
    call_command(
        "ras_allocate", ras=str(ras_file), answers=str(answers), out=str(out), stdout=printed
    )
    rows = list(csv.DictReader(out.open()))
    assert rows[0]["weekly_pence"] == "7697" and rows[0]["rounding_pence"] == "1"
    assert rows[0]["uplift_agency_pence"] == "1004"
    # 9 × 325 = 2925, no carer, agency 15% of the amount so far: 438.75 → 3363.75 → 3364.
    assert rows[1]["weekly_pence"] == "3364" and rows[1]["uplift_agency_pence"] == "439"
    assert "exact arithmetic" in printed.getvalue()


def test_the_new_keys_round_trip_and_change_the_content_hash() -> None:
    ras = ras_parse(SPREADSHEET)
    stored = ras_to_file(ras)
    assert stored["arithmetic"] == "exact"
    assert stored["carer_adjustment"]["applies_to"] == "before_uplifts"
    assert [u.get("applies_to") for u in stored["uplifts"]] == [None, "running", "running"]
    assert ras_parse(json.loads(json.dumps(stored))) == ras
    defaults = replace(
        ras,
        arithmetic="stepwise",
        uplifts=tuple(replace(u, applies_to="base") for u in ras.uplifts),
        carer=replace(ras.carer, applies_to="after_uplifts") if ras.carer else None,
    )
    assert "arithmetic" not in ras_to_file(defaults)
    assert "applies_to" not in ras_to_file(defaults)["carer_adjustment"]
    hashes = {
        defaults.content_hash,
        ras.content_hash,
        replace(defaults, arithmetic="exact").content_hash,
        replace(defaults, carer=ras.carer).content_hash,
        replace(defaults, uplifts=ras.uplifts).content_hash,
    }
    assert len(hashes) == 5
    # Today's meaning written out in full is the same definition as leaving it out.
    explicit = json.loads(json.dumps(ras_to_file(defaults)))
    explicit["arithmetic"] = "stepwise"
    explicit["carer_adjustment"]["applies_to"] = "after_uplifts"
    for uplift in explicit["uplifts"]:
        uplift["applies_to"] = "base"
    assert ras_parse(explicit).content_hash == defaults.content_hash


# Old files: exactly today's pence and hash.

# Recorded with the engine as it was before these options (commit b7b3931), by the same
# ``_outputs_digest`` below: the content hash every allocation made with the shipped RAS
# stores, and a SHA-256 of every output for 100,000 people drawn from a fixed seed.
SHIPPED_HASH = "86601489560c35426d09be7a09dc8e972347413e492f11b08e005a8213061072"
SHIPPED_OUTPUTS = "340ae71e00135edf4bb74ad1d986c3fdc0ffcb28301b541b2c6a55784700f063"
SHIPPED_WEEKLY_TOTAL = 8_008_043_500
HOURS_HASH = "ec6fe9cbfecb88ce616a41590a4e6a58570b99b943186c8b2e97326bd23ed710"
HOURS_OUTPUTS = "c1111de13a5fd026e06f41a064a0d74c93f9c0c01148c039084c3bf6a3050113"


def _outputs_digest(ras: RasDefinition, count: int = 100_000) -> tuple[str, int]:
    rng = np.random.default_rng(20261207)
    options = np.stack(
        [rng.integers(0, len(s.option_ids), size=count) for s in ras.sections], axis=1
    ).astype(np.int8)
    groups = rng.integers(0, len(GROUPS), size=count).astype(np.int16)
    flags = {"rural": rng.random(count) < 0.3, "agency": rng.random(count) < 0.5}
    r = Engine(ras).allocate(
        Inputs(options=options, group_index=groups, groups=GROUPS, flags=flags)
    )
    digest = hashlib.sha256()
    for a in [
        r.total_points,
        r.price_per_point_pence,
        r.base_weekly_pence,
        *[r.uplift_pence[u.code] for u in ras.uplifts],
        r.carer_neutral_weekly_pence,
        r.carer_adjustment_pence,
        r.rounding_pence,
        r.bound.astype(np.int64),
        r.weekly_pence,
        r.annual_pence,
    ]:
        digest.update(np.ascontiguousarray(a, dtype="<i8").tobytes())
    return digest.hexdigest(), int(r.weekly_pence.sum())


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_the_shipped_definitions_give_exactly_todays_pence_and_hash(path: Path) -> None:
    ras = ras_load(io.StringIO(path.read_text()))
    assert not ras.uses_new_options
    assert ras.content_hash == SHIPPED_HASH
    assert _outputs_digest(ras) == (SHIPPED_OUTPUTS, SHIPPED_WEEKLY_TOTAL)


def test_an_hours_ras_without_the_new_keys_gives_exactly_todays_pence() -> None:
    ras = replace(
        ras_load(io.StringIO(SHIPPED[0].read_text())),
        method="hours",
        price_per_point_pence=(),
        hourly_rate_pence=(("*", 2155),),
        hours_bands=(HoursBand(0, 0), HoursBand(10, 35), HoursBand(40, 127), HoursBand(90, 333)),
        rounding_pence=1,
    )
    assert ras.content_hash == HOURS_HASH
    assert _outputs_digest(ras)[0] == HOURS_OUTPUTS


@pytest.mark.django_db
def test_the_demo_council_budgets_are_unchanged() -> None:
    """Every budget of a demo council was made with the shipped RAS's hash as it was before
    these options, recomputes to its stored record, and equals today's plain reference."""
    from selfdirect.allocation.models import Allocation
    from selfdirect.allocation.services import allocation_recompute, ras_definition
    from selfdirect.demo.generator import demo_council_build

    demo_council_build(people=60, seed=3)
    allocations = list(Allocation.objects.select_related("ras_version"))
    assert len(allocations) > 20
    for allocation in allocations:
        assert allocation.ras_hash == SHIPPED_HASH
        assert (
            allocation_recompute(allocation)["weekly_pence"] == allocation.indicative_weekly_pence
        )
        inputs = allocation.inputs
        ras = ras_definition(allocation.ras_version)
        answers = {
            s.section_id: inputs["answers"].get(s.section_id, s.option_ids[0]) for s in ras.sections
        }
        expected = allocate_one(ras, answers, inputs["user_group"], inputs["flags"])
        assert expected["weekly"] == allocation.indicative_weekly_pence


# Keys the format does not know, at every level, and the new keys' values.


def _with(change: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(SPREADSHEET))
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda r: r.update(arithmatic="exact"),
            "ras.arithmatic is not a key the RAS format knows",
        ),
        (
            lambda r: r["sections"][1].update(title="Night"),
            "ras.sections[1].title is not a key the RAS format knows",
        ),
        (
            lambda r: r["uplifts"][2].update(aplies_to="running"),
            "ras.uplifts[2].aplies_to is not a key the RAS format knows",
        ),
        (
            lambda r: r["uplifts"][0].update(basis_points=500),
            "ras.uplifts[0].basis_points is not a key the RAS format knows for a weekly_pence uplift",
        ),
        (
            lambda r: r["uplifts"][0].update(kind="percent", colour="red"),
            "ras.uplifts[0].colour is not a key the RAS format knows",
        ),
        (
            lambda r: r["carer_adjustment"].update(order=1),
            "ras.carer_adjustment.order is not a key the RAS format knows",
        ),
        (
            lambda r: r.update(
                method="hours",
                price_per_point_pence=None,
                hourly_rate_pence={"*": 2000},
                hours_bands=[{"min_points": 0, "tenths_of_hours": 10, "hours": 1}],
            ),
            "ras.hours_bands[0].hours is not a key the RAS format knows",
        ),
        (lambda r: r.update(arithmetic="rounded"), "ras.arithmetic must be one of stepwise, exact"),
        (
            lambda r: r["uplifts"][1].update(applies_to="total"),
            "ras.uplifts[1].applies_to must be one of base, running",
        ),
        (
            lambda r: r["carer_adjustment"].update(applies_to="first"),
            "ras.carer_adjustment.applies_to must be one of after_uplifts, before_uplifts",
        ),
        (
            lambda r: r["uplifts"][0].update(applies_to="running"),
            'ras.uplifts[0].applies_to may be "running" only for a percent_if_flag uplift: '
            "a weekly_pence uplift is a fixed sum",
        ),
    ],
)
def test_a_key_the_format_does_not_know_is_refused_by_name(change: Any, message: str) -> None:
    with pytest.raises(RasFileError) as error:
        ras_parse(_with(change))
    assert str(error.value) == message


def test_an_unknown_key_in_a_file_names_its_line() -> None:
    text = json.dumps(_with(lambda r: r["uplifts"][2].update(aplies_to="running")), indent=2)
    with pytest.raises(RasFileError) as error:
        ras_load(io.StringIO(text))
    line = text[: text.index('"aplies_to"')].count("\n") + 1
    assert (
        str(error.value)
        == f"line {line}, ras.uplifts[2].aplies_to is not a key the RAS format knows"
    )


# The general path's edges.


def test_amounts_too_large_for_64_bits_are_worked_out_in_pythons_integers() -> None:
    """Percentages that need a large common denominator (0.01% steps in five places) on the
    largest amounts: the engine switches to Python's integers and still equals the reference."""
    data = _with(
        lambda r: (
            r["price_per_point_pence"].update({"*": 100_000}),
            r["sections"][0]["points"].update(lots=10_000),
            r["uplifts"][1].update(basis_points=99_999),
            r["uplifts"][2].update(basis_points=12_347),
            r["carer_adjustment"]["reduction_basis_points"].update(willing_able=1_233),
            r["uplifts"].append(
                {
                    "code": "two",
                    "kind": "percent_of_sections",
                    "section": "night_care",
                    "sections": ["personal_care"],
                    "by_option": {"sometimes": 3_331},
                    "reason": "two workers",
                }
            ),
            r["uplifts"].append(
                {
                    "code": "more",
                    "kind": "percent_if_flag",
                    "flag": "rural",
                    "basis_points": 7_777,
                    "applies_to": "running",
                    "reason": "more",
                }
            ),
            r.update(ceiling_weekly_pence=10**8),
        )
    )
    ras = ras_parse(data)
    engine = Engine(ras)
    assert engine._may_overflow(10_000 * 100_000)
    result = engine.allocate(inputs_for(ras, [EVERYTHING]))
    expected = allocate_one(ras, EVERYTHING.answers, "older_people", EVERYTHING.flags)
    assert int(result.weekly_pence[0]) == expected["weekly"] == 10**8
    assert int(result.rounding_pence[0]) == expected["rounding"]
    assert {k: int(v[0]) for k, v in result.uplift_pence.items()} == expected["uplifts"]
    record = explanation(engine, result, 0)
    assert record["carer_of_pence"] == 10**9


def test_an_engine_refuses_what_the_file_refuses() -> None:
    ras = ras_parse(SPREADSHEET)
    with pytest.raises(ValueError, match="only a percent_if_flag uplift may be running"):
        Engine(replace(ras, uplifts=(replace(ras.uplifts[0], applies_to="running"),)))
    with pytest.raises(ValueError, match="Unknown arithmetic 'rough'"):
        Engine(replace(ras, arithmetic="rough"))


# The explanation page and the letter.


@pytest.mark.django_db
def test_the_explanation_and_letter_say_what_each_step_was_applied_to_and_where_it_rounded(
    client: Any, council: Any, monkeypatch: Any
) -> None:
    """The shipped RAS with the carer first, rural and agency on the running amount and
    exact arithmetic, for R001's answers (28 points, older person) with both flags:
    28 × 330 = 9240; carer − 20% of 9240 = − 1848 → 7392; rural + 10% of 7392 = 739.2 →
    8131.2; agency + 15% of 8131.2 = 1219.68 → 9350.88; once to the penny 9351, then to
    the pound 9400. Shown: 9240 − 1848 + 739 + 1220 = 9351, rounding + 49p = £94.00."""
    import datetime as dt

    from selfdirect.access.roles import Role
    from selfdirect.allocation import services, views
    from tests.allocation.test_allocations import _agree

    data = json.loads(SHIPPED[0].read_text())
    data["arithmetic"] = "exact"
    data["carer_adjustment"]["applies_to"] = "before_uplifts"
    for uplift in data["uplifts"]:
        if uplift["kind"] == "percent_if_flag":
            uplift["applies_to"] = "running"
    services.ras_version_create(actor=None, data=data, effective_from=dt.date.today())
    allocation = services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER],
        assessment=_agree(council),
        flags={"rural": True, "agency": True},
    )
    assert allocation.indicative_weekly_pence == 9400
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get(f"/budgets/{allocation.pk}/").content.decode()
    steps = [
        "Help from family or friends: the amount is reduced by £18.48 a week (20% of £92.40, "
        "the amount worked out above, before anything is added or taken away).",
        "Rural: £7.39 a week is added: 10% of £73.92, the amount after the steps above.",
        "Agency rate: £12.20 a week is added: 15% of £81.31, the amount after the steps above.",
        "Rounded once, at the end, to the nearest penny, then to the nearest pound: up by £0.49.",
    ]
    at = [page.index(step) for step in steps]
    assert at == sorted(at)  # in the order the amount was worked out
    assert "rounded only once, at the end" in page
    assert (
        "Rounding, once at the end" in page
        and "Help from family or friends (20% of £92.40)" in page
    )
    assert "the same as stored" in page
    shown: dict[str, str] = {}
    monkeypatch.setattr(
        views, "pdf_from_html", lambda html, base_url: shown.setdefault("html", html) and b"%PDF"
    )
    client.get(f"/budgets/{allocation.pk}/letter.pdf")
    letter = shown["html"]
    for step in steps:
        assert step in letter
    assert "rounded only once, at the end" in letter


@pytest.mark.django_db
def test_a_budget_made_before_the_new_words_reads_as_it_did(client: Any, council: Any) -> None:
    """A stored record without the new keys (made before them) shows today's sentences."""
    from selfdirect.access.roles import Role
    from selfdirect.allocation import services
    from selfdirect.allocation.models import Allocation
    from tests.allocation.test_allocations import _agree

    allocation = services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )
    new_keys = ("arithmetic", "rounding_unit_pence", "carer_applies_to", "carer_basis_points")
    old = {
        k: v for k, v in allocation.explanation.items() if k not in (*new_keys, "carer_of_pence")
    }
    old["uplifts"] = [{k: u[k] for k in ("code", "reason", "pence")} for u in old["uplifts"]]
    Allocation.objects.filter(pk=allocation.pk).update(explanation=old)
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get(f"/budgets/{allocation.pk}/").content.decode()
    assert "the amount is reduced by £18.48 a week (20%)." in page
    assert "The amount is rounded to the nearest pound (up by £0.08)." in page
    assert "worked out to the nearest penny as it goes" in page


# The hypothesis reference against the engine for every combination of the new options.


@pytest.mark.parametrize("arithmetic", ["stepwise", "exact"])
@pytest.mark.parametrize("uplifts_apply_to", ["base", "running"])
@pytest.mark.parametrize("carer_applies_to", ["after_uplifts", "before_uplifts"])
def test_every_combination_of_the_options_equals_the_reference(
    arithmetic: str, uplifts_apply_to: str, carer_applies_to: str
) -> None:
    """Random RAS files (every method, every code path) forced to one combination: every
    step for every person equals the plain reference (Python fractions for exact)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from tests.allocation.test_engine import _assert_matches, people, ras_documents

    @settings(max_examples=40, deadline=None)
    @given(ras_documents(), st.data(), st.sampled_from([1, 3, 32_768]))
    def check(document: Any, data: Any, chunk_rows: int) -> None:
        document["arithmetic"] = arithmetic
        for uplift in document.get("uplifts", []):
            if uplift["kind"] == "percent_if_flag":
                uplift["applies_to"] = uplifts_apply_to
        if "carer_adjustment" in document:
            document["carer_adjustment"]["applies_to"] = carer_applies_to
        ras = ras_parse(document)
        crowd = data.draw(people(ras))
        plans = data.draw(st.lists(st.integers(0, 10**6), min_size=len(crowd), max_size=len(crowd)))
        engine = Engine(ras, chunk_rows=chunk_rows)
        result = engine.allocate(
            replace(inputs_for(ras, crowd), plan_weekly_pence=np.array(plans, dtype=np.int64))
        )
        for i, person in enumerate(crowd):
            expected = allocate_one(ras, person.answers, person.user_group, person.flags, plans[i])
            _assert_matches(engine, result, i, expected, ras.method)
            record = explanation(engine, result, i)
            if not record["bound"]:  # the figures shown add up to the amount
                assert (
                    record["base_weekly_pence"]
                    + sum(u["pence"] for u in record["uplifts"])
                    + record["carer_adjustment_pence"]
                    + record["rounding_pence"]
                    == record["weekly_pence"]
                )

    check()


@pytest.mark.django_db
def test_the_whatif_prices_with_the_options_of_the_ras_in_force(
    client: Any, council: Any, settings: Any
) -> None:
    """The shipped RAS with the carer first, running rural and agency rates and exact
    arithmetic, in force; R001's answers with both flags come to £94.00 (as above). The
    what-if at £4.00 a point keeps the options: 28 × 400 = 11200; carer − 20% = − 2240 →
    8960; rural + 10% of 8960 = 896 → 9856; agency + 15% of 9856 = 1478.4 → 11334.4; to
    the penny 11334, to the pound £113.00. (Today's meaning would give 11200 + 1120 + 1680
    = 14000, less 20% = £112.00.)"""
    import datetime as dt

    from selfdirect.access.roles import Role
    from selfdirect.allocation import services
    from tests.allocation.test_allocations import _agree

    settings.SELFDIRECT_SMALL_COUNT_THRESHOLD = 1
    data = json.loads(SHIPPED[0].read_text())
    data["arithmetic"] = "exact"
    data["carer_adjustment"]["applies_to"] = "before_uplifts"
    for uplift in data["uplifts"]:
        if uplift["kind"] == "percent_if_flag":
            uplift["applies_to"] = "running"
    services.ras_version_create(actor=None, data=data, effective_from=dt.date.today())
    allocation = services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER],
        assessment=_agree(council),
        flags={"rural": True, "agency": True},
    )
    assert allocation.indicative_weekly_pence == 9400
    client.force_login(council.users[Role.COMMISSIONER])
    params = {
        "price_older_people": "4.00",
        "price_physical_disability": "3.60",
        "price_learning_disability": "4.20",
        "price_mental_health": "3.00",
        "price_carer": "2.50",
        "floor": "20.00",
        "ceiling": "1500.00",
        "carer_reduction": "20",
    }
    csv_text = client.get("/budgets/what-if/", {**params, "format": "csv"}).content.decode()
    assert csv_text.splitlines()[1].startswith("Everyone,Everyone,1,9400,11300,1900,")


@pytest.mark.django_db
def test_an_administrator_uploading_a_file_sees_an_unknown_key_named_and_the_options_shown(
    client: Any, council: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from selfdirect.access.roles import Role
    from selfdirect.allocation.models import RasVersion

    client.force_login(council.users[Role.ADMIN])
    data = json.loads(SHIPPED[0].read_text())
    data["uplifts"][2]["aplies_to"] = "running"
    page = client.post(
        "/admin/ras/", {"ras": SimpleUploadedFile("r.json", json.dumps(data).encode())}
    ).content.decode()
    assert "ras.uplifts[2].aplies_to is not a key the RAS format knows" in page
    assert not RasVersion.objects.filter(status="draft").exists()
    data["uplifts"][2]["applies_to"] = data["uplifts"][2].pop("aplies_to")
    data["arithmetic"] = "exact"
    data["carer_adjustment"]["applies_to"] = "before_uplifts"
    response = client.post(
        "/admin/ras/", {"ras": SimpleUploadedFile("r.json", json.dumps(data).encode())}
    )
    draft = RasVersion.objects.get(status="draft")
    assert draft.definition["arithmetic"] == "exact"
    page = client.get(response["Location"]).content.decode()
    assert "Exact: fractions of a penny are kept and the amount is rounded once, at the end" in page
    assert "(a percentage of the amount after the uplifts above it)" in page
    assert "(taken off before the uplifts)" in page


def test_calibration_recovers_the_prices_of_a_ras_with_the_new_options() -> None:
    """Calibration treats each amount as price × k + f: still so with the carer first,
    running uplifts and exact arithmetic, so costs made by such a RAS give its prices back."""
    from selfdirect.allocation.calibration import calibrate, packages_load

    shipped = ras_parse(json.loads(SHIPPED[1].read_text()))
    assert shipped.carer is not None
    options = replace(
        shipped,
        arithmetic="exact",
        carer=replace(shipped.carer, applies_to="before_uplifts"),
        uplifts=tuple(
            replace(u, applies_to="running") if u.kind == "percent_if_flag" else u
            for u in shipped.uplifts
        ),
    )
    truth = replace(
        options,
        price_per_point_pence=(
            ("learning_disability", 450),
            ("mental_health", 280),
            ("older_people", 350),
            ("physical_disability", 380),
        ),
        rounding_pence=1,
    )
    sample = (ROOT / "docs" / "samples" / "historic-packages.csv").read_text()
    refs, inputs, _actual = packages_load(sample, options)
    costs = Engine(truth).allocate(inputs).weekly_pence
    fitted = dict(calibrate(options, refs, inputs, costs).fitted.price_per_point_pence)
    for group, price in truth.price_per_point_pence:
        assert abs(fitted[group] - price) <= 1, group
