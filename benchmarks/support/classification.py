"""Precision, recall and F1 per class, and accuracy, from (truth, guess) counts: what the
categorisation benchmarks report, and the table they print it in."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rich.table import Table


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


def comparison_table(
    title: str,
    seen: Sequence[str],
    support: Counter[str],
    ours: Counter[tuple[str, str]],
    baseline: Counter[tuple[str, str]],
) -> Table:
    """Per category (in `seen`'s order): its count, then P, R and F1 for Kluis and for the
    merchant-category-code baseline; accuracy and macro F1 below."""
    table = Table(title=title)
    table.add_column("category")
    table.add_column("n", justify="right")
    for measure in ("P", "R", "F1", "P (MCC)", "R (MCC)", "F1 (MCC)"):
        table.add_column(measure, justify="right")
    for category in seen:
        row = [category, f"{support[category]:,}"]
        for pairs in (ours, baseline):
            found = scores(pairs, category)
            row += [f"{found.precision:.3f}", f"{found.recall:.3f}", f"{found.f1:.3f}"]
        table.add_row(*row)
    macro = [statistics.mean(scores(pairs, c).f1 for c in seen) for pairs in (ours, baseline)]
    table.add_section()
    table.add_row(
        "accuracy", "", "", "", f"{accuracy(ours):.4f}", "", "", f"{accuracy(baseline):.4f}"
    )
    table.add_row("macro F1", "", "", "", f"{macro[0]:.4f}", "", "", f"{macro[1]:.4f}")
    return table
