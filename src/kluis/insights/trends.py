"""Spending over the months: the customer's usual month, what stands out, the top merchants.

Pure functions over categorised transactions (`kluis.insights.flows`); spending is counted
as `flows.spending` counts it (money out minus refunds, transfers left out).

- A **usual month** is the median of the last `USUAL_MONTHS` (6) full calendar months before
  the month asked about, overall, per category and per merchant. A month without spending in
  a category counts as zero for it. Months before the customer's history starts are left out,
  and with fewer than `MIN_USUAL_MONTHS` (3) full months there is no usual month to speak of.
  The median, not the mean, so that one holiday or one new fridge does not make "usual".
- A category or merchant is **unusual** when its spending in the month is above its usual
  by more than `max(30 % of the usual, € 50)`: the share keeps big categories (rent) from
  being flagged for small swings, the floor keeps small ones (a € 12 subscription becoming
  € 20) from being news. A month still running is compared as it stands, against whole
  months, so what is flagged early in a month is above usual already. A merchant is flagged
  only when its whole category is above its usual as well (see `unusual`).
- **Merchants** are counterparties with the words that carry digits left out (store, terminal
  and order numbers), so "Albert Heijn 9837 Utrecht" and "Albert Heijn 8876 Utrecht" are one
  shop. A transaction whose name the channel hides (None) belongs to no merchant.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from statistics import median
from typing import Final, Literal

from kluis.insights.categories import normalise
from kluis.insights.flows import NOT_SPENDING, Categorised, spending, within
from kluis.money import Money

USUAL_MONTHS: Final = 6
MIN_USUAL_MONTHS: Final = 3
UNUSUAL_SHARE: Final = Decimal("0.30")
UNUSUAL_FLOOR: Final = Decimal(50)

_DIGITS: Final = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Month:
    """One calendar month: its first and last day."""

    start: date
    end: date

    @classmethod
    def of(cls, day: date) -> Month:
        last = calendar.monthrange(day.year, day.month)[1]
        return cls(day.replace(day=1), day.replace(day=last))

    def before(self) -> Month:
        return Month.of(self.start - timedelta(days=1))

    def until(self, today: date) -> tuple[date, date]:
        """The month's days up to `today` (the whole month when it is over)."""
        return self.start, min(self.end, today)


def months_before(day: date, count: int) -> list[Month]:
    """The `count` whole months before `day`'s month, oldest first."""
    months: list[Month] = []
    month = Month.of(day)
    for _ in range(count):
        month = month.before()
        months.append(month)
    return months[::-1]


def months_between(start: date, end: date) -> list[Month]:
    """The calendar months that `[start, end]` touches, oldest first."""
    months = [Month.of(start)]
    while months[-1].end < end:
        months.append(Month.of(months[-1].end + timedelta(days=1)))
    return months


def covered_from(items: Iterable[Categorised], read_from: date) -> date:
    """From which day `items`, read from `read_from` on, cover whole months.

    `read_from` itself when the earliest item falls in its month; otherwise the history
    starts later, and its first month is partial: the first day of the month after it."""
    days = [item.day for item in items if item.day is not None]
    if not days:
        return date.max
    earliest = Month.of(min(days))
    if earliest.start <= read_from:
        return read_from
    return earliest.end + timedelta(days=1)


def monthly_spending(
    items: Sequence[Categorised],
    months: Sequence[Month],
    *,
    category: str | None = None,
    today: date | None = None,
    currency: str = "EUR",
) -> list[Money]:
    """What went out in each month (up to `today` for a month still running)."""
    totals: list[Money] = []
    for month in months:
        end = min(month.end, today) if today is not None else month.end
        spent = spending(within(items, month.start, end), category=category, currency=currency)
        totals.append(spent.total)
    return totals


def merchant_name(counterparty: str | None) -> str | None:
    """A counterparty's name without store and terminal numbers; None for no name."""
    if not counterparty:
        return None
    words = [word for word in counterparty.split() if not _DIGITS.search(word)]
    return " ".join(words) or None


def merchant_key(counterparty: str | None) -> str | None:
    """The key that groups one merchant's payments, whatever branch or terminal."""
    name = merchant_name(counterparty)
    return normalise(name) or None if name else None


def _is_spending(item: Categorised, currency: str) -> bool:
    return (
        item.category not in NOT_SPENDING
        and not item.own_transfer
        and item.transaction.amount.currency == currency
    )


@dataclass(frozen=True, slots=True)
class MerchantTotal:
    """What went to one merchant: the name to show, the total and the number of payments."""

    key: str
    name: str
    total: Money
    count: int


