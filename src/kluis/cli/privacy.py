"""`kluis privacy`: a customer's right to see and to erase what Kluis holds about them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from kluis.cli.common import EXIT_USAGE, console, fail, run
from kluis.config import load_settings
from kluis.privacy.erase import ErasureReport, erase_customer
from kluis.privacy.export import export_customer
from kluis.runtime import open_runtime

app = typer.Typer(
    help="Export or erase everything Kluis holds about a customer.", no_args_is_help=True
)

Customer = Annotated[str, typer.Option("--customer", "-c", help="The customer's id.")]


@app.command()
def export(
    customer: Customer,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the JSON to this file. Default: stdout."),
    ] = None,
) -> None:
    """Everything Kluis holds about the customer, as JSON (never bank ids or tokens)."""
    settings = load_settings()

    async def main() -> dict[str, Any]:
        async with open_runtime(settings) as runtime:
            return await export_customer(runtime, customer)

    text = json.dumps(run(main()), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    console.print(f"Wrote everything Kluis holds about {customer} to {output}.")


@app.command()
def erase(
    customer: Customer,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """End the customer's consent at the bank and delete every personal row about them."""
    if not yes:
        if not sys.stdin.isatty():
            fail("erasing cannot be undone: add --yes to erase without a terminal", EXIT_USAGE)
        if not typer.confirm(
            f"Erase everything Kluis holds about {customer}? This cannot be undone."
        ):
            fail("nothing was erased")
    settings = load_settings()

    async def main() -> ErasureReport:
        async with open_runtime(settings) as runtime:
            return await erase_customer(runtime, customer)

    report = run(main())
    if not report.found:
        console.print(f"Kluis holds nothing about {customer}: nothing to erase.")
        return
    console.print(f"Erased {customer}. Rows deleted:")
    for kind, count in report.counts.items():
        if count:
            console.print(f"  {kind.replace('_', ' ')}: {count}")
    if report.bank_deletes_pending:
        console.print(
            f"The bank could not be reached: {report.bank_deletes_pending} consent(s) will be "
            "ended there by `kluis consent maintain`."
        )
