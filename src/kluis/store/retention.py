"""Deleting stored bank data Kluis may no longer keep, and marking accounts dropped from use.

Bank data is kept only while a valid consent lets Kluis use it. When a consent ends, or the
customer narrows Kluis's use to fewer accounts, the data waits out a short retention period
(so that a customer who changes their mind quickly loses nothing) and is then deleted here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Delete, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.store.models import (
    AccountRow,
    BalanceRow,
    ReadBudgetRow,
    SyncCursorRow,
    TransactionRow,
)


async def delete_counted(session: AsyncSession, statement: Delete) -> int:
    """Run a bulk delete; how many rows it removed."""
    result = await session.execute(statement.execution_options(synchronize_session=False))
    return max(cast("CursorResult[Any]", result).rowcount, 0)


@dataclass(frozen=True, slots=True)
class DeletedData:
    """How many rows of each kind a purge deleted. Counts only: nothing about whose."""

    accounts: int = 0
    transactions: int = 0
    balances: int = 0
    sync_cursors: int = 0
    read_budget: int = 0

    def __add__(self, other: DeletedData) -> DeletedData:
        return DeletedData(
            accounts=self.accounts + other.accounts,
            transactions=self.transactions + other.transactions,
            balances=self.balances + other.balances,
            sync_cursors=self.sync_cursors + other.sync_cursors,
            read_budget=self.read_budget + other.read_budget,
        )


@dataclass(frozen=True, slots=True)
class DroppedAccount:
    """An account the customer took out of Kluis's use, with when."""

    account_id: int
    connection_id: int
    resource_id: str
    dropped_at: datetime


class RetentionRepository:
    """Marks accounts dropped by narrowing and deletes what retention no longer allows."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def mark_dropped(
        self, connection_id: int, kept: Collection[str] | None, at: datetime
    ) -> None:
        """Record when each account outside `kept` left Kluis's use (None: all are kept).

        Accounts already dropped keep their first date; accounts taken back into use lose it.
        """
        rows = await self._session.scalars(
            select(AccountRow).where(AccountRow.connection_id == connection_id)
        )
        for row in rows:
            if kept is None or row.resource_id in kept:
                row.dropped_at = None
            elif row.dropped_at is None:
                row.dropped_at = at
        await self._session.flush()

    async def dropped_before(self, cutoff: datetime) -> list[DroppedAccount]:
        """Accounts dropped from use before `cutoff`."""
        rows = await self._session.scalars(
            select(AccountRow)
            .where(AccountRow.dropped_at.is_not(None), AccountRow.dropped_at < cutoff)
            .order_by(AccountRow.id)
        )
        return [
            DroppedAccount(row.id, row.connection_id, row.resource_id, row.dropped_at)
            for row in rows
            if row.dropped_at is not None
        ]

    async def take_back(self, account_id: int) -> None:
        """The account is in use again (a newer consent covers it): no longer dropped."""
        await self._session.execute(
            update(AccountRow)
            .where(AccountRow.id == account_id)
            .values(dropped_at=None)
            .execution_options(synchronize_session=False)
        )

    async def delete_account_data(
        self, account_ids: Collection[int], *, with_accounts: bool
    ) -> DeletedData:
        """Delete the accounts' transactions, balances and sync cursors, and with
        `with_accounts` the accounts themselves (names, IBANs, owner names)."""
        if not account_ids:
            return DeletedData()
        ids = list(account_ids)
        transactions = await delete_counted(
            self._session, delete(TransactionRow).where(TransactionRow.account_id.in_(ids))
        )
        balances = await delete_counted(
            self._session, delete(BalanceRow).where(BalanceRow.account_id.in_(ids))
        )
        cursors = await delete_counted(
            self._session, delete(SyncCursorRow).where(SyncCursorRow.account_id.in_(ids))
        )
        accounts = 0
        if with_accounts:
            accounts = await delete_counted(
                self._session, delete(AccountRow).where(AccountRow.id.in_(ids))
            )
        return DeletedData(
            accounts=accounts,
            transactions=transactions,
            balances=balances,
            sync_cursors=cursors,
        )

    async def delete_read_budget(
        self, consent_ids: Collection[int], resource_ids: Collection[str] | None = None
    ) -> int:
        """Forget the unattended-read counts of these consents (only for these accounts,
        when given)."""
        if not consent_ids:
            return 0
        statement = delete(ReadBudgetRow).where(ReadBudgetRow.consent_id.in_(list(consent_ids)))
        if resource_ids is not None:
            statement = statement.where(ReadBudgetRow.resource_id.in_(list(resource_ids)))
        return await delete_counted(self._session, statement)
