"""Every send to a platform, without its text: sent, delivered, read or failed. Messages
Kluis starts wait here, sealed, until a worker sends them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.store.inbox import PENDING
from kluis.store.models import ChannelDeliveryRow


@dataclass(frozen=True, slots=True)
class DueDelivery:
    id: int
    channel: str
    user_key: str
    customer_id: str | None
    kind: str
    attempts: int
    body_sealed: bytes


class DeliveryRepository:
    """What was sent to whom (by hash), and how it went; messages waiting to be sent."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        channel: str,
        user_key: str,
        kind: str,
        status: str,
        now: datetime,
        customer_id: str | None = None,
        inbox_id: int | None = None,
        body_sealed: bytes | None = None,
        platform_message_id: str | None = None,
        error: str | None = None,
        attempts: int = 0,
    ) -> int:
        row = ChannelDeliveryRow(
            channel=channel,
            user_key=user_key,
            customer_id=customer_id,
            inbox_id=inbox_id,
            kind=kind,
            status=status,
            attempts=attempts,
            body_sealed=body_sealed,
            platform_message_id=platform_message_id,
            error=error,
            created_at=now,
            next_attempt_at=now if status == PENDING else None,
            updated_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def sent_for_inbox(self, inbox_id: int) -> int:
        """How many messages already went out in answer to an inbox event (a worker that
        died after sending must not send them again)."""
        rows = await self._session.scalars(
            select(ChannelDeliveryRow.id).where(
                ChannelDeliveryRow.inbox_id == inbox_id, ChannelDeliveryRow.status == "sent"
            )
        )
        return len(list(rows))

    async def claim_due(self, limit: int, now: datetime) -> list[DueDelivery]:
        rows = list(
            await self._session.scalars(
                select(ChannelDeliveryRow)
                .where(
                    ChannelDeliveryRow.status == PENDING,
                    ChannelDeliveryRow.next_attempt_at <= now,
                )
                .order_by(ChannelDeliveryRow.id)
                .limit(limit)
            )
        )
        seen = [
            DueDelivery(
                row.id,
                row.channel,
                row.user_key,
                row.customer_id,
                row.kind,
                row.attempts + 1,
                row.body_sealed or b"",
            )
            for row in rows
        ]
        due: list[DueDelivery] = []
        for item in seen:
            result = await self._session.execute(
                update(ChannelDeliveryRow)
                .where(
                    ChannelDeliveryRow.id == item.id,
                    ChannelDeliveryRow.status == PENDING,
                    ChannelDeliveryRow.attempts == item.attempts - 1,
                )
                .values(attempts=item.attempts, next_attempt_at=now + timedelta(minutes=5))
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1 and item.body_sealed:  # type: ignore[attr-defined]
                due.append(item)
        return due

    async def settle(
        self,
        delivery_id: int,
        now: datetime,
        *,
        status: str,
        platform_message_id: str | None = None,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        """Record how a send went. With `retry_at` the message stays waiting (its text
        too); otherwise the text goes."""
        values: dict[str, object] = {
            "status": PENDING if retry_at else status,
            "platform_message_id": platform_message_id,
            "error": error,
            "updated_at": now,
            "next_attempt_at": retry_at,
        }
        if retry_at is None:
            values["body_sealed"] = None
        await self._session.execute(
            update(ChannelDeliveryRow).where(ChannelDeliveryRow.id == delivery_id).values(**values)
        )

    async def platform_status(
        self, channel: str, platform_message_id: str, status: str, now: datetime, error: str | None
    ) -> bool:
        """A platform's report on a message it was given (delivered, read, failed)."""
        result = await self._session.execute(
            update(ChannelDeliveryRow)
            .where(
                ChannelDeliveryRow.channel == channel,
                ChannelDeliveryRow.platform_message_id == platform_message_id,
            )
            .values(status=status, error=error, updated_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def purge(self, before: datetime) -> int:
        """Forget the record of sends made before `before` (nothing waiting is touched)."""
        result = await self._session.execute(
            delete(ChannelDeliveryRow).where(
                ChannelDeliveryRow.created_at < before, ChannelDeliveryRow.status != PENDING
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
