"""Money in and money out: the figures behind spending and income answers.

Pure functions over transactions that already carry a category (contracts/chat.md):
- spending over a period is what went out, minus refunds in the same category, booked and
  pending; transfers (between own accounts, and to and from friends) are not spending;
- income is what came in, except transfers from the customer's own accounts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kluis.domain import Account, AccountKind, Transaction
from kluis.money import Money

NOT_SPENDING = frozenset({"income", "transfers"})
_REFUND_CODES = frozenset({"PMNT-CCRD-RIMB"})
_MASKED_PAN = re.compile(r"\d{4,6}\*{4,8}(\d{4})")


@dataclass(frozen=True, slots=True)
class OwnAccounts:
    """The customer's own account numbers, to recognise money moving between them."""

    ibans: frozenset[str]
    card_suffixes: frozenset[str]
    card_resources: frozenset[str]

    @classmethod
    def of(cls, accounts: Iterable[Account]) -> OwnAccounts:
        accounts = list(accounts)
        return cls(
            ibans=frozenset(a.iban.replace(" ", "") for a in accounts if a.iban),
            card_suffixes=frozenset(a.masked_pan[-4:] for a in accounts if a.masked_pan),
            card_resources=frozenset(
                a.resource_id for a in accounts if a.kind is AccountKind.CREDIT_CARD
            ),
        )


def is_own_transfer(transaction: Transaction, own: OwnAccounts) -> bool:
    """Money moving between the customer's own accounts, including card repayments."""
    if (
        transaction.counterparty_iban
        and transaction.counterparty_iban.replace(" ", "") in own.ibans
    ):
        return True
    if transaction.remittance:
        for match in _MASKED_PAN.finditer(transaction.remittance):
            if match.group(1) in own.card_suffixes:
                return True
    return (
        transaction.resource_id in own.card_resources
        and transaction.amount.amount > 0
        and transaction.merchant_category_code is None
        and transaction.bank_transaction_code not in _REFUND_CODES
    )


@dataclass(frozen=True, slots=True)
class Categorised:
    """A transaction with the category Kluis gave it."""

    transaction: Transaction
    category: str
    own_transfer: bool

    @property
    def day(self) -> date | None:
        return self.transaction.effective_date


def within(items: Iterable[Categorised], start: date, end: date) -> list[Categorised]:
    return [item for item in items if item.day is not None and start <= item.day <= end]


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Totals per label (category or merchant), largest first, and their sum."""

    total: Money
    parts: tuple[tuple[str, Money], ...]
    count: int


def _breakdown(totals: dict[str, Decimal], count: int, currency: str) -> Breakdown:
    parts = tuple(
        (label, Money(value, currency))
        for label, value in sorted(totals.items(), key=lambda item: (-item[1], item[0]))
        if value != 0
    )
    return Breakdown(Money(sum(totals.values(), Decimal(0)), currency), parts, count)


def spending(
    items: Sequence[Categorised],
    *,
    category: str | None = None,
    merchant: str | None = None,
    currency: str = "EUR",
) -> Breakdown:
    """Money out minus refunds, per category (or per merchant when one is asked for)."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    count = 0
    for item in items:
        if item.category in NOT_SPENDING or item.own_transfer:
            continue
        if item.transaction.amount.currency != currency:
            continue
        if category is not None and item.category != category:
            continue
        name = (item.transaction.counterparty_name or "").lower()
        if merchant is not None and merchant not in name:
            continue
        key = item.category if merchant is None else (item.transaction.counterparty_name or "?")
        totals[key] -= item.transaction.amount.amount
        count += item.transaction.amount.amount < 0
    return _breakdown(totals, count, currency)


def income(items: Sequence[Categorised], *, currency: str = "EUR") -> Breakdown:
    """Money in, except from the customer's own accounts, per payer."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    count = 0
    for item in items:
        amount = item.transaction.amount
        if amount.amount <= 0 or item.own_transfer or amount.currency != currency:
            continue
        totals[item.transaction.counterparty_name or "?"] += amount.amount
        count += 1
    return _breakdown(totals, count, currency)
