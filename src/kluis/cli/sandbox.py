"""`kluis sandbox ...`: run and inspect the sandbox bank."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kluis.config import Settings, load_settings
from kluis.errors import SandboxError
from kluis.sandbox.clock import SandboxClock
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import Truth, build_truth

app = typer.Typer(
    help="The sandbox bank: serve it, list its customers, see the truth, move its clock.",
    no_args_is_help=True,
)

SeedOption = Annotated[
    int | None,
    typer.Option(
        "--seed",
        help="Seed of the synthetic data (default: KLUIS_SANDBOX_SEED, else 20260318). "
        "The same seed gives the same customers and history on every machine.",
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool,
    typer.Option(
        "--json", help="Print JSON (the shape of contracts/sandbox.md) instead of tables."
    ),
]

RECENT_TRANSACTIONS = 15


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _settings(seed: int | None) -> Settings:
    settings = load_settings()
    if seed is not None:
        settings = settings.model_copy(update={"sandbox_seed": seed})
    return settings


@app.command()
def serve(
    host: Annotated[
        str | None,
        typer.Option(
            help="Interface to listen on (default: KLUIS_SANDBOX_HOST, else 127.0.0.1).",
            show_default=False,
        ),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            help="Port to listen on (default: KLUIS_SANDBOX_PORT, else 8090).", show_default=False
        ),
    ] = None,
    seed: SeedOption = None,
) -> None:
    """Run the sandbox bank: Berlin Group AIS at /v1, approval pages, card control, clock."""
    import uvicorn

    from kluis.sandbox.api import create_sandbox_app

    settings = _settings(seed)
    bank = SandboxBank.from_settings(settings)
    try:
        bank.data()  # generate before the first request rather than during it
    except SandboxError as exc:
        raise _fail(str(exc), 1) from exc
    listen_host = host or settings.sandbox_host
    listen_port = port or settings.sandbox_port
    typer.echo(
        f"Sandbox bank listening on http://{listen_host}:{listen_port} "
        f"(seed {settings.sandbox_seed}, today {bank.today().isoformat()}, "
        f"state in {settings.sandbox_dir})"
    )
    # No access log: request paths carry consent ids, which are credentials.
    uvicorn.run(
        create_sandbox_app(settings, bank),
        host=listen_host,
        port=listen_port,
        access_log=False,
        log_level="warning",
    )


@app.command()
def customers(seed: SeedOption = None, as_json: JsonOption = False) -> None:
    """List the demo customers: id (the PSU-ID), name and language."""
    settings = _settings(seed)
    bank = SandboxBank.from_settings(settings)
    people = bank.customers()
    if as_json:
        listing = [
            {"id": person.id, "name": person.name, "language": person.language} for person in people
        ]
        typer.echo(json.dumps(listing, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Sandbox customers (seed {settings.sandbox_seed})")
    table.add_column("id")
    table.add_column("name")
    table.add_column("language")
    table.add_column("accounts", justify="right")
    for person in people:
        table.add_row(
            person.id, person.name, person.language, str(len(bank.accounts_of(person.id)))
        )
    Console().print(table)


@app.command()
def truth(
    customer: Annotated[
        str, typer.Option("--customer", help="The customer id (see `kluis sandbox customers`).")
    ],
    seed: SeedOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show what the bank knows about a customer today, including category, recurring and fraud."""
    settings = _settings(seed)
    bank = SandboxBank.from_settings(settings)
    if bank.customer(customer) is None:
        raise _fail(f"unknown sandbox customer {customer!r} (see `kluis sandbox customers`)", 2)
    try:
        state = StateStore(settings.sandbox_dir).load()
        result = build_truth(
            bank, customer, card_blocks=state.card_blocks, blocked_cards=state.blocked_card_ids()
        )
    except SandboxError as exc:
        raise _fail(str(exc), 1) from exc
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    _print_truth(result)


@app.command()
def advance(
    days: Annotated[
        int, typer.Option("--days", min=0, help="How many days to move the clock forward.")
    ],
) -> None:
    """Move the sandbox clock forward; a running server sees the new date at once."""
    settings = load_settings()
    try:
        today = SandboxClock(settings.sandbox_dir).advance(days)
    except SandboxError as exc:
        raise _fail(str(exc), 1) from exc
    typer.echo(today.isoformat())


def _print_truth(result: Truth) -> None:
    console = Console()
    person = result.customer
    language = person.language
    console.print(
        f"[bold]{person.name}[/bold] ({person.id}, {language}), "
        f"sandbox date {result.today.isoformat()}"
    )
    accounts = Table(title="Accounts")
    for column in ("resourceId", "type", "number", "name"):
        accounts.add_column(column)
    accounts.add_column("balance", justify="right")
    for account in result.accounts:
        accounts.add_row(
            account.resource_id,
            account.kind,
            account.iban or account.masked_pan or "",
            account.name,
            account.balance.format(language),
        )
    console.print(accounts)
    cards = Table(title="Cards")
    for column in ("cardId", "resourceId", "maskedPan", "blocked"):
        cards.add_column(column)
    for card in result.cards:
        cards.add_row(
            card.card_id, card.resource_id, card.masked_pan, "yes" if card.blocked else "no"
        )
    console.print(cards)
    recent = result.transactions[-RECENT_TRANSACTIONS:]
    table = Table(title=f"Latest {len(recent)} of {len(result.transactions)} transactions")
    table.add_column("date", no_wrap=True)
    for column in ("status", "counterparty", "category", "recurring", "fraud"):
        table.add_column(column)
    table.add_column("amount", justify="right", no_wrap=True)
    for item in reversed(recent):
        table.add_row(
            item.transaction_date.isoformat(),
            item.status,
            item.counterparty,
            item.category,
            item.recurring or "",
            "FRAUD" if item.fraud else "",
            item.amount.format(language),
        )
    console.print(table)
