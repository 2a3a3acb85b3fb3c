"""Units and rates as people type them (on the page, in a CSV file, through the API): units
in hundredths, rates in pence, with the same words for the same mistake everywhere."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

UNITS_FORMAT = "Enter the units as a number, like 7.5, with at most two decimal places"
RATE_FORMAT = "Enter the rate in pounds, like 18.50"
MAX_UNITS = Decimal("100000")
MAX_RATE = Decimal("100000")


def units_hundredths(text: str) -> int:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation as bad:
        raise ValueError(UNITS_FORMAT) from bad
    if not value.is_finite() or value <= 0 or value > MAX_UNITS:
        raise ValueError(UNITS_FORMAT)
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(UNITS_FORMAT)
    return int(value * 100)


def rate_pence(text: str) -> int:
    cleaned = (text or "").strip().replace("£", "").replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as bad:
        raise ValueError(RATE_FORMAT) from bad
    if not value.is_finite() or value <= 0 or value > MAX_RATE:
        raise ValueError(RATE_FORMAT)
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(RATE_FORMAT)
    return int(value * 100)
