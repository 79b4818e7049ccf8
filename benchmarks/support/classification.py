"""Precision, recall and F1 per class, and accuracy, from (truth, guess) counts: what the
categorisation benchmarks report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float


def scores(pairs: Counter[tuple[str, str]], category: str) -> Scores:
    hits = pairs[(category, category)]
    chosen = sum(n for (_, guess), n in pairs.items() if guess == category)
    relevant = sum(n for (truth, _), n in pairs.items() if truth == category)
    precision = hits / chosen if chosen else 0.0
    recall = hits / relevant if relevant else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def accuracy(pairs: Counter[tuple[str, str]]) -> float:
    right = sum(n for (truth, guess), n in pairs.items() if truth == guess)
    return right / sum(pairs.values())
