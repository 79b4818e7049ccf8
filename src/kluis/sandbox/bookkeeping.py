"""One customer's transactions for one calendar month, as the generator writes them.

`MonthBook` is the only place transactions are made. It gives each one a stable id (a
hash of the seed, account, month and the order in which it was written), keeps the
card limit in view, and answers what an account held at a moment in the month. Amounts
are whole cents internally and become two-decimal `Decimal`s on the way out.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from kluis.domain import Category
from kluis.sandbox.dates import days_in_month
from kluis.sandbox.identifiers import stable_hex, stable_rng, transaction_id
from kluis.sandbox.model import SandboxAccount, SandboxCard, SandboxCustomer, SandboxTransaction

RECEIVED_TRANSFER = "PMNT-RCDT-ESCT"
ISSUED_TRANSFER = "PMNT-ICDT-ESCT"
STANDING_ORDER = "PMNT-ICDT-STDO"
DIRECT_DEBIT = "PMNT-IDDT-ESDD"
CARD_PAYMENT = "PMNT-CCRD-POSD"
CARD_REFUND = "PMNT-CCRD-RIMB"
CASH_WITHDRAWAL = "PMNT-CCRD-CWDL"
BANK_CHARGES = "PMNT-MDOP-CHRG"
INTEREST = "PMNT-MCOP-INTR"

_CREDIT_MARGIN = 2_500
"""Cents of the credit limit the generator never uses, so rounding cannot breach it."""


def clock(hours: float) -> time:
    """The time of day `hours` after midnight, clamped to the day (14.5 -> 14:30:00)."""
    seconds = min(max(int(hours * 3600), 0), 86_399)
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60)


def between(rng: random.Random, start_hour: float, end_hour: float) -> time:
    """A uniformly random time of day between two hours."""
    return clock(rng.uniform(start_hour, end_hour))


def later(at: time, minutes: float) -> time:
    """`at` plus some minutes, never past the end of the day."""
    return clock(at.hour + at.minute / 60 + at.second / 3600 + minutes / 60)


def money(amount_in_cents: int) -> Decimal:
    """Cents as a two-decimal `Decimal` (1250 -> Decimal("12.50"))."""
    return Decimal(amount_in_cents).scaleb(-2)


@dataclass(frozen=True, slots=True)
class CustomerAccounts:
    """A customer's accounts and cards as the generator uses them."""

    customer: SandboxCustomer
    checking: SandboxAccount
    savings: SandboxAccount | None
    credit: SandboxAccount | None
    debit_card: SandboxCard
    credit_card: SandboxCard | None

    def account_of(self, card: SandboxCard) -> SandboxAccount:
        """The account a card draws on."""
        if self.credit is not None and card.resource_id == self.credit.resource_id:
            return self.credit
        return self.checking


