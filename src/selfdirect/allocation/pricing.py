"""Pricing people described as plain dicts (answers by section id and option id): the
bridge between stored assessments and the vectorised engine. No Django."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from selfdirect.allocation.engine import Engine, Inputs, RasDefinition, Result, explanation
from selfdirect.assessment.questionnaire import Definition


@dataclass(frozen=True)
class Person:
    answers: dict[
        str, str
    ]  # section id -> option id; a section not answered scores its fewest points
    user_group: str
    flags: dict[str, bool]


def inputs_for(ras: RasDefinition, people: list[Person]) -> Inputs:
    groups: dict[str, int] = {}
    rows = []
    for person in people:
        row = []
        for section in ras.sections:
            chosen = person.answers.get(section.section_id)
            row.append(section.option_ids.index(chosen) if chosen in section.option_ids else 0)
        rows.append(row)
        groups.setdefault(person.user_group, len(groups))
    flag_names = {u.flag for u in ras.uplifts if u.kind == "percent_if_flag"}
    return Inputs(
        options=np.array(rows, dtype=np.int16),
        group_index=np.array([groups[p.user_group] for p in people], dtype=np.int16),
        groups=tuple(groups),
        flags={f: np.array([bool(p.flags.get(f)) for p in people]) for f in flag_names},
    )


def price(ras: RasDefinition, people: list[Person]) -> tuple[Engine, Result]:
    engine = Engine(ras)
    return engine, engine.allocate(inputs_for(ras, people))


def price_one(ras: RasDefinition, person: Person) -> dict[str, Any]:
    """One person's explanation record (weekly_pence, annual_pence and every step)."""
    engine, result = price(ras, [person])
    return explanation(engine, result, 0)


def sections_unpriced(ras: RasDefinition, questionnaire: Definition) -> list[str]:
    """The titles of the questionnaire's sections this RAS does not price, in questionnaire
    order: a section it does not name, or one with an answer it gives no points (such an
    answer would silently score the section's fewest points)."""
    priced = {s.section_id: set(s.option_ids) for s in ras.sections}
    return [
        section.title
        for section in questionnaire.sections
        if section.id not in priced or any(o.id not in priced[section.id] for o in section.options)
    ]
