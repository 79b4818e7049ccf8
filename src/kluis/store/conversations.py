"""Conversation messages, deduplicated on the platform's message id."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.domain import ConversationMessage
from kluis.store.models import ConversationMessageRow


class ConversationRepository:
    """Appends and reads a customer's messages on a channel."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, message: ConversationMessage) -> bool:
        """Store a message; False when the platform already delivered this message id."""
        if message.platform_message_id is not None:
            duplicate = await self._session.scalar(
                select(ConversationMessageRow.id).where(
                    ConversationMessageRow.channel == message.channel,
                    ConversationMessageRow.platform_message_id == message.platform_message_id,
                )
            )
            if duplicate is not None:
                return False
        self._session.add(
            ConversationMessageRow(
                customer_id=message.customer_id,
                channel=message.channel,
                direction=message.direction,
                text=message.text,
                platform_message_id=message.platform_message_id,
                at=message.at,
            )
        )
        await self._session.flush()
        return True

    async def recent(
        self, customer_id: str, channel: str, limit: int = 20
    ) -> list[ConversationMessage]:
        """The last messages, oldest first."""
        rows = list(
            await self._session.scalars(
                select(ConversationMessageRow)
                .where(
                    ConversationMessageRow.customer_id == customer_id,
                    ConversationMessageRow.channel == channel,
                )
                .order_by(ConversationMessageRow.at.desc(), ConversationMessageRow.id.desc())
                .limit(limit)
            )
        )
        return [
            ConversationMessage(
                customer_id=row.customer_id,
                channel=row.channel,
                direction=row.direction,
                text=row.text,
                at=row.at,
                platform_message_id=row.platform_message_id,
            )
            for row in reversed(rows)
        ]
