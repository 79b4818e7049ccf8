"""What the fraud engine remembers of each customer and each counterparty, as it goes.

Counts and sums decay exponentially with time (a count "in the last day" is a sum of
exp(-age / 1 day) over past events), so one number and one timestamp stand for a window and
an update costs a few multiplications, not a queue. Each profile has two clocks: one for its
own transactions, one for the labels (confirmed fraud or genuine) that arrive later.

A customer also keeps their last few amounts, in arrival order and sorted, so the engine can
compare a new amount with the customer's own median and spread; a median is not dragged up
by the very fraud it has to expose, as a mean would be.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import deque
from math import exp

HOUR = 3600.0
DAY = 86400.0
WEEK = 7 * DAY
MONTH = 30 * DAY
RECENT_AMOUNTS = 15
# A customer's counterparties not seen for this long are forgotten once the list is long.
COUNTERPARTY_MEMORY = 4 * MONTH
COUNTERPARTY_LIST_LIMIT = 512
# A payment at least this many times the customer's median counts as unusual for them.
UNUSUAL_RATIO = 2.0

Number = float | int
CustomerState = list[object]
CounterpartyState = list[float]


class CustomerProfile:
    """A customer's recent activity, amounts, counterparties and confirmed fraud."""

    __slots__ = (
        "amount_day",
        "count_day",
        "count_hour",
        "count_month",
        "count_week",
        "counterparties",
        "fraud_time",
        "fraud_week",
        "label_time",
        "ordered",
        "recent",
        "time",
        "unusual_week",
    )

    def __init__(self) -> None:
        self.time = 0.0
        self.count_hour = 0.0
        self.count_day = 0.0
        self.count_week = 0.0
        self.count_month = 0.0
        self.amount_day = 0.0
        self.unusual_week = 0.0
        self.recent: deque[float] = deque(maxlen=RECENT_AMOUNTS)
        self.ordered: list[float] = []
        self.counterparties: dict[str, float] = {}
        self.label_time = 0.0
        self.fraud_week = 0.0
        self.fraud_time = -1.0

    def activity(self, now: float) -> tuple[float, float, float, float, float, float]:
        """Decayed transaction counts (hour, day, week, month), amount (day) and unusual
        payments (week) at `now`."""
        age = max(now - self.time, 0.0)
        day = exp(-age / DAY)
        week = exp(-age / WEEK)
        return (
            self.count_hour * exp(-age / HOUR),
            self.count_day * day,
            self.count_week * week,
            self.count_month * exp(-age / MONTH),
            self.amount_day * day,
            self.unusual_week * week,
        )

    def known_fraud(self, now: float) -> float:
        """Confirmed fraud of this customer, decayed over about a week from its arrival."""
        return self.fraud_week * exp(-max(now - self.label_time, 0.0) / WEEK)

    def add(self, now: float, amount: float, counterparty: str) -> None:
        """Count one transaction at `now` (after it was scored)."""
        hour, day, week, month, spent, unusual = self.activity(now)
        self.time = max(now, self.time)
        self.count_hour = hour + 1.0
        self.count_day = day + 1.0
        self.count_week = week + 1.0
        self.count_month = month + 1.0
        self.amount_day = spent + amount
        ordered = self.ordered
        if len(ordered) >= 3 and amount >= UNUSUAL_RATIO * ordered[len(ordered) // 2]:
            unusual += 1.0
        self.unusual_week = unusual
        recent = self.recent
        if len(recent) == RECENT_AMOUNTS:
            ordered = self.ordered
            del ordered[bisect_left(ordered, recent[0])]
        recent.append(amount)
        insort(self.ordered, amount)
        counterparties = self.counterparties
        counterparties[counterparty] = now
        if len(counterparties) > COUNTERPARTY_LIST_LIMIT:
            self._forget_counterparties(now)

    def _forget_counterparties(self, now: float) -> None:
        horizon = now - COUNTERPARTY_MEMORY
        kept = {name: seen for name, seen in self.counterparties.items() if seen >= horizon}
        if len(kept) > COUNTERPARTY_LIST_LIMIT:  # very active: keep the most recent half
            newest = sorted(kept.items(), key=lambda item: item[1])[COUNTERPARTY_LIST_LIMIT // 2 :]
            kept = dict(newest)
        self.counterparties = kept

    def label(self, at: float, is_fraud: bool, happened: float) -> None:
        """A label for one of this customer's transactions (which `happened`) arrived `at`."""
        if is_fraud:
            self.fraud_week = self.known_fraud(at) + 1.0
            self.label_time = max(at, self.label_time)
            self.fraud_time = max(happened, self.fraud_time)

    def to_state(self) -> CustomerState:
        return [
            self.time,
            self.count_hour,
            self.count_day,
            self.count_week,
            self.count_month,
            self.amount_day,
            list(self.recent),
            dict(self.counterparties),
            self.label_time,
            self.fraud_week,
            self.fraud_time,
            self.unusual_week,
        ]

    @classmethod
    def from_state(cls, state: CustomerState) -> CustomerProfile:
        if len(state) != 12:
            raise TypeError("a customer's state has 12 items")
        profile = cls()
        numbers = [float(item) for item in _numbers(state, (0, 1, 2, 3, 4, 5, 8, 9, 10, 11))]
        (
            profile.time,
            profile.count_hour,
            profile.count_day,
            profile.count_week,
            profile.count_month,
            profile.amount_day,
            profile.label_time,
            profile.fraud_week,
            profile.fraud_time,
            profile.unusual_week,
        ) = numbers
        amounts = state[6]
        counterparties = state[7]
        if not isinstance(amounts, list) or not isinstance(counterparties, dict):
            raise TypeError("a customer's amounts and counterparties are a list and a mapping")
        profile.recent.extend(float(amount) for amount in amounts)
        profile.ordered = sorted(profile.recent)
        profile.counterparties = {str(key): float(value) for key, value in counterparties.items()}
        return profile


def _numbers(state: CustomerState, positions: tuple[int, ...]) -> list[Number]:
    found = [state[position] for position in positions]
    if not all(isinstance(item, float | int) for item in found):
        raise TypeError("a customer's counters are numbers")
    return [item for item in found if isinstance(item, float | int)]


class CounterpartyProfile:
    """A counterparty's (a terminal's, a merchant's) traffic and its confirmed fraud."""

    __slots__ = (
        "count_day",
        "count_week",
        "fraud_day",
        "fraud_month",
        "fraud_time",
        "fraud_week",
        "genuine_time",
        "label_time",
        "labelled_month",
        "labelled_week",
        "streak",
        "streak_start",
        "time",
    )

    def __init__(self) -> None:
        self.time = 0.0
        self.count_day = 0.0
        self.count_week = 0.0
        self.label_time = 0.0
        self.fraud_day = 0.0
        self.fraud_week = 0.0
        self.fraud_month = 0.0
        self.labelled_month = 0.0
        self.labelled_week = 0.0
        self.fraud_time = -1.0
        self.genuine_time = -1.0
        self.streak = 0.0
        self.streak_start = -1.0

    def traffic(self, now: float) -> tuple[float, float]:
        """Decayed transaction counts (day, week) at `now`."""
        age = max(now - self.time, 0.0)
        return self.count_day * exp(-age / DAY), self.count_week * exp(-age / WEEK)

    def known_fraud(self, now: float) -> tuple[float, float, float, float, float]:
        """Confirmed fraud decayed over a day, a week and a month from its arrival, and the
        labels of any kind decayed over a week and a month."""
        age = max(now - self.label_time, 0.0)
        week = exp(-age / WEEK)
        month = exp(-age / MONTH)
        return (
            self.fraud_day * exp(-age / DAY),
            self.fraud_week * week,
            self.fraud_month * month,
            self.labelled_week * week,
            self.labelled_month * month,
        )

    def add(self, now: float) -> None:
        """Count one transaction at `now` (after it was scored)."""
        day, week = self.traffic(now)
        self.time = max(now, self.time)
        self.count_day = day + 1.0
        self.count_week = week + 1.0

    def label(self, at: float, is_fraud: bool, happened: float) -> None:
        """A label for a transaction here (which `happened`) arrived `at`."""
        day, week, month, labelled_week, labelled_month = self.known_fraud(at)
        self.label_time = max(at, self.label_time)
        self.labelled_week = labelled_week + 1.0
        self.labelled_month = labelled_month + 1.0
        if is_fraud:
            self.fraud_day, self.fraud_week, self.fraud_month = day + 1.0, week + 1.0, month + 1.0
            self.fraud_time = max(happened, self.fraud_time)
            if self.streak == 0.0:
                self.streak_start = happened
            self.streak += 1.0
        else:
            self.fraud_day, self.fraud_week, self.fraud_month = day, week, month
            self.genuine_time = max(happened, self.genuine_time)
            self.streak = 0.0

    def to_state(self) -> CounterpartyState:
        return [
            self.time,
            self.count_day,
            self.count_week,
            self.label_time,
            self.fraud_day,
            self.fraud_week,
            self.fraud_month,
            self.labelled_month,
            self.labelled_week,
            self.fraud_time,
            self.genuine_time,
            self.streak,
            self.streak_start,
        ]

    @classmethod
    def from_state(cls, state: CounterpartyState) -> CounterpartyProfile:
        if len(state) != 13:
            raise TypeError("a counterparty's state has 13 numbers")
        profile = cls()
        (
            profile.time,
            profile.count_day,
            profile.count_week,
            profile.label_time,
            profile.fraud_day,
            profile.fraud_week,
            profile.fraud_month,
            profile.labelled_month,
            profile.labelled_week,
            profile.fraud_time,
            profile.genuine_time,
            profile.streak,
            profile.streak_start,
        ) = (float(number) for number in state)
        return profile
