"""Recurring payments: which payees charge (or pay) a customer at a regular interval, how
much they usually take, and when they are due next.

    series = detect(transactions)                    # money going out, one series per payee
    upcoming = [s for s in series if s.due_within(today, days=7)]

Pure and deterministic: it reads nothing but the transactions given.

How a series is found, per payee (`payee_key`: the creditor id of a direct debit, else the
counterparty's name without numbers):

1. its charges are grouped by amount: amounts within 15 % (or € 1) of each other belong
   together, so a shop's odd extra sale does not hide a subscription from the same payee;
2. in each group, the newest charges that follow one another at one cadence (weekly,
   monthly, quarterly or yearly, each with a tolerance in days) form the series;
3. a series needs three charges, or two for a yearly direct debit (a year of history holds
   only two charges, and a mandate says the payee will be back).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from statistics import median
from typing import Final, Literal

from kluis.domain import Transaction
from kluis.insights.categories import normalise
from kluis.money import Money

Cadence = Literal["weekly", "monthly", "quarterly", "yearly"]
Direction = Literal["out", "in"]


@dataclass(frozen=True, slots=True)
class _Rhythm:
    cadence: Cadence
    shortest: int  # days between two charges, inclusive bounds
    longest: int
    months: int  # the step to the next date in months (0: `days`)
    days: int


_RHYTHMS: Final[tuple[_Rhythm, ...]] = (
    _Rhythm("weekly", 6, 8, 0, 7),
    _Rhythm("monthly", 26, 35, 1, 0),
    _Rhythm("quarterly", 80, 101, 3, 0),
    _Rhythm("yearly", 350, 380, 12, 0),
)
_BY_CADENCE: Final = {rhythm.cadence: rhythm for rhythm in _RHYTHMS}
MIN_CHARGES: Final = 3
AMOUNT_SHARE: Final = Decimal("0.15")  # amounts this close belong to one series
AMOUNT_FLOOR: Final = Decimal("1.00")  # ... or this close, for small amounts
RECENT: Final = 3  # the typical amount is the median of this many newest charges (`_typical`)
_DIGITS: Final = re.compile(r"\d")


def payee_key(transaction: Transaction) -> str | None:
    """Who the money goes to (or comes from), the same for each of their charges.

    A direct debit's creditor id is the best key: the name on the statement may change
    ("NETFLIX.COM" one month, "Netflix International B.V." the next). Otherwise the
    normalised name without words that carry digits (terminal, order and card numbers).
    None when the transaction names nobody.
    """
    if transaction.creditor_id:
        return "creditor:" + "".join(transaction.creditor_id.split()).upper()
    words = [
        word
        for word in normalise(transaction.counterparty_name).split()
        if not _DIGITS.search(word)
    ]
    return "name:" + " ".join(words) if words else None


def is_direct_debit(transaction: Transaction) -> bool:
    """Collected by the payee under a mandate (SEPA direct debit)."""
    return bool(transaction.mandate_id or transaction.creditor_id)


def _standing_order(transaction: Transaction) -> bool:
    """Paid by the customer's own bank on a schedule the customer set (ISO 20022 `STDO`)."""
    return (transaction.bank_transaction_code or "").upper().endswith("-STDO")


