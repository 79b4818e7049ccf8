"""Figure: how well Kluis finds recurring payments, against the sandbox bank's truth.

Every demo customer's history is read as Kluis reads it (consented Berlin Group reads
through the client, in process), for two seeds. The sandbox bank knows which transactions
belong to a recurring series (rent, salary, subscriptions, insurance, energy, savings ...).
Kluis's detector (`kluis.insights.recurring.detect`, both directions) runs on everything up
to a cut-off 60 days before the bank's today; then:

- precision: the share of series Kluis found whose charges are mostly of one true series;
- recall: the share of true series with at least three charges before the cut-off (two for a
  yearly one) that Kluis found;
- next date: for each series found, whether the first true charge after the cut-off came
  within 3 days of the date Kluis expected, and the mean error in days;
- next amount: whether that charge's amount was within 5 % (at least € 1) of the amount
  Kluis expected, which follows price changes (the median of the newest three charges).

Beside it, in the same run, a baseline: a payee charging the very same amount three times
or more is recurring, the next charge a month after the last.

    python benchmarks/recurring.py [--seeds 20260318 7]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.support.sandbox_histories import read_histories

from kluis.domain import Transaction
from kluis.insights.recurring import detect, payee_key

DEFAULT_SEEDS = (20260318, 7)
CUT_OFF_DAYS = 60
NEXT_DATE_DAYS = 3
NEXT_AMOUNT_SHARE = Decimal("0.05")
NEXT_AMOUNT_FLOOR = Decimal("1.00")


@dataclass(frozen=True, slots=True)
class Found:
    """A series a detector reported: its transactions' ids, and the next date and amount
    (positive) it expects."""

    ids: tuple[str, ...]
    next_date: date
    amount: Decimal


Detector = Callable[[list[Transaction]], list[Found]]


def kluis(transactions: list[Transaction]) -> list[Found]:
    found = detect(transactions, "out") + detect(transactions, "in")
    return [
        Found(
            tuple(item.transaction_id for item in series.transactions),
            series.next_date,
            series.typical.amount,
        )
        for series in found
    ]


def same_amount(transactions: list[Transaction]) -> list[Found]:
    """The baseline: the same payee and the very same amount, three times or more."""
    groups: dict[tuple[str, str], list[Transaction]] = {}
    for item in transactions:
        key = payee_key(item)
        if key is not None and item.effective_date is not None:
            groups.setdefault((key, item.amount.to_api()), []).append(item)
    found = []
    for items in groups.values():
        if len(items) >= 3:
            items.sort(key=lambda item: item.effective_date or date.min)
            last = items[-1].effective_date or date.min
            found.append(
                Found(
                    tuple(i.transaction_id for i in items),
                    last + timedelta(days=30),
                    abs(items[-1].amount.amount),
                )
            )
    return found


@dataclass(slots=True)
class Tally:
    found: int = 0
    right: int = 0
    true_series: int = 0
    recalled: int = 0
    dated: int = 0
    on_time: int = 0
    errors: list[int] | None = None
    amount_right: int = 0


def evaluate(
    customers: Sequence[tuple[list[Transaction], dict[str, str], date]], detector: Detector
) -> Tally:
    tally = Tally(errors=[])
    for transactions, series_of, today in customers:
        cut = today - timedelta(days=CUT_OFF_DAYS)
        before = [t for t in transactions if (t.effective_date or date.max) <= cut]
        after = sorted(
            (t for t in transactions if (t.effective_date or date.min) > cut),
            key=lambda t: t.effective_date or date.min,
        )
        sizes = Counter(
            series_of[t.transaction_id] for t in before if t.transaction_id in series_of
        )
        wanted = {name for name, count in sizes.items() if count >= 3}
        recalled: set[str] = set()
        for found in detector(before):
            tally.found += 1
            labels = Counter(series_of.get(item, "") for item in found.ids)
            label, count = labels.most_common(1)[0]
            if not label or count * 2 <= len(found.ids):
                continue
            tally.right += 1
            recalled.add(label)
            following = next((t for t in after if series_of.get(t.transaction_id) == label), None)
            if following is not None and following.effective_date is not None:
                error = abs((following.effective_date - found.next_date).days)
                tally.dated += 1
                tally.on_time += error <= NEXT_DATE_DAYS
                assert tally.errors is not None
                tally.errors.append(error)
                paid = abs(following.amount.amount)
                margin = max(paid * NEXT_AMOUNT_SHARE, NEXT_AMOUNT_FLOOR)
                tally.amount_right += abs(paid - found.amount) <= margin
        tally.true_series += len(wanted)
        tally.recalled += len(wanted & recalled)
    return tally


async def read_customers(
    seeds: Sequence[int],
) -> list[tuple[list[Transaction], dict[str, str], date]]:
    customers = []
    for seed in seeds:
        with tempfile.TemporaryDirectory() as folder:
            histories = await read_histories(seed, Path(folder))
        for history in histories:
            series_of = {
                item.transaction_id: f"{history.customer_id}:{item.recurring}"
                for item in history.truth.transactions
                if item.recurring
            }
            customers.append((list(history.transactions), series_of, history.truth.today))
    return customers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS))
    args = parser.parse_args()
    customers = asyncio.run(read_customers(args.seeds))
    results = {"Kluis": evaluate(customers, kluis), "same amount": evaluate(customers, same_amount)}
    table = Table(
        title=f"Recurring series, {len(customers)} customer histories, cut-off "
        f"{CUT_OFF_DAYS} days before today"
    )
    for column in (
        "detector",
        "precision",
        "recall",
        f"next date ±{NEXT_DATE_DAYS} d",
        "mean error",
        "next amount ±5 %",
    ):
        table.add_column(column, justify="right" if column != "detector" else "left")
    for name, tally in results.items():
        errors = tally.errors or [0]
        table.add_row(
            name,
            f"{tally.right / max(tally.found, 1):.1%} ({tally.right}/{tally.found})",
            f"{tally.recalled / max(tally.true_series, 1):.1%} "
            f"({tally.recalled}/{tally.true_series})",
            f"{tally.on_time / max(tally.dated, 1):.1%} ({tally.on_time}/{tally.dated})",
            f"{statistics.fmean(errors):.1f} d",
            f"{tally.amount_right / max(tally.dated, 1):.1%} ({tally.amount_right}/{tally.dated})",
        )
    console = Console()
    console.print(table)
    ours, base = results["Kluis"], results["same amount"]
    recall_ratio = (ours.recalled / max(ours.true_series, 1)) / max(
        base.recalled / max(base.true_series, 1), 1e-9
    )
    console.print(f"ratio of recall, Kluis / baseline: {recall_ratio:.2f}")


if __name__ == "__main__":
    main()
