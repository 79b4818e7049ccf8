"""Figure: how fast the fraud engine replays a recorded stream, and the time of one score.

The fraud-sim day files (all 122 by default, `--days N` for the first N) are replayed as
`kluis fraud replay` does it: read, parsed, scored with labels arriving 7 days late, and
formatted as `id,score` lines (kept in memory, not written). The baseline, in the same run,
is the floor of any replay: reading and parsing the same files into transactions without
scoring them. Both are timed `--runs` times, one after the other, and the best run is kept.
Then, on the warmed engine, `engine.score` is timed one transaction at a time over the last
day's transactions: p50, p99 and the mean.

Data: the simulated transactions of "Reproducible Machine Learning for Credit Card Fraud
Detection — Practical Handbook" (Le Borgne, Siblini, Lebichot, Bontempi).

    python benchmarks/fraud.py [--days 122] [--runs 1]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from kluis.fraud import FraudEngine, Transaction, read_transactions, replay
from kluis.fraud.profiles import DAY

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "fraud-sim"
SHARED_DATA = Path("/work/shared/data/fraud-sim")
TARGET_RATE = 20_000
TARGET_P99 = 1e-3


def parse_only(files: Sequence[Path]) -> tuple[int, float]:
    """Transactions read and the seconds it took, without scoring."""
    started = time.perf_counter()
    count = 0
    for _ in read_transactions(files):
        count += 1
    return count, time.perf_counter() - started


def replay_all(files: Sequence[Path]) -> tuple[int, float, FraudEngine]:
    """Transactions replayed and the seconds it took, output lines formatted as the CLI does."""
    engine = FraudEngine()
    started = time.perf_counter()
    lines: list[str] = []
    count = 0
    for transaction, score in replay(read_transactions(files), engine, 7 * DAY):
        lines.append(f"{transaction.id},{score:.6f}\n")
        if len(lines) == 4096:
            count += len(lines)
            lines.clear()
    count += len(lines)
    return count, time.perf_counter() - started, engine


def score_latencies(engine: FraudEngine, transactions: Sequence[Transaction]) -> list[float]:
    """Seconds of each `engine.score` call, one transaction at a time."""
    clock = time.perf_counter
    score = engine.score
    found = []
    for transaction in transactions:
        started = clock()
        score(transaction)
        found.append(clock() - started)
    return found


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description="Fraud replay speed and one score's latency.")
    parser.add_argument("--data", type=Path, default=None, help="the fraud-sim folder")
    parser.add_argument("--days", type=int, default=122)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    folder = args.data or (DATA if DATA.is_dir() else SHARED_DATA)
    files = sorted(folder.glob("*.csv.gz"))[: args.days]
    floors = [parse_only(files) for _ in range(args.runs)]
    replays = [replay_all(files) for _ in range(args.runs)]
    count, floor_seconds = min(floors, key=lambda item: item[1])
    replayed, replay_seconds, engine = min(replays, key=lambda item: item[1])
    assert replayed == count
    last_day = list(read_transactions(files[-1:]))
    score_latencies(engine, last_day[:1000])  # warm up
    latencies = score_latencies(engine, last_day)

    console = Console(width=max(Console().width, 100))
    table = Table(title=f"Fraud replay: {count:,} transactions, {len(files)} days, one core")
    table.add_column("what")
    table.add_column("seconds", justify="right")
    table.add_column("transactions/s", justify="right")
    table.add_row(
        "read and parse only (floor)", f"{floor_seconds:.1f}", f"{count / floor_seconds:,.0f}"
    )
    table.add_row(
        "replay: parse, score, learn, format",
        f"{replay_seconds:.1f}",
        f"{count / replay_seconds:,.0f}",
    )
    table.add_row("ratio replay / floor", "", f"{floor_seconds / replay_seconds:.2f}")
    console.print(table)
    console.print(
        f"target: {TARGET_RATE:,} tx/s -> "
        f"{'met' if count / replay_seconds >= TARGET_RATE else 'NOT met'}"
    )
    one = Table(title=f"One engine.score call, warmed engine, {len(latencies):,} transactions")
    for column in ("p50", "p99", "mean"):
        one.add_column(column, justify="right")
    p99 = percentile(latencies, 0.99)
    one.add_row(
        f"{percentile(latencies, 0.5) * 1e6:,.1f} µs",
        f"{p99 * 1e6:,.1f} µs",
        f"{statistics.fmean(latencies) * 1e6:,.1f} µs",
    )
    console.print(one)
    console.print(f"target: p99 <= 1 ms -> {'met' if p99 <= TARGET_P99 else 'NOT met'}")


if __name__ == "__main__":
    main()
