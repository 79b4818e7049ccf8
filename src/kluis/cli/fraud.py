"""`kluis fraud replay`: run the fraud engine over recorded transactions, labels arriving late.

The scores (`id,score`) go to standard output or `--out`; the progress bar and the closing
count, wall time and rate go to standard error, and name no transaction, customer or amount.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TextColumn, TimeElapsedColumn
from rich.text import Text

from kluis.cli.common import errors, fail
from kluis.errors import FraudError
from kluis.fraud import EngineConfig, FraudEngine, ReplayCounts, read_transactions, replay
from kluis.fraud.profiles import DAY

app = typer.Typer(
    help="Fraud scoring: replay recorded transactions through the engine the alerts use.",
    no_args_is_help=True,
)

PROGRESS_EVERY = 8192
WRITE_EVERY = 4096


class RateColumn(ProgressColumn):
    """Transactions per second, as rich measures them over the last seconds."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        return Text("" if speed is None else f"{speed:,.0f} tx/s", style="progress.data.speed")


def _progress(console: Console, quiet: bool) -> Progress:
    return Progress(
        TextColumn("scoring"),
        BarColumn(),
        TextColumn("{task.completed:,} transactions"),
        RateColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
        transient=False,
    )


@contextmanager
def _target(out: Path | None) -> Iterator[TextIO]:
    if out is None:
        yield sys.stdout
        return
    try:
        handle = out.open("w", encoding="utf-8", newline="")
    except OSError as error:
        fail(f"cannot write {out}: {error.strerror}")
    with handle:
        yield handle


def score_stream(
    inputs: list[Path], target: TextIO, delay_days: float, progress: Progress
) -> ReplayCounts:
    """Replay `inputs` and write `id,score` lines to `target`; returns what was done."""
    counts = ReplayCounts()
    engine = FraudEngine(EngineConfig(pending_max_age=max(45.0, delay_days + 14.0) * DAY))
    task = progress.add_task("scoring", total=None)
    target.write("id,score\n")
    lines: list[str] = []
    written = 0
    for transaction, score in replay(read_transactions(inputs), engine, delay_days * DAY, counts):
        lines.append(f"{transaction.id},{score:.6f}\n")
        if len(lines) == WRITE_EVERY:
            target.writelines(lines)
            lines.clear()
            written += WRITE_EVERY
            if written % PROGRESS_EVERY == 0:
                progress.update(task, completed=written)
    target.writelines(lines)
    target.flush()
    progress.update(task, completed=counts.scored, total=counts.scored)
    return counts


def replay_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="INPUT...",
            exists=True,
            help="CSV files (.csv, .csv.gz) with the header "
            "id,timestamp,customer,counterparty,amount,currency,label, or folders of them "
            "(read in file-name order). Transactions are scored in timestamp order.",
        ),
    ],
    label_delay_days: Annotated[
        float,
        typer.Option(
            "--label-delay-days",
            min=0.0,
            help="A transaction's label reaches the engine this many days after it happened.",
        ),
    ] = 7.0,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write id,score here instead of standard output."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Score every transaction with only what came before it; learn from labels that arrive
    --label-delay-days late. Writes id,score (score in [0, 1], higher = more likely fraud),
    one row per input transaction. A malformed row stops the run with FILE:LINE: reason."""
    console = Console(stderr=True)
    started = time.perf_counter()
    try:
        with _target(out) as target, _progress(console, quiet) as progress:
            counts = score_stream(inputs, target, label_delay_days, progress)
    except FraudError as error:
        if out is not None:
            out.unlink(missing_ok=True)  # half a score file must not pass for a whole one
        fail(str(error))
    seconds = time.perf_counter() - started
    errors.print(
        f"scored {counts.scored:,} transactions in {seconds:.1f} s "
        f"({counts.scored / max(seconds, 1e-9):,.0f} tx/s); "
        f"{counts.labels:,} labels learnt from, {counts.late_labels:,} too late",
        highlight=False,
    )


app.command(name="replay")(replay_command)
