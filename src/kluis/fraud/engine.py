"""FraudEngine: scores a transaction from what came before it, and learns from late labels.

    engine = FraudEngine()
    score = engine.process(transaction)      # score it, then remember it
    engine.feedback(transaction.id, True, at=later)   # "that wasn't me", days later

The engine is pure and in memory: no I/O, no clock of its own (every moment comes with the
call), so the live alerting path and the replay run the very same code. A scored
transaction's features wait in a bounded buffer for its label; when the label comes, the
learner takes one step on exactly what it saw at scoring time, and the counterparty's and the
customer's confirmed fraud are counted. A label that arrives after its features aged out
teaches nothing (the engine no longer knows that transaction). `to_state` and `from_state`
turn the whole engine into plain lists and dicts (JSON-ready) and back.
"""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass
from typing import Any

from kluis.errors import UnusableFraudState
from kluis.fraud.features import SIZE, Features, describe
from kluis.fraud.model import OnlineLogistic
from kluis.fraud.profiles import DAY, CounterpartyProfile, CustomerProfile
from kluis.fraud.records import Transaction

STATE_VERSION = 2

# A pending transaction: when it happened, its customer, its counterparty, its features.
Pending = tuple[float, str, str, Features]


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """The engine's parameters; the defaults were chosen on April to June of fraud-sim.

    `pending_max_age` (seconds) and `pending_limit` bound the buffer of scored transactions
    that wait for a label: a label that comes later than that teaches the learner nothing.
    """

    learning_rate: float = 0.3
    initial_square: float = 0.1
    positive_weight: float = 1.0
    prior_rate: float = 0.01
    pending_max_age: float = 45 * DAY
    pending_limit: int = 2_000_000


class FraudEngine:
    """Scores transactions in [0, 1] (higher: more likely fraud) and learns from feedback."""

    def __init__(self, config: EngineConfig | None = None) -> None:
        self.config = config or EngineConfig()
        self.model = OnlineLogistic(
            SIZE,
            learning_rate=self.config.learning_rate,
            positive_weight=self.config.positive_weight,
            prior_rate=self.config.prior_rate,
            initial_square=self.config.initial_square,
        )
        self.customers: dict[str, CustomerProfile] = {}
        self.counterparties: dict[str, CounterpartyProfile] = {}
        self._pending: dict[str, Pending] = {}
        self._order: deque[tuple[float, str]] = deque()

    @property
    def pending(self) -> int:
        """How many scored transactions wait for their label."""
        return len(self._pending)

    def assess(self, transaction: Transaction) -> tuple[Features, float]:
        """The features and the score of `transaction`; changes nothing."""
        features = describe(
            transaction.timestamp,
            transaction.amount,
            self.customers.get(transaction.customer),
            self.counterparties.get(transaction.counterparty),
            transaction.counterparty,
        )
        return features, self.model.predict(features)

    def score(self, transaction: Transaction) -> float:
        """The probability that `transaction` is fraud, from earlier transactions and labels."""
        return self.assess(transaction)[1]

    def commit(self, transaction: Transaction, features: Features) -> None:
        """Remember a transaction scored with `features`: profiles, and wait for its label."""
        customer = self.customers.get(transaction.customer)
        if customer is None:
            customer = self.customers[transaction.customer] = CustomerProfile()
        customer.add(transaction.timestamp, abs(transaction.amount), transaction.counterparty)
        counterparty = self.counterparties.get(transaction.counterparty)
        if counterparty is None:
            counterparty = self.counterparties[transaction.counterparty] = CounterpartyProfile()
        counterparty.add(transaction.timestamp)
        self._remember(transaction, features)

    def process(self, transaction: Transaction) -> float:
        """Score a transaction, then remember it; the score does not see the transaction."""
        features, score = self.assess(transaction)
        self.commit(transaction, features)
        return score

    def feedback(self, transaction_id: str, is_fraud: bool, at: float) -> bool:
        """A label for an earlier transaction, arriving at `at` (epoch seconds).

        Returns False when the transaction is unknown or its features aged out (then nothing
        is learnt); True when the learner and the profiles took it in.
        """
        pending = self._pending.pop(transaction_id, None)
        if pending is None:
            return False
        happened, customer, counterparty, features = pending
        self.model.learn(features, is_fraud)
        self.customers[customer].label(at, is_fraud, happened)
        self.counterparties[counterparty].label(at, is_fraud, happened)
        return True

    def forget(self, customer: str) -> int:
        """Erase a customer: their profile and their transactions waiting for a label go
        (what the model learnt from them stays, as weights no one can read back); how many
        waiting transactions went."""
        self.customers.pop(customer, None)
        theirs = [key for key, pending in self._pending.items() if pending[1] == customer]
        for key in theirs:
            del self._pending[key]
        return len(theirs)

    def _remember(self, transaction: Transaction, features: Features) -> None:
        pending = self._pending
        order = self._order
        pending[transaction.id] = (
            transaction.timestamp,
            transaction.customer,
            transaction.counterparty,
            features,
        )
        order.append((transaction.timestamp, transaction.id))
        horizon = transaction.timestamp - self.config.pending_max_age
        limit = self.config.pending_limit
        while order and (order[0][0] < horizon or len(pending) > limit):
            pending.pop(order.popleft()[1], None)

    def to_state(self) -> dict[str, Any]:
        """The whole engine as plain data (lists, dicts, numbers, strings)."""
        return {
            "version": STATE_VERSION,
            "config": asdict(self.config),
            "model": self.model.to_state(),
            "customers": {name: item.to_state() for name, item in self.customers.items()},
            "counterparties": {name: item.to_state() for name, item in self.counterparties.items()},
            "pending": [
                [identifier, *self._pending[identifier][:3], list(self._pending[identifier][3])]
                for _, identifier in self._order
                if identifier in self._pending
            ],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> FraudEngine:
        """An engine from `to_state`'s data; raises UnusableFraudState when it cannot be."""
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
            raise UnusableFraudState("the saved fraud engine is of another version")
        try:
            engine = cls(EngineConfig(**state["config"]))
            engine.model.load_state(state["model"])
            engine.customers = {
                str(name): CustomerProfile.from_state(item)
                for name, item in state["customers"].items()
            }
            engine.counterparties = {
                str(name): CounterpartyProfile.from_state(item)
                for name, item in state["counterparties"].items()
            }
            for identifier, happened, customer, counterparty, features in state["pending"]:
                indices = tuple(int(index) for index in features)
                if customer not in engine.customers or counterparty not in engine.counterparties:
                    raise UnusableFraudState("a saved transaction has no profile")
                if any(not 0 <= index < SIZE for index in indices):
                    raise UnusableFraudState("a saved feature lies outside the feature set")
                engine._pending[str(identifier)] = (
                    float(happened),
                    str(customer),
                    str(counterparty),
                    indices,
                )
                engine._order.append((float(happened), str(identifier)))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise UnusableFraudState(f"the saved fraud engine cannot be read: {error}") from None
        return engine
