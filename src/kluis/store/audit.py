"""The audit log: every disclosure of bank data, in a form the customer can read back."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.domain import AuditEvent
from kluis.store.models import AuditEventRow


class AuditRepository:
    """Appends audit events and reads a customer's recent ones."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, event: AuditEvent) -> None:
        self._session.add(
            AuditEventRow(
                customer_id=event.customer_id,
                action=event.action,
                data_category=event.data_category,
                consent_id=event.consent_id,
                channel=event.channel,
                intent=event.intent,
                accounts=list(event.accounts),
                detail=dict(event.detail),
                at=event.at,
            )
        )
        await self._session.flush()

    async def recent(self, customer_id: str, limit: int = 50) -> list[AuditEvent]:
        rows = await self._session.scalars(
            select(AuditEventRow)
            .where(AuditEventRow.customer_id == customer_id)
            .order_by(AuditEventRow.at.desc(), AuditEventRow.id.desc())
            .limit(limit)
        )
        return [
            AuditEvent(
                customer_id=row.customer_id,
                action=row.action,
                data_category=row.data_category,
                at=row.at,
                consent_id=row.consent_id,
                channel=row.channel,
                intent=row.intent,
                accounts=tuple(row.accounts),
                detail={str(key): str(value) for key, value in row.detail.items()},
            )
            for row in rows
        ]
