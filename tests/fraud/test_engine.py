"""FraudEngine: scores from the past only, learning from feedback, state that survives."""

from __future__ import annotations

import json

import pytest

from kluis.errors import UnusableFraudState
from kluis.fraud.engine import EngineConfig, FraudEngine
from kluis.fraud.profiles import DAY
from kluis.fraud.records import Transaction
from tests.fraud.streams import START, stream


def trained(days: int = 30) -> tuple[FraudEngine, list[Transaction]]:
    """An engine that saw `days` of the synthetic stream with every label at once."""
    engine = FraudEngine()
    transactions = stream(days)
    for transaction in transactions:
        engine.process(transaction)
        assert transaction.label is not None
        engine.feedback(transaction.id, transaction.label, at=transaction.timestamp)
    return engine, transactions


def test_scores_are_probabilities_and_start_at_the_prior() -> None:
    engine = FraudEngine(EngineConfig(prior_rate=0.02))
    first = Transaction("x", START, "c1", "t1", 10.0, "EUR")
    assert engine.score(first) == pytest.approx(0.02)
    for transaction in stream(5):
        assert 0.0 <= engine.process(transaction) <= 1.0


def test_score_changes_nothing_and_process_scores_before_remembering() -> None:
    engine, _ = trained(10)
    probe = Transaction("probe", START + 11 * DAY, "c1", "t5", 40.0, "EUR")
    before = json.dumps(engine.to_state())
    assert engine.score(probe) == engine.score(probe)
    assert json.dumps(engine.to_state()) == before
    assert engine.process(probe) == FraudEngine.from_state(json.loads(before)).score(probe)
    assert json.dumps(engine.to_state()) != before


def test_it_learns_a_compromised_counterparty_from_feedback() -> None:
    engine, _ = trained(30)
    moment = START + 30 * DAY
    at_compromised = engine.score(Transaction("a", moment, "c1", "t0", 40.0, "EUR"))
    elsewhere = engine.score(Transaction("b", moment, "c1", "t7", 40.0, "EUR"))
    assert at_compromised > 0.5 > 0.05 > elsewhere


def test_it_learns_that_an_unusual_amount_is_suspect() -> None:
    engine, transactions = trained(30)
    customer = transactions[-1].customer
    usual = engine.customers[customer].ordered[7]
    moment = START + 30 * DAY
    large = engine.score(Transaction("a", moment, customer, "t9", usual * 20, "EUR"))
    normal = engine.score(Transaction("b", moment, customer, "t9", usual, "EUR"))
    assert large > 10 * normal


def test_feedback_for_an_unknown_or_aged_out_transaction_teaches_nothing() -> None:
    engine = FraudEngine(EngineConfig(pending_max_age=DAY))
    old = Transaction("old", START, "c1", "t1", 10.0, "EUR")
    engine.process(old)
    engine.process(Transaction("new", START + 2 * DAY, "c1", "t1", 10.0, "EUR"))
    weights = list(engine.model.weights)
    assert engine.pending == 1
    assert engine.feedback("old", True, at=START + 3 * DAY) is False
    assert engine.feedback("never", True, at=START + 3 * DAY) is False
    assert engine.model.weights == weights
    assert engine.feedback("new", True, at=START + 3 * DAY) is True
    assert engine.model.weights != weights
    assert engine.pending == 0


def test_the_pending_buffer_is_bounded_by_count() -> None:
    engine = FraudEngine(EngineConfig(pending_limit=100))
    for transaction in stream(2):
        engine.process(transaction)
    assert engine.pending == 100


def test_state_round_trips_through_json_and_scores_the_same() -> None:
    engine, transactions = trained(12)
    restored = FraudEngine.from_state(json.loads(json.dumps(engine.to_state())))
    later = stream(14)[len(transactions) :]
    for transaction in later[:300]:
        assert restored.process(transaction) == engine.process(transaction)
        assert transaction.label is not None
        restored.feedback(transaction.id, transaction.label, at=transaction.timestamp)
        engine.feedback(transaction.id, transaction.label, at=transaction.timestamp)


def test_a_state_of_another_shape_is_refused() -> None:
    state = FraudEngine().to_state()
    state["model"]["weights"] = state["model"]["weights"][:-1]
    with pytest.raises(UnusableFraudState, match="another set of features"):
        FraudEngine.from_state(state)
    with pytest.raises(UnusableFraudState, match="another version"):
        FraudEngine.from_state({"version": 0})
    broken = FraudEngine().to_state()
    broken["customers"] = {"c1": [1.0]}
    with pytest.raises(UnusableFraudState, match="cannot be read"):
        FraudEngine.from_state(broken)


def test_a_transaction_older_than_what_the_engine_saw_still_gets_a_score() -> None:
    engine, transactions = trained(5)
    customer = transactions[-1].customer
    counterparty = next(iter(engine.customers[customer].counterparties))
    old = Transaction("late", START - 30 * DAY, customer, counterparty, 30.0, "EUR")
    assert 0.0 <= engine.process(old) <= 1.0


def test_forgetting_a_customer_leaves_no_trace_of_them_in_the_state() -> None:
    engine = FraudEngine()
    for transaction in stream(5):
        engine.process(transaction)
    gone = stream(5)[0].customer
    waiting = engine.pending
    dropped = engine.forget(gone)
    assert dropped > 0
    assert engine.pending == waiting - dropped
    assert gone not in engine.customers
    state = json.dumps(engine.to_state())
    assert f'"{gone}"' not in state
    assert not engine.feedback(stream(5)[0].id, True, at=START + 10 * DAY)
    assert engine.forget("nobody") == 0