def next_date(last: date, cadence: Cadence) -> date:
    """When a charge on `last` comes back: a week later, or the same day of the month (the
    month's last day when it is shorter) one, three or twelve months later."""
    rhythm = _BY_CADENCE[cadence]
    if not rhythm.months:
        return last + timedelta(days=rhythm.days)
    month_index = last.month - 1 + rhythm.months
    year, month = last.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(last.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class RecurringSeries:
    """A payee's regular charges (or payments in), oldest first."""

    payee: str
    name: str | None
    cadence: Cadence
    typical: Money  # the usual size of one charge, positive
    transactions: tuple[Transaction, ...]
    direct_debit: bool

    @property
    def last_date(self) -> date:
        return _day(self.transactions[-1])

    @property
    def next_date(self) -> date:
        return next_date(self.last_date, self.cadence)

    @property
    def tolerance(self) -> int:
        """Days a charge may come early or late and still be the expected one."""
        rhythm = _BY_CADENCE[self.cadence]
        return max(1, (rhythm.longest - rhythm.shortest) // 2)

    def expects(self, day: date) -> bool:
        """Whether a charge on `day` is the next one of this series."""
        return abs((day - self.next_date).days) <= self.tolerance

    def is_active(self, today: date) -> bool:
        """The next charge is not overdue by more than the tolerance."""
        return today <= self.next_date + timedelta(days=self.tolerance)

    def due_within(self, today: date, days: int) -> bool:
        """The next charge is expected from today through `days` days from now."""
        return today <= self.next_date <= today + timedelta(days=days)


def _day(transaction: Transaction) -> date:
    return transaction.effective_date or date.min


def _similar(first: Decimal, second: Decimal) -> bool:
    larger = max(first, second)
    return abs(first - second) <= max(larger * AMOUNT_SHARE, AMOUNT_FLOOR)


def similar_amounts(first: Money, second: Money) -> bool:
    """Whether two charges are of about the same size (15 %, or € 1 for small amounts)."""
    return first.currency == second.currency and _similar(abs(first.amount), abs(second.amount))


def _amount_groups(charges: Sequence[Transaction]) -> list[list[Transaction]]:
    """Charges grouped by size, standing orders apart from the payments the customer makes
    by hand to the same payee (savings beside credit-card repayments, both to the customer's
    own name), each group oldest first."""
    scheduled = [charge for charge in charges if _standing_order(charge)]
    by_hand = [charge for charge in charges if not _standing_order(charge)]
    groups: list[list[Transaction]] = []
    for paid_so in (scheduled, by_hand):
        sized: list[list[Transaction]] = []
        for charge in sorted(paid_so, key=lambda item: abs(item.amount.amount)):
            group = sized[-1] if sized else None
            if group and _similar(abs(group[0].amount.amount), abs(charge.amount.amount)):
                group.append(charge)
            else:
                sized.append([charge])
        groups.extend(sized)
    return [sorted(group, key=_day) for group in groups]


def _trailing_run(charges: Sequence[Transaction], rhythm: _Rhythm) -> list[Transaction]:
    """The newest charges that each follow the one before at `rhythm`."""
    run = [charges[-1]]
    for charge in reversed(charges[:-1]):
        gap = (_day(run[0]) - _day(charge)).days
        if gap == 0:
            continue  # the same day twice: one of them is no part of the rhythm
        if not rhythm.shortest <= gap <= rhythm.longest:
            break
        run.insert(0, charge)
    return run


def _typical(run: Sequence[Transaction]) -> Money:
    """The amount the next charge will likely be: the median of the newest charges, or the
    newest one when it is a new price (the charges before it were one steady price)."""
    recent = [abs(item.amount.amount) for item in run[-RECENT:]]
    earlier = recent[:-1]
    if len(earlier) >= 2 and len(set(earlier)) == 1 and recent[-1] != earlier[0]:
        value = recent[-1]
    else:
        value = Decimal(median(recent)).quantize(Decimal("0.01"))
    return Money(value, run[-1].amount.currency)


def _enough(run: Sequence[Transaction], rhythm: _Rhythm) -> bool:
    if len(run) >= MIN_CHARGES:
        return True
    return rhythm.cadence == "yearly" and len(run) == 2 and is_direct_debit(run[-1])


def _among_visits(run: Sequence[Transaction], charges: Sequence[Transaction]) -> bool:
    """Whether the payee was paid at least as often besides the run while it ran: a shop or
    café visited now and then, whose few similar amounts fell into a rhythm by chance. A
    direct debit or a standing order is a schedule, never chance."""
    if is_direct_debit(run[-1]) or _standing_order(run[-1]):
        return False
    first, last = _day(run[0]), _day(run[-1])
    members = {id(item) for item in run}
    besides = sum(1 for item in charges if id(item) not in members and first <= _day(item) <= last)
    return besides >= len(run)


def series_of(payee: str, charges: Sequence[Transaction]) -> RecurringSeries | None:
    """The recurring series among one payee's charges (one direction), if there is one.

    When several amount groups are regular, the one charged most recently wins, then the
    longest. A run among as many other payments to the payee is chance (`_among_visits`)."""
    best: tuple[date, int, RecurringSeries] | None = None
    for group in _amount_groups(charges):
        for rhythm in _RHYTHMS:
            run = _trailing_run(group, rhythm)
            if not _enough(run, rhythm) or _among_visits(run, charges):
                continue
            series = RecurringSeries(
                payee=payee,
                name=run[-1].counterparty_name,
                cadence=rhythm.cadence,
                typical=_typical(run),
                transactions=tuple(run),
                direct_debit=is_direct_debit(run[-1]),
            )
            rank = (series.last_date, len(run))
            if best is None or rank > best[:2]:
                best = (*rank, series)
    return best[2] if best else None


def by_payee(
    transactions: Iterable[Transaction], direction: Direction = "out"
) -> dict[str, list[Transaction]]:
    """Booked or pending transactions in one direction, per payee, oldest first."""
    groups: dict[str, list[Transaction]] = {}
    for transaction in transactions:
        outgoing = transaction.amount.amount < 0
        if outgoing != (direction == "out") or transaction.amount.amount == 0:
            continue
        if transaction.effective_date is None:
            continue
        key = payee_key(transaction)
        if key is not None:
            groups.setdefault(key, []).append(transaction)
    return {key: sorted(items, key=_day) for key, items in groups.items()}


def detect(
    transactions: Iterable[Transaction], direction: Direction = "out"
) -> list[RecurringSeries]:
    """Every recurring series in `transactions` (one account or several, one currency per
    payee), soonest next date first."""
    found = [
        series
        for payee, charges in by_payee(transactions, direction).items()
        if (series := series_of(payee, charges)) is not None
    ]
    return sorted(found, key=lambda series: (series.next_date, series.payee))
