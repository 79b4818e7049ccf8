from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kluis.money import Money, total

cents = st.integers(min_value=-(10**13), max_value=10**13)


def test_formats_per_locale() -> None:
    amount = Money(Decimal("1234.56"), "EUR")
    assert amount.format("nl") == "€ 1.234,56"
    assert amount.format("en") == "€1,234.56"
    assert Money(Decimal("-1234.5"), "EUR").format("nl") == "€ -1.234,50"
    assert Money(Decimal("-1234.5"), "EUR").format("en") == "-€1,234.50"
    assert Money(Decimal("5"), "USD").format("en") == "$5.00"


def test_refuses_floats_and_mixed_currencies() -> None:
    with pytest.raises(TypeError):
        Money(12.5, "EUR")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cannot combine"):
        _ = Money(Decimal(1), "EUR") + Money(Decimal(1), "USD")
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(Decimal(1), "euro")


@pytest.mark.parametrize("text", ["abc", "1e5", "NaN", "Infinity", ""])
def test_parse_rejects_what_is_not_a_plain_amount(text: str) -> None:
    with pytest.raises(ValueError, match="amount"):
        Money.parse(text, "EUR")


def test_parse_reads_bank_amounts() -> None:
    assert Money.parse("-12.50", "eur") == Money(Decimal("-12.50"), "EUR")


@given(cents)
def test_minor_units_round_trip(minor: int) -> None:
    money = Money.from_minor(minor, "EUR")
    assert money.minor_units == minor
    assert Money.parse(money.to_api(), "EUR") == money


@given(st.lists(cents, max_size=50))
def test_sum_is_exact(values: list[int]) -> None:
    amounts = [Money.from_minor(value, "EUR") for value in values]
    assert total(amounts, "EUR").minor_units == sum(values)


@given(cents, cents)
def test_addition_and_subtraction_are_inverse(first: int, second: int) -> None:
    a, b = Money.from_minor(first, "EUR"), Money.from_minor(second, "EUR")
    assert (a + b) - b == a
    negated = -a
    assert -negated == a
    assert (a < b) == (first < second)


def test_minor_units_refuse_to_round() -> None:
    with pytest.raises(ValueError, match="decimals"):
        _ = Money(Decimal("0.001"), "EUR").minor_units
