"""`kluis sync`: read a customer's accounts, balances and transactions into the store.

Incremental and idempotent. Each account is read whole (every page of its query) and then
written in one database transaction: upserted under the bank's ids, entries the bank no
longer serves in that window removed, the cursor moved, and a `TransactionsArrived` event
put in the outbox. A sync stopped halfway leaves every account either as it was or fully
updated, and the next run ends with exactly the bank's set.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from kluis.banks.connector import UNATTENDED, BankConnector, Presence, TransactionQuery
from kluis.domain import Account, Balance, Consent, ConsentStatus, DataKind, Transaction
from kluis.errors import ConsentError, ConsentExpired, ConsentNotReady, ConsentRevoked, RateLimited
from kluis.events.bus import EventBus
from kluis.events.types import TransactionsArrived
from kluis.security import Sealer
from kluis.store.accounts import AccountRepository
from kluis.store.budget import ReadBudgetRepository
from kluis.store.consents import ConsentRepository
from kluis.store.database import Database
from kluis.store.outbox import OutboxRepository
from kluis.store.transactions import TransactionRepository

ALL_ACCOUNTS = "*"


class SyncProgress(Protocol):
    """What a progress display hears from a running sync."""

    def accounts_found(self, total: int) -> None: ...

    def transactions_read(self, account: Account, count: int) -> None: ...

    def account_done(self, account: Account) -> None: ...


class _Silent:
    def accounts_found(self, total: int) -> None:
        return None

    def transactions_read(self, account: Account, count: int) -> None:
        return None

    def account_done(self, account: Account) -> None:
        return None


@dataclass(frozen=True, slots=True)
class _AccountRead:
    """What was read of one account, ready to be written in one transaction."""

    account_id: int
    account: Account
    balances: list[Balance]
    transactions: dict[str, Transaction]
    window_start: date
    synced_through: date


@dataclass(frozen=True, slots=True)
class AccountSyncResult:
    resource_id: str
    fetched: int
    inserted: int
    updated: int
    removed: int


@dataclass(frozen=True, slots=True)
class SyncReport:
    customer_id: str
    accounts: tuple[AccountSyncResult, ...] = field(default_factory=tuple)

    @property
    def fetched(self) -> int:
        return sum(item.fetched for item in self.accounts)

    @property
    def inserted(self) -> int:
        return sum(item.inserted for item in self.accounts)

    @property
    def updated(self) -> int:
        return sum(item.updated for item in self.accounts)

    @property
    def removed(self) -> int:
        return sum(item.removed for item in self.accounts)


def _utc_today() -> date:
    return datetime.now(UTC).date()


def _seconds_to_midnight() -> float:
    now = datetime.now(UTC)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
    return (midnight - now).total_seconds()


class Syncer:
    """Reads a bank through its connector into the store for one customer at a time."""

    def __init__(
        self,
        database: Database,
        connector: BankConnector,
        sealer: Sealer,
        bus: EventBus,
        *,
        unattended_limit: int = 4,
        overlap_days: int = 7,
        history_days: int = 730,
        today: Callable[[], date] = _utc_today,
    ) -> None:
        self._database = database
        self._connector = connector
        self._sealer = sealer
        self._bus = bus
        self._limit = unattended_limit
        self._overlap = timedelta(days=overlap_days)
        self._history = timedelta(days=history_days)
        self._today = today

    async def sync_customer(
        self,
        customer_id: str,
        presence: Presence = UNATTENDED,
        progress: SyncProgress | None = None,
    ) -> SyncReport:
        """Sync every account the customer's valid consent covers."""
        progress = progress or _Silent()
        consent = await self._usable_consent(customer_id)
        try:
            results = await self._sync_consent(consent, presence, progress)
        except (ConsentExpired, ConsentRevoked) as exc:
            await self._record_consent_end(consent, exc)
            raise
        finally:
            await self._bus.dispatch_pending()
        return SyncReport(customer_id=customer_id, accounts=tuple(results))

    async def _sync_consent(
        self, consent: Consent, presence: Presence, progress: SyncProgress
    ) -> list[AccountSyncResult]:
        await self._spend(consent, ALL_ACCOUNTS, DataKind.DETAILS, presence)
        accounts = await self._connector.accounts(consent.bank_consent_id, presence)
        if consent.restricted_to is not None:
            # The customer narrowed what Kluis may use: the other accounts are not read at all.
            accounts = [a for a in accounts if a.resource_id in consent.restricted_to]
        async with self._database.session() as session:
            repository = AccountRepository(session)
            account_ids = [
                await repository.upsert(consent.connection_id, account) for account in accounts
            ]
        progress.accounts_found(len(accounts))
        # Pipelined: while one account is written to the store, the next is read from the
        # bank. Each write is still one transaction of its own.
        results: list[AccountSyncResult] = []
        writing: asyncio.Task[AccountSyncResult] | None = None
        try:
            for account_id, account in zip(account_ids, accounts, strict=True):
                read = await self._read_account(consent, account_id, account, presence, progress)
                if writing is not None:
                    results.append(await writing)
                writing = asyncio.create_task(self._store_account(consent, read, progress))
            if writing is not None:
                results.append(await writing)
        except BaseException:
            if writing is not None and not writing.done():
                # The account already read is complete: let its write finish, then report
                # the error that stopped the sync.
                await asyncio.wait([writing])
            if writing is not None and writing.done() and not writing.cancelled():
                writing.exception()
            raise
        return results

    async def _record_consent_end(self, consent: Consent, error: ConsentError) -> None:
        """The bank says the consent is over: remember it, so nothing reads under it again."""
        status = (
            ConsentStatus.EXPIRED
            if isinstance(error, ConsentExpired)
            else ConsentStatus.REVOKED_BY_PSU
        )
        async with self._database.session() as session:
            await ConsentRepository(session, self._sealer).set_status(consent.id, status)

    async def _usable_consent(self, customer_id: str) -> Consent:
        async with self._database.session() as session:
            consents = ConsentRepository(session, self._sealer)
            consent = await consents.active_for_customer(customer_id)
            if consent is None:
                raise ConsentNotReady("there is no valid consent to read this customer's bank")
            expired = consent.valid_until < self._today()
            if expired:
                await consents.set_status(consent.id, ConsentStatus.EXPIRED)
        if expired:  # raised after the unit of work, so that the new status is kept
            raise ConsentExpired(
                "the consent to read this bank has expired", consent_id=str(consent.id)
            )
        return consent

    async def _spend(
        self, consent: Consent, resource_id: str, kind: DataKind, presence: Presence
    ) -> None:
        """Count an unattended read, or refuse it before the bank has to."""
        if presence.attended:
            return
        async with self._database.session() as session:
            allowed = await ReadBudgetRepository(session).take(
                consent.id, resource_id, kind, self._today(), self._limit
            )
        if not allowed:
            raise RateLimited(
                "today's unattended reads for this account are used up",
                retry_after=_seconds_to_midnight(),
            )

    async def _read_account(
        self,
        consent: Consent,
        account_id: int,
        account: Account,
        presence: Presence,
        progress: SyncProgress,
    ) -> _AccountRead:
        """Balances and every page of the account's transaction window."""
        await self._spend(consent, account.resource_id, DataKind.BALANCES, presence)
        balances = await self._connector.balances(consent.bank_consent_id, account, presence)
        async with self._database.session() as session:
            cursor = await TransactionRepository(session).cursor(account_id)
            oldest_pending = await TransactionRepository(session).oldest_pending_date(account_id)
        window_start = (cursor - self._overlap) if cursor else self._today() - self._history
        if oldest_pending is not None:
            window_start = min(window_start, oldest_pending)
        await self._spend(consent, account.resource_id, DataKind.TRANSACTIONS, presence)
        fetched: dict[str, Transaction] = {}
        query = TransactionQuery(date_from=window_start, booking_status="both")
        async for page in self._connector.transactions(
            consent.bank_consent_id, account, query, presence
        ):
            for transaction in page.transactions:
                fetched[transaction.transaction_id] = transaction
            progress.transactions_read(account, len(page.transactions))
        booked_dates = [t.booking_date for t in fetched.values() if t.booking_date is not None]
        return _AccountRead(
            account_id=account_id,
            account=account,
            balances=balances,
            transactions=fetched,
            window_start=window_start,
            synced_through=max(booked_dates, default=cursor or window_start),
        )

    async def _store_account(
        self, consent: Consent, read: _AccountRead, progress: SyncProgress
    ) -> AccountSyncResult:
        """Write one account's read in one transaction, with its event in the outbox."""
        async with self._database.session() as session:
            await AccountRepository(session).replace_balances(read.account_id, read.balances)
            transactions = TransactionRepository(session)
            changes = await transactions.upsert(
                read.account_id, list(read.transactions.values()), today=self._today()
            )
            removed = await transactions.remove_missing(
                read.account_id, read.window_start, date.max, set(read.transactions)
            )
            await transactions.set_cursor(read.account_id, read.synced_through)
            if changes.inserted or changes.updated:
                event = TransactionsArrived(
                    customer_id=consent.customer_id,
                    connection_id=consent.connection_id,
                    account_id=read.account_id,
                    resource_id=read.account.resource_id,
                    inserted=changes.inserted,
                    updated=changes.updated,
                )
                await OutboxRepository(session).add(event.KIND, event.to_payload())
        progress.account_done(read.account)
        return AccountSyncResult(
            resource_id=read.account.resource_id,
            fetched=len(read.transactions),
            inserted=len(changes.inserted),
            updated=len(changes.updated),
            removed=len(removed),
        )
