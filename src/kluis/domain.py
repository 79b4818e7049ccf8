"""The things Kluis talks about, as frozen dataclasses shared by every package."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Final, Literal, get_args
from zoneinfo import ZoneInfo

from kluis.money import Money

# The bank's own time: when a payment was made, quiet hours, "today 14:02".
BANK_TIME_ZONE = ZoneInfo("Europe/Amsterdam")

Category = Literal[
    "groceries",
    "eating_out",
    "transport",
    "fuel",
    "housing",
    "utilities",
    "telecom",
    "insurance",
    "health",
    "shopping",
    "entertainment",
    "subscriptions",
    "travel",
    "cash",
    "income",
    "transfers",
    "fees",
    "education",
    "charity",
    "pets",
    "kids",
    "taxes",
    "other",
]
"""The categories of contracts/nlu.md, shared by the bank's truth, understanding and insights."""

CATEGORIES: Final[tuple[Category, ...]] = get_args(Category)


def as_category(name: str) -> Category:
    """`name` as a `Category`; a `ValueError` if it is not one of the categories."""
    for category in CATEGORIES:
        if category == name:
            return category
    raise ValueError(f"not a category: {name!r}")


class AccountKind(StrEnum):
    CHECKING = "checking"
    SAVINGS = "savings"
    CREDIT_CARD = "credit_card"


class BookingStatus(StrEnum):
    BOOKED = "booked"
    PENDING = "pending"


class ConsentStatus(StrEnum):
    """Berlin Group consent statuses, as the bank reports them."""

    RECEIVED = "received"
    REJECTED = "rejected"
    VALID = "valid"
    REVOKED_BY_PSU = "revokedByPsu"
    EXPIRED = "expired"
    TERMINATED_BY_TPP = "terminatedByTpp"
    PARTIALLY_AUTHORISED = "partiallyAuthorised"

    @property
    def is_final(self) -> bool:
        """No read will ever be allowed again under a consent in this status."""
        return self in {
            ConsentStatus.REJECTED,
            ConsentStatus.REVOKED_BY_PSU,
            ConsentStatus.EXPIRED,
            ConsentStatus.TERMINATED_BY_TPP,
        }


class DataKind(StrEnum):
    """The kinds of account data a consent grants, counted separately for PSD2 limits."""

    DETAILS = "details"
    BALANCES = "balances"
    TRANSACTIONS = "transactions"


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    name: str
    language: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ChannelIdentity:
    """A person on a platform (a Messenger PSID, a Telegram chat id) linked to a customer."""

    channel: str
    platform_user_id: str
    customer_id: str


@dataclass(frozen=True, slots=True)
class BankConnection:
    """A customer's relationship with one bank: where it is and who they are there."""

    id: int
    customer_id: str
    bank_name: str
    bank_url: str
    psu_id: str


@dataclass(frozen=True, slots=True)
class ConsentAccess:
    """What a consent covers: account references per kind of data, or all accounts."""

    all_accounts: bool = False
    accounts: tuple[str, ...] = ()
    balances: tuple[str, ...] = ()
    transactions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Consent:
    """A consent as Kluis keeps it. `bank_consent_id` is a credential: sealed at rest."""

    id: int
    connection_id: int
    customer_id: str
    bank_consent_id: str
    status: ConsentStatus
    access: ConsentAccess
    valid_until: date
    frequency_per_day: int
    recurring: bool
    created_at: datetime
    ended_at: datetime | None = None
    restricted_to: tuple[str, ...] | None = None  # resource ids still allowed, if narrowed
    reminder_sent_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Account:
    """An account as the bank describes it; `resource_id` is the bank's id for it."""

    resource_id: str
    kind: AccountKind
    currency: str
    name: str | None = None
    iban: str | None = None
    masked_pan: str | None = None
    product: str | None = None
    owner_name: str | None = None


@dataclass(frozen=True, slots=True)
class Balance:
    resource_id: str
    balance_type: str
    amount: Money
    reference_date: date | None = None


@dataclass(frozen=True, slots=True)
class Transaction:
    """One transaction as the bank serves it.

    `transaction_id` is the bank's id; when the bank gives none, the connector derives a
    stable one from the entry's content so that reading it twice never stores it twice.
    """

    resource_id: str
    transaction_id: str
    status: BookingStatus
    amount: Money
    booking_date: date | None = None
    value_date: date | None = None
    transaction_date: date | None = None
    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    creditor_id: str | None = None
    mandate_id: str | None = None
    end_to_end_id: str | None = None
    entry_reference: str | None = None
    remittance: str | None = None
    bank_transaction_code: str | None = None
    merchant_category_code: str | None = None
    # The ISO 20022 purpose code the payer (or, for a direct debit, the creditor) gave the
    # payment, four capitals ("SALA" salary, "RENT", "INSU" an insurance premium).
    purpose_code: str | None = None
    masked_pan: str | None = None
    # When the payment was made, to the minute, where the bank says (card payments).
    occurred_at: datetime | None = None

    @property
    def effective_date(self) -> date | None:
        """The date a customer would put on it: booking, else transaction, else value date."""
        return self.booking_date or self.transaction_date or self.value_date


@dataclass(frozen=True, slots=True)
class StoredTransaction:
    """A transaction as stored, with when Kluis first and last saw it."""

    transaction: Transaction
    account_id: int
    first_seen: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """A disclosure or another event the customer can read back."""

    customer_id: str
    action: str
    data_category: str
    at: datetime
    consent_id: int | None = None
    channel: str | None = None
    intent: str | None = None
    accounts: tuple[str, ...] = ()
    detail: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ConversationMessage:
    customer_id: str
    channel: str
    direction: str  # "in" or "out"
    text: str
    at: datetime
    platform_message_id: str | None = None
