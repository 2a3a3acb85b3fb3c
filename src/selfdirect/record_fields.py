"""A stored record as the whole-record export writes it: every concrete field by its column
name (ids for the people, staff and records it points to), dates as ISO text, UUIDs and
decimals as text (the export is JSON). The apps
below the portal use it to hand their part of a person's record to the export."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any


def stored_fields(instance: Any) -> dict[str, object]:
    out: dict[str, object] = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, uuid.UUID | Decimal):
            value = str(value)
        out[field.attname] = value
    return out
