"""Card consents: the customer's approval for Kluis to block and unblock cards at the bank.

The bank's id for a card consent is a credential (whoever holds it can block the cards), so
it is sealed at rest, bound to the customer and the bank connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.security import Sealer
from kluis.store.database import as_utc
from kluis.store.models import CardConsentRow

CardConsentStatus = Literal["valid", "revoked"]


@dataclass(frozen=True, slots=True)
class CardConsent:
    """A stored card consent with the bank's id opened."""

    id: int
    customer_id: str
    connection_id: int
    bank_card_consent_id: str
    status: str
    created_at: datetime


def _context(customer_id: str, connection_id: int) -> str:
    return f"card-consent:{customer_id}:{connection_id}"


class CardConsentRepository:
    """Reads and writes the customer's card consents."""

    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def add(
        self, customer_id: str, connection_id: int, bank_id: str, status: CardConsentStatus
    ) -> CardConsent:
        now = datetime.now(UTC)
        row = CardConsentRow(
            customer_id=customer_id,
            connection_id=connection_id,
            bank_card_consent_id_sealed=self._sealer.seal(
                bank_id, context=_context(customer_id, connection_id)
            ),
            status=status,
            created_at=now,
            updated_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return self._consent(row)

    def _consent(self, row: CardConsentRow) -> CardConsent:
        return CardConsent(
            id=row.id,
            customer_id=row.customer_id,
            connection_id=row.connection_id,
            bank_card_consent_id=self._sealer.open(
                row.bank_card_consent_id_sealed,
                context=_context(row.customer_id, row.connection_id),
            ),
            status=row.status,
            created_at=as_utc(row.created_at),
        )

    async def active(self, customer_id: str) -> CardConsent | None:
        """The customer's newest valid card consent, if any."""
        row = await self._session.scalar(
            select(CardConsentRow)
            .where(CardConsentRow.customer_id == customer_id, CardConsentRow.status == "valid")
            .order_by(CardConsentRow.created_at.desc(), CardConsentRow.id.desc())
            .limit(1)
        )
        return self._consent(row) if row is not None else None

    async def all_active(self, customer_id: str) -> list[CardConsent]:
        rows = await self._session.scalars(
            select(CardConsentRow)
            .where(CardConsentRow.customer_id == customer_id, CardConsentRow.status == "valid")
            .order_by(CardConsentRow.id)
        )
        return [self._consent(row) for row in rows]

    async def set_status(self, card_consent_id: int, status: CardConsentStatus) -> None:
        row = await self._session.get(CardConsentRow, card_consent_id)
        if row is not None:
            row.status = status
            row.updated_at = datetime.now(UTC)
            await self._session.flush()

    async def end_all(self, customer_id: str) -> int:
        """Mark every valid card consent of the customer revoked; returns how many."""
        rows = await self._session.scalars(
            select(CardConsentRow).where(
                CardConsentRow.customer_id == customer_id, CardConsentRow.status == "valid"
            )
        )
        now = datetime.now(UTC)
        count = 0
        for row in rows:
            row.status = "revoked"
            row.updated_at = now
            count += 1
        await self._session.flush()
        return count
