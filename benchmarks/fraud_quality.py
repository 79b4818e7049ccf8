"""Figure: how well the fraud engine ranks fraud, trained only by the replay's late labels.

The replay runs over every day of fraud-sim up to the end of the test window, labels
reaching the engine 7 days late, exactly as `kluis fraud replay` does. Measured on the test
window (by default the last four weeks, 2018-07-04..2018-07-31): ROC AUC, average precision
and card precision at 100 (per day: the 100 customers with the highest score that day, a
customer's score being the highest of their transactions' scores; the share of them that
truly had fraud that day; customers with a fraud on an earlier test day are left out).
Beside it, in the same run, the baseline ranks by amount alone, and the handbook's batch
models' figures are printed for reference.

Data: the simulated transactions of "Reproducible Machine Learning for Credit Card Fraud
Detection — Practical Handbook" (Le Borgne, Siblini, Lebichot, Bontempi; ULB MLG and
Worldline), as converted in shared/data/fraud-sim.

    python benchmarks/fraud_quality.py [--start 2018-07-04] [--end 2018-07-31]

Development used `--start 2018-06-04 --end 2018-07-01` only; July is for reporting.
"""

from __future__ import annotations

import argparse
import heapq
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sklearn.metrics import (  # type: ignore[import-untyped]
    average_precision_score,
    roc_auc_score,
)

from kluis.config import Settings
from kluis.fraud import FraudEngine, ReplayCounts, read_transactions, replay
from kluis.fraud.profiles import DAY

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "fraud-sim"
SHARED_DATA = Path("/work/shared/data/fraud-sim")
HANDBOOK_AP = "0.61 (logistic regression) to 0.69 (tuned XGBoost)"
CARDS = 100
THRESHOLDS = (0.2, 0.3, 0.5, 0.7, 0.9)
LIVE_THRESHOLD = Settings.model_fields["fraud_alert_threshold"].default


@dataclass(slots=True)
class Window:
    """The labelled transactions of the test window, with the engine's score."""

    days: list[int] = field(default_factory=list)
    customers: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    amounts: list[float] = field(default_factory=list)


def data_folder(given: Path | None) -> Path:
    if given is not None:
        return given
    return DATA if DATA.is_dir() else SHARED_DATA


def files_until(folder: Path, end: date) -> list[Path]:
    """The day files up to and including `end` (named YYYY-MM-DD.csv.gz)."""
    return [path for path in sorted(folder.glob("*.csv.gz")) if path.name[:10] <= end.isoformat()]


def epoch(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


def run_replay(files: Sequence[Path], start: date, delay_days: float) -> tuple[Window, float, int]:
    """Scores of the window's labelled transactions, seconds taken, transactions replayed."""
    window = Window()
    begin = epoch(start)
    counts = ReplayCounts()
    started = time.perf_counter()
    for transaction, score in replay(
        read_transactions(files), FraudEngine(), delay_days * DAY, counts
    ):
        if transaction.timestamp >= begin and transaction.label is not None:
            window.days.append(int(transaction.timestamp // DAY))
            window.customers.append(transaction.customer)
            window.labels.append(int(transaction.label))
            window.scores.append(score)
            window.amounts.append(abs(transaction.amount))
    return window, time.perf_counter() - started, counts.scored


def card_precision(window: Window, scores: Sequence[float], cards: int = CARDS) -> float:
    """Mean over days of the share of truly defrauded customers among the `cards` riskiest
    customers of the day, customers defrauded on an earlier day of the window left out."""
    per_day: dict[int, dict[str, tuple[float, int]]] = defaultdict(dict)
    for day, customer, label, score in zip(
        window.days, window.customers, window.labels, scores, strict=True
    ):
        known = per_day[day].get(customer, (0.0, 0))
        per_day[day][customer] = (max(known[0], score), max(known[1], label))
    caught: set[str] = set()
    precisions = []
    for day in sorted(per_day):
        customers = per_day[day]
        candidates = [item for item in customers.items() if item[0] not in caught]
        top = heapq.nlargest(cards, candidates, key=lambda item: item[1][0])
        precisions.append(sum(label for _, (_, label) in top) / cards)
        caught.update(customer for customer, (_, label) in customers.items() if label)
    return statistics.fmean(precisions)


def measures(window: Window, scores: Sequence[float]) -> tuple[float, float, float]:
    return (
        float(roc_auc_score(window.labels, scores)),
        float(average_precision_score(window.labels, scores)),
        card_precision(window, scores),
    )


def report(console: Console, window: Window, start: date, end: date) -> None:
    ours = measures(window, window.scores)
    baseline = measures(window, window.amounts)
    frauds = sum(window.labels)
    table = Table(
        title=f"Fraud ranking on {start}..{end}: {len(window.labels):,} transactions, "
        f"{frauds:,} fraud ({frauds / len(window.labels):.2%}); labels 7 days late"
    )
    table.add_column("measure")
    table.add_column("Kluis (online)", justify="right")
    table.add_column("amount only", justify="right")
    table.add_column("ratio", justify="right")
    table.add_column("handbook, batch", justify="right")
    names = ("ROC AUC", "average precision", f"card precision@{CARDS}")
    handbook = ("", HANDBOOK_AP, "")
    for name, mine, base, book in zip(names, ours, baseline, handbook, strict=True):
        table.add_row(name, f"{mine:.4f}", f"{base:.4f}", f"{mine / max(base, 1e-9):.2f}x", book)
    console.print(table)
    console.print(
        "Data: the simulated transactions of 'Reproducible Machine Learning for Credit Card "
        "Fraud Detection — Practical Handbook' (Le Borgne, Siblini, Lebichot, Bontempi). "
        "Handbook figures: models trained on one week, tested on the next, from its text."
    )


def alert_budget(console: Console, window: Window) -> None:
    """What a threshold costs and catches: genuine payments asked about (per 1,000), the
    share of fraud asked about, and how often an alert is right."""
    table = Table(title='Alert budget: a customer is asked "was this you?" above the threshold')
    for column in ("threshold", "genuine asked per 1,000", "fraud asked", "alerts right"):
        table.add_column(column, justify="right")
    genuine = len(window.labels) - sum(window.labels)
    frauds = sum(window.labels)
    for threshold in THRESHOLDS:
        asked = [
            label
            for label, score in zip(window.labels, window.scores, strict=True)
            if score >= threshold
        ]
        wrong = len(asked) - sum(asked)
        mark = " (live default)" if threshold == LIVE_THRESHOLD else ""
        table.add_row(
            f"{threshold:.2f}{mark}",
            f"{1000 * wrong / max(genuine, 1):.2f}",
            f"{sum(asked) / max(frauds, 1):.1%}",
            f"{sum(asked) / max(len(asked), 1):.1%}",
        )
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description="Fraud ranking quality on fraud-sim.")
    parser.add_argument("--data", type=Path, default=None, help="the fraud-sim folder")
    parser.add_argument("--start", type=date.fromisoformat, default=date(2018, 7, 4))
    parser.add_argument("--end", type=date.fromisoformat, default=date(2018, 7, 31))
    parser.add_argument("--label-delay-days", type=float, default=7.0)
    args = parser.parse_args()
    files = files_until(data_folder(args.data), args.end)
    window, seconds, replayed = run_replay(files, args.start, args.label_delay_days)
    console = Console(width=max(Console().width, 110))
    report(console, window, args.start, args.end)
    alert_budget(console, window)
    console.print(
        f"replayed {replayed:,} transactions from {len(files)} days in {seconds:.1f} s "
        f"({replayed / seconds:,.0f} tx/s)"
    )


if __name__ == "__main__":
    main()
