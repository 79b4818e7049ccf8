"""What the sandbox bank knows: its customers, accounts, cards and every transaction.

These records are the bank's own ledger. Fields marked *truth only* are never served
through the Berlin Group API; they exist so that tests and evaluations can compare what
Kluis works out with what the bank knows to be true.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Literal

Language = Literal["nl", "en"]
AccountKind = Literal["checking", "savings", "credit_card"]


@dataclass(frozen=True, slots=True)
class SandboxCustomer:
    """A demo customer; `id` is what the API calls the PSU-ID."""

    id: str
    name: str
    language: Language


@dataclass(frozen=True, slots=True)
class SandboxAccount:
    """An account at the sandbox bank.

    Checking and savings accounts have an IBAN; a credit-card account has a masked PAN
    instead. `opening_balance` is the balance before the first generated transaction, so
    the balance on any day is the opening balance plus every transaction up to that day.
    """

    resource_id: str
    customer_id: str
    kind: AccountKind
    currency: str
    name: str
    product: str
    iban: str | None
    masked_pan: str | None
    bic: str | None
    opening_balance: Decimal
    credit_limit: Decimal | None


@dataclass(frozen=True, slots=True)
class SandboxCard:
    """A payment card: a debit card draws on checking, a credit card on its own account."""

    card_id: str
    customer_id: str
    resource_id: str
    masked_pan: str


@dataclass(frozen=True, slots=True)
class SandboxTransaction:
    """One entry in an account's history.

    It becomes visible at the bank on `transaction_date` and stays pending until
    `booking_date` (card payments book a day or two later; transfers book the same day).
    Amounts are negative for money going out.
    """

    transaction_id: str
    resource_id: str
    transaction_date: date
    booking_date: date
    value_date: date
    time_of_day: time
    amount: Decimal
    currency: str
    counterparty_name: str
    counterparty_iban: str | None
    creditor_id: str | None
    mandate_id: str | None
    remittance: str | None
    end_to_end_id: str | None
    bank_transaction_code: str
    mcc: str | None
    card_id: str | None
    category: str  # truth only: one of the categories in contracts/nlu.md
    recurring: str | None  # truth only: the id of the recurring series it belongs to
    fraud: bool  # truth only
    # The ISO 20022 purpose code the payer gave, where it gave one ("SALA", "INSU").
    purpose_code: str | None = None


@dataclass(frozen=True, slots=True)
class SandboxData:
    """Everything the generator produced for one seed, up to `until` (inclusive).

    Transactions are sorted by (transaction_date, time_of_day, transaction_id).
    """

    seed: int
    until: date
    customers: tuple[SandboxCustomer, ...]
    accounts: tuple[SandboxAccount, ...]
    cards: tuple[SandboxCard, ...]
    transactions: tuple[SandboxTransaction, ...]
