"""Checks on identifiers people give us: NHS numbers and UK postcodes. Pure functions."""

from __future__ import annotations

import re

NHS_NUMBER_INVALID = "Enter a valid NHS number, like 943 476 5919"
NHS_NUMBER_LENGTH = "NHS number must be 10 digits"
POSTCODE_INVALID = "Enter a real postcode, like AA1 1AA"

_POSTCODE = re.compile(
    r"^(GIR0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]?[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def nhs_number_normalise(value: str) -> str:
    """Digits only: '485 777 3456' and '485-777-3456' become '4857773456'."""
    return re.sub(r"[\s-]", "", value or "")


def nhs_number_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for nine digits, or None if no valid number can end them."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(first_nine))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_number_error(value: str) -> str | None:
    """None if ``value`` is a valid NHS number (spaces allowed), else the message to show."""
    digits = nhs_number_normalise(value)
    if not digits.isdigit() or len(digits) != 10:
        return NHS_NUMBER_LENGTH
    if nhs_number_check_digit(digits[:9]) != int(digits[9]) or len(set(digits)) == 1:
        return NHS_NUMBER_INVALID
    return None


def postcode_normalise(value: str) -> str:
    """Upper case with one space before the inward code: 'sw1a1aa' becomes 'SW1A 1AA'."""
    compact = re.sub(r"\s", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def postcode_error(value: str) -> str | None:
    compact = re.sub(r"\s", "", value or "").upper()
    return None if _POSTCODE.match(compact) else POSTCODE_INVALID
