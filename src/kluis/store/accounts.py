"""Accounts and their latest balances, per bank connection."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.domain import Account, AccountKind, Balance
from kluis.money import Money
from kluis.store.models import AccountRow, BalanceRow, BankConnectionRow


def _account(row: AccountRow) -> Account:
    return Account(
        resource_id=row.resource_id,
        kind=AccountKind(row.kind),
        currency=row.currency,
        name=row.name,
        iban=row.iban,
        masked_pan=row.masked_pan,
        product=row.product,
        owner_name=row.owner_name,
    )


class AccountRepository:
    """Reads and writes accounts and balances."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert(self, connection_id: int, account: Account) -> int:
        """Store what the bank says about an account; returns our id for it."""
        row = await self._session.scalar(
            select(AccountRow).where(
                AccountRow.connection_id == connection_id,
                AccountRow.resource_id == account.resource_id,
            )
        )
        now = datetime.now(UTC)
        if row is None:
            row = AccountRow(connection_id=connection_id, resource_id=account.resource_id)
            self._session.add(row)
        row.kind = account.kind.value
        row.currency = account.currency
        row.name = account.name
        row.iban = account.iban
        row.masked_pan = account.masked_pan
        row.product = account.product
        row.owner_name = account.owner_name
        row.updated_at = now
        await self._session.flush()
        return row.id

    async def id_for(self, connection_id: int, resource_id: str) -> int | None:
        return await self._session.scalar(
            select(AccountRow.id).where(
                AccountRow.connection_id == connection_id,
                AccountRow.resource_id == resource_id,
            )
        )

    async def by_id(self, account_id: int) -> Account | None:
        row = await self._session.get(AccountRow, account_id)
        return _account(row) if row is not None else None

    async def for_connection(self, connection_id: int) -> list[tuple[int, Account]]:
        rows = await self._session.scalars(
            select(AccountRow)
            .where(AccountRow.connection_id == connection_id)
            .order_by(AccountRow.id)
        )
        return [(row.id, _account(row)) for row in rows]

    async def for_customer(self, customer_id: str) -> list[tuple[int, Account]]:
        rows = await self._session.scalars(
            select(AccountRow)
            .join(BankConnectionRow, BankConnectionRow.id == AccountRow.connection_id)
            .where(BankConnectionRow.customer_id == customer_id)
            .order_by(AccountRow.id)
        )
        return [(row.id, _account(row)) for row in rows]

    async def replace_balances(self, account_id: int, balances: list[Balance]) -> None:
        """Keep the newest balance of each type the bank reported."""
        existing = {
            row.balance_type: row
            for row in await self._session.scalars(
                select(BalanceRow).where(BalanceRow.account_id == account_id)
            )
        }
        now = datetime.now(UTC)
        for balance in balances:
            row = existing.get(balance.balance_type)
            if row is None:
                row = BalanceRow(account_id=account_id, balance_type=balance.balance_type)
                self._session.add(row)
            row.amount_minor = balance.amount.minor_units
            row.currency = balance.amount.currency
            row.reference_date = balance.reference_date
            row.fetched_at = now
        await self._session.flush()

    async def balances(self, account_id: int) -> list[Balance]:
        rows = await self._session.scalars(
            select(BalanceRow)
            .where(BalanceRow.account_id == account_id)
            .order_by(BalanceRow.balance_type)
        )
        resource_id = await self._session.scalar(
            select(AccountRow.resource_id).where(AccountRow.id == account_id)
        )
        return [
            Balance(
                resource_id=resource_id or "",
                balance_type=row.balance_type,
                amount=Money.from_minor(row.amount_minor, row.currency),
                reference_date=row.reference_date,
            )
            for row in rows
        ]
