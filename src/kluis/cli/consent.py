"""`kluis consent`: list and revoke a customer's consents, and the daily upkeep."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from kluis.cli.common import console, run
from kluis.config import load_settings
from kluis.consent.lifecycle import (
    PurgeReport,
    Reminder,
    purge_ended,
    retry_bank_deletes,
    revoke,
    send_expiry_reminders,
)
from kluis.domain import Account, Consent
from kluis.privacy.masking import mask_number
from kluis.runtime import Runtime, open_runtime
from kluis.store.accounts import AccountRepository
from kluis.store.consents import ConsentRepository

app = typer.Typer(
    help="A customer's consents: list, revoke, and the daily upkeep.", no_args_is_help=True
)

Customer = Annotated[str, typer.Option("--customer", "-c", help="The customer's id.")]


def _account_label(account: Account) -> str:
    number = account.iban or account.masked_pan
    label = account.name or account.kind.value
    return f"{label} {mask_number(number)}" if number else label


def _accounts(consent: Consent, accounts: list[Account]) -> str:
    if consent.restricted_to is not None:
        chosen = [a for a in accounts if a.resource_id in consent.restricted_to]
        return "only " + ", ".join(_account_label(a) for a in chosen)
    if consent.access.all_accounts:
        return "all accounts"
    references = {*consent.access.accounts, *consent.access.balances, *consent.access.transactions}
    return ", ".join(mask_number(reference) for reference in sorted(references))


def _day(value: datetime | None) -> str:
    return value.date().isoformat() if value else "—"


@app.command(name="list")
def list_consents(customer: Customer) -> None:
    """The customer's consents: status, accounts, valid until, ended. No ids of the bank."""
    settings = load_settings()

    async def main() -> list[tuple[Consent, str, bool]]:
        async with open_runtime(settings) as runtime, runtime.database.session() as session:
            repository = ConsentRepository(session, runtime.sealer)
            consents = await repository.for_customer(customer)
            pending = {c.id for c in await repository.with_bank_delete_pending()}
            accounts = AccountRepository(session)
            rows = []
            for consent in consents:
                listed = [a for _, a in await accounts.for_connection(consent.connection_id)]
                rows.append((consent, _accounts(consent, listed), consent.id in pending))
            return rows

    rows = run(main())
    if not rows:
        console.print(f"{customer} has no consents.")
        return
    table = Table(title=f"Consents of {customer}")
    for column in ("#", "status", "accounts", "valid until", "ended", "reminded"):
        table.add_column(column)
    for consent, accounts, bank_pending in rows:
        status = consent.status.value + (" (bank not yet told)" if bank_pending else "")
        table.add_row(
            str(consent.id),
            status,
            accounts,
            consent.valid_until.isoformat(),
            _day(consent.ended_at),
            _day(consent.reminder_sent_at),
        )
    console.print(table)


@app.command(name="revoke")
def revoke_consent(customer: Customer) -> None:
    """End the customer's valid consent here and at the bank."""
    settings = load_settings()

    async def main() -> tuple[Consent | None, bool]:
        async with open_runtime(settings) as runtime:
            ended = await revoke(runtime, customer)
            async with runtime.database.session() as session:
                pending = await ConsentRepository(
                    session, runtime.sealer
                ).with_bank_delete_pending()
            return ended, ended is not None and ended.id in {c.id for c in pending}

    ended, bank_pending = run(main())
    if ended is None:
        console.print(f"{customer} has no valid consent: nothing to revoke.")
        return
    console.print(f"Ended consent #{ended.id} of {customer}; nothing under it is shown again.")
    if bank_pending:
        console.print("The bank could not be reached; `kluis consent maintain` will tell it later.")
    else:
        console.print("The bank has deleted the consent too.")


@dataclass(frozen=True, slots=True)
class _Upkeep:
    reminders: list[Reminder]
    purge: PurgeReport
    told: int


async def _maintain(runtime: Runtime, reminder_days: int, retention_days: int) -> _Upkeep:
    reminders = await send_expiry_reminders(runtime, days_before=reminder_days)
    purge = await purge_ended(runtime, retention_days=retention_days)
    told = await retry_bank_deletes(runtime)
    return _Upkeep(reminders, purge, told)


@app.command(name="maintain")
def maintain(
    reminder_days: Annotated[
        int | None,
        typer.Option("--reminder-days", help="Remind this many days before a consent ends."),
    ] = None,
    retention_days: Annotated[
        int | None,
        typer.Option(
            "--retention-days", help="Delete data this many days after its consent ended."
        ),
    ] = None,
) -> None:
    """Send expiry reminders, purge data of ended consents, and tell the bank what it missed."""
    settings = load_settings()
    days = settings.consent_reminder_days if reminder_days is None else reminder_days
    keep = settings.revoked_data_retention_days if retention_days is None else retention_days

    async def main() -> _Upkeep:
        async with open_runtime(settings) as runtime:
            return await _maintain(runtime, days, keep)

    upkeep = run(main())
    purge = upkeep.purge
    console.print(f"Reminders sent: {len(upkeep.reminders)}")
    console.print(
        f"Consents expired: {purge.consents_expired}; data purged for {purge.consents_purged} "
        f"ended consents and {purge.accounts_purged} accounts "
        f"({purge.deleted.transactions} transactions, {purge.deleted.balances} balances)"
    )
    console.print(f"Consents deleted at the bank after an earlier failure: {upkeep.told}")