class MonthBook:
    """Collects one customer's transactions for the month starting on `first`.

    `opening` holds each account's balance in cents before the month. The book is
    written in a fixed order by the generator; that order numbers the transactions.
    """

    def __init__(
        self, seed: int, accounts: CustomerAccounts, first: date, opening: Mapping[str, int]
    ) -> None:
        self.seed = seed
        self.accounts = accounts
        self.first = first
        self.days = days_in_month(first)
        self.last = first.replace(day=self.days)
        self._opening = dict(opening)
        self._entries: list[tuple[SandboxTransaction, int]] = []
        self._counters: dict[str, int] = {}
        self._references = 0
        credit = accounts.credit
        limit = (
            0 if credit is None or credit.credit_limit is None else int(credit.credit_limit * 100)
        )
        self._credit_room = limit + self._opening.get(credit.resource_id, 0) if credit else 0
        self._credit_room -= _CREDIT_MARGIN

    @property
    def customer_id(self) -> str:
        return self.accounts.customer.id

    @property
    def transactions(self) -> list[SandboxTransaction]:
        """What has been written so far, in writing order."""
        return [transaction for transaction, _ in self._entries]

    def rng(self, purpose: str) -> random.Random:
        """A generator for one purpose in this month, independent of every other one."""
        return stable_rng(self.seed, self.customer_id, f"{self.first:%Y-%m}", purpose)

    def day(self, number: int) -> date:
        """Day `number` of the month, clamped to its length."""
        return self.first.replace(day=min(max(number, 1), self.days))

    def opening(self, resource_id: str) -> int:
        """The account's balance in cents before this month."""
        return self._opening.get(resource_id, 0)

    def reference(self, prefix: str) -> str:
        """A fresh end-to-end id, e.g. for both legs of one transfer."""
        self._references += 1
        digest = stable_hex(
            14, self.seed, self.customer_id, f"{self.first:%Y-%m}", self._references
        )
        return f"{prefix}{self.first:%y%m}{digest}"

    def record(
        self,
        account: SandboxAccount,
        on: date,
        at: time,
        amount_in_cents: int,
        counterparty: str,
        code: str,
        category: Category,
        *,
        booking_delay: int = 0,
        counterparty_iban: str | None = None,
        creditor_id: str | None = None,
        mandate_id: str | None = None,
        remittance: str | None = None,
        end_to_end_id: str | None = None,
        mcc: str | None = None,
        card_id: str | None = None,
        recurring: str | None = None,
        fraud: bool = False,
        purpose_code: str | None = None,
    ) -> SandboxTransaction:
        """Write one transaction; a negative amount is money going out."""
        resource_id = account.resource_id
        index = self._counters.get(resource_id, 0) + 1
        self._counters[resource_id] = index
        booked = on + timedelta(days=booking_delay) if booking_delay else on
        transaction = SandboxTransaction(
            transaction_id=transaction_id(self.seed, resource_id, self.first, index, on),
            resource_id=resource_id,
            transaction_date=on,
            booking_date=booked,
            value_date=on,
            time_of_day=at,
            amount=money(amount_in_cents),
            currency=account.currency,
            counterparty_name=counterparty,
            counterparty_iban=counterparty_iban,
            creditor_id=creditor_id,
            mandate_id=mandate_id,
            remittance=remittance,
            end_to_end_id=end_to_end_id,
            bank_transaction_code=code,
            mcc=mcc,
            card_id=card_id,
            category=category,
            recurring=recurring,
            fraud=fraud,
            purpose_code=purpose_code,
        )
        self._entries.append((transaction, amount_in_cents))
        return transaction

    def choose_card(self, prefer_credit: bool, amount_in_cents: int) -> SandboxCard:
        """The credit card if preferred and its limit allows the payment, else the debit card.

        The room is counted conservatively (the month's repayment is not added back), so
        the credit card's balance can never pass its limit.
        """
        card = self.accounts.credit_card
        if prefer_credit and card is not None and amount_in_cents <= self._credit_room:
            self._credit_room -= amount_in_cents
            return card
        return self.accounts.debit_card

    def card_payment(
        self,
        card: SandboxCard,
        on: date,
        at: time,
        spent_in_cents: int,
        counterparty: str,
        mcc: str,
        category: Category,
        *,
        booking_delay: int,
        remittance: str | None = None,
        recurring: str | None = None,
        fraud: bool = False,
        code: str = CARD_PAYMENT,
    ) -> SandboxTransaction:
        """A card payment of `spent_in_cents` (a negative amount refunds)."""
        return self.record(
            self.accounts.account_of(card),
            on,
            at,
            -spent_in_cents,
            counterparty,
            code,
            category,
            booking_delay=booking_delay,
            remittance=remittance,
            mcc=mcc,
            card_id=card.card_id,
            recurring=recurring,
            fraud=fraud,
        )

    def own_transfer(
        self,
        source: SandboxAccount,
        target: SandboxAccount,
        on: date,
        at: time,
        amount_in_cents: int,
        remittance: str,
        *,
        standing_order: bool = False,
        recurring: str | None = None,
        fraud: bool = False,
    ) -> None:
        """Move money between two of the customer's accounts: two legs that cancel."""
        reference = self.reference("OWN")
        holder = self.accounts.customer.name
        self.record(
            source, on, at, -amount_in_cents, holder,
            STANDING_ORDER if standing_order else ISSUED_TRANSFER, "transfers",
            counterparty_iban=target.iban, remittance=remittance, end_to_end_id=reference,
            recurring=recurring, fraud=fraud,
        )  # fmt: skip
        self.record(
            target, on, at, amount_in_cents, holder, RECEIVED_TRANSFER, "transfers",
            counterparty_iban=source.iban, remittance=remittance, end_to_end_id=reference,
            recurring=recurring, fraud=fraud,
        )  # fmt: skip

    def balance_before(self, resource_id: str, on: date, at: time) -> int:
        """The account's balance in cents just before (`on`, `at`)."""
        moment = (on, at)
        return self.opening(resource_id) + sum(
            amount
            for transaction, amount in self._entries
            if transaction.resource_id == resource_id
            and (transaction.transaction_date, transaction.time_of_day) < moment
        )

    def lowest_balance_from(self, resource_id: str, on: date, at: time) -> int:
        """The lowest balance the account reaches from (`on`, `at`) to the end of the month."""
        moment = (on, at)
        running = self.opening(resource_id)
        lowest: int | None = None
        ordered = sorted(
            (
                (transaction.transaction_date, transaction.time_of_day, transaction.transaction_id),
                amount,
            )
            for transaction, amount in self._entries
            if transaction.resource_id == resource_id
        )
        for (day, time_of_day, _), amount in ordered:
            if (day, time_of_day) >= moment and lowest is None:
                lowest = running
            running += amount
            if lowest is not None:
                lowest = min(lowest, running)
        return running if lowest is None else lowest

    def closing(self) -> dict[str, int]:
        """Each account's balance in cents at the end of the month."""
        balances = dict(self._opening)
        for transaction, amount in self._entries:
            balances[transaction.resource_id] = balances.get(transaction.resource_id, 0) + amount
        return balances
