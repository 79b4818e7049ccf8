"""The truth about one customer: what the sandbox bank knows, for tests and evaluations.

`kluis sandbox truth --json` prints `Truth.to_json()`; the shape is fixed by
contracts/sandbox.md (keys may be added, none renamed). Only transactions that exist on the
clock's today are included, with the category, recurring series and fraud flag that the
Berlin Group API never serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kluis.errors import SandboxError
from kluis.money import Money
from kluis.sandbox.ledger import CardBlocks, EntryStatus, LedgerEntry, SandboxBank
from kluis.sandbox.model import AccountKind, Language

JsonObject = dict[str, object]


@dataclass(frozen=True, slots=True)
class TruthCustomer:
    id: str
    name: str
    language: Language

    def to_json(self) -> JsonObject:
        return {"id": self.id, "name": self.name, "language": self.language}


@dataclass(frozen=True, slots=True)
class TruthAccount:
    resource_id: str
    kind: AccountKind
    iban: str | None
    masked_pan: str | None
    currency: str
    name: str
    balance: Money

    def to_json(self) -> JsonObject:
        return {
            "resourceId": self.resource_id,
            "type": self.kind,
            "iban": self.iban,
            "maskedPan": self.masked_pan,
            "currency": self.currency,
            "name": self.name,
            "balance": {"amount": self.balance.to_api(), "currency": self.balance.currency},
        }


@dataclass(frozen=True, slots=True)
class TruthTransaction:
    """One transaction; `booking_date` is the ledger's (for a pending one: when it will book)."""

    transaction_id: str
    resource_id: str
    transaction_date: date
    booking_date: date
    status: EntryStatus
    amount: Money
    counterparty: str
    category: str
    recurring: str | None
    fraud: bool
    card_id: str | None

    def to_json(self) -> JsonObject:
        return {
            "transactionId": self.transaction_id,
            "resourceId": self.resource_id,
            "bookingDate": self.booking_date.isoformat(),
            "transactionDate": self.transaction_date.isoformat(),
            "status": self.status,
            "amount": self.amount.to_api(),
            "currency": self.amount.currency,
            "counterparty": self.counterparty,
            "category": self.category,
            "recurring": self.recurring,
            "fraud": self.fraud,
            "cardId": self.card_id,
        }


@dataclass(frozen=True, slots=True)
class TruthCard:
    card_id: str
    resource_id: str
    masked_pan: str
    blocked: bool

    def to_json(self) -> JsonObject:
        return {
            "cardId": self.card_id,
            "resourceId": self.resource_id,
            "maskedPan": self.masked_pan,
            "blocked": self.blocked,
        }


@dataclass(frozen=True, slots=True)
class Truth:
    """Everything the bank knows about one customer on `today`."""

    customer: TruthCustomer
    today: date
    accounts: tuple[TruthAccount, ...]
    transactions: tuple[TruthTransaction, ...]
    cards: tuple[TruthCard, ...]

    def to_json(self) -> JsonObject:
        """The contract's JSON object; amounts are strings such as "-12.50"."""
        return {
            "customer": self.customer.to_json(),
            "today": self.today.isoformat(),
            "accounts": [account.to_json() for account in self.accounts],
            "transactions": [transaction.to_json() for transaction in self.transactions],
            "cards": [card.to_json() for card in self.cards],
        }


def build_truth(
    bank: SandboxBank,
    customer_id: str,
    *,
    card_blocks: CardBlocks,
    blocked_cards: frozenset[str],
) -> Truth:
    """The truth for `customer_id`; raises `SandboxError` for an unknown customer.

    `card_blocks` (card id -> block periods) decides which card payments were refused;
    `blocked_cards` which cards are blocked now. Both come from the sandbox state.
    """
    customer = bank.customer(customer_id)
    if customer is None:
        raise SandboxError(f"unknown sandbox customer: {customer_id}")
    accounts: list[TruthAccount] = []
    entries: list[LedgerEntry] = []
    for account in bank.accounts_of(customer.id):
        balances = bank.balances(account.resource_id, card_blocks=card_blocks)
        accounts.append(
            TruthAccount(
                resource_id=account.resource_id,
                kind=account.kind,
                iban=account.iban,
                masked_pan=account.masked_pan,
                currency=account.currency,
                name=account.name,
                balance=balances.expected,
            )
        )
        entries.extend(bank.entries(account.resource_id, card_blocks=card_blocks))
    # The ledger's own order, across the customer's accounts.
    entries.sort(
        key=lambda entry: (
            entry.record.transaction_date,
            entry.record.time_of_day,
            entry.record.transaction_id,
        )
    )
    transactions = tuple(_truth_transaction(entry) for entry in entries)
    cards = tuple(
        TruthCard(
            card_id=card.card_id,
            resource_id=card.resource_id,
            masked_pan=card.masked_pan,
            blocked=card.card_id in blocked_cards,
        )
        for card in bank.cards_of(customer.id)
    )
    return Truth(
        customer=TruthCustomer(customer.id, customer.name, customer.language),
        today=bank.today(),
        accounts=tuple(accounts),
        transactions=transactions,
        cards=cards,
    )


def _truth_transaction(entry: LedgerEntry) -> TruthTransaction:
    record = entry.record
    return TruthTransaction(
        transaction_id=record.transaction_id,
        resource_id=record.resource_id,
        transaction_date=record.transaction_date,
        booking_date=record.booking_date,
        status=entry.status,
        amount=Money(record.amount, record.currency),
        counterparty=record.counterparty_name,
        category=record.category,
        recurring=record.recurring,
        fraud=record.fraud,
        card_id=record.card_id,
    )
