"""Money: a `Decimal` amount with an ISO 4217 currency, and locale formatting."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

from babel.numbers import format_currency, get_currency_precision

Locale = Literal["nl", "en"]

_BABEL_LOCALES: dict[str, str] = {"nl": "nl_NL", "en": "en_US"}


@lru_cache(maxsize=64)
def _precision(currency: str) -> int:
    """Decimals of the currency's minor unit (2 for EUR), looked up in Babel once."""
    return int(get_currency_precision(currency))


def _minor_unit(currency: str) -> Decimal:
    return Decimal(1).scaleb(-_precision(currency))


@dataclass(frozen=True, slots=True, order=False)
class Money:
    """An exact amount in one currency. Negative amounts are money going out.

    Arithmetic between different currencies raises `ValueError`: Kluis never converts
    silently.
    """

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money.amount must be a Decimal")
        if not self.amount.is_finite():
            raise ValueError("Money.amount must be finite")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError("currency must be a three-letter ISO 4217 code")

    @classmethod
    def parse(cls, amount: str, currency: str) -> Money:
        """Read an amount as banks send it ("-12.50"); raise ValueError on anything else."""
        text = amount.strip()
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError("not a decimal amount") from exc
        if not value.is_finite() or "e" in text.lower():
            raise ValueError("not a plain decimal amount")
        return cls(value, currency.upper())

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal("0.00"), currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount >= other.amount

    def quantized(self) -> Money:
        """Rounded to the currency's minor unit (banker's rounding)."""
        return Money(
            self.amount.quantize(_minor_unit(self.currency), rounding=ROUND_HALF_EVEN),
            self.currency,
        )

    @classmethod
    def from_minor(cls, minor_units: int, currency: str) -> Money:
        """From an integer count of the currency's minor unit (cents for EUR)."""
        return cls(Decimal(minor_units).scaleb(-_precision(currency)), currency)

    @property
    def minor_units(self) -> int:
        """The amount as an integer count of minor units; refuses to round silently."""
        scaled = self.amount.scaleb(_precision(self.currency))
        if scaled != scaled.to_integral_value():
            raise ValueError("amount has more decimals than the currency allows")
        return int(scaled)

    def to_api(self) -> str:
        """The amount as an API string with the currency's decimals ("-12.50")."""
        return format(self.quantized().amount, "f")

    def format(self, locale: Locale) -> str:
        """`€ 1.234,56` for nl, `€1,234.56` for en, with each locale's own minus sign place."""
        return format_money(self, locale)


def format_money(money: Money, locale: Locale) -> str:
    """Format for people in the customer's language."""
    quantized = money.quantized()
    text = format_currency(quantized.amount, quantized.currency, locale=_BABEL_LOCALES[locale])
    # Babel writes a no-break space between symbol and number in nl; keep a plain space so
    # that chat platforms and terminals render the same thing.
    return text.replace("\xa0", " ").replace("\u202f", " ")


def total(amounts: list[Money], currency: str) -> Money:
    """Sum of amounts in one currency (zero when empty)."""
    result = Money.zero(currency)
    for amount in amounts:
        result = result + amount
    return result
