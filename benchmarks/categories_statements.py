"""Figure: how well Kluis categorises real sample bank statements, against hand labels.

The statements under /work/shared/data/statements (MT940, camt, OFX, Dutch CSV, ICS, ABN
AMRO TAB) are read with `kluis.banks.statements`; every transaction labelled by hand in
tests/insights/data/statement_labels.jsonl is categorised the way `kluis categorise` does it
(`kluis.cli.categorise.categorise_line` on the contract's input line). Beside Kluis, in the
same run, the baseline is what the merchant category code alone gives (its category, else
"other"). Per category: precision, recall and F1; then accuracy, macro F1, the ratio of
errors, and the commonest mistakes.

    python benchmarks/categories_statements.py [--statements /work/shared/data/statements]
        [--labels tests/insights/data/statement_labels.jsonl]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.support.classification import accuracy, comparison_table

from kluis.banks.statements import StatementLine, read_statement
from kluis.cli.categorise import categorise_line
from kluis.domain import CATEGORIES
from kluis.insights.mcc import category_for_mcc

STATEMENTS = Path("/work/shared/data/statements")
LABELS = Path(__file__).resolve().parents[1] / "tests/insights/data/statement_labels.jsonl"


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled transaction: where it comes from, what it is, and the hand label."""

    file: str
    index: int
    line: StatementLine
    truth: str


def load_cases(statements: Path, labels: Path) -> list[Case]:
    """Every labelled transaction, read from its statement file."""
    read: dict[str, list[StatementLine]] = {}
    cases = []
    for text in labels.read_text(encoding="utf-8").splitlines():
        if not text.strip():
            continue
        label = json.loads(text)
        file = str(label["file"])
        if file not in read:
            read[file] = read_statement(statements / file)
        cases.append(Case(file, int(label["index"]), read[file][label["index"]], label["category"]))
    return cases


def kluis(case: Case) -> str:
    return str(categorise_line(case.line.to_json())["category"])


def mcc_only(case: Case) -> str:
    return category_for_mcc(case.line.mcc or None) or "other"


def report(console: Console, cases: Sequence[Case]) -> None:
    guesses = {(case.file, case.index): kluis(case) for case in cases}
    ours = Counter((case.truth, guesses[(case.file, case.index)]) for case in cases)
    baseline = Counter((case.truth, mcc_only(case)) for case in cases)
    support = Counter(case.truth for case in cases)
    seen = [category for category in CATEGORIES if support[category]]
    files = len({case.file for case in cases})
    title = (
        f"Categorisation vs hand labels: {len(cases)} transactions from {files} sample statements"
    )
    table = comparison_table(title, seen, support, ours, baseline)
    console.print(table)
    console.print("P, R, F1: Kluis; (MCC): the merchant category code alone, else 'other'")
    with_mcc = sum(1 for case in cases if case.line.mcc)
    console.print(f"transactions with a merchant category code: {with_mcc} of {len(cases)}")
    console.print(
        f"ratio of errors, MCC only / Kluis: "
        f"{(1 - accuracy(baseline)) / max(1 - accuracy(ours), 1e-9):.1f}x"
    )
    wrong = Counter(
        (case.truth, guesses[(case.file, case.index)], case.line.counterparty or case.file)
        for case in cases
        if guesses[(case.file, case.index)] != case.truth
    )
    for (truth, guess, name), count in wrong.most_common(12):
        console.print(f"  {count:>3} x {name[:50]!r}: truth {truth}, Kluis {guess}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Categorisation of sample bank statements.")
    parser.add_argument("--statements", type=Path, default=STATEMENTS)
    parser.add_argument("--labels", type=Path, default=LABELS)
    args = parser.parse_args()
    report(Console(width=max(Console().width, 100)), load_cases(args.statements, args.labels))


if __name__ == "__main__":
    main()
