"""A deliberately plain, one-person-at-a-time RAS: the cross-check for the vectorised engine.
It lives only in the tests (and the benchmarks, which time it). It follows docs/ras-format.md
step by step with Python integers (and, for "arithmetic": "exact", Python's fractions) and
shares no code with the engine but the constants."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from selfdirect.allocation.engine import BASIS, WEEKS_PER_YEAR, RasDefinition


def _div(n: int, d: int) -> int:
    """n / d, halves rounded up (n is never negative here)."""
    return (n + d // 2) // d


def _penny(amount: Fraction) -> int:
    """An exact amount to the nearest penny, halves up (never negative here)."""
    return int((amount + Fraction(1, 2)) // 1)


def _for_group(table: tuple[tuple[str, int], ...], group: str) -> int:
    values = dict(table)
    return values[group] if group in values else values["*"]


def allocate_one(
    ras: RasDefinition,
    answers: dict[str, str],
    group: str,
    flags: dict[str, bool],
    plan_weekly_pence: int = 0,
) -> dict[str, Any]:
    exact = ras.arithmetic == "exact"

    def percent(amount: Any, basis_points: int) -> Any:
        """A percentage of an amount: kept exact, or rounded to the penny (halves up)."""
        return (
            amount * Fraction(basis_points, BASIS) if exact else _div(amount * basis_points, BASIS)
        )

    # 1. Points for each section's answer.
    points = {}
    for section in ras.sections:
        points[section.section_id] = section.points[
            section.option_ids.index(answers[section.section_id])
        ]
    total = sum(points.values())
    # 2. The carer-neutral amount by the method.
    price = _for_group(ras.price_per_point_pence, group) if ras.price_per_point_pence else 0
    base: Any
    if ras.method == "points":
        base = total * price
    elif ras.method == "hours":
        tenths = 0
        for band in ras.hours_bands:
            if total >= band.min_points:
                tenths = band.tenths_of_hours
        rate = _for_group(ras.hourly_rate_pence, group)
        base = Fraction(tenths * rate, 10) if exact else _div(tenths * rate, 10)
    else:
        base = plan_weekly_pence
    running = base
    # 4 (when it comes first). The carer adjustment before the uplifts.
    carer_share = (
        dict(ras.carer.reduction_basis_points).get(answers[ras.carer.section_id], 0)
        if ras.carer is not None
        else 0
    )
    adjustment: Any = 0
    if ras.carer is not None and ras.carer.applies_to == "before_uplifts":
        adjustment = -percent(base, carer_share)
        running = running + adjustment
    # 3. Uplifts in file order: of step 2's amount ("base") or of the amount so far ("running").
    uplifts: dict[str, Any] = {}
    for uplift in ras.uplifts:
        of = running if uplift.applies_to == "running" else base
        if uplift.kind == "weekly_pence":
            amount = dict(uplift.by_option).get(answers[uplift.section_id], 0)
        elif uplift.kind == "percent_of_sections":
            part = (
                sum(points[s] for s in uplift.sections) * price if ras.method == "points" else base
            )
            amount = percent(part, dict(uplift.by_option).get(answers[uplift.section_id], 0))
        else:
            amount = percent(of, uplift.basis_points) if flags.get(uplift.flag) else 0
        uplifts[uplift.code] = amount
        running = running + amount
    # 4. The carer adjustment after the uplifts (the default).
    if ras.carer is not None and ras.carer.applies_to == "after_uplifts":
        adjustment = -percent(running, carer_share)
        running = running + adjustment
    # 5. Rounding: with exact arithmetic once to the penny here; then the council's unit.
    amount = _penny(running) if exact else running
    rounded = _div(amount, ras.rounding_pence) * ras.rounding_pence
    # 6. Floor and ceiling, 7. the year.
    weekly = min(max(rounded, ras.floor_weekly_pence), ras.ceiling_weekly_pence)
    # Each figure as shown, to the penny; the rounding line makes them add up.
    shown_base = _penny(base) if exact else base
    shown_uplifts = {c: _penny(a) if exact else a for c, a in uplifts.items()}
    shown_adjustment = -_penny(-adjustment) if exact else adjustment
    neutral = shown_base + sum(shown_uplifts.values())
    return {
        "section_points": points,
        "total_points": total,
        "price": price,
        "base": shown_base,
        "uplifts": shown_uplifts,
        "neutral": neutral,
        "carer_adjustment": shown_adjustment,
        "rounding": rounded - neutral - shown_adjustment,
        "bound": "floor" if weekly > rounded else "ceiling" if weekly < rounded else "",
        "weekly": weekly,
        "annual": weekly * WEEKS_PER_YEAR,
    }
