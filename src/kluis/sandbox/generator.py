"""Deterministic synthetic history for the sandbox bank.

`generate(seed, until)` writes every demo customer's accounts, cards and transactions
from `HISTORY_START` up to and including `until`. It is a pure function of its
arguments: the same seed gives the same data on every machine, and it is prefix-stable.
For any d1 < d2, `generate(seed, d2)` restricted to transaction dates up to d1 equals
`generate(seed, d1)`, so the sandbox clock can move forward and the history only grows.

How: each customer's history is written one whole calendar month at a time, with random
generators seeded from (seed, customer, month, purpose) through BLAKE2b. A month depends
only on the months before it (through their closing balances), never on `until`; the
generator writes whole months and then drops what lies after `until`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Final

from kluis.sandbox.bookkeeping import CustomerAccounts, MonthBook
from kluis.sandbox.dates import months_between
from kluis.sandbox.demo_profiles import DEMO_PROFILES
from kluis.sandbox.fraud_episodes import add_fraud
from kluis.sandbox.household import (
    add_bank_costs,
    add_card_repayment,
    add_friend_payments,
    add_income,
    add_recurring_charges,
    add_savings_moves,
)
from kluis.sandbox.identifiers import BANK_BICS, dutch_iban, masked_pan
from kluis.sandbox.model import (
    AccountKind,
    SandboxAccount,
    SandboxCard,
    SandboxCustomer,
    SandboxData,
    SandboxTransaction,
)
from kluis.sandbox.profiles import AccountPlan, CustomerProfile, busy_profile, cents
from kluis.sandbox.spending import (
    Habits,
    add_card_spending,
    add_cash,
    add_refunds,
    add_trips,
    away_days,
)

__all__ = [
    "DEMO_PROFILES",
    "HISTORY_START",
    "SANDBOX_EPOCH",
    "CustomerProfile",
    "busy_profile",
    "generate",
    "open_accounts",
]

HISTORY_START: Final = date(2025, 1, 1)
"""The first day of every customer's history."""

SANDBOX_EPOCH: Final = date(2026, 3, 18)
"""The sandbox clock's default today."""

_ACCOUNT_NAMES: Final = {
    ("checking", "nl"): ("Betaalrekening", "Basis Betaalpakket"),
    ("checking", "en"): ("Current account", "Everyday current account"),
    ("savings", "nl"): ("Spaarrekening", "Internet Sparen"),
    ("savings", "en"): ("Savings account", "Online savings"),
    ("credit_card", "nl"): ("Creditcard", "Creditcard"),
    ("credit_card", "en"): ("Credit card", "Credit card"),
}
_CENT: Final = Decimal("0.01")
_RESOURCE_SUFFIX: Final = {"checking": "checking", "savings": "savings", "credit_card": "card"}


def _account(profile: CustomerProfile, plan: AccountPlan, pan: str | None) -> SandboxAccount:
    kind: AccountKind = plan.kind
    name, product = _ACCOUNT_NAMES[(kind, profile.language)]
    if kind == "credit_card":
        brand = "Visa" if plan.card_bin.startswith("4") else "Mastercard"
        product = f"{brand} {product}"
        iban = bic = None
    else:
        iban = dutch_iban(profile.bank_code, "customer", profile.customer_id, kind)
        bic = BANK_BICS[profile.bank_code]
    return SandboxAccount(
        resource_id=f"acc-{profile.slug}-{_RESOURCE_SUFFIX[kind]}",
        customer_id=profile.customer_id,
        kind=kind,
        currency="EUR",
        name=name,
        product=product,
        iban=iban,
        masked_pan=pan,
        bic=bic,
        opening_balance=plan.opening_balance.quantize(_CENT),
        credit_limit=plan.credit_limit,
    )


def open_accounts(profile: CustomerProfile) -> CustomerAccounts:
    """The customer's accounts and cards; they depend on the profile only, not the seed."""
    customer = SandboxCustomer(profile.customer_id, profile.name, profile.language)
    checking_plan = profile.plan("checking")
    if checking_plan is None:
        raise ValueError(f"{profile.customer_id} needs a checking account")
    checking = _account(profile, checking_plan, None)
    debit_card = SandboxCard(
        card_id=f"card-{profile.slug}-debit",
        customer_id=profile.customer_id,
        resource_id=checking.resource_id,
        masked_pan=masked_pan(checking_plan.card_bin or "535110", profile.customer_id, "debit"),
    )
    savings_plan = profile.plan("savings")
    savings = _account(profile, savings_plan, None) if savings_plan else None
    credit_plan = profile.plan("credit_card")
    credit = credit_card = None
    if credit_plan is not None:
        pan = masked_pan(credit_plan.card_bin or "525412", profile.customer_id, "credit")
        credit = _account(profile, credit_plan, pan)
        credit_card = SandboxCard(
            f"card-{profile.slug}-credit", profile.customer_id, credit.resource_id, pan
        )
    return CustomerAccounts(customer, checking, savings, credit, debit_card, credit_card)


def _write_month(book: MonthBook, habits: Habits) -> None:
    """One month of a customer's life, always in the same order (it numbers the ids)."""
    profile = habits.profile
    away = away_days(book, profile.trips)
    home_days = [day for day in range(1, book.days + 1) if day not in away] or [book.days]
    add_income(book, profile)
    add_bank_costs(book, profile)
    add_recurring_charges(book, profile)
    add_savings_moves(book, profile)
    add_card_repayment(book, profile)
    add_friend_payments(book, profile)
    add_trips(book, habits)
    purchases = add_card_spending(book, habits, home_days)
    add_cash(book, habits, home_days)
    add_refunds(book, habits, purchases)
    add_fraud(book, profile.fraud_episodes)


def customer_history(
    seed: int, profile: CustomerProfile, accounts: CustomerAccounts, until: date
) -> list[SandboxTransaction]:
    """The customer's transactions from `HISTORY_START` to `until`, in writing order."""
    held = [accounts.checking, accounts.savings, accounts.credit]
    balances = {account.resource_id: cents(account.opening_balance) for account in held if account}
    habits = Habits(seed, profile)
    history: list[SandboxTransaction] = []
    for first in months_between(HISTORY_START, until):
        book = MonthBook(seed, accounts, first, balances)
        _write_month(book, habits)
        balances = book.closing()
        history.extend(
            transaction
            for transaction in book.transactions
            if transaction.transaction_date <= until
        )
    return history


def generate(
    seed: int, until: date, profiles: Sequence[CustomerProfile] = DEMO_PROFILES
) -> SandboxData:
    """Every customer's accounts, cards and transactions up to and including `until`.

    Transactions are sorted by (transaction_date, time_of_day, transaction_id). Customers,
    accounts and cards keep the order of `profiles` (checking, savings, credit card).
    """
    customers: list[SandboxCustomer] = []
    accounts: list[SandboxAccount] = []
    cards: list[SandboxCard] = []
    transactions: list[SandboxTransaction] = []
    for profile in profiles:
        held = open_accounts(profile)
        customers.append(held.customer)
        accounts.extend(
            account for account in (held.checking, held.savings, held.credit) if account is not None
        )
        cards.extend(card for card in (held.debit_card, held.credit_card) if card is not None)
        transactions.extend(customer_history(seed, profile, held, until))
    transactions.sort(
        key=lambda item: (item.transaction_date, item.time_of_day, item.transaction_id)
    )
    return SandboxData(
        seed, until, tuple(customers), tuple(accounts), tuple(cards), tuple(transactions)
    )
