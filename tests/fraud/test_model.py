"""The online learner: it separates what it is shown, and stays a probability."""

from __future__ import annotations

import math
import random

import pytest

from kluis.errors import UnusableFraudState
from kluis.fraud.model import OnlineLogistic


def test_the_prior_sets_the_first_prediction() -> None:
    model = OnlineLogistic(4, prior_rate=0.05)
    assert model.predict([0]) == pytest.approx(0.05)


def test_it_learns_which_index_means_fraud() -> None:
    model = OnlineLogistic(3)
    chance = random.Random(3)
    for _ in range(3000):
        suspicious = chance.random() < 0.1
        fraud = chance.random() < (0.8 if suspicious else 0.01)
        model.learn([0, 1 if suspicious else 2], fraud)
    assert model.predict([0, 1]) == pytest.approx(0.8, abs=0.12)
    assert model.predict([0, 2]) == pytest.approx(0.01, abs=0.01)


def test_extreme_weights_stay_within_zero_and_one() -> None:
    model = OnlineLogistic(2)
    model.weights[1] = 1e6
    assert model.predict([1]) == pytest.approx(1.0)
    model.weights[1] = -1e6
    assert 0.0 <= model.predict([1]) < 1e-12
    assert not math.isnan(model.predict([1]))


def test_state_of_another_size_is_refused() -> None:
    model = OnlineLogistic(3)
    model.learn([0, 1], True)
    copy = OnlineLogistic(3)
    copy.load_state(model.to_state())
    assert copy.predict([0, 1]) == model.predict([0, 1])
    with pytest.raises(UnusableFraudState):
        OnlineLogistic(4).load_state(model.to_state())
