"""Bank connections and the consents under which Kluis reads them.

The bank's consent id is a credential (whoever holds it can read the accounts), so it is
sealed at rest; the context binds each sealed value to its row.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.domain import BankConnection, Consent, ConsentAccess, ConsentStatus
from kluis.security import Sealer
from kluis.store.models import BankConnectionRow, ConsentRow, PendingBankDeleteRow


def access_to_json(access: ConsentAccess) -> dict[str, Any]:
    return {
        "all_accounts": access.all_accounts,
        "accounts": list(access.accounts),
        "balances": list(access.balances),
        "transactions": list(access.transactions),
    }


def access_from_json(data: dict[str, Any]) -> ConsentAccess:
    return ConsentAccess(
        all_accounts=bool(data.get("all_accounts", False)),
        accounts=tuple(data.get("accounts", ())),
        balances=tuple(data.get("balances", ())),
        transactions=tuple(data.get("transactions", ())),
    )


def _connection(row: BankConnectionRow) -> BankConnection:
    return BankConnection(row.id, row.customer_id, row.bank_name, row.bank_url, row.psu_id)


def _seal_context(customer_id: str, connection_id: int) -> str:
    return f"consent:{customer_id}:{connection_id}"


def _bank_delete_context(bank_url: str) -> str:
    return f"bank-delete:{bank_url}"


class ConsentRepository:
    """Reads and writes bank connections and consents."""

    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def connection(
        self, customer_id: str, bank_name: str, bank_url: str, psu_id: str
    ) -> BankConnection:
        """The customer's connection to this bank, created on first use."""
        row = await self._session.scalar(
            select(BankConnectionRow).where(
                BankConnectionRow.customer_id == customer_id,
                BankConnectionRow.bank_url == bank_url,
                BankConnectionRow.psu_id == psu_id,
            )
        )
        if row is None:
            row = BankConnectionRow(
                customer_id=customer_id,
                bank_name=bank_name,
                bank_url=bank_url,
                psu_id=psu_id,
                created_at=datetime.now(UTC),
            )
            self._session.add(row)
            await self._session.flush()
        return _connection(row)

    async def get_connection(self, connection_id: int) -> BankConnection | None:
        row = await self._session.get(BankConnectionRow, connection_id)
        return _connection(row) if row else None

    async def add(
        self,
        connection: BankConnection,
        bank_consent_id: str,
        *,
        status: ConsentStatus,
        access: ConsentAccess,
        valid_until: date,
        frequency_per_day: int,
        recurring: bool,
    ) -> Consent:
        now = datetime.now(UTC)
        row = ConsentRow(
            connection_id=connection.id,
            customer_id=connection.customer_id,
            bank_consent_id_sealed=self._sealer.seal(
                bank_consent_id, context=_seal_context(connection.customer_id, connection.id)
            ),
            status=status.value,
            access=access_to_json(access),
            valid_until=valid_until,
            frequency_per_day=frequency_per_day,
            recurring=recurring,
            created_at=now,
            updated_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return self._consent(row)

    def _consent(self, row: ConsentRow) -> Consent:
        return Consent(
            id=row.id,
            connection_id=row.connection_id,
            customer_id=row.customer_id,
            bank_consent_id=self._sealer.open(
                row.bank_consent_id_sealed,
                context=_seal_context(row.customer_id, row.connection_id),
            ),
            status=ConsentStatus(row.status),
            access=access_from_json(row.access),
            valid_until=row.valid_until,
            frequency_per_day=row.frequency_per_day,
            recurring=row.recurring,
            created_at=row.created_at,
            ended_at=row.ended_at,
            restricted_to=tuple(row.restricted_to) if row.restricted_to is not None else None,
            reminder_sent_at=row.reminder_sent_at,
        )

    async def get(self, consent_id: int) -> Consent | None:
        row = await self._session.get(ConsentRow, consent_id)
        return self._consent(row) if row else None

    async def set_status(self, consent_id: int, status: ConsentStatus) -> None:
        """Record the consent's status; a final status also records when it ended."""
        row = await self._session.get(ConsentRow, consent_id)
        if row is not None:
            now = datetime.now(UTC)
            row.status = status.value
            row.updated_at = now
            if status.is_final and row.ended_at is None:
                row.ended_at = now
            await self._session.flush()

    async def restrict(self, consent_id: int, resource_ids: tuple[str, ...] | None) -> None:
        """Let Kluis use only these accounts under the consent (None: all it covers)."""
        row = await self._session.get(ConsentRow, consent_id)
        if row is not None:
            row.restricted_to = list(resource_ids) if resource_ids is not None else None
            row.updated_at = datetime.now(UTC)
            await self._session.flush()

    async def mark_reminded(self, consent_id: int, at: datetime) -> None:
        row = await self._session.get(ConsentRow, consent_id)
        if row is not None:
            row.reminder_sent_at = at
            await self._session.flush()

    async def claim_reminder(self, consent_id: int, at: datetime) -> bool:
        """Mark the consent reminded, unless it already was: True for the one caller that
        may send the reminder, even when two run at once."""
        result = await self._session.execute(
            update(ConsentRow)
            .where(ConsentRow.id == consent_id, ConsentRow.reminder_sent_at.is_(None))
            .values(reminder_sent_at=at)
            .execution_options(synchronize_session=False)
        )
        return cast("CursorResult[Any]", result).rowcount == 1

    async def set_bank_delete_pending(self, consent_id: int, pending: bool) -> None:
        """Remember (or forget) that the bank still has to be told the consent ended."""
        row = await self._session.get(ConsentRow, consent_id)
        if row is not None:
            row.bank_delete_pending = pending
            await self._session.flush()

    async def with_bank_delete_pending(self) -> list[Consent]:
        """Consents ended here that the bank has not been told about yet."""
        rows = await self._session.scalars(
            select(ConsentRow)
            .where(ConsentRow.bank_delete_pending.is_(True))
            .order_by(ConsentRow.id)
        )
        return [self._consent(row) for row in rows]

    async def defer_bank_delete(self, bank_url: str, bank_consent_id: str) -> None:
        """Keep a bank delete that must outlive the customer's data (an erasure while the
        bank was unreachable): only the bank and its sealed consent id, no customer."""
        self._session.add(
            PendingBankDeleteRow(
                bank_url=bank_url,
                bank_consent_id_sealed=self._sealer.seal(
                    bank_consent_id, context=_bank_delete_context(bank_url)
                ),
                created_at=datetime.now(UTC),
                attempts=0,
                last_attempt_at=None,
            )
        )
        await self._session.flush()

    async def deferred_bank_deletes(self, bank_url: str) -> list[tuple[int, str]]:
        """(row id, bank consent id) of every deferred delete owed to this bank."""
        rows = await self._session.scalars(
            select(PendingBankDeleteRow)
            .where(PendingBankDeleteRow.bank_url == bank_url)
            .order_by(PendingBankDeleteRow.id)
        )
        return [
            (
                row.id,
                self._sealer.open(
                    row.bank_consent_id_sealed, context=_bank_delete_context(row.bank_url)
                ),
            )
            for row in rows
        ]

    async def settle_deferred_bank_delete(self, row_id: int, *, told: bool) -> None:
        """The bank was told (the row goes), or could not be (the attempt is counted)."""
        row = await self._session.get(PendingBankDeleteRow, row_id)
        if row is None:
            return
        if told:
            await self._session.delete(row)
        else:
            row.attempts += 1
            row.last_attempt_at = datetime.now(UTC)
        await self._session.flush()

    async def mark_purged(self, consent_id: int, at: datetime) -> None:
        row = await self._session.get(ConsentRow, consent_id)
        if row is not None:
            row.purged_at = at
            await self._session.flush()

    async def ended_before(self, cutoff: datetime) -> list[Consent]:
        """Consents that ended before `cutoff` and whose data has not been purged yet."""
        rows = await self._session.scalars(
            select(ConsentRow).where(
                ConsentRow.ended_at.is_not(None),
                ConsentRow.ended_at < cutoff,
                ConsentRow.purged_at.is_(None),
            )
        )
        return [self._consent(row) for row in rows]

    async def valid_until_before(self, last_day: date) -> list[Consent]:
        """Valid consents that end on or before `last_day` and were not reminded yet."""
        rows = await self._session.scalars(
            select(ConsentRow).where(
                ConsentRow.status == ConsentStatus.VALID.value,
                ConsentRow.valid_until <= last_day,
                ConsentRow.reminder_sent_at.is_(None),
            )
        )
        return [self._consent(row) for row in rows]

    async def overdue(self, today: date) -> list[Consent]:
        """Consents still recorded as valid although their last day has passed."""
        rows = await self._session.scalars(
            select(ConsentRow).where(
                ConsentRow.status == ConsentStatus.VALID.value,
                ConsentRow.valid_until < today,
            )
        )
        return [self._consent(row) for row in rows]

    async def for_connection(self, connection_id: int) -> list[Consent]:
        """Every consent on the bank connection, newest first."""
        rows = await self._session.scalars(
            select(ConsentRow)
            .where(ConsentRow.connection_id == connection_id)
            .order_by(ConsentRow.created_at.desc(), ConsentRow.id.desc())
        )
        return [self._consent(row) for row in rows]

    async def for_customer(self, customer_id: str) -> list[Consent]:
        """Every consent of the customer, newest first."""
        rows = await self._session.scalars(
            select(ConsentRow)
            .where(ConsentRow.customer_id == customer_id)
            .order_by(ConsentRow.created_at.desc(), ConsentRow.id.desc())
        )
        return [self._consent(row) for row in rows]

    async def active_for_customer(self, customer_id: str) -> Consent | None:
        """The newest valid consent of the customer, if any."""
        for consent in await self.for_customer(customer_id):
            if consent.status is ConsentStatus.VALID:
                return consent
        return None

    async def customers_with_valid_consent(self) -> list[str]:
        """Ids of every customer who has at least one valid consent, sorted."""
        rows = await self._session.scalars(
            select(ConsentRow.customer_id)
            .where(ConsentRow.status == ConsentStatus.VALID.value)
            .distinct()
        )
        return sorted(rows)
