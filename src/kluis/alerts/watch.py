"""The customer's alert rules, run when a sync stores new transactions for an account.

    candidates = await rule_alerts(runtime, event)   # then `delivery.give` each one

Reads from the store what `kluis.alerts.rules` needs (the account, its new transactions and
a year of history, its balance now and before the sync, the customer's rules and own
accounts) and returns the alerts the rules find. Gives nothing itself.

The balance before the sync is not stored: it is the balance now minus the new
transactions the balance counts (all of them for an expected or available balance, the
booked ones for a booked balance). On an account's first sync every stored transaction is
new, and the balance before is unknown: no balance alert then.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Final

from kluis.alerts.candidates import AlertCandidate
from kluis.alerts.kinds import effective_rules
from kluis.alerts.rules import AccountFacts, evaluate
from kluis.consent.gate import BALANCE_PREFERENCE
from kluis.domain import Balance, BookingStatus, StoredTransaction
from kluis.events.types import TransactionsArrived
from kluis.insights.flows import OwnAccounts
from kluis.money import Money, total
from kluis.runtime import Runtime
from kluis.store.accounts import AccountRepository
from kluis.store.alerts import AlertRuleRepository
from kluis.store.category_rules import CategoryRuleRepository
from kluis.store.recurring_choices import RecurringChoiceRepository
from kluis.store.transactions import TransactionRepository

logger = logging.getLogger(__name__)

HISTORY_DAYS: Final = 400
_BOOKED_ONLY: Final = frozenset({"closingBooked", "interimBooked", "openingBooked"})


def current_balance(balances: Sequence[Balance]) -> Balance | None:
    """The balance a customer would call theirs, in the gate's order of preference."""
    by_type = {balance.balance_type: balance for balance in balances}
    return next((by_type[kind] for kind in BALANCE_PREFERENCE if kind in by_type), None)


def balance_before(
    after: Balance, new: Sequence[StoredTransaction], history: Sequence[StoredTransaction]
) -> Money | None:
    """The balance before the new transactions arrived; None on an account's first sync."""
    new_ids = {stored.transaction.transaction_id for stored in new}
    if not new_ids or all(stored.transaction.transaction_id in new_ids for stored in history):
        return None
    booked_only = after.balance_type in _BOOKED_ONLY
    counted = [
        stored.transaction.amount
        for stored in new
        if stored.transaction.amount.currency == after.amount.currency
        and (not booked_only or stored.transaction.status is BookingStatus.BOOKED)
    ]
    return after.amount - total(counted, after.amount.currency)


async def account_facts(runtime: Runtime, event: TransactionsArrived) -> AccountFacts | None:
    """What the rules read about the event's account; None when the account is gone."""
    today = runtime.today()
    async with runtime.database.session() as session:
        accounts = await AccountRepository(session).for_customer(event.customer_id)
        account = next((item for item_id, item in accounts if item_id == event.account_id), None)
        if account is None:
            return None
        history = await TransactionRepository(session).for_account(
            event.account_id, start=today - timedelta(days=HISTORY_DAYS)
        )
        balances = await AccountRepository(session).balances(event.account_id)
        stored_rules = await AlertRuleRepository(session).rules(event.customer_id)
        corrections = await CategoryRuleRepository(session).rules(event.customer_id)
        choices = await RecurringChoiceRepository(session).all(event.customer_id)
    inserted = set(event.inserted)
    new = [stored for stored in history if stored.transaction.transaction_id in inserted]
    after = current_balance(balances)
    return AccountFacts(
        customer_id=event.customer_id,
        account_id=event.account_id,
        account_kind=account.kind,
        currency=account.currency,
        new=new,
        history=history,
        balance_before=balance_before(after, new, history) if after else None,
        balance_after=after.amount if after else None,
        today=today,
        rules=effective_rules(stored_rules),
        own=OwnAccounts.of(item for _, item in accounts),
        corrections=tuple(corrections),
        dismissed=frozenset(key for key, choice in choices.items() if choice == "dismissed"),
    )


async def rule_alerts(runtime: Runtime, event: TransactionsArrived) -> list[AlertCandidate]:
    """The alerts the customer's rules find in what one sync stored for one account."""
    if not event.inserted:
        return []
    facts = await account_facts(runtime, event)
    if facts is None:
        return []
    candidates = evaluate(facts)
    if candidates:
        kinds = sorted({candidate.kind for candidate in candidates})
        logger.info("alert rules found %d alerts (%s)", len(candidates), ", ".join(kinds))
    return candidates
