"""Replaying a recorded stream through the engine, with labels that arrive late.

Transactions come in timestamp order. Before a transaction is scored, every label that has
become visible is handed to the engine: the label of a transaction that happened at least
`label_delay` seconds earlier. Transactions that share a timestamp are all scored before any
of them is remembered, so no score sees a transaction that is not strictly earlier. Labels
in the input are read only through that delay, never at scoring time.

Pure: no printing, no files; the caller reads the stream and writes the scores.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kluis.fraud.engine import FraudEngine
from kluis.fraud.features import Features
from kluis.fraud.profiles import DAY
from kluis.fraud.records import Transaction

Scored = tuple[Transaction, float]


@dataclass(slots=True)
class ReplayCounts:
    """What a replay did so far: transactions scored, labels given to the engine, and labels
    the engine could not use (their transaction had aged out of its buffer)."""

    scored: int = 0
    labels: int = 0
    late_labels: int = 0


def replay(
    transactions: Iterable[Transaction],
    engine: FraudEngine,
    label_delay: float = 7 * DAY,
    counts: ReplayCounts | None = None,
) -> Iterator[Scored]:
    """Each transaction with its score, in order; labels reach `engine` `label_delay` late.

    `transactions` must be in timestamp order (`read_transactions` guarantees it); a
    transaction earlier than the one before raises ValueError.
    """
    counts = counts if counts is not None else ReplayCounts()
    labels: deque[tuple[float, str, bool]] = deque()
    group: list[tuple[Transaction, Features]] = []
    group_time = float("-inf")
    assess = engine.assess
    for transaction in transactions:
        timestamp = transaction.timestamp
        if timestamp != group_time:
            if timestamp < group_time:
                raise ValueError("transactions must come in timestamp order")
            _commit(engine, group, labels, label_delay)
            group_time = timestamp
            while labels and labels[0][0] <= timestamp:
                due, identifier, is_fraud = labels.popleft()
                counts.labels += 1
                if not engine.feedback(identifier, is_fraud, at=due):
                    counts.late_labels += 1
        features, score = assess(transaction)
        group.append((transaction, features))
        counts.scored += 1
        yield transaction, score
    _commit(engine, group, labels, label_delay)


def _commit(
    engine: FraudEngine,
    group: list[tuple[Transaction, Features]],
    labels: deque[tuple[float, str, bool]],
    label_delay: float,
) -> None:
    """Remember the transactions of one timestamp, and when their labels become visible."""
    for transaction, features in group:
        engine.commit(transaction, features)
        if transaction.label is not None:
            labels.append((transaction.timestamp + label_delay, transaction.id, transaction.label))
    group.clear()
