"""The replay: labels only after the delay, scores only from strictly earlier transactions."""

from __future__ import annotations

import pytest

from kluis.fraud.engine import FraudEngine
from kluis.fraud.profiles import DAY
from kluis.fraud.records import Transaction
from kluis.fraud.replay import ReplayCounts, replay
from tests.fraud.streams import START, stream


def scores(transactions: list[Transaction], delay: float = 7 * DAY) -> list[float]:
    return [score for _, score in replay(transactions, FraudEngine(), delay)]


def test_one_score_per_transaction_in_order() -> None:
    transactions = stream(3)
    scored = list(replay(transactions, FraudEngine()))
    assert [item.id for item, _ in scored] == [item.id for item in transactions]
    assert all(0.0 <= score <= 1.0 for _, score in scored)


def test_a_score_does_not_depend_on_later_transactions() -> None:
    transactions = stream(20)
    assert scores(transactions[:2500]) == scores(transactions)[:2500]


def test_a_label_younger_than_the_delay_changes_no_score() -> None:
    transactions = stream(20)
    flipped = [item._replace(label=not item.label) for item in transactions]
    cut = next(i for i, item in enumerate(transactions) if item.timestamp >= START + 7 * DAY)
    original = scores(transactions)
    assert scores(flipped)[:cut] == original[:cut]
    assert scores(flipped)[cut:] != original[cut:]


def test_labels_arrive_exactly_after_the_delay() -> None:
    first = Transaction("a", START, "c1", "t1", 10.0, "EUR", True)
    just_before = Transaction("b", START + DAY - 1, "c2", "t2", 10.0, "EUR", False)
    on_time = Transaction("c", START + DAY, "c3", "t3", 10.0, "EUR", False)
    counts = ReplayCounts()
    engine = FraudEngine()
    stream_ = replay([first, just_before, on_time], engine, DAY, counts)
    next(stream_)
    next(stream_)
    assert counts.labels == 0
    next(stream_)
    assert counts.labels == 1
    assert engine.counterparties["t1"].fraud_time == START


def test_transactions_at_the_same_moment_do_not_see_each_other() -> None:
    history = stream(10)
    moment = history[-1].timestamp + 60
    twin = Transaction("twin1", moment, "c1", "t1", 25.0, "EUR", False)
    alone = scores([*history, twin])[-1]
    together = scores([*history, twin, twin._replace(id="twin2")])
    assert together[-2] == alone == together[-1]


def test_a_stream_out_of_order_is_refused() -> None:
    late = Transaction("a", START + 10, "c1", "t1", 10.0, "EUR")
    early = Transaction("b", START, "c1", "t1", 10.0, "EUR")
    with pytest.raises(ValueError, match="timestamp order"):
        list(replay([late, early], FraudEngine()))
