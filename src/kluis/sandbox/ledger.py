"""The sandbox bank's books as they stand on the sandbox clock's today.

`SandboxBank` generates the deterministic ledger for a seed a little beyond today and
answers what a bank knows on a given day: which transactions exist (made on or before
today), which of them are still pending (booked after today), and the balances.

Balances (all amounts signed; a credit card's balance is what is owed, so negative):

- `closingBooked`: the opening balance plus every booked transaction.
- `expected`: closing booked plus every pending transaction. This is what the customer
  calls their balance, and the truth's `balance`.
- `interimAvailable`: what can be spent now, which is expected plus the credit limit
  where the account has one (credit cards; the balance then says `creditLimitIncluded`).

Card payments refused because the card was blocked (see `BlockPeriod`) never reach the
books: they are left out everywhere, in the API and in the truth alike.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from kluis.config import Settings
from kluis.errors import SandboxError
from kluis.money import Money
from kluis.sandbox.clock import SandboxClock
from kluis.sandbox.generator import DEMO_PROFILES, CustomerProfile, generate
from kluis.sandbox.model import (
    SandboxAccount,
    SandboxCard,
    SandboxCustomer,
    SandboxData,
    SandboxTransaction,
)
from kluis.sandbox.state import BlockPeriod

EntryStatus = Literal["booked", "pending"]
CardBlocks = Mapping[str, Sequence[BlockPeriod]]
BlocksKey = tuple[tuple[str, tuple[BlockPeriod, ...]], ...]

DEFAULT_HORIZON_DAYS = 60
_NO_BLOCKS: CardBlocks = {}

# Generating a ledger takes a moment; banks with the same seed, horizon and profiles (the
# CLI and the server in one process, or many tests) share the result.
_GENERATED: dict[tuple[int, date, int], tuple[Sequence[CustomerProfile], SandboxData]] = {}
_GENERATED_LIMIT = 8
_ENTRIES_LIMIT = 256


def _generate_shared(seed: int, until: date, profiles: Sequence[CustomerProfile]) -> SandboxData:
    key = (seed, until, id(profiles))
    cached = _GENERATED.get(key)
    if cached is not None and cached[0] is profiles:
        return cached[1]
    data = generate(seed, until, profiles)
    if len(_GENERATED) >= _GENERATED_LIMIT:
        _GENERATED.pop(next(iter(_GENERATED)))
    _GENERATED[key] = (profiles, data)
    return data


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """A transaction as the bank sees it on a day: booked once its booking date has come."""

    record: SandboxTransaction
    status: EntryStatus


@dataclass(frozen=True, slots=True)
class AccountBalances:
    """An account's balances on `day` (see the module docstring for what each one means)."""

    account: SandboxAccount
    day: date
    closing_booked: Money
    expected: Money
    interim_available: Money
    credit_limit_included: bool


class _Index:
    """The generated data, indexed for the questions the bank is asked."""

    def __init__(self, data: SandboxData) -> None:
        self.data = data
        self.customers = {customer.id: customer for customer in data.customers}
        self.accounts = {account.resource_id: account for account in data.accounts}
        self.cards = {card.card_id: card for card in data.cards}
        grouped: dict[str, list[SandboxTransaction]] = {key: [] for key in self.accounts}
        for transaction in data.transactions:
            grouped.setdefault(transaction.resource_id, []).append(transaction)
        self.transactions = {key: tuple(value) for key, value in grouped.items()}
        self.dates = {
            key: [transaction.transaction_date for transaction in value]
            for key, value in self.transactions.items()
        }


