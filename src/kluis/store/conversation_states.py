"""The assistant's memory of each conversation, one JSON document per customer and channel."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kluis.store.models import ConversationStateRow


class ConversationStateRepository:
    """Reads and replaces the state of a conversation."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, customer_id: str, channel: str) -> dict[str, Any]:
        row = await self._session.get(ConversationStateRow, (customer_id, channel))
        return dict(row.state) if row else {}

    async def put(self, customer_id: str, channel: str, state: dict[str, Any]) -> None:
        row = await self._session.get(ConversationStateRow, (customer_id, channel))
        now = datetime.now(UTC)
        if row is None:
            self._session.add(
                ConversationStateRow(
                    customer_id=customer_id, channel=channel, state=state, updated_at=now
                )
            )
        else:
            row.state = state
            row.updated_at = now
        await self._session.flush()
