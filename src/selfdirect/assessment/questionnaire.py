"""Questionnaire definitions as data: parsed and checked into frozen dataclasses (no Django).

A definition is the JSON document an administrator imports, exports and publishes as a
version (docs/questionnaire-format.md). One question per section, one answer per
question; each option has points. Sections may be a "bolt-on" for one user group, may
raise a referral (a trigger), and may map to a Care Act eligibility outcome.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KINDS = ("self", "carer")
TRIGGERS = ("supporting_people", "access_to_work", "adaptations", "equipment")
TRIGGER_NAMES = {
    "supporting_people": "Supporting People (housing-related support)",
    "access_to_work": "Access to Work",
    "adaptations": "Home adaptations (Disabled Facilities Grant)",
    "equipment": "Community equipment",
}
USER_GROUPS = (
    "older_people",
    "physical_disability",
    "learning_disability",
    "mental_health",
    "carer",
)
_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"


class DefinitionError(ValueError):
    """A definition that breaks a rule; the message names where (e.g. sections[3].options[1].points)."""


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    points: int
    triggers_referral: bool = False


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    question: str
    options: tuple[Option, ...]
    hint: str = ""
    guidance: str = ""
    outcome: str = ""  # Care Act outcome code (A-J adults, CA-CH carers), if any
    bolt_on_for: str = ""  # a user group, if this section is only asked of that group
    trigger: str = ""  # a referral this section can raise

    def option(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)


@dataclass(frozen=True)
class Definition:
    code: str
    title: str
    kind: str
    sections: tuple[Section, ...]
    introduction: str = ""

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def sections_for(self, user_group: str) -> tuple[Section, ...]:
        """Core sections plus the bolt-ons for ``user_group``."""
        return tuple(s for s in self.sections if not s.bolt_on_for or s.bolt_on_for == user_group)


def _text(
    data: dict[str, Any], key: str, where: str, *, required: bool = True, limit: int = 2000
) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise DefinitionError(f"{where}.{key} must be text")
    value = value.strip()
    if required and not value:
        raise DefinitionError(f"{where}.{key} is required")
    if len(value) > limit:
        raise DefinitionError(f"{where}.{key} must be {limit} characters or fewer")
    return value


def _identifier(data: dict[str, Any], where: str) -> str:
    value = data.get("id")
    if not isinstance(value, str) or not _ID.match(value):
        raise DefinitionError(
            f"{where}.id must be lower-case letters, digits and _ (starting with a letter), up to 40 characters"
        )
    return value


def definition_parse(data: Any) -> Definition:
    """Check a definition document and build it; raises DefinitionError naming the place."""
    if not isinstance(data, dict):
        raise DefinitionError("The definition must be a JSON object")
    code = _text(data, "code", "definition", limit=60)
    title = _text(data, "title", "definition", limit=200)
    kind = data.get("kind")
    if kind not in KINDS:
        raise DefinitionError(f"definition.kind must be one of {', '.join(KINDS)}")
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise DefinitionError("definition.sections must be a non-empty list")
    sections = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_sections):
        where = f"sections[{i}]"
        if not isinstance(raw, dict):
            raise DefinitionError(f"{where} must be an object")
        section_id = _identifier(raw, where)
        if section_id in seen:
            raise DefinitionError(f"{where}.id {section_id!r} is used by another section")
        seen.add(section_id)
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or len(raw_options) < 2:
            raise DefinitionError(f"{where}.options must list at least two options")
        options = []
        option_ids: set[str] = set()
        for j, raw_option in enumerate(raw_options):
            owhere = f"{where}.options[{j}]"
            if not isinstance(raw_option, dict):
                raise DefinitionError(f"{owhere} must be an object")
            option_id = _identifier(raw_option, owhere)
            if option_id in option_ids:
                raise DefinitionError(
                    f"{owhere}.id {option_id!r} is used by another option in this section"
                )
            option_ids.add(option_id)
            points = raw_option.get("points")
            if not isinstance(points, int) or isinstance(points, bool) or not 0 <= points <= 1000:
                raise DefinitionError(f"{owhere}.points must be a whole number from 0 to 1000")
            options.append(
                Option(
                    id=option_id,
                    text=_text(raw_option, "text", owhere, limit=500),
                    points=points,
                    triggers_referral=bool(raw_option.get("triggers_referral", False)),
                )
            )
        bolt_on = raw.get("bolt_on_for", "") or ""
        if bolt_on and bolt_on not in USER_GROUPS:
            raise DefinitionError(f"{where}.bolt_on_for must be one of {', '.join(USER_GROUPS)}")
        trigger = raw.get("trigger", "") or ""
        if trigger and trigger not in TRIGGERS:
            raise DefinitionError(f"{where}.trigger must be one of {', '.join(TRIGGERS)}")
        if any(o.triggers_referral for o in options) and not trigger:
            raise DefinitionError(f"{where}.trigger is required when an option triggers a referral")
        sections.append(
            Section(
                id=section_id,
                title=_text(raw, "title", where, limit=120),
                question=_text(raw, "question", where, limit=300),
                options=tuple(options),
                hint=_text(raw, "hint", where, required=False),
                guidance=_text(raw, "guidance", where, required=False),
                outcome=_text(raw, "outcome", where, required=False, limit=4),
                bolt_on_for=bolt_on,
                trigger=trigger,
            )
        )
    return Definition(
        code=code,
        title=title,
        kind=kind,
        sections=tuple(sections),
        introduction=_text(data, "introduction", "definition", required=False),
    )


def definition_canonical(data: Any) -> str:
    """Canonical JSON (sorted keys, no spaces) so equal definitions hash equally."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def definition_hash(data: Any) -> str:
    return hashlib.sha256(definition_canonical(data).encode()).hexdigest()


def default_definition(code: str) -> dict[str, Any]:
    """A definition shipped with Selfdirect: ``self-assessment`` or ``carers-assessment``."""
    loaded: dict[str, Any] = json.loads(
        (DEFINITIONS_DIR / f"{code}.json").read_text(encoding="utf-8")
    )
    return loaded
