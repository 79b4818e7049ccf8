"""Figure: how well Kluis categorises transactions, against the sandbox bank's truth.

Every demo customer's whole history is read as Kluis reads it (consented Berlin Group
reads through the client, in process) for two seeds, categorised, and compared with the
category the sandbox bank knows. Beside Kluis, in the same run, the baseline is what a
merchant category code alone gives (its category, else "other"); the majority class
("everything other") is printed too. Per category: precision, recall and F1; then accuracy,
macro F1 and the time per transaction.

    python benchmarks/categories.py [--seeds 20260318 7]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.support.classification import accuracy, comparison_table
from benchmarks.support.sandbox_histories import read_histories

from kluis.domain import CATEGORIES, Transaction
from kluis.insights.categories import explain
from kluis.insights.mcc import category_for_mcc

DEFAULT_SEEDS = (20260318, 7)
TIMING_RUNS = 5


@dataclass(frozen=True, slots=True)
class Case:
    """One transaction as Kluis read it, the customer's own IBANs and the bank's category."""

    transaction: Transaction
    own_ibans: frozenset[str]
    truth: str


async def read_seed(seed: int, folder: Path) -> list[Case]:
    """Every demo customer's transactions at the sandbox bank for `seed`, with the truth."""
    cases: list[Case] = []
    for history in await read_histories(seed, folder):
        labels = {item.transaction_id: item.category for item in history.truth.transactions}
        cases.extend(
            Case(item, history.own_ibans, labels[item.transaction_id])
            for item in history.transactions
        )
    return cases


def kluis(case: Case) -> str:
    return explain(case.transaction, case.own_ibans).category


def mcc_only(case: Case) -> str:
    return category_for_mcc(case.transaction.merchant_category_code) or "other"


def microseconds_per_transaction(cases: Sequence[Case]) -> float:
    """Median over runs of the time `explain` takes, per transaction."""
    runs = []
    for _ in range(TIMING_RUNS):
        started = time.perf_counter()
        for case in cases:
            explain(case.transaction, case.own_ibans)
        runs.append((time.perf_counter() - started) / len(cases) * 1e6)
    return statistics.median(runs)


def report(console: Console, cases: Sequence[Case], seeds: Sequence[int]) -> None:
    ours = Counter((case.truth, kluis(case)) for case in cases)
    baseline = Counter((case.truth, mcc_only(case)) for case in cases)
    support = Counter(case.truth for case in cases)
    seen = [category for category in CATEGORIES if support[category]]
    title = (
        f"Categorisation vs the sandbox truth: {len(cases):,} transactions, "
        f"6 customers, seeds {', '.join(map(str, seeds))}"
    )
    table = comparison_table(title, seen, support, ours, baseline)
    console.print(table)
    console.print("P, R, F1: Kluis; (MCC): the merchant category code alone, else 'other'")
    largest, count = support.most_common(1)[0]
    console.print(
        f"everything 'other': accuracy {support['other'] / len(cases):.4f}; "
        f"everything {largest!r} (the largest category): {count / len(cases):.4f}"
    )
    console.print(
        f"ratio of errors, MCC only / Kluis: "
        f"{(1 - accuracy(baseline)) / max(1 - accuracy(ours), 1e-9):.1f}x"
    )
    console.print(f"time per transaction: {microseconds_per_transaction(cases):.1f} µs (median)")
    wrong = Counter(
        (case.truth, kluis(case), case.transaction.counterparty_name)
        for case in cases
        if kluis(case) != case.truth
    )
    for (truth, guess, name), count in wrong.most_common(8):
        console.print(f"  {count:>4} x {name!r}: truth {truth}, Kluis {guess}")


async def run(seeds: Sequence[int]) -> None:
    cases: list[Case] = []
    with tempfile.TemporaryDirectory() as folder:
        for seed in seeds:
            cases.extend(await read_seed(seed, Path(folder) / str(seed)))
    report(Console(width=max(Console().width, 100)), cases, seeds)


def main() -> None:
    parser = argparse.ArgumentParser(description="Categorisation against the sandbox truth.")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS))
    args = parser.parse_args()
    asyncio.run(run(args.seeds))


if __name__ == "__main__":
    main()
