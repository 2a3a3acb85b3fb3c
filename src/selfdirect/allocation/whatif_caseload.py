"""Runs the what-if over the stored caseload: each person's stored answers priced by a draft
RAS version or by the version in force with changed prices, against their amount now. Used
by the what-if page and by saved scenarios (re-run over the very caseload they ran on)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from selfdirect.allocation.engine import RasDefinition
from selfdirect.allocation.models import RasVersion
from selfdirect.allocation.pricing import Person as Priced
from selfdirect.allocation.pricing import price
from selfdirect.allocation.selectors import caseload_for_whatif
from selfdirect.allocation.services import ras_definition
from selfdirect.allocation.whatif import (
    AGE_BANDS,
    CHANGE_BANDS,
    Dimension,
    WhatIf,
    age_band_index,
    change_band_index,
    compare,
)
from selfdirect.people import codes

GROUPS = [(g.value, g.label) for g in codes.UserGroup]
SEX_LABELS = ("Female", "Male", "Other or not known")
ETHNICITIES = [(e.value, e.label) for e in codes.Ethnicity]
SUPPORT_REASONS = [(r.value, r.label) for r in codes.PrimarySupportReason]


@dataclass(frozen=True)
class Figures:
    """A what-if's result, and the caseload it ran on: each allocation priced and the
    amount it was compared with, so a saved scenario can be run again exactly."""

    summary: WhatIf
    caseload: list[tuple[int, int]]


def proposed_ras(ras: RasDefinition, data: dict[str, Any]) -> RasDefinition:
    prices = tuple(
        (group, data.get(f"price_{group}_pence", pence))
        for group, pence in ras.price_per_point_pence
    )
    carer = ras.carer
    if carer is not None:
        reductions = dict(carer.reduction_basis_points)
        reductions["willing_able"] = data["carer_reduction"] * 100
        carer = replace(carer, reduction_basis_points=tuple(sorted(reductions.items())))
    return replace(
        ras,
        price_per_point_pence=prices,
        floor_weekly_pence=data["floor_pence"],
        ceiling_weekly_pence=data["ceiling_pence"],
        carer=carer,
        version=ras.version + 1,
        title=f"{ras.title} (what-if)",
    )


def _index(values: list[str], chosen: list[Any], otherwise: int) -> npt.NDArray[np.intp]:
    where = {v: i for i, v in enumerate(values)}
    return np.array([where.get(c, otherwise) for c in chosen], dtype=np.intp)


def _priced(ras: RasDefinition, people: list[Priced]) -> npt.NDArray[np.int64]:
    if not people:
        return np.zeros(0, np.int64)
    _engine, result = price(ras, people)
    return result.weekly_pence.astype(np.int64)


def _run(
    ras: RasDefinition,
    rows: list[dict[str, Any]],
    today: dt.date,
    baseline: RasDefinition | None = None,
) -> tuple[WhatIf, npt.NDArray[np.int64]]:
    """Each person's amount under ``ras`` against their amount now: the current weekly
    amount (signed off, else indicative), or, given a ``baseline`` RAS (the version in force,
    for a draft), that RAS's amount for the same stored answers."""
    people = [
        Priced(
            dict(r["inputs"]["answers"]), str(r["inputs"]["user_group"]), dict(r["inputs"]["flags"])
        )
        for r in rows
    ]
    if baseline is not None:
        current = _priced(baseline, people)
    else:
        current = np.array(
            [
                r["agreed_weekly_pence"]
                if r["agreed_weekly_pence"] is not None
                else r["indicative_weekly_pence"]
                for r in rows
            ],
            dtype=np.int64,
        )
    proposed = _priced(ras, people)
    group_values = [g for g, _l in GROUPS]
    group_index = np.array(
        [
            group_values.index(r["person__user_group"])
            if r["person__user_group"] in group_values
            else 0
            for r in rows
        ],
        dtype=np.intp,
    )
    ages = np.array(
        [(today - r["person__date_of_birth"]).days * 4 // 1461 for r in rows], dtype=np.int64
    )
    sex = np.array(
        [
            0
            if r["person__gender"] == codes.Gender.FEMALE
            else 1
            if r["person__gender"] == codes.Gender.MALE
            else 2
            for r in rows
        ],
        dtype=np.intp,
    )
    dimensions = [
        Dimension("User group", tuple(label for _g, label in GROUPS), group_index),
        Dimension("Age band", tuple(label for _s, label in AGE_BANDS), age_band_index(ages)),
        Dimension("Sex", SEX_LABELS, sex),
        Dimension(
            "Ethnicity",
            tuple(label for _e, label in ETHNICITIES),
            _index(
                [e for e, _l in ETHNICITIES],
                [r["person__ethnicity"] for r in rows],
                len(ETHNICITIES) - 1,
            ),
        ),
        Dimension(
            "Primary support reason",
            tuple(label for _r, label in SUPPORT_REASONS),
            _index(
                [r for r, _l in SUPPORT_REASONS],
                [r["person__primary_support_reason"] for r in rows],
                len(SUPPORT_REASONS) - 1,
            ),
        ),
        Dimension("Change", CHANGE_BANDS, change_band_index(current, proposed)),
    ]
    return compare(current, proposed, dimensions), current


def whatif_figures(
    *,
    in_force: RasVersion,
    draft: RasVersion | None = None,
    edits: dict[str, int] | None = None,
    on: dt.date,
    caseload: list[tuple[int, int]] | None = None,
) -> Figures:
    """The what-if over today's caseload: a draft RAS version against the version in force,
    or the version in force with ``edits`` (prices, limits and carer reduction, in pence and
    per cent as the form cleans them) against each person's amount now. Given the
    ``caseload`` of an earlier run, over those allocations and amounts instead; ages are as
    at ``on``."""
    ras = ras_definition(in_force)
    if caseload is None:
        rows = caseload_for_whatif()
    else:
        # The same allocations, compared with the same amounts as when it was saved.
        amounts = dict(caseload)
        rows = caseload_for_whatif(allocation_ids=set(amounts))
        for row in rows:
            row["agreed_weekly_pence"] = amounts[row["id"]]
    if draft is not None:
        summary, current = _run(ras_definition(draft), rows, on, baseline=ras)
    else:
        summary, current = _run(proposed_ras(ras, edits or {}), rows, on)
    return Figures(
        summary, [(int(r["id"]), int(c)) for r, c in zip(rows, current.tolist(), strict=True)]
    )
