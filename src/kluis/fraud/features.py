"""The features of one transaction: which buckets it falls in, as indices into a weight list.

Every feature is binned (mostly on a logarithmic scale) and one-hot encoded, so a linear
model over the indices learns a curve per feature, and a few crosses of two features give it
the interactions that matter (a large amount means more for a customer who was defrauded
last week). The indices of one transaction are a tuple of about thirty ints: cheap to score,
cheap to keep until its label arrives.

The features only read profiles built from earlier transactions and labels that already
arrived; describing a transaction changes nothing.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from math import log2

from kluis.fraud.profiles import DAY, RECENT_AMOUNTS, CounterpartyProfile, CustomerProfile

Features = tuple[int, ...]


class _Space:
    """Hands out consecutive index ranges, one per feature, and remembers their names."""

    def __init__(self) -> None:
        self.size = 0
        self.names: dict[str, tuple[int, int]] = {}

    def add(self, name: str, bins: int) -> int:
        start = self.size
        self.names[name] = (start, bins)
        self.size += bins
        return start


SPACE = _Space()
BIAS = SPACE.add("bias", 1)
AMOUNT = SPACE.add("log amount, eighth octaves", 128)
HOUR = SPACE.add("hour of day", 24)
WEEKDAY = SPACE.add("day of week", 7)
HISTORY = SPACE.add("amounts in the customer's history", RECENT_AMOUNTS + 1)
RATIO = SPACE.add("amount / customer's median, quarter octaves", 34)
SPREAD = SPACE.add("(amount - median) / customer's interquartile range", 34)
RANK = SPACE.add("amount's place among the customer's recent amounts", 6)
HOUR_COUNT = SPACE.add("customer's transactions in the last hour", 10)
DAY_COUNT = SPACE.add("customer's transactions in the last day", 12)
WEEK_COUNT = SPACE.add("customer's transactions in the last week", 14)
BURST = SPACE.add("customer's last day against their month", 16)
DAY_AMOUNT = SPACE.add("customer's spending in the last day / median", 16)
SEEN = SPACE.add("counterparty last seen by this customer", 6)
TRAFFIC = SPACE.add("counterparty's transactions in the last day", 10)
TRAFFIC_WEEK = SPACE.add("counterparty's transactions in the last week", 14)
CP_FRAUD_DAY = SPACE.add("counterparty's confirmed fraud, a day", 12)
CP_FRAUD_WEEK = SPACE.add("counterparty's confirmed fraud, a week", 14)
CP_FRAUD_MONTH = SPACE.add("counterparty's confirmed fraud, a month", 16)
CP_RATE = SPACE.add("counterparty's share of fraud among its labels", 10)
CP_SINCE = SPACE.add("days since the counterparty's latest confirmed fraud", 10)
CP_LATEST = SPACE.add("counterparty's latest known outcome", 4)
CP_WEEK_RATE = SPACE.add("counterparty's share of fraud among its labels of the week", 10)
STREAK = SPACE.add("counterparty's confirmed frauds in a row", 12)
STREAK_AGE = SPACE.add("days since the counterparty's run of fraud began, in twos", 32)
CUSTOMER_FRAUD = SPACE.add("customer's confirmed fraud, a week", 10)
CUSTOMER_SINCE = SPACE.add("days since the customer's latest confirmed fraud", 10)
RATIO_BY_FRAUD = SPACE.add("ratio x customer's known fraud", 34 * 3)
SPREAD_BY_FRAUD = SPACE.add("spread x customer's known fraud", 34 * 3)
RATIO_BY_HISTORY = SPACE.add("ratio x history length", 34 * 3)
RATE_BY_SINCE = SPACE.add("counterparty's fraud share x days since", 10 * 10)
MONTH_BY_LATEST = SPACE.add("counterparty's fraud month x latest outcome", 16 * 4)
AMOUNT_BY_FRAUD = SPACE.add("coarse amount x customer's known fraud", 32 * 3)
STREAK_BY_AGE = SPACE.add("frauds in a row x days since the run began", 5 * 32)
UNUSUAL = SPACE.add("customer's unusually large payments in the last week", 10)
RATIO_BY_UNUSUAL = SPACE.add("ratio x customer's unusual payments", 34 * 3)
SIZE = SPACE.size


def _log_bin(value: float, per_octave: float, top: int) -> int:
    """0 for 0, else 1 + floor(log2(1 + value) * per_octave), at most `top`."""
    if value <= 0.0:
        return 0
    found = 1 + int(log2(1.0 + value) * per_octave)
    return found if found < top else top


def _days_bin(now: float, then: float) -> int:
    """0 when there never was one, else 1 + log2 of the days since, at most 9."""
    if then < 0.0:
        return 0
    found = 1 + int(log2(1.0 + max(now - then, 0.0) / DAY))
    return found if found < 9 else 9


def _customer_amount(amount: float, customer: CustomerProfile | None) -> tuple[int, int, int, int]:
    """History length bin, ratio bin, spread bin, rank bin (the last three 0 with no history)."""
    if customer is None or len(customer.ordered) < 3:
        size = 0 if customer is None else len(customer.ordered)
        return size, 0, 0, 0
    ordered = customer.ordered
    size = len(ordered)
    median = ordered[size // 2]
    spread = ordered[(3 * size) // 4] - ordered[size // 4]
    magnitude = amount if amount > 0.0 else 0.01
    ratio = int(log2(magnitude / median) * 4.0) if median > 0.0 else 20
    ratio_bin = 1 + min(max(ratio + 12, 0), 32)
    deviation = int((amount - median) / max(spread, 0.05 * median, 0.01) * 2.0)
    spread_bin = 1 + min(max(deviation + 8, 0), 32)
    below = bisect_left(ordered, amount)
    if below == size:
        rank = 5
    elif bisect_right(ordered, amount) == 0:
        rank = 1
    else:
        rank = 2 + min(below * 3 // size, 2)
    return size, ratio_bin, spread_bin, rank


def describe(
    timestamp: float,
    amount: float,
    customer: CustomerProfile | None,
    counterparty: CounterpartyProfile | None,
    counterparty_name: str,
) -> Features:
    """The feature indices of a transaction, from the profiles as they stand before it."""
    magnitude = abs(amount)
    seconds = int(timestamp) % 86400
    weekday = (int(timestamp) // 86400 + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    size, ratio, spread, rank = _customer_amount(magnitude, customer)
    history = 0 if size < 5 else (1 if size < RECENT_AMOUNTS else 2)
    amount_bin = min(int(log2(1.0 + magnitude) * 8.0), 127)
    if customer is None:
        hour = day = week = month = spent = known = unusual = 0.0
        seen = 0
        since_own = 0
    else:
        hour, day, week, month, spent, unusual = customer.activity(timestamp)
        known = customer.known_fraud(timestamp)
        last = customer.counterparties.get(counterparty_name)
        seen = 1 if last is None else 2 + min(int(log2(1.0 + max(timestamp - last, 0.0) / DAY)), 3)
        since_own = _days_bin(timestamp, customer.fraud_time)
    median = customer.ordered[len(customer.ordered) // 2] if customer and customer.ordered else 0.0
    burst = day / (month / 30.0 + 0.1)
    fraud_level = 0 if known < 0.05 else (1 if known < 1.0 else 2)
    unusual_level = 0 if unusual < 0.05 else (1 if unusual < 1.0 else 2)
    if counterparty is None:
        traffic = traffic_week = 0.0
        cp_day = cp_week = cp_month = labelled_week = labelled = 0.0
        since = latest = streak = run = streak_age = 0
    else:
        traffic, traffic_week = counterparty.traffic(timestamp)
        cp_day, cp_week, cp_month, labelled_week, labelled = counterparty.known_fraud(timestamp)
        since = _days_bin(timestamp, counterparty.fraud_time)
        latest = _latest_outcome(counterparty)
        streak = _log_bin(counterparty.streak, 3.0, 11)
        run = min(int(counterparty.streak), 4)
        streak_age = (
            0
            if streak == 0
            else 1 + min(int(max(timestamp - counterparty.streak_start, 0.0) / (2 * DAY)), 30)
        )
    rate = 0 if labelled < 0.05 else 1 + min(int(cp_month / labelled * 8.0), 8)
    week_rate = 0 if labelled_week < 0.05 else 1 + min(int(cp_week / labelled_week * 8.0), 8)
    month_bin = _log_bin(cp_month, 3.0, 15)
    return (
        BIAS,
        AMOUNT + amount_bin,
        HOUR + seconds // 3600,
        WEEKDAY + weekday,
        HISTORY + size,
        RATIO + ratio,
        SPREAD + spread,
        RANK + rank,
        HOUR_COUNT + _log_bin(hour, 2.0, 9),
        DAY_COUNT + _log_bin(day, 2.0, 11),
        WEEK_COUNT + _log_bin(week, 2.0, 13),
        BURST + _log_bin(burst, 3.0, 15),
        DAY_AMOUNT + (_log_bin(spent / median, 2.0, 15) if median > 0.0 else 0),
        SEEN + seen,
        TRAFFIC + _log_bin(traffic, 2.0, 9),
        TRAFFIC_WEEK + _log_bin(traffic_week, 2.0, 13),
        CP_FRAUD_DAY + _log_bin(cp_day, 3.0, 11),
        CP_FRAUD_WEEK + _log_bin(cp_week, 3.0, 13),
        CP_FRAUD_MONTH + month_bin,
        CP_RATE + rate,
        CP_SINCE + since,
        CP_LATEST + latest,
        CP_WEEK_RATE + week_rate,
        STREAK + streak,
        STREAK_AGE + streak_age,
        CUSTOMER_FRAUD + _log_bin(known, 3.0, 9),
        CUSTOMER_SINCE + since_own,
        RATIO_BY_FRAUD + ratio * 3 + fraud_level,
        SPREAD_BY_FRAUD + spread * 3 + fraud_level,
        RATIO_BY_HISTORY + ratio * 3 + history,
        RATE_BY_SINCE + rate * 10 + since,
        MONTH_BY_LATEST + month_bin * 4 + latest,
        AMOUNT_BY_FRAUD + (amount_bin >> 2) * 3 + fraud_level,
        STREAK_BY_AGE + run * 32 + streak_age,
        UNUSUAL + _log_bin(unusual, 3.0, 9),
        RATIO_BY_UNUSUAL + ratio * 3 + unusual_level,
    )


def _latest_outcome(counterparty: CounterpartyProfile) -> int:
    """0 no labels; 1 only genuine; 2 genuine after an earlier fraud; 3 fraud latest."""
    if counterparty.fraud_time < 0.0:
        return 0 if counterparty.genuine_time < 0.0 else 1
    return 3 if counterparty.fraud_time >= counterparty.genuine_time else 2
