"""An allocation's stored record (``engine.explanation``) as the steps the explanation page
and the letter show, in plain English and in the order the amount was worked out: what
each uplift and the carer adjustment was a percentage of, and where rounding happened
(each step to the penny, or once at the end). Records stored before these words existed
lack the new keys and read as they always did. No Django."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from selfdirect.money import pounds

OF_BASE = "the amount worked out above, before anything is added or taken away"
OF_RUNNING = "the amount after the steps above"
OF_SECTIONS = "the part of the amount that comes from the points for the help it covers"
OF_AFTER_UPLIFTS = "the amount after the additions above"
STEPWISE = "Each step is worked out to the nearest penny as it goes (half a penny rounds up)."
EXACT = (
    "The figures are shown to the nearest penny, but the amount was worked out exactly, "
    "keeping fractions of a penny, and rounded only once, at the end."
)


@dataclass(frozen=True)
class Step:
    """One line of the working: what it is, its sign and amount, and in words why."""

    label: str  # for the table: "Rural travel (10% of £60.84)"
    sign: str  # "+" or "−"
    pence: int  # never negative: the sign says which way
    sentence: str  # for the numbered list


def percent(basis_points: int) -> str:
    """1250 -> '12.5%', 1000 -> '10%', 1 -> '0.01%' (exact, from the integer)."""
    whole, hundredths = divmod(basis_points, 100)
    return f"{whole}.{hundredths:02d}".rstrip("0").rstrip(".") + "%"


def _uplift(item: dict[str, Any]) -> Step:
    label = item["code"].replace("_", " ").capitalize()
    pence = item["pence"]
    applies_to = item.get("applies_to")
    if applies_to in ("base", "running", "sections") and "of_pence" in item:
        of = {"base": OF_BASE, "running": OF_RUNNING, "sections": OF_SECTIONS}[applies_to]
        share = f"{percent(item['basis_points'])} of {pounds(item['of_pence'])}"
        return Step(
            f"{label} ({share})",
            "+",
            pence,
            f"{label}: {pounds(pence)} a week is added: {share}, {of}. {item['reason']}",
        )
    fixed = ", a fixed amount" if applies_to == "" else ""
    return Step(
        label, "+", pence, f"{label}: {pounds(pence)} a week is added{fixed}. {item['reason']}"
    )


def _carer(record: dict[str, Any]) -> Step:
    pence = -record["carer_adjustment_pence"]
    if "carer_basis_points" in record:
        of = OF_BASE if record["carer_applies_to"] == "before_uplifts" else OF_AFTER_UPLIFTS
        share = f"{percent(record['carer_basis_points'])} of {pounds(record['carer_of_pence'])}"
        words = f"{share}, {of}"
    else:  # a record from before: the percentage from the amounts it kept
        neutral = record["carer_neutral_weekly_pence"]
        share = f"{round(100 * pence / neutral) if neutral else 0}%"
        words = share
    return Step(
        f"Help from family or friends ({share})",
        "−",
        pence,
        f"Help from family or friends: the amount is reduced by {pounds(pence)} a week "
        f"({words}). {record['carer_reason']}",
    )


def explanation_steps(record: dict[str, Any]) -> dict[str, Any]:
    """The uplifts and the carer adjustment in the order they were worked out, the rounding
    line, and the sentence saying where rounding happened."""
    steps = [_uplift(u) for u in record["uplifts"]]
    if record["carer_adjustment_pence"]:
        carer = _carer(record)
        if record.get("carer_applies_to") == "before_uplifts":
            steps.insert(0, carer)
        else:
            steps.append(carer)
    exact = record.get("arithmetic") == "exact"
    unit = record.get("rounding_unit_pence", 100)
    to = "the nearest penny, then to the nearest pound" if unit == 100 else "the nearest penny"
    rounding = record["rounding_pence"]
    direction = "up" if rounding > 0 else "down"
    if exact:
        rounding_label = "Rounding, once at the end"
        rounding_sentence = (
            f"Rounded once, at the end, to {to}: {direction} by {pounds(abs(rounding))}."
        )
    else:
        rounding_label = "Rounding to the nearest pound" if unit == 100 else "Rounding"
        rounding_sentence = (
            f"The amount is rounded to the nearest pound ({direction} by {pounds(abs(rounding))})."
        )
    return {
        "steps": steps,
        "where_rounded": EXACT if exact else STEPWISE,
        "rounding_label": rounding_label,
        "rounding_sentence": rounding_sentence,
    }
