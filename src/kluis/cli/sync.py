"""`kluis sync`: read customers' accounts, balances and transactions from their bank."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn

from kluis.banks.connector import UNATTENDED, Presence
from kluis.banks.sync import SyncReport
from kluis.cli.common import console, run
from kluis.config import load_settings
from kluis.domain import Account
from kluis.runtime import Runtime, open_runtime
from kluis.store.consents import ConsentRepository


class ProgressDisplay:
    """A rich progress bar: accounts done of total, and transactions read so far."""

    def __init__(self, progress: Progress, customer_id: str) -> None:
        self._progress = progress
        self._accounts: TaskID = progress.add_task(f"{customer_id}: accounts", total=None)
        self._transactions: TaskID = progress.add_task(f"{customer_id}: transactions", total=None)

    def accounts_found(self, total: int) -> None:
        self._progress.update(self._accounts, total=total)

    def transactions_read(self, account: Account, count: int) -> None:
        self._progress.advance(self._transactions, count)

    def account_done(self, account: Account) -> None:
        self._progress.advance(self._accounts)
        accounts = self._progress.tasks[self._accounts]
        if accounts.total is not None and accounts.completed >= accounts.total:
            read = self._progress.tasks[self._transactions].completed
            self._progress.update(self._transactions, total=read)


async def sync_customers(
    runtime: Runtime, customer_ids: list[str], presence: Presence, *, show_progress: bool
) -> list[SyncReport]:
    """Sync each customer in turn, with a progress bar on a terminal."""
    reports = []
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        disable=not show_progress,
        transient=False,
    ) as progress:
        for customer_id in customer_ids:
            display = ProgressDisplay(progress, customer_id)
            reports.append(await runtime.syncer().sync_customer(customer_id, presence, display))
    return reports


async def _customers_with_consent(runtime: Runtime) -> list[str]:
    async with runtime.database.session() as session:
        return await ConsentRepository(session, runtime.sealer).customers_with_valid_consent()


def sync(
    customer: Annotated[
        list[str] | None,
        typer.Option(
            "--customer",
            "-c",
            help="Customer id to sync; repeat for more. Default: everyone with a valid consent.",
        ),
    ] = None,
    attended: Annotated[
        str | None,
        typer.Option(
            "--attended",
            metavar="IP",
            help="The customer is present at this IP address: the read is not counted "
            "against the bank's 4-a-day budget.",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Read new transactions and balances from the bank, incrementally and idempotently."""
    settings = load_settings()

    async def main() -> list[SyncReport]:
        async with open_runtime(settings) as runtime:
            ids = customer or await _customers_with_consent(runtime)
            presence = Presence(psu_ip_address=attended) if attended else UNATTENDED
            return await sync_customers(runtime, ids, presence, show_progress=not quiet)

    for report in run(main()):
        console.print(
            f"{report.customer_id}: {len(report.accounts)} accounts, "
            f"{report.fetched} transactions read, {report.inserted} new, "
            f"{report.updated} changed, {report.removed} removed"
        )
