"""A stored record as the whole-record export writes it: every concrete field by its column
name (ids for the people, staff and records it points to), dates as ISO text. The apps
below the portal use it to hand their part of a person's record to the export."""

from __future__ import annotations

import datetime as dt
from typing import Any


def stored_fields(instance: Any) -> dict[str, object]:
    out: dict[str, object] = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        out[field.attname] = value.isoformat() if isinstance(value, dt.date) else value
    return out
