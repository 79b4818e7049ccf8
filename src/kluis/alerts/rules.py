"""The customer's alert rules, applied to what one sync brought for one account.

    candidates = evaluate(AccountFacts(...))

Pure: plain data in, `AlertCandidate`s out; reading the store is `kluis.alerts.watch`'s
work, giving them is `kluis.alerts.delivery`'s. Each rule runs only when the customer's
effective rule for its kind is on (`kluis.alerts.kinds.effective_rules`), and looks only at
new transactions dated in the last `FRESH_DAYS` days: the first sync of a new account brings
a year of history, which is not news.

What each rule looks for:
- `low_balance`: the balance of a current account went from at or above the customer's
  threshold to below it in this sync;
- `large_transaction`: a payment out of at least the threshold (not between own accounts);
- `income`: money in that categorisation calls income (salary, benefits, interest), not
  from the customer's own accounts;
- `duplicate_charge`: see `duplicate_charges`;
- `price_increase`: a payee charging monthly, quarterly or yearly at a steady price takes
  more than that price (by over 2 % and € 0.50) on the date it was due;
- `new_recurring`: a payee's charge that makes them recurring for the first time (a third
  charge at a regular interval, amounts alike);
- `upcoming_overdraft`: direct debits expected in the next `OVERDRAFT_DAYS` days that,
  added up in the order they are due, come to more than the balance.

A payee whose recurring series the customer dismissed gives no `price_increase` or
`new_recurring` alert; an upcoming overdraft is still told, for it costs money either way.

Dedupe keys name what makes two alerts the same: the account and the day for a balance,
the account and the bank's transaction id for a payment (hashed when long), the pair of
ids for a duplicate, a hash of the payee (never a name in the clear) for a new payee, the
payee and the expected day for an upcoming debit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from kluis.alerts import messages
from kluis.alerts.candidates import AlertCandidate, Composer
from kluis.alerts.kinds import KINDS, EffectiveRule
from kluis.domain import AccountKind, StoredTransaction, Transaction
from kluis.insights.flows import OwnAccounts, is_own_transfer
from kluis.insights.recurring import (
    RecurringSeries,
    by_payee,
    detect,
    payee_key,
    series_of,
)
from kluis.insights.rules import CategoryRule, categorise_with
from kluis.money import Money, total

FRESH_DAYS: Final = 7
DUPLICATE_DAYS: Final = 1  # dates only: a day apart is always within 48 hours
DUPLICATE_MINIMUM: Final = Decimal("10.00")
EVERYDAY: Final = frozenset({"groceries", "eating_out", "transport", "fuel", "cash", "transfers"})
PRICE_SHARE: Final = Decimal("0.02")
PRICE_FLOOR: Final = Decimal("0.50")
PRICED_CADENCES: Final = frozenset({"monthly", "quarterly", "yearly"})
OVERDRAFT_DAYS: Final = 3
_KEY_PART: Final = 48


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """What the rules read about one account after a sync.

    `new` are the transactions the sync inserted; `history` the account's transactions of
    the last 400 days or so (the new ones may be among them). `balance_before` is None when
    it cannot be known (the account's first sync)."""

    customer_id: str
    account_id: int
    account_kind: AccountKind
    currency: str
    new: Sequence[StoredTransaction]
    history: Sequence[StoredTransaction]
    balance_before: Money | None
    balance_after: Money | None
    today: date
    rules: Mapping[str, EffectiveRule]
    own: OwnAccounts = field(
        default_factory=lambda: OwnAccounts(frozenset(), frozenset(), frozenset())
    )
    # The customer's own corrections ("zet KPN onder energie"), which categories follow.
    corrections: Sequence[CategoryRule] = ()
    # Payee keys of recurring series the customer dismissed: no alerts about their charges.
    dismissed: frozenset[str] = frozenset()

    @property
    def fresh(self) -> list[Transaction]:
        """The new transactions dated recently enough to be news, oldest first."""
        since = self.today - timedelta(days=FRESH_DAYS)
        items = [
            stored.transaction
            for stored in self.new
            if (when := stored.transaction.effective_date) is not None and when >= since
        ]
        return sorted(items, key=_day)

    @property
    def everything(self) -> list[Transaction]:
        """History and new transactions together, each once, oldest first."""
        seen: dict[str, Transaction] = {}
        for stored in (*self.history, *self.new):
            seen[stored.transaction.transaction_id] = stored.transaction
        return sorted(seen.values(), key=_day)

    def threshold(self, kind: str) -> Money | None:
        """The rule's threshold when the rule is on and in this account's currency."""
        rule = self.rules.get(kind)
        if rule is None or not rule.enabled or rule.threshold is None:
            return None
        return rule.threshold if rule.threshold.currency == self.currency else None

    def enabled(self, kind: str) -> bool:
        rule = self.rules.get(kind)
        return rule is not None and rule.enabled


def _day(transaction: Transaction) -> date:
    return transaction.effective_date or date.min


def _part(text: str) -> str:
    """A piece of a dedupe key: kept as it is when short and plain, else hashed."""
    if len(text) <= _KEY_PART and text.isascii() and ":" not in text:
        return text
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _hashed(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _candidate(facts: AccountFacts, kind: str, key: str, compose: Composer) -> AlertCandidate:
    # Stored transactions carry no integer id (StoredTransaction has none), so
    # `transaction_id` stays empty and the dedupe key names the bank's id instead.
    spec = KINDS[kind]
    return AlertCandidate(
        customer_id=facts.customer_id,
        kind=kind,
        dedupe_key=f"{facts.account_id}:{key}",
        topic=spec.topic,
        compose=compose,
        urgent=spec.urgent,
        account_id=facts.account_id,
    )


def _outgoing(transaction: Transaction, currency: str) -> bool:
    return transaction.amount.amount < 0 and transaction.amount.currency == currency


def low_balance(facts: AccountFacts) -> Iterator[AlertCandidate]:
    threshold = facts.threshold("low_balance")
    before, after = facts.balance_before, facts.balance_after
    if threshold is None or before is None or after is None:
        return
    if facts.account_kind is not AccountKind.CHECKING:
        return
    if before.currency != threshold.currency or after.currency != threshold.currency:
        return
    if before >= threshold > after:
        compose = messages.LowBalance(facts.account_kind.value, threshold, after)
        yield _candidate(facts, "low_balance", facts.today.isoformat(), compose)


def large_transactions(facts: AccountFacts) -> Iterator[AlertCandidate]:
    threshold = facts.threshold("large_transaction")
    if threshold is None:
        return
    for transaction in facts.fresh:
        if not _outgoing(transaction, facts.currency) or abs(transaction.amount) < threshold:
            continue
        if is_own_transfer(transaction, facts.own):
            continue
        compose = messages.LargeTransaction(
            facts.account_kind.value, transaction.amount, transaction.counterparty_name
        )
        key = _part(transaction.transaction_id)
        yield _candidate(facts, "large_transaction", key, compose)


def income(facts: AccountFacts) -> Iterator[AlertCandidate]:
    if not facts.enabled("income"):
        return
    for transaction in facts.fresh:
        if transaction.amount.amount <= 0 or is_own_transfer(transaction, facts.own):
            continue
        if categorise_with(facts.corrections, transaction, facts.own.ibans) != "income":
            continue
        compose = messages.Income(
            facts.account_kind.value, transaction.amount, transaction.counterparty_name
        )
        yield _candidate(facts, "income", _part(transaction.transaction_id), compose)


def _everyday(transaction: Transaction, facts: AccountFacts) -> bool:
    return categorise_with(facts.corrections, transaction, facts.own.ibans) in EVERYDAY


def _refunded(charge: Transaction, others: Sequence[Transaction], key: str) -> bool:
    """Whether the same payee paid the same amount back within a week."""
    start, end = _day(charge), _day(charge) + timedelta(days=7)
    return any(
        other.amount == -charge.amount and payee_key(other) == key and start <= _day(other) <= end
        for other in others
    )


def duplicate_charges(facts: AccountFacts) -> Iterator[AlertCandidate]:
    """The same payee taking the same amount twice within a day of each other.

    Legitimate repeats are common (two coffees, two train tickets, a round for friends),
    so a pair counts only when the amount is at least € 10, the payee's category is not
    an everyday one (groceries, eating out, transport, fuel, cash, transfers to people),
    the money is not going to the customer's own account, and no refund of the amount
    came from the payee. A pending entry and a booked one are never paired: a bank that
    gives the booked entry a new id shows the same payment twice until the pending one
    goes. Each new charge is paired with the nearest earlier one only, so
    three equal charges give two alerts, not three."""
    if not facts.enabled("duplicate_charge"):
        return
    everything = facts.everything
    seen: set[str] = set()
    for charge in facts.fresh:
        key = payee_key(charge)
        if key is None or not _outgoing(charge, facts.currency):
            continue
        if abs(charge.amount.amount) < DUPLICATE_MINIMUM or is_own_transfer(charge, facts.own):
            continue
        earlier = [
            other
            for other in everything
            if other.transaction_id != charge.transaction_id
            and other.amount == charge.amount
            and payee_key(other) == key
            and other.status is charge.status
            and 0 <= (_day(charge) - _day(other)).days <= DUPLICATE_DAYS
        ]
        if not earlier or _everyday(charge, facts):
            continue
        first = max(earlier, key=_day)
        pair = "|".join(sorted((first.transaction_id, charge.transaction_id)))
        if pair in seen or any(_refunded(item, everything, key) for item in (first, charge)):
            continue
        seen.add(pair)
        compose = messages.DuplicateCharge(
            charge.amount, charge.counterparty_name, _day(first), _day(charge), facts.today
        )
        yield _candidate(facts, "duplicate_charge", _hashed(pair), compose)


def _before(charges: Sequence[Transaction], charge: Transaction) -> list[Transaction]:
    """The payee's charges dated before `charge` (same-day ones but itself count too)."""
    return [
        other
        for other in charges
        if other.transaction_id != charge.transaction_id and _day(other) <= _day(charge)
    ]


def _steady(series: RecurringSeries) -> bool:
    """The series' recent charges are one price, give or take a cent or two."""
    usual = series.typical.amount
    recent = series.transactions[-3:]
    return all(abs(abs(item.amount.amount) - usual) <= Decimal("0.05") for item in recent)


def price_increases(facts: AccountFacts) -> Iterator[AlertCandidate]:
    if not facts.enabled("price_increase"):
        return
    payees = by_payee(facts.everything)
    for charge in facts.fresh:
        key = payee_key(charge)
        if key is None or key in facts.dismissed or not _outgoing(charge, facts.currency):
            continue
        series = series_of(key, _before(payees.get(key, []), charge))
        if series is None or series.cadence not in PRICED_CADENCES or not _steady(series):
            continue
        usual, paid = series.typical.amount, abs(charge.amount.amount)
        if not series.expects(_day(charge)) or paid - usual <= max(
            usual * PRICE_SHARE, PRICE_FLOOR
        ):
            continue
        compose = messages.PriceIncrease(
            charge.amount, series.typical, series.cadence, charge.counterparty_name
        )
        yield _candidate(facts, "price_increase", _part(charge.transaction_id), compose)


def new_recurring(facts: AccountFacts) -> Iterator[AlertCandidate]:
    if not facts.enabled("new_recurring"):
        return
    payees = by_payee(facts.everything)
    announced: set[str] = set()
    for charge in facts.fresh:
        key = payee_key(charge)
        if key is None or key in announced or key in facts.dismissed:
            continue
        if not _outgoing(charge, facts.currency):
            continue
        earlier = _before(payees.get(key, []), charge)
        now = series_of(key, [*earlier, charge])
        if now is None or len(now.transactions) < 3:
            continue
        if now.transactions[-1].transaction_id != charge.transaction_id:
            continue
        if series_of(key, earlier) is not None or _everyday(charge, facts):
            continue
        announced.add(key)
        compose = messages.NewRecurring(
            facts.account_kind.value,
            now.typical,
            now.cadence,
            charge.counterparty_name,
            _day(charge),
            facts.today,
        )
        yield _candidate(facts, "new_recurring", _hashed(key), compose)


def upcoming_overdrafts(facts: AccountFacts) -> Iterator[AlertCandidate]:
    balance = facts.balance_after
    if not facts.enabled("upcoming_overdraft") or balance is None:
        return
    if balance.currency != facts.currency or facts.account_kind is not AccountKind.CHECKING:
        return
    due = [
        series
        for series in detect(facts.everything)
        if series.direct_debit
        and series.typical.currency == facts.currency
        and series.due_within(facts.today, OVERDRAFT_DAYS)
    ]
    running: list[Money] = []
    for series in due:  # soonest first
        running.append(series.typical)
        together = total(running, facts.currency)
        if together <= balance:
            continue
        compose = messages.UpcomingOverdraft(
            facts.account_kind.value,
            series.typical,
            together,
            balance,
            series.name,
            series.next_date,
            facts.today,
        )
        key = f"{_hashed(series.payee)}:{series.next_date.isoformat()}"
        yield _candidate(facts, "upcoming_overdraft", key, compose)


RULES: Final = (
    low_balance,
    large_transactions,
    income,
    duplicate_charges,
    price_increases,
    new_recurring,
    upcoming_overdrafts,
)


def evaluate(facts: AccountFacts) -> list[AlertCandidate]:
    """Every alert the customer's rules find in one account's sync."""
    return [candidate for rule in RULES for candidate in rule(facts)]
