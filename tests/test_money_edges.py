"""Money at the edge of a form: the amount to edit is exact (Decimal), never a float."""

from __future__ import annotations

import pytest

from selfdirect.money import pounds_field


@pytest.mark.parametrize(
    ("pence", "shown"),
    [
        (None, ""),
        (0, "0.00"),
        (5, "0.05"),
        (123456, "1234.56"),
        (-250, "-2.50"),
        # A float would show 90071992547409.93 as ...409.92 or worse; Decimal keeps every penny.
        (9007199254740993, "90071992547409.93"),
    ],
)
def test_an_amount_in_pence_is_shown_exactly_for_editing(pence: int | None, shown: str) -> None:
    assert pounds_field(pence) == shown
