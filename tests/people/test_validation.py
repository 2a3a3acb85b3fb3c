"""NHS numbers (modulus 11) and postcodes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfdirect.people.validation import (
    NHS_NUMBER_INVALID,
    NHS_NUMBER_LENGTH,
    POSTCODE_INVALID,
    nhs_number_check_digit,
    nhs_number_error,
    postcode_error,
    postcode_normalise,
)


@pytest.mark.parametrize("number", ["943 476 5919", "9434765919", "943-476-5919", "401 023 2137"])
def test_valid_nhs_numbers_pass(number: str) -> None:
    assert nhs_number_error(number) is None


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("943 476 5918", NHS_NUMBER_INVALID),  # wrong check digit
        ("12345", NHS_NUMBER_LENGTH),
        ("94347659191", NHS_NUMBER_LENGTH),
        ("94347659ab", NHS_NUMBER_LENGTH),
        ("0000000000", NHS_NUMBER_INVALID),  # all one digit
    ],
)
def test_invalid_nhs_numbers_name_the_problem(number: str, message: str) -> None:
    assert nhs_number_error(number) == message


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_check_digit_makes_a_valid_number_and_any_other_digit_does_not(first_nine: str) -> None:
    check = nhs_number_check_digit(first_nine)
    if check is None or len(set(first_nine + str(check))) == 1:
        return
    assert nhs_number_error(first_nine + str(check)) is None
    for other in set(range(10)) - {check}:
        assert nhs_number_error(first_nine + str(other)) == NHS_NUMBER_INVALID


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        (" b33  8th ", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
    ],
)
def test_postcodes_normalise(raw: str, normalised: str) -> None:
    assert postcode_error(raw) is None
    assert postcode_normalise(raw) == normalised


@pytest.mark.parametrize("raw", ["", "SW1A", "12345", "QQ1 1AA", "SW1A 1A"])
def test_bad_postcodes_are_refused(raw: str) -> None:
    assert postcode_error(raw) == POSTCODE_INVALID