class SandboxBank:
    """The sandbox's ledger over its clock; every question is answered for the clock's today.

    The ledger is generated up to `today + horizon_days` and generated again, further
    ahead, once the clock passes that date. Generation is deterministic for a seed and
    prefix-stable, so nothing already seen changes.
    """

    def __init__(
        self,
        seed: int,
        clock: SandboxClock,
        *,
        profiles: Sequence[CustomerProfile] = DEMO_PROFILES,
        horizon_days: int = DEFAULT_HORIZON_DAYS,
    ) -> None:
        if horizon_days < 0:
            raise SandboxError("the generation horizon cannot be negative")
        self._seed = seed
        self._clock = clock
        self._profiles = profiles
        self._horizon = timedelta(days=horizon_days)
        self._index: _Index | None = None
        # Entries per (account, day, blocks): a sync pages through the same list many times.
        self._entries: dict[tuple[str, date, BlocksKey], tuple[LedgerEntry, ...]] = {}

    @classmethod
    def from_settings(cls, settings: Settings, *, seed: int | None = None) -> SandboxBank:
        """The bank for these settings: their seed (unless `seed` is given) and clock."""
        clock = SandboxClock(settings.sandbox_dir)
        return cls(settings.sandbox_seed if seed is None else seed, clock)

    @property
    def seed(self) -> int:
        return self._seed

    @property
    def clock(self) -> SandboxClock:
        return self._clock

    def today(self) -> date:
        """The sandbox clock's date."""
        return self._clock.today()

    def data(self) -> SandboxData:
        """The generated ledger, covering at least today."""
        return self._current().data

    def _current(self) -> _Index:
        today = self._clock.today()
        if self._index is None or self._index.data.until < today:
            data = _generate_shared(self._seed, today + self._horizon, self._profiles)
            self._index = _Index(data)
            self._entries.clear()
        return self._index

    # --- customers, accounts, cards -------------------------------------------------

    def customers(self) -> tuple[SandboxCustomer, ...]:
        """Every demo customer, in the generator's order."""
        return self._current().data.customers

    def customer(self, customer_id: str) -> SandboxCustomer | None:
        return self._current().customers.get(customer_id)

    def account(self, resource_id: str) -> SandboxAccount | None:
        return self._current().accounts.get(resource_id)

    def accounts_of(self, customer_id: str) -> tuple[SandboxAccount, ...]:
        """The customer's accounts, in the generator's order."""
        return tuple(
            account
            for account in self._current().data.accounts
            if account.customer_id == customer_id
        )

    def card(self, card_id: str) -> SandboxCard | None:
        return self._current().cards.get(card_id)

    def cards_of(self, customer_id: str) -> tuple[SandboxCard, ...]:
        """The customer's cards, debit and credit, in the generator's order."""
        return tuple(card for card in self._current().data.cards if card.customer_id == customer_id)

    def card_for_pan(self, masked_pan: str) -> SandboxCard | None:
        """The card with this masked PAN, if any."""
        for card in self._current().data.cards:
            if card.masked_pan == masked_pan:
                return card
        return None

    # --- the books --------------------------------------------------------------------

    def entries(
        self, resource_id: str, *, card_blocks: CardBlocks = _NO_BLOCKS
    ) -> tuple[LedgerEntry, ...]:
        """The account's transactions that exist today, oldest first, each booked or pending.

        Card payments refused by a block in `card_blocks` (card id -> periods) are left out.
        """
        index = self._current()
        today = self._clock.today()
        key = (resource_id, today, blocks_key(card_blocks))
        cached = self._entries.get(key)
        if cached is not None:
            return cached
        transactions = index.transactions.get(resource_id, ())
        visible = transactions[: bisect.bisect_right(index.dates.get(resource_id, []), today)]
        entries = tuple(
            LedgerEntry(transaction, "pending" if transaction.booking_date > today else "booked")
            for transaction in visible
            if not _declined(transaction, card_blocks)
        )
        if len(self._entries) >= _ENTRIES_LIMIT:
            self._entries.clear()
        self._entries[key] = entries
        return entries

    def balances(
        self, resource_id: str, *, card_blocks: CardBlocks = _NO_BLOCKS
    ) -> AccountBalances:
        """The account's balances today; raises `SandboxError` for an unknown account."""
        account = self.account(resource_id)
        if account is None:
            raise SandboxError("no such account at the sandbox bank")
        booked = Money(account.opening_balance, account.currency)
        pending = Money.zero(account.currency)
        for entry in self.entries(resource_id, card_blocks=card_blocks):
            amount = Money(entry.record.amount, entry.record.currency)
            if entry.status == "booked":
                booked = booked + amount
            else:
                pending = pending + amount
        expected = booked + pending
        limit = account.credit_limit
        available = expected if limit is None else expected + Money(limit, account.currency)
        return AccountBalances(
            account=account,
            day=self._clock.today(),
            closing_booked=booked.quantized(),
            expected=expected.quantized(),
            interim_available=available.quantized(),
            credit_limit_included=limit is not None,
        )


def blocks_key(card_blocks: CardBlocks) -> BlocksKey:
    """A hashable form of the card blocks, to cache what depends on them."""
    return tuple(sorted((card_id, tuple(periods)) for card_id, periods in card_blocks.items()))


def _declined(transaction: SandboxTransaction, card_blocks: CardBlocks) -> bool:
    if transaction.card_id is None:
        return False
    periods = card_blocks.get(transaction.card_id, ())
    return any(period.declines(transaction.transaction_date) for period in periods)
