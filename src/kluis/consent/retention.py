"""Purging bank data that no consent lets Kluis keep any more.

Data read under a consent that ended (revoked, expired, terminated) and data of accounts the
customer took out of Kluis's use ("alleen mijn betaalrekening nog") wait out the retention
period, and are then deleted: transactions, balances, sync cursors and read budgets, and for
an ended consent the account records themselves. An account that another valid consent on
the same bank connection still covers is kept. Audit events stay: they are the customer's
record of what was disclosed, and they hold no amounts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kluis.domain import Account, Consent, ConsentStatus
from kluis.runtime import Runtime
from kluis.store.accounts import AccountRepository
from kluis.store.consents import ConsentRepository
from kluis.store.retention import DeletedData, RetentionRepository

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """Anonymous counts of what a purge did."""

    consents_expired: int
    consents_purged: int
    accounts_purged: int
    deleted: DeletedData


def consent_uses(consent: Consent, account: Account) -> bool:
    """The consent is valid, covers the account, and the customer has not narrowed Kluis's
    use of it away."""
    if consent.status is not ConsentStatus.VALID:
        return False
    if consent.restricted_to is not None and account.resource_id not in consent.restricted_to:
        return False
    access = consent.access
    if access.all_accounts:
        return True
    references = {
        reference.replace(" ", "")
        for reference in (*access.accounts, *access.balances, *access.transactions)
    }
    return bool(
        (account.iban and account.iban in references)
        or (account.masked_pan and account.masked_pan in references)
    )


async def expire_overdue(runtime: Runtime) -> int:
    """Record as expired the consents whose last day passed while nobody read under them,
    so that their data's retention period starts."""
    async with runtime.database.session() as session:
        consents = ConsentRepository(session, runtime.sealer)
        overdue = await consents.overdue(runtime.today())
        for consent in overdue:
            await consents.set_status(consent.id, ConsentStatus.EXPIRED)
    return len(overdue)


async def _purge_consent(runtime: Runtime, consent: Consent, now: datetime) -> DeletedData:
    """Delete what was read under an ended consent, except accounts still in use."""
    async with runtime.database.session() as session:
        consents = ConsentRepository(session, runtime.sealer)
        retention = RetentionRepository(session)
        others = [
            other
            for other in await consents.for_connection(consent.connection_id)
            if other.id != consent.id
        ]
        accounts = await AccountRepository(session).for_connection(consent.connection_id)
        unused = [
            account_id
            for account_id, account in accounts
            if not any(consent_uses(other, account) for other in others)
        ]
        deleted = await retention.delete_account_data(unused, with_accounts=True)
        budget = await retention.delete_read_budget([consent.id])
        await consents.mark_purged(consent.id, now)
    return deleted + DeletedData(read_budget=budget)


async def mark_unused(runtime: Runtime, now: datetime) -> None:
    """Start the retention period of every account that no valid consent on its connection
    lets Kluis use, however it came to be stored (for example read again by a sync after the
    customer narrowed the consent), and end it for accounts back in use."""
    async with runtime.database.session() as session:
        consents = ConsentRepository(session, runtime.sealer)
        accounts = AccountRepository(session)
        retention = RetentionRepository(session)
        for customer_id in await consents.customers_with_valid_consent():
            valid = [
                consent
                for consent in await consents.for_customer(customer_id)
                if consent.status is ConsentStatus.VALID
            ]
            for connection_id in sorted({consent.connection_id for consent in valid}):
                on_connection = [c for c in valid if c.connection_id == connection_id]
                used = {
                    account.resource_id
                    for _, account in await accounts.for_connection(connection_id)
                    if any(consent_uses(consent, account) for consent in on_connection)
                }
                await retention.mark_dropped(connection_id, used, now)


async def _purge_dropped(runtime: Runtime, cutoff: datetime) -> tuple[int, DeletedData]:
    """Delete the data of accounts dropped by narrowing before `cutoff`. The account record
    stays (the consent still names it), so the customer can take it back into use."""
    total = DeletedData()
    purged = 0
    async with runtime.database.session() as session:
        consents = ConsentRepository(session, runtime.sealer)
        retention = RetentionRepository(session)
        accounts = AccountRepository(session)
        for dropped in await retention.dropped_before(cutoff):
            on_connection = await consents.for_connection(dropped.connection_id)
            account = dict(await accounts.for_connection(dropped.connection_id))[dropped.account_id]
            if any(consent_uses(consent, account) for consent in on_connection):
                await retention.take_back(dropped.account_id)
                continue
            deleted = await retention.delete_account_data([dropped.account_id], with_accounts=False)
            budget = await retention.delete_read_budget(
                [consent.id for consent in on_connection], [dropped.resource_id]
            )
            deleted += DeletedData(read_budget=budget)
            if deleted != DeletedData():
                purged += 1
            total += deleted
    return purged, total


async def purge_ended(runtime: Runtime, *, retention_days: int) -> PurgeReport:
    """Delete data under consents that ended more than `retention_days` days ago, and of
    accounts dropped from use that long ago. Returns counts only."""
    expired = await expire_overdue(runtime)
    now = datetime.now(UTC)
    await mark_unused(runtime, now)
    cutoff = now - timedelta(days=retention_days)
    async with runtime.database.session() as session:
        ended = await ConsentRepository(session, runtime.sealer).ended_before(cutoff)
    total = DeletedData()
    for consent in sorted(ended, key=lambda item: item.id):
        total += await _purge_consent(runtime, consent, now)
    dropped_accounts, dropped_data = await _purge_dropped(runtime, cutoff)
    total += dropped_data
    report = PurgeReport(
        consents_expired=expired,
        consents_purged=len(ended),
        accounts_purged=total.accounts + dropped_accounts,
        deleted=total,
    )
    logger.info(
        "purge: %d consents, %d accounts, %d transactions, %d balances",
        report.consents_purged,
        report.accounts_purged,
        total.transactions,
        total.balances,
    )
    return report
