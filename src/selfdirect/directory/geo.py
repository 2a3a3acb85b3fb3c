"""Postcodes and distances: a postcode in the form the directory keeps, its outward part,
and the great-circle distance between two centroids in whole metres (decision 0042: a
few lines of the haversine formula rather than a package)."""

from __future__ import annotations

import math
import re
from decimal import Decimal

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG), in metres
METRES_PER_MILE = 1609.344
# A UK postcode: outward code (area, district) and inward code (sector, unit).
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def postcode_key(text: str) -> str | None:
    """ "dm1 2ab" -> "DM12AB"; None if it is not shaped like a UK postcode."""
    key = re.sub(r"\s+", "", text or "").upper()
    return key if POSTCODE.match(key) else None


def postcode_display(key: str) -> str:
    """ "DM12AB" -> "DM1 2AB"."""
    return f"{key[:-3]} {key[-3:]}"


def outward(key: str) -> str:
    """The outward code, "DM1": an area, never an address."""
    match = POSTCODE.match(key)
    return match.group(1) if match else ""


def distance_m(lat1: Decimal, lon1: Decimal, lat2: Decimal, lon2: Decimal) -> int:
    """Metres along the earth's surface (a sphere: within 0.5% of the ellipsoid), rounded."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp = p2 - p1
    dl = math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a))))


def miles_text(metres: int) -> str:
    """ "0.4 miles", "12 miles": one decimal place under ten miles."""
    miles = Decimal(metres) / Decimal(str(METRES_PER_MILE))
    if miles < 10:
        shown = miles.quantize(Decimal("0.1"))
        return f"{shown} mile" if shown == 1 else f"{shown} miles"
    return f"{miles.quantize(Decimal('1'))} miles"
