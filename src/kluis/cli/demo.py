"""`kluis demo`: the sandbox bank and Kluis on the embedded defaults, ready to try."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
import uvicorn
from rich.table import Table

from kluis.banks.connector import UNATTENDED
from kluis.cli.common import console, errors, run
from kluis.cli.serve import gateway_address, server_for, start_server
from kluis.cli.sync import sync_customers
from kluis.config import Settings, load_settings
from kluis.consent.card_control import active_card_consent, link_sandbox_card_control
from kluis.consent.linking import link_sandbox_customer
from kluis.errors import RateLimited
from kluis.fraud import live
from kluis.fraud.sandbox_history import seed_from_sandbox
from kluis.money import Locale
from kluis.runtime import Runtime, open_runtime
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.demo_profiles import DEMO_PROFILES
from kluis.sandbox.ledger import SandboxBank
from kluis.store.accounts import AccountRepository
from kluis.store.consents import ConsentRepository
from kluis.store.transactions import TransactionRepository

DEMO_SYNC_SECONDS = 10.0


async def _start_bank(settings: Settings) -> tuple[uvicorn.Server, asyncio.Task[None]]:
    server = server_for(create_sandbox_app(settings), settings.sandbox_host, settings.sandbox_port)
    return server, await start_server(server)


async def _prepare_alerts(runtime: Runtime, customers: list[str], *, fresh: bool) -> None:
    """Card control for every demo customer (so "No" to a fraud alert blocks the card), and
    the fraud engine started from the sandbox bank's records when customers were linked
    afresh (their history is new to it); a demo started again keeps what it learnt."""
    for customer_id in customers:
        if await active_card_consent(runtime, customer_id) is None:
            await link_sandbox_card_control(runtime, customer_id)
    if fresh or not await live.has_state(runtime):
        seen = await seed_from_sandbox(
            runtime, SandboxBank.from_settings(runtime.settings), customers
        )
        console.print(f"Fraud engine started from {seen:,} payments in the bank's records.")


async def _link_everyone(runtime: Runtime) -> tuple[list[str], bool]:
    """Every demo customer, linked; and whether any had to be linked afresh."""
    linked, fresh = [], False
    for profile in DEMO_PROFILES:
        async with runtime.database.session() as session:
            consent = await ConsentRepository(session, runtime.sealer).active_for_customer(
                profile.customer_id
            )
        if consent is None or consent.valid_until < runtime.today():
            fresh = True
            await link_sandbox_customer(
                runtime,
                profile.customer_id,
                profile.name,
                profile.language,
                channel="web",
                platform_user_id=profile.customer_id,
            )
        linked.append(profile.customer_id)
    return linked, fresh


async def _overview(runtime: Runtime) -> Table:
    table = Table(title=f"Demo customers at {runtime.settings.bank_name}, {runtime.today()}")
    for column in ("customer", "language", "account", "balance", "transactions stored"):
        table.add_column(column)
    for profile in DEMO_PROFILES:
        locale: Locale = "nl" if profile.language == "nl" else "en"
        async with runtime.database.session() as session:
            accounts = await AccountRepository(session).for_customer(profile.customer_id)
            for account_id, account in accounts:
                balances = {
                    b.balance_type: b for b in await AccountRepository(session).balances(account_id)
                }
                balance = balances.get("expected") or next(iter(balances.values()), None)
                count = await TransactionRepository(session).count(account_id)
                table.add_row(
                    f"{profile.name} ({profile.customer_id})",
                    profile.language,
                    f"{account.name or account.kind.value} ({account.kind.value})",
                    balance.amount.format(locale) if balance else "-",
                    str(count),
                )
    return table


def demo(
    once: Annotated[
        bool,
        typer.Option("--once", help="Set up, sync and print, then stop the bank and the chat."),
    ] = False,
    port: Annotated[
        int | None,
        typer.Option(
            help="Port of the web chat (default: the port of KLUIS_PUBLIC_URL, else 8080).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Start the sandbox bank, link its demo customers, sync them, show what Kluis read, and
    serve the web chat."""
    from kluis.web.app import create_app  # the web app is only built when served

    settings, gateway_host, gateway_port = gateway_address(load_settings(), port)
    if settings.sync_interval_seconds <= 0:
        # The demo reads the sandbox every few seconds, so that moving its clock on brings
        # new payments, and alerts about them, into the open chat.
        settings = settings.model_copy(update={"sync_interval_seconds": DEMO_SYNC_SECONDS})

    async def main() -> None:
        server, task = await _start_bank(settings)
        gateway: uvicorn.Server | None = None
        gateway_task: asyncio.Task[None] | None = None
        try:
            async with open_runtime(settings) as runtime:
                customers, fresh = await _link_everyone(runtime)
                try:
                    await sync_customers(runtime, customers, UNATTENDED, show_progress=True)
                except RateLimited:
                    errors.print(
                        "Today's unattended reads are used up; showing what was stored before."
                    )
                await _prepare_alerts(runtime, customers, fresh=fresh)
                console.print(await _overview(runtime))
            gateway = server_for(create_app(settings), gateway_host, gateway_port)
            gateway_task = await start_server(gateway)
            base = f"http://{settings.sandbox_host}:{settings.sandbox_port}"
            console.print(
                f"\nThe sandbox bank listens on {base} (Berlin Group API under {base}/v1).\n"
                "Try: kluis sandbox customers · kluis sandbox advance --days 3 (Sanne gets a "
                "fraud alert in the chat) · kluis sync\n"
                f"Data directory: {settings.data_dir}\n"
                f"Open {settings.public_url.rstrip('/')}/chat to chat as a demo customer.",
                highlight=False,
            )
            if not once:
                console.print("Press Ctrl-C to stop.")
                await asyncio.wait({task, gateway_task}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if gateway is not None and gateway_task is not None:
                gateway.should_exit = True
                await gateway_task
            server.should_exit = True
            await task

    run(main())