def by_merchant(
    items: Iterable[Categorised], *, category: str | None = None, currency: str = "EUR"
) -> list[MerchantTotal]:
    """Spending per named merchant, largest first; payments without a name are left out.

    The name shown is the merchant's most frequent spelling."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for item in items:
        if not _is_spending(item, currency) or (category and item.category != category):
            continue
        name = merchant_name(item.transaction.counterparty_name)
        key = merchant_key(item.transaction.counterparty_name)
        if name is None or key is None:
            continue
        totals[key] -= item.transaction.amount.amount
        counts[key] += item.transaction.amount.amount < 0
        spellings[key][name] += 1
    found = [
        MerchantTotal(key, spellings[key].most_common(1)[0][0], Money(total, currency), counts[key])
        for key, total in totals.items()
        if total > 0
    ]
    return sorted(found, key=lambda merchant: (-merchant.total.amount, merchant.name))


# Fixed costs: paid to a landlord, an insurer or the tax office, not bought in a shop.
FIXED_COSTS: Final = frozenset(
    {"housing", "utilities", "telecom", "insurance", "taxes", "fees", "education", "charity"}
)


def top_merchants(
    items: Iterable[Categorised], limit: int, *, shops_only: bool = False, currency: str = "EUR"
) -> list[MerchantTotal]:
    """The `limit` merchants the customer spent most at; with `shops_only`, without the
    payees of fixed costs (rent, insurance, energy, ...)."""
    if shops_only:
        items = [item for item in items if item.category not in FIXED_COSTS]
    return by_merchant(items, currency=currency)[:limit]


@dataclass(frozen=True, slots=True)
class Usual:
    """The customer's usual month: medians over `months`, overall, per category, per merchant."""

    months: tuple[Month, ...]
    total: Money
    categories: dict[str, Decimal]
    merchants: dict[str, Decimal]


def median_amount(values: Sequence[Decimal]) -> Decimal:
    """The middle amount (the mean of the two middle ones for an even count), in cents."""
    return Decimal(median(values)).quantize(Decimal("0.01")) if values else Decimal(0)


def usual_month(
    items: Sequence[Categorised],
    month: Month,
    *,
    history_start: date,
    category: str | None = None,
    currency: str = "EUR",
) -> Usual | None:
    """The usual month before `month`, from whole months on or after `history_start`; None
    with fewer than `MIN_USUAL_MONTHS` of them."""
    months = [m for m in months_before(month.start, USUAL_MONTHS) if m.start >= history_start]
    if len(months) < MIN_USUAL_MONTHS:
        return None
    totals: list[Decimal] = []
    per_category: list[dict[str, Decimal]] = []
    per_merchant: list[dict[str, Decimal]] = []
    for each in months:
        inside = within(items, each.start, each.end)
        spent = spending(inside, category=category, currency=currency)
        totals.append(spent.total.amount)
        per_category.append({label: amount.amount for label, amount in spent.parts})
        merchants = by_merchant(inside, category=category, currency=currency)
        per_merchant.append({merchant.key: merchant.total.amount for merchant in merchants})
    return Usual(
        tuple(months),
        Money(median_amount(totals), currency),
        _medians(per_category),
        _medians(per_merchant),
    )


def _medians(per_month: Sequence[dict[str, Decimal]]) -> dict[str, Decimal]:
    """Each key's median over the months; a month without the key counts as zero."""
    keys = {key for month in per_month for key in month}
    return {key: median_amount([month.get(key, Decimal(0)) for month in per_month]) for key in keys}


def is_unusual(amount: Decimal, usual: Decimal) -> bool:
    """Above `usual` by more than 30 % of it and by more than € 50."""
    return amount - usual > max(usual * UNUSUAL_SHARE, UNUSUAL_FLOOR)


@dataclass(frozen=True, slots=True)
class Unusual:
    """A category or merchant clearly above the customer's usual month."""

    kind: Literal["category", "merchant"]
    label: str  # the category, or the merchant's name as shown
    amount: Money
    usual: Money

    @property
    def excess(self) -> Decimal:
        return self.amount.amount - self.usual.amount


def unusual(items: Sequence[Categorised], usual: Usual, *, currency: str = "EUR") -> list[Unusual]:
    """What in `items` (one month's) is clearly above `usual`, the largest excess first.

    Categories first. A merchant counts only when its category is not flagged already (an
    unusual holiday is one finding, not one per hotel) and the category as a whole is above
    its usual too: money that merely moved from one supermarket to another is not unusual
    spending."""
    found: list[Unusual] = []
    spent = spending(items, currency=currency)
    by_category = {label: amount.amount for label, amount in spent.parts}
    for label, amount in by_category.items():
        typical = usual.categories.get(label, Decimal(0))
        if is_unusual(amount, typical):
            found.append(
                Unusual("category", label, Money(amount, currency), Money(typical, currency))
            )
    flagged = {finding.label for finding in found}
    category_of = {
        merchant_key(item.transaction.counterparty_name): item.category for item in items
    }
    for merchant in by_merchant(items, currency=currency):
        category = category_of.get(merchant.key, "other")
        if category in flagged or by_category.get(category, Decimal(0)) <= usual.categories.get(
            category, Decimal(0)
        ):
            continue
        typical = usual.merchants.get(merchant.key, Decimal(0))
        if is_unusual(merchant.total.amount, typical):
            found.append(
                Unusual("merchant", merchant.name, merchant.total, Money(typical, currency))
            )
    return sorted(found, key=lambda finding: (-finding.excess, finding.label))
