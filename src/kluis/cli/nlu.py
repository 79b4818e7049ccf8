"""`kluis nlu`: understand utterances (`parse`) and retrain the models (`train`)."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from kluis.cli.common import console, fail

app = typer.Typer(
    help="Natural-language understanding: intents and entities in Dutch and English.",
    no_args_is_help=True,
)


def _today(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--today") from None


def parse_stream(source: BinaryIO, target: BinaryIO, today: date, lang: str) -> int:
    """One JSON object per input line, in order, flushed after each; returns the count.

    Input is read as bytes and decoded as UTF-8 with replacement characters, so no byte
    sequence stops the stream.
    """
    from kluis.nlu import parse

    count = 0
    for raw in source:
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        result = parse(line, today=today, lang=lang).to_json()
        target.write(json.dumps(result, ensure_ascii=False).encode("utf-8") + b"\n")
        target.flush()
        count += 1
    return count


@app.command()
def parse(
    today: Annotated[
        str | None,
        typer.Option("--today", metavar="YYYY-MM-DD", help="Reference date for relative periods."),
    ] = None,
    lang: Annotated[
        str,
        typer.Option("--lang", help="auto (detect the reply language), nl or en (force it)."),
    ] = "auto",
) -> None:
    """Read utterances from standard input, one a line; write one JSON object per line."""
    if lang not in {"auto", "nl", "en"}:
        raise typer.BadParameter("choose auto, nl or en", param_hint="--lang")
    parse_stream(sys.stdin.buffer, sys.stdout.buffer, _today(today), lang)


@app.command()
def train(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            metavar="DIR",
            help="Where to write the models. Default: the package, ready to commit.",
        ),
    ] = None,
) -> None:
    """Retrain the intent and language models from the corpus (deterministic, seconds)."""
    from kluis.nlu.train import MODEL_DIR
    from kluis.nlu.train import train as train_models

    try:
        report = train_models(output or MODEL_DIR)
    except OSError as error:
        fail(f"could not write the model: {error.strerror}")
    console.print(
        f"trained on {report.examples:,} examples: {report.intent_features:,} intent features, "
        f"{report.language_features:,} language features"
    )
    for path in report.paths:
        console.print(f"wrote {path} ({path.stat().st_size / 1024:,.0f} kB)")
