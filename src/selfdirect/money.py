"""Money at the edge: integer pence shown as pounds, exactly (no floats)."""

from __future__ import annotations

from decimal import Decimal


def pounds(pence: int | Decimal | None) -> str:
    """123456 -> '£1,234.56'; -250 -> '-£2.50'."""
    if pence is None:
        return ""
    amount = Decimal(pence) / 100
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def pounds_field(pence: int | None) -> str:
    """The amount as a form shows it for editing, exactly: 123456 -> '1234.56'; None -> ''."""
    if pence is None:
        return ""
    return f"{Decimal(pence) / 100:.2f}"
