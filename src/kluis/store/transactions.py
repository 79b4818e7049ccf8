"""Transactions, stored idempotently under the bank's ids.

Reading the same page twice stores nothing twice; a pending entry that comes back booked
is updated in place; entries the bank no longer serves in a window it has fully answered
for are removed, so the store ends with exactly the bank's set.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.domain import BookingStatus, StoredTransaction, Transaction
from kluis.money import Money
from kluis.store.models import (
    AccountRow,
    BankConnectionRow,
    Base,
    SyncCursorRow,
    TransactionRow,
)

_BATCH = 500
# Core inserts of plain rows: the ORM's bulk path costs twice as much for the same rows.
_TABLE = Base.metadata.tables[TransactionRow.__tablename__]
_CONTENT_FIELDS = (
    "status",
    "amount_minor",
    "currency",
    "booking_date",
    "value_date",
    "transaction_date",
    "entry_date",
    "counterparty_name",
    "counterparty_iban",
    "creditor_id",
    "mandate_id",
    "end_to_end_id",
    "entry_reference",
    "remittance",
    "bank_transaction_code",
    "merchant_category_code",
    "purpose_code",
    "masked_pan",
    "occurred_at",
)


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """What one upsert changed: ids of new entries, and of entries that changed."""

    inserted: tuple[str, ...]
    updated: tuple[str, ...]


def _columns(transaction: Transaction, today: date) -> dict[str, object]:
    return {
        "status": transaction.status.value,
        "amount_minor": transaction.amount.minor_units,
        "currency": transaction.amount.currency,
        "booking_date": transaction.booking_date,
        "value_date": transaction.value_date,
        "transaction_date": transaction.transaction_date,
        "entry_date": transaction.effective_date or today,
        "counterparty_name": transaction.counterparty_name,
        "counterparty_iban": transaction.counterparty_iban,
        "creditor_id": transaction.creditor_id,
        "mandate_id": transaction.mandate_id,
        "end_to_end_id": transaction.end_to_end_id,
        "entry_reference": transaction.entry_reference,
        "remittance": transaction.remittance,
        "bank_transaction_code": transaction.bank_transaction_code,
        "merchant_category_code": transaction.merchant_category_code,
        "purpose_code": transaction.purpose_code,
        "masked_pan": transaction.masked_pan,
        "occurred_at": transaction.occurred_at.isoformat() if transaction.occurred_at else None,
    }


def _transaction(row: TransactionRow, resource_id: str) -> Transaction:
    return Transaction(
        resource_id=resource_id,
        transaction_id=row.transaction_id,
        status=BookingStatus(row.status),
        amount=Money.from_minor(row.amount_minor, row.currency),
        booking_date=row.booking_date,
        value_date=row.value_date,
        transaction_date=row.transaction_date,
        counterparty_name=row.counterparty_name,
        counterparty_iban=row.counterparty_iban,
        creditor_id=row.creditor_id,
        mandate_id=row.mandate_id,
        end_to_end_id=row.end_to_end_id,
        entry_reference=row.entry_reference,
        remittance=row.remittance,
        bank_transaction_code=row.bank_transaction_code,
        merchant_category_code=row.merchant_category_code,
        purpose_code=row.purpose_code,
        masked_pan=row.masked_pan,
        occurred_at=datetime.fromisoformat(row.occurred_at) if row.occurred_at else None,
    )


def _stored(row: TransactionRow, resource_id: str) -> StoredTransaction:
    return StoredTransaction(
        transaction=_transaction(row, resource_id),
        account_id=row.account_id,
        first_seen=row.first_seen,
        updated_at=row.updated_at,
    )


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class TransactionRepository:
    """Reads and writes an account's transactions and how far they have been synced."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert(
        self, account_id: int, transactions: Sequence[Transaction], *, today: date
    ) -> UpsertResult:
        """Insert new entries and update changed ones, keyed by the bank's transaction id."""
        incoming: dict[str, dict[str, object]] = {}
        for transaction in transactions:
            incoming[transaction.transaction_id] = _columns(transaction, today)
        existing: dict[str, TransactionRow] = {}
        for chunk in _chunks(list(incoming), _BATCH):
            rows = await self._session.scalars(
                select(TransactionRow).where(
                    TransactionRow.account_id == account_id,
                    TransactionRow.transaction_id.in_(chunk),
                )
            )
            existing.update({row.transaction_id: row for row in rows})
        now = datetime.now(UTC)
        new_rows: list[dict[str, object]] = []
        updated: list[str] = []
        for transaction_id, columns in incoming.items():
            row = existing.get(transaction_id)
            if row is None:
                new_rows.append(
                    {
                        "account_id": account_id,
                        "transaction_id": transaction_id,
                        "first_seen": now,
                        "updated_at": now,
                        **columns,
                    }
                )
                continue
            changed = [name for name in _CONTENT_FIELDS if getattr(row, name) != columns[name]]
            if changed:
                for name in changed:
                    setattr(row, name, columns[name])
                row.updated_at = now
                updated.append(transaction_id)
        for start in range(0, len(new_rows), _BATCH):
            await self._session.execute(_TABLE.insert(), new_rows[start : start + _BATCH])
        await self._session.flush()
        return UpsertResult(
            inserted=tuple(str(row["transaction_id"]) for row in new_rows),
            updated=tuple(updated),
        )

    async def remove_missing(
        self, account_id: int, start: date, end: date, seen: set[str]
    ) -> list[str]:
        """Delete entries dated in [start, end] that the bank no longer serves."""
        stored = await self._session.scalars(
            select(TransactionRow.transaction_id).where(
                TransactionRow.account_id == account_id,
                TransactionRow.entry_date >= start,
                TransactionRow.entry_date <= end,
            )
        )
        gone = [transaction_id for transaction_id in stored if transaction_id not in seen]
        for chunk in _chunks(gone, _BATCH):
            await self._session.execute(
                delete(TransactionRow).where(
                    TransactionRow.account_id == account_id,
                    TransactionRow.transaction_id.in_(chunk),
                )
            )
        return gone

    async def oldest_pending_date(self, account_id: int) -> date | None:
        return await self._session.scalar(
            select(func.min(TransactionRow.entry_date)).where(
                TransactionRow.account_id == account_id,
                TransactionRow.status == BookingStatus.PENDING.value,
            )
        )

    async def count(self, account_id: int) -> int:
        result = await self._session.scalar(
            select(func.count())
            .select_from(TransactionRow)
            .where(TransactionRow.account_id == account_id)
        )
        return int(result or 0)

    async def for_account(
        self, account_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[StoredTransaction]:
        """The account's transactions, newest first, optionally within [start, end]."""
        query = (
            select(TransactionRow, AccountRow.resource_id)
            .join(AccountRow, AccountRow.id == TransactionRow.account_id)
            .where(TransactionRow.account_id == account_id)
        )
        if start is not None:
            query = query.where(TransactionRow.entry_date >= start)
        if end is not None:
            query = query.where(TransactionRow.entry_date <= end)
        query = query.order_by(TransactionRow.entry_date.desc(), TransactionRow.id.desc())
        result = await self._session.execute(query)
        return [_stored(row, resource_id) for row, resource_id in result]

    async def first_day(self, account_ids: Sequence[int]) -> date | None:
        """The day of the earliest transaction held on any of the accounts; None when they
        have none."""
        if not account_ids:
            return None
        result = await self._session.execute(
            select(func.min(TransactionRow.entry_date)).where(
                TransactionRow.account_id.in_(account_ids)
            )
        )
        return result.scalar_one_or_none()

    async def with_ids(
        self, account_id: int, transaction_ids: Sequence[str]
    ) -> list[tuple[int, StoredTransaction]]:
        """The account's transactions with these bank ids, with their row ids, oldest first."""
        found: list[tuple[int, StoredTransaction]] = []
        for chunk in _chunks(list(transaction_ids), _BATCH):
            result = await self._session.execute(
                select(TransactionRow, AccountRow.resource_id)
                .join(AccountRow, AccountRow.id == TransactionRow.account_id)
                .where(
                    TransactionRow.account_id == account_id,
                    TransactionRow.transaction_id.in_(chunk),
                )
            )
            found += [(row.id, _stored(row, resource_id)) for row, resource_id in result]
        return sorted(
            found, key=lambda item: (item[1].transaction.effective_date or date.min, item[0])
        )

    async def payments_with_customers(self) -> list[tuple[str, StoredTransaction]]:
        """Every stored payment out, of every customer, with the customer's id."""
        result = await self._session.execute(
            select(TransactionRow, AccountRow.resource_id, BankConnectionRow.customer_id)
            .join(AccountRow, AccountRow.id == TransactionRow.account_id)
            .join(BankConnectionRow, BankConnectionRow.id == AccountRow.connection_id)
            .where(TransactionRow.amount_minor < 0)
        )
        return [(customer_id, _stored(row, resource)) for row, resource, customer_id in result]

    async def cursor(self, account_id: int) -> date | None:
        """The last day through which the account's history is complete in the store."""
        row = await self._session.get(SyncCursorRow, account_id)
        return row.synced_through if row else None

    async def set_cursor(self, account_id: int, synced_through: date) -> None:
        row = await self._session.get(SyncCursorRow, account_id)
        now = datetime.now(UTC)
        if row is None:
            self._session.add(
                SyncCursorRow(
                    account_id=account_id, synced_through=synced_through, last_synced_at=now
                )
            )
        else:
            row.synced_through = synced_through
            row.last_synced_at = now
        await self._session.flush()
