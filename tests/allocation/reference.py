"""A deliberately plain, one-person-at-a-time RAS: the cross-check for the vectorised engine.
It lives only in the tests (and the benchmarks, which time it). It follows docs/ras-format.md
step by step with Python integers and shares no code with the engine but the constants."""

from __future__ import annotations

from typing import Any

from selfdirect.allocation.engine import BASIS, WEEKS_PER_YEAR, RasDefinition


def _div(n: int, d: int) -> int:
    """n / d, halves rounded up (n is never negative here)."""
    return (n + d // 2) // d


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
    # 1. Points for each section's answer.
    points = {}
    for section in ras.sections:
        points[section.section_id] = section.points[
            section.option_ids.index(answers[section.section_id])
        ]
    total = sum(points.values())
    # 2. The carer-neutral amount by the method.
    price = _for_group(ras.price_per_point_pence, group) if ras.price_per_point_pence else 0
    if ras.method == "points":
        base = total * price
    elif ras.method == "hours":
        tenths = 0
        for band in ras.hours_bands:
            if total >= band.min_points:
                tenths = band.tenths_of_hours
        base = _div(tenths * _for_group(ras.hourly_rate_pence, group), 10)
    else:
        base = plan_weekly_pence
    # 3. Uplifts, each from the carer-neutral amount.
    uplifts = {}
    for uplift in ras.uplifts:
        if uplift.kind == "weekly_pence":
            uplifts[uplift.code] = dict(uplift.by_option).get(answers[uplift.section_id], 0)
        elif uplift.kind == "percent_of_sections":
            part = (
                sum(points[s] for s in uplift.sections) * price if ras.method == "points" else base
            )
            uplifts[uplift.code] = _div(
                part * dict(uplift.by_option).get(answers[uplift.section_id], 0), BASIS
            )
        else:
            uplifts[uplift.code] = (
                _div(base * uplift.basis_points, BASIS) if flags.get(uplift.flag) else 0
            )
    neutral = base + sum(uplifts.values())
    # 4. The carer adjustment.
    adjustment = 0
    if ras.carer is not None:
        adjustment = -_div(
            neutral * dict(ras.carer.reduction_basis_points).get(answers[ras.carer.section_id], 0),
            BASIS,
        )
    amount = neutral + adjustment
    # 5. Rounding, 6. floor and ceiling, 7. the year.
    rounded = _div(amount, ras.rounding_pence) * ras.rounding_pence
    weekly = min(max(rounded, ras.floor_weekly_pence), ras.ceiling_weekly_pence)
    return {
        "section_points": points,
        "total_points": total,
        "price": price,
        "base": base,
        "uplifts": uplifts,
        "neutral": neutral,
        "carer_adjustment": adjustment,
        "rounding": rounded - amount,
        "bound": "floor" if weekly > rounded else "ceiling" if weekly < rounded else "",
        "weekly": weekly,
        "annual": weekly * WEEKS_PER_YEAR,
    }
