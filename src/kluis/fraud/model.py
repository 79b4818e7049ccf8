"""The online learner: logistic regression over one-hot feature indices, trained by AdaGrad.

Every feature of a transaction is an index with the value 1, so a prediction is the sum of
about thirty weights and an update touches only those weights: O(active features), no
matrix, no refit. AdaGrad gives each weight its own step size, large while the weight has
seen little and shrinking as its evidence grows; rare buckets (a very large amount, a
counterparty with many confirmed frauds) therefore learn quickly from their first labels.
Each sum of squared gradients starts at `initial_square`, not at nearly zero: otherwise the
first step of every weight is the full learning rate whatever the gradient, and a genuine
payment the model already called safe moves a rare bucket as far as a surprising fraud.

The only prior is the bias: it starts at the log-odds of `prior_rate`, so the first scores
are a plausible base rate instead of one half. Data moves it like any other weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import exp, log, sqrt

from kluis.errors import UnusableFraudState

_LIMIT = 35.0  # exp(35) is far from overflow and sigmoid(±35) is 0 or 1 to double precision


class OnlineLogistic:
    """Weights over `size` one-hot indices; `predict` is a probability, `learn` one step."""

    __slots__ = ("learning_rate", "positive_weight", "squares", "weights")

    def __init__(
        self,
        size: int,
        *,
        learning_rate: float = 0.5,
        positive_weight: float = 1.0,
        prior_rate: float = 0.01,
        initial_square: float = 0.1,
    ) -> None:
        self.learning_rate = learning_rate
        self.positive_weight = positive_weight
        self.weights = [0.0] * size
        self.squares = [initial_square] * size
        self.weights[0] = log(prior_rate / (1.0 - prior_rate))

    def margin(self, indices: Sequence[int]) -> float:
        """The log-odds of fraud: the sum of the active weights."""
        return sum(map(self.weights.__getitem__, indices))

    def predict(self, indices: Sequence[int]) -> float:
        """The probability of fraud, in [0, 1]."""
        margin = self.margin(indices)
        if margin > _LIMIT:
            margin = _LIMIT
        elif margin < -_LIMIT:
            margin = -_LIMIT
        return 1.0 / (1.0 + exp(-margin))

    def learn(self, indices: Sequence[int], is_fraud: bool) -> None:
        """One AdaGrad step on the log loss for a labelled transaction."""
        probability = self.predict(indices)
        gradient = probability - 1.0 if is_fraud else probability
        if is_fraud:
            gradient *= self.positive_weight
        squared = gradient * gradient
        step = self.learning_rate * gradient
        weights = self.weights
        squares = self.squares
        for index in indices:
            accumulated = squares[index] + squared
            squares[index] = accumulated
            weights[index] -= step / sqrt(accumulated)

    def to_state(self) -> dict[str, list[float]]:
        return {"weights": list(self.weights), "squares": list(self.squares)}

    def load_state(self, state: dict[str, list[float]]) -> None:
        """Take weights saved by `to_state`; raises UnusableFraudState on another size."""
        weights = state.get("weights")
        squares = state.get("squares")
        size = len(self.weights)
        if not (isinstance(weights, list) and isinstance(squares, list)):
            raise UnusableFraudState("the saved model has no weights")
        if len(weights) != size or len(squares) != size:
            raise UnusableFraudState("the saved model was made for another set of features")
        self.weights = [float(value) for value in weights]
        self.squares = [float(value) for value in squares]
