"""Figure: the time to understand one utterance, and to load the models.

Every utterance of the held-out split (`tests/nlu/data/heldout_*.jsonl`) is parsed with
`kluis.nlu.parse` many times, warm, each call timed on its own; the baseline is the floor of
any text handling, a bare regular-expression tokenizer over the very same utterances, timed
the same way in the same run. The model load time is measured in fresh interpreters: the
import of `kluis.nlu` (which must not import scikit-learn) and the first load of the models.

    python benchmarks/nlu.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table

from kluis.nlu import models, parse

HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "nlu" / "data"
TODAY = date(2026, 3, 18)
WORDS = re.compile(r"\w+")
COLD_LOAD = (
    "import time; started = time.perf_counter(); import kluis.nlu; "
    "imported = time.perf_counter(); kluis.nlu.models(); loaded = time.perf_counter(); "
    "import sys; assert 'sklearn' not in sys.modules; "
    "print(imported - started, loaded - imported)"
)


def utterances() -> list[str]:
    texts = []
    for lang in ("nl", "en"):
        lines = (HELDOUT / f"heldout_{lang}.jsonl").read_text(encoding="utf-8").splitlines()
        texts += [json.loads(line)["text"] for line in lines if line.strip()]
    return texts


def tokenize(text: str) -> object:
    return WORDS.findall(text.lower())


def understand(text: str) -> object:
    return parse(text, today=TODAY)


def timings(function: Callable[[str], object], texts: list[str], rounds: int) -> list[float]:
    """Seconds per call, every call of every round."""
    result = []
    clock = time.perf_counter
    for _ in range(rounds):
        for text in texts:
            started = clock()
            function(text)
            result.append(clock() - started)
    return result


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def cold_loads(runs: int) -> tuple[float, float]:
    """Median seconds to import kluis.nlu and to load the models, in fresh interpreters."""
    imports, loads = [], []
    for _ in range(runs):
        output = subprocess.run(  # noqa: S603 - our own interpreter, a fixed program
            [sys.executable, "-c", COLD_LOAD], capture_output=True, text=True, check=True
        ).stdout.split()
        imports.append(float(output[0]))
        loads.append(float(output[1]))
    return statistics.median(imports), statistics.median(loads)


def main() -> None:
    parser = argparse.ArgumentParser(description="Time of one parse vs a bare tokenizer.")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--cold-runs", type=int, default=5)
    args = parser.parse_args()
    texts = utterances()
    models()
    for text in texts:  # warm up: caches, branch predictors, lazy imports
        understand(text)
        tokenize(text)
    ours = timings(understand, texts, args.rounds)
    floor = timings(tokenize, texts, args.rounds)
    imported, loaded = cold_loads(args.cold_runs)

    console = Console()
    table = Table(title=f"One utterance, {len(texts)} held-out utterances x {args.rounds} rounds")
    table.add_column("what")
    table.add_column("p50", justify="right")
    table.add_column("p99", justify="right")
    table.add_column("mean", justify="right")
    for name, values in (("regex tokenizer (floor)", floor), ("kluis.nlu.parse", ours)):
        table.add_row(
            name,
            f"{percentile(values, 0.5) * 1e6:,.1f} µs",
            f"{percentile(values, 0.99) * 1e6:,.1f} µs",
            f"{statistics.fmean(values) * 1e6:,.1f} µs",
        )
    table.add_row(
        "ratio parse / tokenizer",
        f"{percentile(ours, 0.5) / percentile(floor, 0.5):,.0f}",
        f"{percentile(ours, 0.99) / percentile(floor, 0.99):,.0f}",
        f"{statistics.fmean(ours) / statistics.fmean(floor):,.0f}",
    )
    console.print(table)
    load = Table(title=f"Cold start, median of {args.cold_runs} fresh interpreters")
    load.add_column("what")
    load.add_column("seconds", justify="right")
    load.add_row("import kluis.nlu (no scikit-learn)", f"{imported:.3f}")
    load.add_row("load both models (first call)", f"{loaded:.3f}")
    console.print(load)


if __name__ == "__main__":
    main()
