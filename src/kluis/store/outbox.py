"""The outbox: events stored in the same transaction as the change they announce, then
dispatched; an event whose dispatch was interrupted is dispatched on the next run."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.store.models import OutboxEventRow


class OutboxRepository:
    """Adds events and hands out those not yet dispatched."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, kind: str, payload: dict[str, Any]) -> int:
        row = OutboxEventRow(
            kind=kind, payload=payload, created_at=datetime.now(UTC), dispatched_at=None
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def pending(self, limit: int = 100) -> list[tuple[int, str, dict[str, Any]]]:
        rows = await self._session.scalars(
            select(OutboxEventRow)
            .where(OutboxEventRow.dispatched_at.is_(None))
            .order_by(OutboxEventRow.id)
            .limit(limit)
        )
        return [(row.id, row.kind, dict(row.payload)) for row in rows]

    async def mark_dispatched(self, event_id: int) -> None:
        row = await self._session.get(OutboxEventRow, event_id)
        if row is not None:
            row.dispatched_at = datetime.now(UTC)
            await self._session.flush()
