"""Instrument definitions as JSON files (surveys/instruments/<code>.v<version>.json): the
shape is checked here, and ``instrument_build`` writes one into the database. The data
migration uses it with historical models, so it takes the model classes as arguments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"
KINDS = {"choice", "multi", "number", "text"}
POPULATIONS = {"holder", "carer", "any"}


class DefinitionError(ValueError):
    pass


def definition_check(data: Any) -> dict[str, Any]:
    """The definition if its shape is right; otherwise DefinitionError naming what is wrong."""
    if not isinstance(data, dict):
        raise DefinitionError("The definition must be a JSON object")
    for key in ("code", "version", "name", "population", "scales", "items"):
        if key not in data:
            raise DefinitionError(f"The definition has no {key}")
    if data["population"] not in POPULATIONS:
        raise DefinitionError(f"Unknown population {data['population']!r}")
    if not isinstance(data["version"], int) or data["version"] < 1:
        raise DefinitionError("The version must be a whole number from 1")
    scales: dict[str, list[str]] = {}
    for scale in data["scales"]:
        codes = [str(o["code"]) for o in scale["options"]]
        if not codes or len(set(codes)) != len(codes):
            raise DefinitionError(f"Scale {scale['code']} needs options with different codes")
        if any(not str(o.get("label", "")).strip() for o in scale["options"]):
            raise DefinitionError(f"Scale {scale['code']} has an option without a label")
        if scale["code"] in scales:
            raise DefinitionError(f"Scale {scale['code']} is defined twice")
        scales[scale["code"]] = codes
    seen: set[str] = set()
    for item in data["items"]:
        code = item.get("code", "")
        if not code or code in seen:
            raise DefinitionError(f"Item code {code!r} is missing or used twice")
        seen.add(code)
        kind = item.get("kind", "choice")
        if kind not in KINDS:
            raise DefinitionError(f"Item {code} has an unknown kind {kind!r}")
        if kind in {"choice", "multi"} and item.get("scale") not in scales:
            raise DefinitionError(f"Item {code} needs one of the instrument's scales")
        if not str(item.get("text", "")).strip():
            raise DefinitionError(f"Item {code} has no text")
    return data


def definition_read(path: Path) -> dict[str, Any]:
    return definition_check(json.loads(path.read_text(encoding="utf-8")))


def instrument_build(
    *,
    instrument_model: Any,
    scale_model: Any,
    item_model: Any,
    data: dict[str, Any],
    status: str,
    published_at: Any = None,
) -> Any:
    """Create the instrument, its scales and its items from a checked definition."""
    instrument = instrument_model.objects.create(
        code=data["code"],
        version=data["version"],
        name=data["name"],
        population=data["population"],
        description=data.get("description", ""),
        licence_note=data.get("licence_note", ""),
        status="draft",
        # Only when set: the shipped definitions (and the data migration's historical
        # model, which predates these fields) have none.
        **{k: data[k] for k in ("wording_loaded", "wording_licence") if data.get(k)},
    )
    scales = {
        s["code"]: scale_model.objects.create(
            instrument=instrument, code=s["code"], name=s["name"], options=s["options"]
        )
        for s in data["scales"]
    }
    item_model.objects.bulk_create(
        item_model(
            instrument=instrument,
            code=i["code"],
            position=i.get("position", n),
            group=i["group"],
            kind=i.get("kind", "choice"),
            text=i["text"],
            easy_read_text=i.get("easy_read", ""),
            scale=scales.get(i.get("scale", "")),
            label=i.get("label", ""),
            minimum=i.get("minimum"),
            maximum=i.get("maximum"),
        )
        for n, i in enumerate(data["items"], 1)
    )
    # Its status last: a published instrument's scales and items can no longer be saved.
    if status != "draft":
        instrument_model.objects.filter(pk=instrument.pk).update(
            status=status, published_at=published_at
        )
        instrument.status, instrument.published_at = status, published_at
    return instrument


def instrument_definition(instrument: Any) -> dict[str, Any]:
    """The definition of a stored instrument, in the file shape (for a new version)."""
    scales = [
        {"code": s.code, "name": s.name, "options": s.options}
        for s in instrument.scales.order_by("code")
    ]
    items = []
    for i in instrument.items.select_related("scale").order_by("position"):
        entry: dict[str, Any] = {
            "code": i.code,
            "group": i.group,
            "kind": i.kind,
            "text": i.text,
            "position": i.position,
        }
        for key, value in (
            ("scale", i.scale.code if i.scale else ""),
            ("easy_read", i.easy_read_text),
            ("label", i.label),
            ("minimum", i.minimum),
            ("maximum", i.maximum),
        ):
            if value not in ("", None):
                entry[key] = value
        items.append(entry)
    return {
        "code": instrument.code,
        "version": instrument.version,
        "name": instrument.name,
        "population": instrument.population,
        "description": instrument.description,
        "licence_note": instrument.licence_note,
        "wording_loaded": instrument.wording_loaded,
        "wording_licence": instrument.wording_licence,
        "scales": scales,
        "items": items,
    }
